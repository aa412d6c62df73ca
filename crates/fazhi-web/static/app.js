// Small helpers of our own; the pages work without them.
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-confirm]");
  if (t && !window.confirm(t.getAttribute("data-confirm"))) {
    e.preventDefault();
  }
});

// The unread count beside 通知 in the menu (the page works without it).
(function () {
  var link = document.querySelector('header nav a[href="/notifications"]');
  if (!link || !window.fetch) return;
  fetch("/api/v1/notifications/unread", { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (v) {
      if (v && v.count > 0) {
        var b = document.createElement("span");
        b.className = "badge";
        b.textContent = v.count > 99 ? "99+" : String(v.count);
        b.setAttribute("aria-label", v.count + "条未读");
        link.appendChild(b);
      }
    })
    .catch(function () {});
})();
