// Moves focus to the error summary when a page comes back with errors (RGAA 11.10),
// for browsers that ignore `autofocus` on a focusable container.
(function () {
  var summary = document.getElementById("error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();
