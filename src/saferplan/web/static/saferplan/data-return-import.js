// A large data return's import page follows the import until it finishes. The status address is in
// data-status-url. The progress bar and its text equivalent move together; when the import fails for a reason
// other than the file, the Retry button appears.
(function () {
  const panel = document.getElementById("import-status");
  if (!panel || !panel.dataset.statusUrl) return;
  const url = panel.dataset.statusUrl;
  function setText(id, text) {
    const el = document.getElementById(id);
    if (el && el.textContent !== text) el.textContent = text;
  }
  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then((r) => r.json())
      .then((d) => {
        setText("status", d.status_label);
        setText("rows", d.rows_text);
        setText("message", d.message);
        setText("percent", d.percent + "%");
        const bar = document.getElementById("import-progress");
        if (bar) {
          bar.value = d.percent;
          bar.textContent = d.percent + "%";
        }
        const retry = document.getElementById("retry");
        if (retry) retry.hidden = !d.can_retry;
        if (d.finished) {
          const waiting = document.getElementById("waiting");
          if (waiting) waiting.hidden = true;
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(() => setTimeout(poll, 2000));
  }
  poll();
})();
