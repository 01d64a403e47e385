/* Invite in place on the suggestions page (templates/deployments/suggestions.html).
 *
 * Each candidate's row has a small form posting to the invite endpoint. With this script the form is sent by
 * fetch, asking for JSON: the row's button becomes "Invited" and the page says what happened, without
 * reloading; once the slot is full the other rows' buttons are switched off. Without the script (or fetch)
 * the form posts as usual and the server redirects. */
(function () {
  "use strict";

  function say(box, text, kind) {
    box.replaceChildren();
    var alert = document.createElement("div");
    alert.className = "alert alert-" + kind + " py-2 mb-2";
    alert.textContent = text;
    box.appendChild(alert);
  }

  function answer(response) {
    return response.json().then(function (data) {
      return { ok: response.ok, data: data };
    }, function () {
      return { ok: false, data: {} };  // not JSON: signed out (the sign-in page), the form expired…
    });
  }

  function invite(form, table, box) {
    var button = form.querySelector("button");
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(answer).then(function (result) {
      var data = result.data;
      if (!result.ok || data.status !== "invited") {
        button.disabled = false;
        say(box, (data.error && data.error.message) || table.dataset.inviteFailed, "danger");
        return;
      }
      var badge = document.createElement("span");
      badge.className = "badge text-bg-success";
      badge.textContent = data.label;
      badge.tabIndex = -1;
      badge.dataset.testid = "invited";
      form.replaceWith(badge);
      badge.focus();
      say(box, data.message, "success");
      if (data.places_left === 0) {
        table.querySelectorAll("form[data-invite] button").forEach(function (other) {
          other.disabled = true;
        });
      }
    }).catch(function () {
      button.disabled = false;
      say(box, table.dataset.inviteFailed, "danger");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.querySelector("table[data-invite-failed]");
    var box = document.getElementById("invite-status");
    if (!table || !box || !window.fetch || !window.FormData) {
      return;
    }
    table.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-invite]");
      if (form) {
        event.preventDefault();
        invite(form, table, box);
      }
    });
  });
})();
