/* Ask before a destructive step (loaded on every page by templates/base.html).
 *
 * A submit button, or a form, with data-confirm="Cancel this activity?" asks that question before the
 * form is sent; "Cancel" in the browser's dialog keeps the page as it was. The Content-Security-Policy
 * allows no inline script, so this replaces onclick="return confirm(...)".
 * Without JavaScript the form is sent without asking: the server still checks everything.
 */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
