// Small helpers of our own; the pages work without them.
document.addEventListener("click", function (e) {
  var t = e.target.closest("[data-confirm]");
  if (t && !window.confirm(t.getAttribute("data-confirm"))) {
    e.preventDefault();
  }
});
