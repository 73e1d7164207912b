"""JavaScript and CSS that the map page carries: popups, highlighting and the Qt bridge."""

from __future__ import annotations

# Defined in the page header, before any layer is created: layers call casedeskBindFeature
# for every feature. All text reaches the page as JSON data and is escaped here before it is
# put into tooltips and popups, so names and titles never become markup.
HEADER_SCRIPT = r"""
<script>
window.casedeskLayers = [];
window.casedeskBridge = null;
function casedeskEscape(value) {
  return String(value === undefined || value === null ? "" : value).replace(
    /[&<>"'`=\/$\\]/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
}
function casedeskPopup(p) {
  var docs = (p.documents || []).slice(0, 10).map(function (t) {
    return "<li>" + casedeskEscape(t) + "</li>"; }).join("");
  var more = (p.documents || []).length > 10 ?
    "<li>+ " + ((p.documents || []).length - 10) + "</li>" : "";
  return "<div class='casedesk-popup'><b>" + casedeskEscape(p.name) + "</b> <i>" +
    casedeskEscape(p.kind_label) + "</i><br>" + casedeskEscape(p.count_label) +
    (docs || more ? "<ul>" + docs + more + "</ul>" : "") + "</div>";
}
function casedeskBindFeature(feature, layer) {
  var p = feature.properties || {};
  if (!p.entity_ids) { return; }
  window.casedeskLayers.push(layer);
  layer.bindTooltip(casedeskEscape(p.name) + " (" + casedeskEscape(p.count) + ")");
  // A capped height scrolls a long list of documents instead of pushing the popup out of a
  // small dock; auto-panning keeps its top inside the view.
  layer.bindPopup(casedeskPopup(p), {maxHeight: 180, maxWidth: 260, autoPan: true,
                                     autoPanPadding: [12, 12]});
  layer.on("click", function (e) {
    L.DomEvent.stopPropagation(e);
    if (window.casedeskBridge) { window.casedeskBridge.placeClicked(p.entity_ids[0]); }
  });
}
</script>
"""

# Rendered after the layers; MAP is replaced with the folium map variable.
BODY_SCRIPT = r"""
(function () {
  var map = MAP;
  function restyle(layer, extra) {
    var style = Object.assign({}, layer.feature.properties.style || {}, extra || {});
    if (typeof layer.setStyle === "function") { layer.setStyle(style); }
  }
  function fitTo(layers) {
    if (!layers.length) { return; }
    var bounds = L.featureGroup(layers).getBounds();
    if (bounds.isValid()) { map.fitBounds(bounds, {maxZoom: 7, padding: [30, 30]}); }
  }
  function layersOf(entityIds) {
    var wanted = {};
    (entityIds || []).forEach(function (id) { wanted[String(id)] = true; });
    return window.casedeskLayers.filter(function (layer) {
      return (layer.feature.properties.entity_ids || []).some(function (id) {
        return wanted[String(id)]; });
    });
  }
  // A document's places: zoom to them, every shape in its own style (no outline: a thick
  // outline on every shape hid the shading and showed polygon seams).
  window.casedeskFocus = function (entityIds) {
    window.casedeskLayers.forEach(function (layer) { restyle(layer, null); });
    var hits = layersOf(entityIds);
    fitTo(hits);
    return hits.length;
  };
  // One selected entity: outlined, in front.
  window.casedeskHighlight = function (entityIds) {
    var wanted = {};
    (entityIds || []).forEach(function (id) { wanted[String(id)] = true; });
    var hits = [];
    window.casedeskLayers.forEach(function (layer) {
      var ids = layer.feature.properties.entity_ids || [];
      var hit = ids.some(function (id) { return wanted[String(id)]; });
      restyle(layer, hit ? {color: "#d0006f", weight: 2.5, opacity: 1} : null);
      if (hit) { hits.push(layer); if (layer.bringToFront) { layer.bringToFront(); } }
    });
    if (hits.length) {
      var bounds = L.featureGroup(hits).getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, {maxZoom: 7, padding: [30, 30]}); }
    }
    return hits.length;
  };
  map.on("click", function (e) {
    if (window.casedeskBridge) { window.casedeskBridge.mapClicked(e.latlng.lat, e.latlng.lng); }
  });
  if (typeof qt !== "undefined" && qt.webChannelTransport) {
    var script = document.createElement("script");
    script.src = "qrc:///qtwebchannel/qwebchannel.js";
    script.onload = function () {
      new QWebChannel(qt.webChannelTransport, function (channel) {
        window.casedeskBridge = channel.objects.bridge;
      });
    };
    document.head.appendChild(script);
  }
})();
"""

STYLE = """
<style>
  html, body { margin: 0; padding: 0; }
  html body .leaflet-container { background: SEA; }
  .casedesk-popup ul { margin: 4px 0 0 0; padding-left: 16px; }
  .leaflet-container .leaflet-control-attribution { font-size: 9px; line-height: 1.3;
    max-width: 55%; white-space: normal; }
  .leaflet-control-scale { margin-bottom: 18px; }
</style>
"""
