// GOV.UK Frontend: mark the page as having JavaScript (and modules) before it is drawn. Loaded as a file, not
// inline, so that the Content-Security-Policy can refuse every inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
