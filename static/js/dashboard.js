/* The dashboard's small map of the Actions per country (templates/dashboard/index.html).
 *
 * Its figures are those of the table beside it: each row of #<data-table> carries data-iso2="PE" and
 * data-count="3", and its <th> the country's name in the page's language; nothing is fetched but the
 * country shapes (static/geo/countries.geojson, properties.iso2). Leaflet and the shapes come from /static;
 * there is no tile layer, so the map works offline. The page gives the rest through the data-* attributes
 * of #dashboard-map:
 *   data-shapes  the shapes' URL         data-table  the id of the table of figures
 *   data-leaflet, data-stylesheet  Leaflet's script and CSS, loaded by this script after the page
 *   data-legend  the id of the element under the map that gets the legend
 *   data-lang    the page language       data-t-*    the translated strings ({n} stands for a number)
 * The box around the map is hidden until the map is drawn; then #dashboard-map gets data-state="ready"
 * (or "error" with a message: the table still has the figures). Each country path gets data-iso2, and
 * data-count where it has Actions. The map scrolls the page, not itself, under a wheel or a finger.
 */
function drawDashboardMap() {
  "use strict";

  var shades = window.PeerflowMaps; // static/js/mapshades.js: what both maps draw alike
  var NO_ACTION = shades.NO_ACTION;
  var BORDER = shades.BORDER;
  var shadingClasses = shades.shadingClasses;
  var colourFor = shades.colourFor;
  var el = shades.el;

  var element = document.getElementById("dashboard-map");
  var box = document.getElementById("dashboard-map-box");
  if (!element || !box || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var data = element.dataset;
  var words = shades.words(element);
  var text = words.text;
  var actionsLabel = words.actionsLabel;

  /* The figures, read from the table: {PE: {count: 3, name: "Peru"}}. */
  function figures() {
    var byCode = {};
    var table = document.getElementById(data.table);
    if (!table) {
      return byCode;
    }
    table.querySelectorAll("tr[data-iso2][data-count]").forEach(function (row) {
      var heading = row.querySelector("th");
      byCode[row.getAttribute("data-iso2")] = {
        count: parseInt(row.getAttribute("data-count"), 10) || 0,
        name: heading ? heading.textContent.trim() : row.getAttribute("data-iso2"),
      };
    });
    return byCode;
  }

  /* The legend, under the map (where it hides no country on a phone): each shade with its numbers. */
  function drawLegend(classes) {
    var legend = document.getElementById(data.legend);
    if (!legend) {
      return;
    }
    legend.textContent = "";
    legend.appendChild(el("span", "fw-semibold", text("legend")));
    var list = el("ul", "list-unstyled mb-0");
    var rows = [{ color: NO_ACTION, label: text("none") }].concat(classes.map(function (cls) {
      return { color: cls.color, label: cls.from === cls.to ? String(cls.from) : cls.from + "–" + cls.to };
    }));
    rows.forEach(function (row) {
      var item = el("li", "d-inline-flex align-items-center gap-1");
      var swatch = el("span", "pf-map-swatch");
      swatch.setAttribute("aria-hidden", "true");
      swatch.style.background = row.color; // through the DOM: the policy forbids only style attributes
      item.appendChild(swatch);
      item.appendChild(el("span", null, row.label));
      list.appendChild(item);
    });
    legend.appendChild(list);
    legend.hidden = false;
  }

  function failed(error) {
    element.dataset.state = "error";
    var message = el("p", "alert alert-warning m-2", text("error"));
    message.setAttribute("role", "alert");
    element.textContent = "";
    element.appendChild(message);
    if (window.console) {
      console.error(error);
    }
  }

  function draw(shapes) {
    var byCode = figures();
    var max = 0;
    Object.keys(byCode).forEach(function (code) {
      max = Math.max(max, byCode[code].count);
    });
    var classes = shadingClasses(max);
    var map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 1,
      maxZoom: 6,
      scrollWheelZoom: false, // the wheel scrolls the page; the +/- buttons and the keyboard zoom
      dragging: !L.Browser.mobile, // a finger scrolls the page on a phone
      tap: false,
      maxBounds: [[-75, -260], [88, 260]],
      zoomControl: false, // added below with the page's language for its buttons' names
    });
    L.control.zoom({ zoomInTitle: text("zoomIn"), zoomOutTitle: text("zoomOut") }).addTo(map);
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution(text("attribution"));

    var bounds = L.latLngBounds([]);
    L.geoJSON(shapes, {
      style: function (feature) {
        var entry = byCode[feature.properties.iso2];
        return { fillColor: colourFor(entry ? entry.count : 0, classes), fillOpacity: 1, color: BORDER, weight: 0.5 };
      },
      onEachFeature: function (feature, layer) {
        var code = feature.properties.iso2;
        var entry = byCode[code];
        if (entry) {
          bounds.extend(layer.getBounds());
        }
        layer.bindTooltip((entry ? entry.name : feature.properties.name || code) + " · " +
          actionsLabel(entry ? entry.count : 0), { sticky: true });
        layer.on("add", function () {
          var path = layer.getElement();
          if (path && code) {
            path.setAttribute("data-iso2", code);
            if (entry) {
              path.setAttribute("data-count", String(entry.count));
            }
          }
        });
      },
    }).addTo(map);
    drawLegend(classes);
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.1), { maxZoom: 4 });
    } else {
      map.fitBounds([[-56, -170], [80, 180]]);
    }
    element.dataset.state = "ready";
  }

  box.hidden = false; // shown only when the script runs: the table has the figures without it
  fetch(data.shapes, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error(data.shapes + ": HTTP " + response.status);
      }
      return response.json();
    })
    .then(draw)
    .catch(failed);
}

/* Leaflet (its script and stylesheet) and the shapes are asked for once the page has loaded, not by the page's
   <head>: the map sits at the bottom of the dashboard, and they would hold back the figures' first paint. */
(function () {
  "use strict";

  var element = document.getElementById("dashboard-map");
  if (!element) {
    return;
  }

  function load(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var node = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        node.setAttribute(name, attributes[name]);
      });
      node.addEventListener("load", resolve);
      node.addEventListener("error", function () {
        reject(new Error(attributes.src || attributes.href));
      });
      document.head.appendChild(node);
    });
  }

  function start() {
    var data = element.dataset;
    var ready = typeof window.L !== "undefined" ? Promise.resolve() : load("script", { src: data.leaflet });
    Promise.all([ready, load("link", { rel: "stylesheet", href: data.stylesheet })])
      .then(drawDashboardMap)
      .catch(function () {
        element.dataset.state = "error"; // the table beside the map keeps the figures
      });
  }

  if (document.readyState === "complete") {
    start();
  } else {
    window.addEventListener("load", start);
  }
})();
