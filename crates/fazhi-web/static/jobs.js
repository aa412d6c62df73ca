// Progress of a background job: polls the job and reloads the page when it ends.
// Without JavaScript the page refreshes itself (meta refresh in <noscript>).
(function () {
  var box = document.getElementById("job");
  if (!box || box.dataset.state !== "running") return;
  var bar = box.querySelector("progress");
  var line = box.querySelector(".job-message");
  var count = box.querySelector(".job-count");
  function poll() {
    fetch("/api/v1/jobs/" + encodeURIComponent(box.dataset.id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j) { setTimeout(poll, 3000); return; }
        if (j.state !== "running") { location.reload(); return; }
        if (bar && j.total > 0) { bar.max = j.total; bar.value = j.done; }
        if (line) line.textContent = j.message;
        if (count) count.textContent = j.total > 0 ? j.done + " / " + j.total : "";
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
