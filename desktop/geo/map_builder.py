"""Write the offline map page (folium, local Leaflet) for the places mentioned in a case."""

from __future__ import annotations

import html
import json
import math
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from desktop.geo.gazetteer import Gazetteer
from desktop.geo.map_script import BODY_SCRIPT, HEADER_SCRIPT, STYLE

SEA_COLOUR = "#aad3df"
LAND_STYLE = {"color": "#9a9a9a", "weight": 0.6, "fillColor": "#f2efe9", "fillOpacity": 1.0}
# Colour ramp for mention counts, light to dark (ColorBrewer YlOrRd, 5 classes).
RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
DATA_ATTRIBUTION = "Natural Earth; GeoNames (CC BY 4.0)"
KIND_LABELS = {"country": "country", "admin1": "region", "city": "city"}
_REMOTE = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", re.I)


@dataclass(frozen=True, slots=True)
class MapPlace:
    """One resolved place entity to show on the map.

    Attributes:
        entity_id: Id of the entity in the case file (sent back when it is clicked).
        place_id: Gazetteer id ("ne0:RUS", "ne1:RU-KRS", "gn:524901"); may be "" for a pin.
        kind: "country", "admin1" or "city" (anything else is drawn as a point).
        name: Name to show.
        lat: Latitude of the point (used when there is no polygon).
        lon: Longitude of the point.
        count: Number of mentions.
        documents: Titles of the documents that mention it.
    """

    entity_id: int
    place_id: str
    kind: str
    name: str
    lat: float
    lon: float
    count: int = 1
    documents: list[str] = field(default_factory=list)


def build_map(
    places: list[MapPlace],
    out_dir: Path,
    gazetteer: Gazetteer,
    *,
    tile_url: str | None,
    attribution: str,
) -> Path:
    """Write ``out_dir/map.html`` and its local Leaflet/jQuery copies under ``out_dir/assets``.

    Countries and regions are shaded by mention count, cities are circle markers sized by it.
    A vector country layer lies under everything on a sea-coloured background; raster tiles
    (``tile_url``, e.g. a custom-scheme URL with {z}/{x}/{y}) go above it when given.

    Args:
        places: The places to show; several entities may share one place.
        out_dir: Folder to write into (created if missing).
        gazetteer: Source of the polygons.
        tile_url: Tile URL template, or None for the vector map only.
        attribution: Attribution text of the tiles, shown as text.

    Returns:
        The path of map.html.

    Raises:
        RuntimeError: If the page would load a script or stylesheet from the network.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    copy_assets(out_dir / "assets")
    fmap = _new_map()
    _add_base_layer(fmap, gazetteer)
    if tile_url:
        _add_tiles(fmap, tile_url, attribution)
    layers = _mention_layers(places, gazetteer)
    for title, features in layers.items():
        if features:
            _add_mentions(fmap, title, features)
    folium.LayerControl(collapsed=True).add_to(fmap)
    _fit(fmap, [feat for features in layers.values() for feat in features])
    fmap.add_child(_Hooks())
    path = out_dir / "map.html"
    fmap.save(str(path))
    check_offline(path.read_text(encoding="utf-8"))
    return path


def _add_tiles(fmap: folium.Map, tile_url: str, attribution: str) -> None:
    """Raster tiles above the vector base; zoom levels past the stored ones are scaled up."""
    folium.TileLayer(
        tiles=tile_url,
        attr=html.escape(attribution),
        name="Basemap (tiles)",
        overlay=True,
        control=True,
        max_native_zoom=6,
        max_zoom=12,
        min_zoom=1,
    ).add_to(fmap)


def copy_assets(assets: Path) -> None:
    """Copy Leaflet (with its images) and jQuery from the xstatic packages into ``assets``."""
    import xstatic.pkg.jquery as jquery
    import xstatic.pkg.leaflet as leaflet

    assets.mkdir(parents=True, exist_ok=True)
    for name in ("leaflet.js", "leaflet.css"):
        shutil.copyfile(Path(leaflet.BASE_DIR) / name, assets / name)
    shutil.copytree(Path(leaflet.BASE_DIR) / "images", assets / "images", dirs_exist_ok=True)
    shutil.copyfile(Path(jquery.BASE_DIR) / "jquery.min.js", assets / "jquery.min.js")


def check_offline(page: str) -> None:
    """Raise RuntimeError when ``page`` loads a script or stylesheet over http(s) or "//"."""
    match = _REMOTE.search(page)
    if match:
        raise RuntimeError(f"map page would load a remote resource: {match.group(0)}")


def _new_map() -> folium.Map:
    fmap = folium.Map(
        location=[30, 10],
        zoom_start=2,
        tiles=None,
        min_zoom=1,
        max_zoom=12,
        world_copy_jump=True,
        control_scale=True,
        prefer_canvas=False,
    )
    # Instance attributes shadow folium's CDN lists (its class lists must not be mutated).
    fmap.default_js = [("leaflet", "assets/leaflet.js"), ("jquery", "assets/jquery.min.js")]
    fmap.default_css = [("leaflet_css", "assets/leaflet.css")]
    root = fmap.get_root()
    assert isinstance(root, Figure)  # a folium map's root is the page
    root.header.add_child(Element(STYLE.replace("SEA", SEA_COLOUR)), name="casedesk_style")
    root.header.add_child(Element(HEADER_SCRIPT), name="casedesk_header")
    folium.map.CustomPane("casedeskBase", z_index=150, pointer_events=False).add_to(fmap)
    return fmap


def _add_base_layer(fmap: folium.Map, gazetteer: Gazetteer) -> None:
    countries = gazetteer.feature_collection("country")
    for feat in countries["features"]:
        feat["properties"] = {"style": LAND_STYLE}
    folium.GeoJson(
        countries,
        name="Countries (outline)",
        control=False,
        pane="casedeskBase",
        interactive=False,
        smooth_factor=0.5,
    ).add_to(fmap)


def _mention_layers(places: list[MapPlace], gazetteer: Gazetteer) -> dict[str, list[dict]]:
    """GeoJSON features per layer: one feature per place, entities of one place merged."""
    groups: dict[str, list[MapPlace]] = {}
    for place in places:
        key = place.place_id or f"entity:{place.entity_id}"
        groups.setdefault(key, []).append(place)
    top = max((sum(p.count for p in group) for group in groups.values()), default=1)
    layers: dict[str, list[dict]] = {"Countries": [], "Regions": [], "Cities and points": []}
    for key, group in groups.items():
        group.sort(key=lambda p: (-p.count, p.entity_id))
        first = group[0]
        geometry = gazetteer.geometry(key) if first.kind in ("country", "admin1") else None
        props = _properties(group, top, polygon=geometry is not None)
        if geometry is None:
            geometry = {"type": "Point", "coordinates": [first.lon, first.lat]}
        # What to zoom to: a shape around the antimeridian (Russia) gives a point, not the world.
        props["extent"] = list(_extent(geometry))
        if geometry["type"] == "Point":
            layers["Cities and points"].append(_feature(geometry, props))
        else:
            layers["Countries" if first.kind == "country" else "Regions"].append(
                _feature(geometry, props)
            )
    return layers


def _properties(group: list[MapPlace], top: int, polygon: bool) -> dict[str, Any]:
    count = sum(p.count for p in group)
    colour = RAMP[min(len(RAMP) - 1, int(len(RAMP) * math.log1p(count) / math.log1p(top + 1)))]
    documents = list(dict.fromkeys(title for p in group for title in p.documents))
    if polygon:
        style = {
            "color": "#7a0019",
            "weight": 1,
            "fill": True,
            "fillColor": colour,
            "fillOpacity": 0.6,
        }
    else:
        radius = min(18.0, 5.0 + 3.0 * math.log2(max(count, 1)))
        style = {
            "color": "#7a0019",
            "weight": 1,
            "fill": True,
            "fillColor": colour,
            "fillOpacity": 0.9,
            "radius": radius,
        }
    return {
        "entity_ids": [p.entity_id for p in group],
        "place_id": group[0].place_id,
        "name": " / ".join(dict.fromkeys(p.name for p in group)),
        "kind_label": KIND_LABELS.get(group[0].kind, group[0].kind),
        "count": count,
        "count_label": f"{count} mention" + ("" if count == 1 else "s"),
        "documents": documents,
        "style": style,
    }


def _feature(geometry: dict[str, Any], props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _add_mentions(fmap: folium.Map, title: str, features: list[dict]) -> None:
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=title,
        marker=folium.CircleMarker(radius=6),
        on_each_feature=folium.JsCode("casedeskBindFeature"),
    ).add_to(fmap)


def _fit(fmap: folium.Map, features: list[dict]) -> None:
    boxes = [_extent(feat["geometry"]) for feat in features]
    if not boxes:
        return
    south, west = min(b[0] for b in boxes), min(b[1] for b in boxes)
    north, east = max(b[2] for b in boxes), max(b[3] for b in boxes)
    fmap.fit_bounds([[south, west], [north, east]], max_zoom=6, padding=(30, 30))


def _extent(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a feature.

    Shapes that wrap around the antimeridian (Russia, Fiji) give a representative point
    instead, as their box would be the whole world.
    """
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return lat, lon, lat, lon
    from shapely.geometry import shape

    geom = shape(geometry)
    west, south, east, north = geom.bounds
    if east - west > 180:
        point = geom.representative_point()
        return point.y, point.x, point.y, point.x
    return south, west, north, east


class _Hooks(MacroElement):
    """Adds window.casedeskHighlight, map clicks and the QWebChannel bridge to the page."""

    def __init__(self) -> None:
        super().__init__()
        self._name = "CasedeskHooks"
        body = BODY_SCRIPT.replace("MAP", "{{ this._parent.get_name() }}")
        attribution = html.escape(DATA_ATTRIBUTION)
        # A plain-text prefix: Leaflet's own is a link that would leave the offline page.
        body += (
            "{{ this._parent.get_name() }}.attributionControl.setPrefix('Leaflet');\n"
            "{{ this._parent.get_name() }}.attributionControl.addAttribution("
            f"{json.dumps(attribution)});\n"
        )
        self._template = Template("{% macro script(this, kwargs) %}" + body + "{% endmacro %}")
