/* The expert-slot rows of the activity form (templates/activities/form.html): "Add another slot" copies the
 * page's <template> row in place and "Remove this slot" takes a new row out, with no trip to the server.
 * Without JavaScript both buttons send the form, which comes back with one row more or fewer and nothing
 * saved (SlotRows in workflow/activities/forms.py). A copied row gets the next free index in its field
 * names ("slots-3-role"), as WTForms' FieldList expects, and starts in the first language ticked for the
 * activity. An existing slot is removed only by ticking its box, on saving. */
(function () {
  "use strict";

  var rows = document.querySelector("[data-slot-rows]");
  var template = document.querySelector("[data-slot-template]");
  var add = document.querySelector("[data-slot-add]");
  if (!rows || !template || !add) {
    return;
  }
  var max = parseInt(rows.dataset.slotMax, 10) || 20;
  // The attributes of a template row that carry its index ("slots-__index__-role").
  var NUMBERED = ["name", "id", "for", "aria-describedby", "aria-labelledby", "value"];

  function allRows() {
    return rows.querySelectorAll("[data-slot-row]");
  }

  function nextIndex() {
    var highest = -1;
    rows.querySelectorAll("[name^='slots-']").forEach(function (input) {
      var match = /^slots-(\d+)-/.exec(input.name);
      if (match) {
        highest = Math.max(highest, parseInt(match[1], 10));
      }
    });
    return highest + 1;
  }

  function renumber() {
    allRows().forEach(function (row, position) {
      var legend = row.querySelector("[data-slot-legend]");
      if (legend) {
        legend.textContent = rows.dataset.labelNew.replace("{num}", String(position + 1));
      }
    });
    add.disabled = allRows().length >= max;
  }

  function firstLanguage() {
    var ticked = document.querySelector("input[name='languages']:checked");
    return ticked ? ticked.value : null;
  }

  function addRow() {
    var index = String(nextIndex());
    var copy = template.content.cloneNode(true);
    copy.querySelectorAll("*").forEach(function (node) {
      NUMBERED.forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value && value.indexOf("__index__") !== -1) {
          node.setAttribute(attribute, value.split("__index__").join(index));
        }
      });
    });
    var row = copy.querySelector("[data-slot-row]");
    var language = row.querySelector("select[name$='-language']");
    var wanted = firstLanguage();
    if (language && wanted && language.querySelector("option[value='" + wanted + "']")) {
      language.value = wanted;
    }
    rows.appendChild(copy);
    renumber();
    var first = row.querySelector("select, input:not([type='hidden'])");
    if (first) {
      first.focus();
    }
  }

  add.addEventListener("click", function (event) {
    event.preventDefault();
    if (allRows().length < max) {
      addRow();
    }
  });

  rows.addEventListener("click", function (event) {
    var button = event.target.closest("[data-slot-remove]");
    if (!button) {
      return;
    }
    event.preventDefault();
    button.closest("[data-slot-row]").remove();
    renumber();
    add.focus();
  });
}());
