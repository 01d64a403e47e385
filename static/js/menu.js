/* The tools menu in the bar is a <details> (it opens and closes without JavaScript); this closes it when
 * the reader presses Escape or clicks anywhere else, as a drop-down menu does. */
(function () {
  "use strict";

  function closeAll(except) {
    document.querySelectorAll("details.nav-menu[open]").forEach(function (menu) {
      if (menu !== except) {
        menu.removeAttribute("open");
      }
    });
  }

  document.addEventListener("click", function (event) {
    closeAll(event.target.closest("details.nav-menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var open = document.querySelector("details.nav-menu[open]");
      if (open) {
        open.removeAttribute("open");
        open.querySelector("summary").focus();
      }
    }
  });
})();
