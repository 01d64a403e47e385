/* The public map of published Actions (templates/catalogue/map.html).
 *
 * Works with no network beyond this site: Leaflet and the country shapes come from /static, and there
 * is no tile layer. The page gives everything through the data-* attributes of #map:
 *   data-url     the JSON of /catalogue/map.json  {"countries": [{code, name, count}], "max"}; with
 *                &country=XX it also gives {"actions": [{name, title, url, regional}], "total", "catalogue_url"}
 *   data-shapes  static/geo/countries.geojson     one Feature per country, properties.iso2 = "PE"
 *   data-lang    the page language (plural rules, country names of countries without an Action)
 *   data-t-*     the translated strings this script shows ({n} stands for a number)
 * Each country path gets data-iso2="PE" and the class "country-PE". When the map is drawn, #map gets
 * data-state="ready" (or "error", with a message; the server-side list under the map still works).
 */
(function () {
  "use strict";

  var shades = window.PeerflowMaps; // static/js/mapshades.js: what both maps draw alike
  var NO_ACTION = shades.NO_ACTION;
  var BORDER = shades.BORDER;
  var shadingClasses = shades.shadingClasses;
  var colourFor = shades.colourFor;
  var el = shades.el;
  var SELECTED_BORDER = "#212529";
  var WORLD = [[-56, -170], [80, 180]]; // the inhabited world, without Antarctica

  var element = document.getElementById("map");
  if (!element || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;
  var data = element.dataset;
  var words = shades.words(element);
  var lang = words.lang;
  var text = words.text;
  var actionsLabel = words.actionsLabel;

  var regionNames = null;
  try {
    regionNames = new Intl.DisplayNames([lang], { type: "region" });
  } catch (error) {
    regionNames = null;
  }
  function countryName(code, feature, entry) {
    if (entry && entry.name) {
      return entry.name;
    }
    if (code && regionNames) {
      try {
        return regionNames.of(code);
      } catch (error) {
        /* an unknown code: fall through to the shape's own (English) name */
      }
    }
    return (feature && feature.properties && feature.properties.name) || code || "";
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error(url + ": HTTP " + response.status);
      }
      return response.json();
    });
  }

  // --- The side panel --------------------------------------------------------------------------

  var panel = document.getElementById("map-panel");
  var panelHeading = document.getElementById("map-panel-heading");
  var panelCount = document.getElementById("map-panel-count");
  var panelList = document.getElementById("map-panel-actions");
  var panelClose = document.getElementById("map-panel-close");
  var initialHeading = panelHeading ? panelHeading.textContent : "";
  var initialCount = panelCount ? panelCount.textContent : "";

  function withCountry(url, code) {
    return url + (url.indexOf("?") === -1 ? "?" : "&") + "country=" + encodeURIComponent(code);
  }

  function listActions(code, found) {
    if (panel.dataset.iso2 !== code) {
      return; // another country was selected meanwhile
    }
    panelList.textContent = "";
    (found.actions || []).forEach(function (action) {
      var item = el("li", "mb-2");
      var link = el("a", "fw-semibold", action.name);
      link.href = action.url;
      item.appendChild(link);
      if (action.regional) {
        item.appendChild(document.createTextNode(" "));
        item.appendChild(el("span", "badge text-bg-light border", text("regional")));
      }
      if (action.title) {
        item.appendChild(el("div", "small", action.title));
      }
      panelList.appendChild(item);
    });
    if (found.total > (found.actions || []).length && found.catalogue_url) {
      var more = el("a", "small", text("more").replace("{n}", found.total.toLocaleString(lang)));
      more.href = found.catalogue_url;
      panelList.appendChild(el("li")).appendChild(more);
    }
    panel.dataset.loaded = code;
  }

  function showCountry(code, name, entry) {
    if (!panel) {
      return;
    }
    panel.dataset.iso2 = code || "";
    delete panel.dataset.loaded;
    panelHeading.textContent = name;
    panelCount.textContent = actionsLabel(entry ? entry.count : 0);
    panelList.textContent = "";
    panelClose.hidden = false;
    if (entry && entry.count) {
      fetchJson(withCountry(data.url, code)).then(function (found) {
        listActions(code, found);
      }).catch(failed);
    }
  }

  function clearPanel() {
    if (!panel) {
      return;
    }
    delete panel.dataset.iso2;
    panelHeading.textContent = initialHeading;
    panelCount.textContent = initialCount;
    panelList.textContent = "";
    panelClose.hidden = true;
  }

  // --- The map ---------------------------------------------------------------------------------

  function failed(error) {
    element.dataset.state = "error";
    var message = el("p", "alert alert-warning m-3", text("error"));
    message.setAttribute("role", "alert");
    element.textContent = "";
    element.appendChild(message);
    if (window.console) {
      console.error(error);
    }
  }

  function draw(shapes, figures) {
    var byCode = {};
    (figures.countries || []).forEach(function (entry) {
      byCode[entry.code] = entry;
    });
    var max = figures.max || 0;
    (figures.countries || []).forEach(function (entry) {
      max = Math.max(max, entry.count || 0);
    });
    var classes = shadingClasses(max);

    var map = L.map(element, {
      zoomSnap: 0.25,
      minZoom: 1,
      maxZoom: 8,
      maxBounds: [[-75, -260], [88, 260]],
      worldCopyJump: false,
      zoomControl: false, // added below with the page's language for its buttons' names
    });
    L.control.zoom({ zoomInTitle: text("zoomIn"), zoomOutTitle: text("zoomOut") }).addTo(map);
    element.style.background = "#f4f8fb"; // the sea: no tiles, so a plain colour
    map.attributionControl.addAttribution(text("attribution"));

    var selected = null;
    var layersByCode = {};

    function baseStyle(feature) {
      var entry = byCode[feature.properties.iso2];
      return {
        fillColor: colourFor(entry ? entry.count : 0, classes),
        fillOpacity: 1,
        color: BORDER,
        weight: 0.6,
        opacity: 1,
      };
    }

    function select(layer) {
      if (selected) {
        countries.resetStyle(selected);
      }
      selected = layer;
      if (layer) {
        layer.setStyle({ color: SELECTED_BORDER, weight: 2.5 });
        layer.bringToFront();
        var code = layer.feature.properties.iso2;
        showCountry(code, countryName(code, layer.feature, byCode[code]), byCode[code]);
      } else {
        clearPanel();
      }
    }

    var countries = L.geoJSON(shapes, {
      style: baseStyle,
      onEachFeature: function (feature, layer) {
        var code = feature.properties.iso2;
        var entry = byCode[code];
        if (code) {
          (layersByCode[code] = layersByCode[code] || []).push(layer);
        }
        layer.bindTooltip(countryName(code, feature, entry) + " · " + actionsLabel(entry ? entry.count : 0), {
          sticky: true,
        });
        layer.on("click", function () {
          select(layer);
        });
        // The path exists once the layer is on the map (the map waits for its first view to add it).
        layer.on("add", function () {
          var path = layer.getElement();
          if (path && code) {
            path.setAttribute("data-iso2", code);
            path.classList.add("country-" + code);
            if (entry) {
              path.setAttribute("data-count", String(entry.count));
            }
          }
        });
      },
    }).addTo(map);

    // The legend: the number ranges, each with its colour, and the colour of "no Action".
    var legend = L.control({ position: "topright" });
    legend.onAdd = function () {
      var box = el("div", "leaflet-control bg-white border rounded p-2 small shadow-sm");
      box.id = "map-legend";
      box.appendChild(el("div", "fw-semibold mb-1", text("legend")));
      var list = el("ul", "list-unstyled mb-0");
      var rows = classes.map(function (cls) {
        return { color: cls.color, label: cls.from === cls.to ? String(cls.from) : cls.from + "–" + cls.to };
      });
      rows.unshift({ color: NO_ACTION, label: text("none") });
      rows.forEach(function (row) {
        var item = el("li", "d-flex align-items-center gap-2");
        var swatch = el("span");
        swatch.setAttribute("aria-hidden", "true");
        swatch.style.display = "inline-block";
        swatch.style.width = "1.1em";
        swatch.style.height = "0.9em";
        swatch.style.background = row.color;
        swatch.style.border = "1px solid " + BORDER;
        item.appendChild(swatch);
        item.appendChild(el("span", null, row.label));
        list.appendChild(item);
      });
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
      return box;
    };
    legend.addTo(map);

    // Show the countries with Actions, or the world when there is none.
    var bounds = L.latLngBounds([]);
    Object.keys(byCode).forEach(function (code) {
      (layersByCode[code] || []).forEach(function (layer) {
        bounds.extend(layer.getBounds());
      });
    });
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.15), { maxZoom: 5 });
    } else {
      map.fitBounds(WORLD);
    }

    if (panelClose) {
      panelClose.addEventListener("click", function () {
        select(null);
        element.focus();
      });
    }

    // The list under the map: a button per country that selects it on the map (for keyboards too).
    document.querySelectorAll("#map-list tr[data-iso2]").forEach(function (row) {
      var code = row.getAttribute("data-iso2");
      var layers = layersByCode[code];
      var cell = row.querySelector("th");
      if (!layers || !cell) {
        return;
      }
      var button = el("button", "btn btn-link btn-sm p-0 ms-2 align-baseline", text("show"));
      button.type = "button";
      button.setAttribute("aria-controls", "map-panel");
      button.addEventListener("click", function () {
        select(layers[0]);
        map.fitBounds(layers[0].getBounds(), { maxZoom: 5 });
        element.scrollIntoView({ block: "nearest" });
        panel.focus();
      });
      cell.appendChild(button);
    });

    element.dataset.state = "ready";
  }

  var section = document.getElementById("map-section");
  if (section) {
    section.hidden = false; // shown only when the script runs; the list below works without it
  }
  Promise.all([fetchJson(data.shapes), fetchJson(data.url)])
    .then(function (results) {
      draw(results[0], results[1]);
    })
    .catch(failed);
})();
