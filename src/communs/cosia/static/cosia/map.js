/* CoSIA map: MapLibre (CSP build, worker served from /static/), the CoSIA raster overlay from this
   site, an optional IGN Géoplateforme base map, an opacity slider and class toggles.
   The overlay needs no network beyond this site: without the base map it still shows. */
(function () {
  "use strict";
  var container = document.getElementById("cosia-map");
  var configNode = document.getElementById("cosia-map-config");
  if (!container || !configNode || typeof maplibregl === "undefined") { return; }
  var config = JSON.parse(configNode.textContent);
  maplibregl.setWorkerUrl(config.worker);

  function hiddenClasses() {
    var hidden = [];
    document.querySelectorAll("[data-class-toggle]").forEach(function (box) {
      if (!box.checked) { hidden.push(box.value); }
    });
    return hidden;
  }
  function tileUrl() {
    var hidden = hiddenClasses();
    return config.tiles + (hidden.length ? "?masquer=" + hidden.join(",") : "");
  }

  var style = {
    version: 8,
    sources: {
      basemap: { type: "raster", tiles: [config.basemap], tileSize: 256, maxzoom: 19,
                 attribution: "Fond : IGN Géoplateforme (Plan IGN)" },
      cosia: { type: "raster", tiles: [tileUrl()], tileSize: 256, minzoom: config.minzoom, maxzoom: config.maxzoom,
               attribution: "CoSIA © IGN — Licence Ouverte 2.0" }
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f6f6f6" } },
      { id: "basemap", type: "raster", source: "basemap" },
      { id: "cosia", type: "raster", source: "cosia",
        paint: { "raster-opacity": 0.8, "raster-resampling": "nearest", "raster-fade-duration": 0 } }
    ]
  };
  if (config.territory) {
    // Part of the initial style: drawn even when the base map is unreachable (offline).
    style.sources.territory = { type: "geojson", data: { type: "Feature", properties: {}, geometry: config.territory } };
    style.layers.push({ id: "territory", type: "line", source: "territory",
                        paint: { "line-color": "#000091", "line-width": 2.5 } });
  }
  var map = new maplibregl.Map({
    container: container, style: style, center: [2.5, 46.6], zoom: 5, maxZoom: config.maxzoom,
    attributionControl: { compact: false }
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: "metric" }));

  var bounds = null;
  if (config.territory) {
    bounds = new maplibregl.LngLatBounds();
    var walk = function (coords) {
      if (typeof coords[0] === "number") { bounds.extend(coords); } else { coords.forEach(walk); }
    };
    walk(config.territory.coordinates);
  } else if (config.extent) {
    bounds = new maplibregl.LngLatBounds([config.extent[0], config.extent[1]], [config.extent[2], config.extent[3]]);
  }
  if (bounds) { map.fitBounds(bounds, { padding: 30, duration: 0, maxZoom: 18 }); }

  map.on("style.load", function () { container.dataset.ready = "true"; });
  // Tiles from this site are what the page is about: mark when the first ones arrived (tests read it).
  map.on("sourcedata", function (event) {
    if (event.sourceId === "cosia" && event.isSourceLoaded) { container.dataset.cosiaTiles = "loaded"; }
  });

  var opacity = document.getElementById("cosia-opacity");
  if (opacity) {
    opacity.addEventListener("input", function () {
      map.setPaintProperty("cosia", "raster-opacity", Number(opacity.value) / 100);
    });
  }
  var basemap = document.getElementById("cosia-basemap");
  if (basemap) {
    basemap.addEventListener("change", function () {
      map.setLayoutProperty("basemap", "visibility", basemap.checked ? "visible" : "none");
    });
  }
  document.querySelectorAll("[data-class-toggle]").forEach(function (box) {
    box.addEventListener("change", function () { map.getSource("cosia").setTiles([tileUrl()]); });
  });
})();
