// The import job page: follow the job's progress, and show the report once it has finished.
(function () {
  "use strict";
  var section = document.querySelector(".import-job");
  if (!section || section.getAttribute("data-running") !== "true") return;
  var url = section.getAttribute("data-status-url");
  var bar = document.getElementById("import-progress");
  var percent = document.getElementById("import-percent");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (!status.running) { window.location.reload(); return; }
        if (bar) { bar.max = status.total; bar.value = status.done; }
        if (percent) percent.textContent = percent.textContent.replace(/^\d+/, String(status.percent));
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
