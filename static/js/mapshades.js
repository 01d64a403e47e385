/* What the public map (static/js/map.js) and the dashboard's map (static/js/dashboard.js) draw alike: the shades
 * of the Actions per country and their ranges, the texts the page gives through data-t-* attributes, the plural
 * "N Actions" label in the page's language, and a small element builder. Loaded before either script; it draws
 * nothing itself.
 */
window.PeerflowMaps = (function () {
  "use strict";

  var PALETTE = ["#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"]; // ColorBrewer Blues, light to dark
  var NO_ACTION = "#e9ecef";
  var BORDER = "#6c757d";

  /* The page's words, from the map element's data-lang and data-t-* attributes ({n} stands for a number). */
  function words(element) {
    var data = element.dataset;
    var lang = data.lang || document.documentElement.lang || "en";
    var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;

    function text(key) {
      return data["t" + key.charAt(0).toUpperCase() + key.slice(1)] || "";
    }

    function actionsLabel(n) {
      if (!n) {
        return text("none");
      }
      var form = plurals ? plurals.select(n) : n === 1 ? "one" : "other";
      return (form === "one" ? text("one") : text("other")).replace("{n}", n.toLocaleString(lang));
    }

    return { lang: lang, text: text, actionsLabel: actionsLabel };
  }

  /* Shading classes: up to five, each a range of counts [from, to]. With a small maximum, one class per number;
   * otherwise five ranges of about equal width. */
  function shadingClasses(max) {
    var classes = [];
    if (max < 1) {
      return classes;
    }
    var n = Math.min(max, PALETTE.length);
    var previous = 0;
    for (var i = 0; i < n; i += 1) {
      var to = i === n - 1 ? max : Math.max(previous + 1, Math.round((max * (i + 1)) / n));
      classes.push({ from: previous + 1, to: to });
      previous = to;
    }
    classes.forEach(function (cls, index) {
      var position = classes.length === 1 ? PALETTE.length - 2 : Math.round((index * (PALETTE.length - 1)) / (classes.length - 1));
      cls.color = PALETTE[position];
    });
    return classes;
  }

  function colourFor(count, classes) {
    if (!count) {
      return NO_ACTION;
    }
    for (var i = 0; i < classes.length; i += 1) {
      if (count <= classes[i].to) {
        return classes[i].color;
      }
    }
    return classes.length ? classes[classes.length - 1].color : NO_ACTION;
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (content !== undefined && content !== null) {
      node.textContent = content;
    }
    return node;
  }

  return { NO_ACTION: NO_ACTION, BORDER: BORDER, words: words, shadingClasses: shadingClasses, colourFor: colourFor,
           el: el };
})();
