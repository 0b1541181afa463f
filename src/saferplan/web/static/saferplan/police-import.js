// The police import page follows its import until it finishes. The status address is in data-status-url.
(function () {
  const panel = document.getElementById("import-status");
  if (!panel || !panel.dataset.statusUrl) return;
  const url = panel.dataset.statusUrl;
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((d) => {
        document.getElementById("status").textContent = d.status_label;
        document.getElementById("files").textContent = d.files_done + " of " + d.files_total;
        document.getElementById("rows").textContent =
          d.rows + (d.rows_per_second ? " (" + d.rows_per_second + " rows a second)" : "");
        document.getElementById("message").textContent = d.message;
        if (!d.finished) setTimeout(poll, 1000);
      });
  }
  poll();
})();
