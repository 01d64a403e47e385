/* The steps of a record's page that ask first (templates/_next_step.html): a reason to give, a consequence to
 * accept. The page sends each one's panel as an in-page section opened by a link (#step-suspend, shown when
 * targeted: it works without JavaScript); this file turns the link into a button and the panel into a modal
 * <dialog> titled by the panel's question. The native modal keeps the focus inside, closes with Escape or
 * "Go back", and gives the focus back to the button. The reason field takes the focus when it opens.
 *
 * It also lights the section of the page being read in the sticky section links (Bootstrap's ScrollSpy).
 * The Content-Security-Policy allows no inline script, hence this file and data- attributes.
 */
(function () {
  "use strict";

  function asButton(link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.textContent = link.textContent.trim();
    Array.prototype.forEach.call(link.attributes, function (attr) {
      if (attr.name.indexOf("aria-") === 0) { button.setAttribute(attr.name, attr.value); }
    });
    link.replaceWith(button);
    return button;
  }

  function enhance(opener) {
    var panel = document.getElementById(opener.getAttribute("data-step-open"));
    if (!panel) { return; }
    var dialog = document.createElement("dialog");
    dialog.className = "pf-confirm pf-step-dialog";
    dialog.id = panel.id + "-dialog";
    dialog.setAttribute("aria-labelledby", panel.getAttribute("aria-labelledby"));
    if (panel.getAttribute("data-describedby")) {
      dialog.setAttribute("aria-describedby", panel.getAttribute("data-describedby"));
    }
    panel.removeAttribute("role");
    panel.removeAttribute("aria-labelledby");
    panel.className = "pf-step-body";
    dialog.appendChild(panel);
    document.body.appendChild(dialog);

    var button = asButton(opener);
    button.setAttribute("aria-haspopup", "dialog");
    button.setAttribute("aria-controls", dialog.id);
    button.addEventListener("click", function () {
      dialog.showModal();
      var field = dialog.querySelector("textarea, input:not([type=hidden]), select");
      if (field) { field.focus(); }
    });
    Array.prototype.forEach.call(dialog.querySelectorAll("[data-step-close]"), function (close) {
      asButton(close).addEventListener("click", function () { dialog.close(); });
    });
    dialog.addEventListener("close", function () { button.focus(); });
    if (location.hash === "#" + panel.id) { button.click(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof HTMLDialogElement === "function") {
      Array.prototype.forEach.call(document.querySelectorAll("[data-step-open]"), enhance);
    }
    var sections = document.getElementById("page-sections");
    if (sections && window.bootstrap && window.bootstrap.ScrollSpy) {
      window.bootstrap.ScrollSpy.getOrCreateInstance(document.body, {target: "#page-sections", rootMargin: "0px 0px -60%"});
    }
  });
})();
