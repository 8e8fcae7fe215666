// What the NHS.UK frontend's page template does in an inline script, as a file (the content
// security policy allows no inline script): mark the page as able to run the components.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
