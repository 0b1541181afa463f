// A report's page follows its publication while it is queued and rendered (the address is in
// data-status-url): the progress bar, its text equivalent and the step move together; when it finishes, the
// message says how it ended and a link offers the page as it now is.
(function () {
  const panel = document.getElementById("publication-status");
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
        if (!d.status) return;
        setText("publication-state", d.status_label);
        setText("publication-percent", d.percent + "%");
        setText("publication-step", d.step);
        setText("publication-message", d.message);
        const bar = document.getElementById("publication-progress");
        if (bar) {
          bar.value = d.percent;
          bar.textContent = d.percent + "%";
        }
        if (d.finished) {
          setText("publication-waiting", "");
          const waiting = document.getElementById("publication-waiting");
          if (waiting) {
            const link = document.createElement("a");
            link.className = "govuk-link";
            link.href = window.location.pathname;
            link.textContent = "Show the report as it is now";
            waiting.appendChild(link);
          }
        } else {
          setTimeout(poll, 1000);
        }
      });
  }
  poll();
})();
