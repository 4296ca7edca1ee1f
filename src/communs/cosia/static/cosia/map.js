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

  function overlaySource() {
    return { type: "raster", tiles: [tileUrl()], tileSize: 256, minzoom: config.minzoom, maxzoom: config.maxzoom,
             attribution: "CoSIA © IGN — Licence Ouverte 2.0" };
  }
  function overlayLayer(opacity) {
    return { id: "cosia", type: "raster", source: "cosia",
             paint: { "raster-opacity": opacity, "raster-resampling": "nearest", "raster-fade-duration": 0 } };
  }

  var style = {
    version: 8,
    sources: {
      basemap: { type: "raster", tiles: [config.basemap], tileSize: 256, maxzoom: 19,
                 attribution: "Fond : IGN Géoplateforme (Plan IGN)" },
      cosia: overlaySource()
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#f6f6f6" } },
      { id: "basemap", type: "raster", source: "basemap" },
      overlayLayer(0.8)
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

  // A tile that fails (server error, or the base map offline) must not break the page: the base
  // map is optional and stays silent; a failed CoSIA tile is said in a status line under the map.
  var tileErrors = document.getElementById("cosia-tile-errors");
  map.on("error", function (event) {
    if (event.sourceId !== "cosia" || !tileErrors) { return; }
    tileErrors.textContent = "Certaines tuiles CoSIA n'ont pas pu être chargées ; les statistiques restent exactes.";
    tileErrors.hidden = false;
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
    // The overlay is rebuilt rather than `setTiles()`: MapLibre 5.24 crashes its renderer when
    // setTiles() reloads a source holding a failed tile (maplibre-gl-js issue #7775).
    box.addEventListener("change", function () {
      var opacity = map.getPaintProperty("cosia", "raster-opacity");
      map.removeLayer("cosia");
      map.removeSource("cosia");
      map.addSource("cosia", overlaySource());
      map.addLayer(overlayLayer(opacity), map.getLayer("territory") ? "territory" : undefined);
    });
  });
})();
