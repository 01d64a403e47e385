/* A wide table scrolls sideways inside its .table-responsive box rather than widening the page (phones).
 * A box that does scroll is made reachable by keyboard (WCAG 2.1.1: arrow keys scroll it once focused) and
 * named after its table's caption or the heading above it, as a region. */
(function () {
  "use strict";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var node = box;
    while (node && node !== document.body) {
      var previous = node.previousElementSibling;
      while (previous) {
        if (/^H[1-6]$/.test(previous.tagName)) {
          return previous.textContent.trim();
        }
        previous = previous.previousElementSibling;
      }
      node = node.parentElement;
    }
    return document.title;
  }

  function mark() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box));
        box.dataset.scrolls = "1";
      } else if (!scrolls && box.dataset.scrolls) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrolls;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
