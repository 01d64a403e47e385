/* A long list of checkboxes (the `field` macro of templates/_macros.html renders every multiple choice so)
 * gets a filter box: typing hides the options whose name does not contain what was typed (accents and case
 * aside: "peru" finds "Perú"); the line under the list names the options chosen. Filtering changes only
 * what is shown: a hidden option that was ticked stays ticked and is still sent. Without JavaScript the
 * filter box stays hidden and the whole list scrolls in its box. */
(function () {
  "use strict";

  if (window.peerflowChecklist) {
    return;  // the macro adds this script once per long list
  }
  window.peerflowChecklist = true;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function labelOf(option) {
    var label = option.querySelector("label");
    return label ? label.textContent.trim() : "";
  }

  function showChosen(list) {
    var line = list.querySelector("[data-checklist-chosen]");
    if (!line) {
      return;
    }
    var names = [];
    list.querySelectorAll("[data-checklist-option]").forEach(function (option) {
      if (option.querySelector("input").checked) {
        names.push(labelOf(option));
      }
    });
    line.textContent = names.length ? line.dataset.labelSome.replace("{names}", names.join(", "))
      : line.dataset.labelNone;
  }

  function filter(list, text) {
    var wanted = fold(text);
    var shown = 0;
    list.querySelectorAll("[data-checklist-option]").forEach(function (option) {
      var match = !wanted || fold(labelOf(option)).indexOf(wanted) !== -1;
      option.hidden = !match;
      shown += match ? 1 : 0;
    });
    list.querySelector("[data-checklist-none]").hidden = shown > 0;
  }

  function setUp(list) {
    var box = list.querySelector("[data-checklist-filter]");
    if (!box || list.dataset.ready) {
      return;
    }
    list.dataset.ready = "1";
    box.hidden = false;
    box.addEventListener("input", function () {
      filter(list, box.value);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter in the filter box filters; it does not send the form
      }
    });
    list.addEventListener("change", function () {
      showChosen(list);
    });
  }

  function start() {
    document.querySelectorAll("[data-checklist]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
