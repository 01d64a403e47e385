/* Ask before a destructive step, in an accessible dialog (loaded on every page by templates/base.html).
 *
 * A submit button, or a form, with data-confirm="Cancel this activity? This cannot be undone." opens the
 * page's <dialog id="confirm-dialog"> (templates/_confirm_dialog.html) instead of sending the form: the
 * question is its title, what follows the question (or data-confirm-detail) says the consequence, the
 * confirm button repeats the step's own words ("Cancel the activity"), red when the step's button is red,
 * and "Go back" keeps the page as it was. The native modal dialog keeps the keyboard focus inside, closes
 * with Escape and returns the focus to the button that opened it; screen readers announce its title and
 * consequence. The Content-Security-Policy allows no inline script, hence this file and data- attributes.
 * Without JavaScript (or without <dialog>) the form is sent without asking: the server still checks
 * everything.
 */
(function () {
  "use strict";

  var dialog = null;
  var pending = null; // {form, submitter} waiting for the answer

  function split(question) {
    // The title is the question up to its first "?" (also "¿…?" and "… ?"); the rest is its consequence.
    var at = question.indexOf("?");
    if (at < 0 || at === question.length - 1) { return [question, ""]; }
    return [question.slice(0, at + 1).trim(), question.slice(at + 1).trim()];
  }

  function words(button) {
    return (button && (button.textContent || button.value) || "").replace(/\s+/g, " ").trim();
  }

  function open(form, submitter, question) {
    var parts = split(question);
    var detail = (submitter && submitter.getAttribute("data-confirm-detail")) ||
      form.getAttribute("data-confirm-detail") || parts[1];
    var ok = dialog.querySelector("[data-confirm-ok]");
    var red = !!(submitter && /\bbtn(-outline)?-danger\b/.test(submitter.className));
    dialog.querySelector("[data-confirm-title]").textContent = parts[0];
    var body = dialog.querySelector("[data-confirm-body]");
    body.textContent = detail;
    body.hidden = !detail;
    ok.textContent = words(submitter) || ok.getAttribute("data-default");
    ok.className = "btn " + (red ? "btn-danger" : "btn-primary");
    pending = {form: form, submitter: submitter};
    dialog.returnValue = "";
    dialog.showModal();
  }

  function answered() {
    var asked = pending;
    pending = null;
    if (!asked) { return; }
    if (dialog.returnValue === "confirm") {
      asked.form.setAttribute("data-confirmed", "1");
      if (asked.form.requestSubmit) {
        asked.form.requestSubmit(asked.submitter || undefined);
      } else {
        asked.form.submit();
      }
    } else if (asked.submitter) {
      asked.submitter.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    dialog = document.getElementById("confirm-dialog");
    if (dialog && typeof dialog.showModal === "function") {
      dialog.addEventListener("close", answered);
    } else {
      dialog = null;
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!question || !dialog) { return; }
    if (form.getAttribute("data-confirmed") === "1") {
      form.removeAttribute("data-confirmed");
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    open(form, submitter, question);
  }, true);
})();
