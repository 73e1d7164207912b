"""A static SVG map of places (for the HTML report), drawn without Qt or a browser."""

from __future__ import annotations

import base64
import math
from collections import defaultdict
from xml.sax.saxutils import escape

from shapely import clip_by_rect  # type: ignore[import-untyped]
from shapely.geometry import box, shape  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]

from desktop.geo.gazetteer import Gazetteer
from desktop.geo.map_builder import DATA_ATTRIBUTION, LAND_STYLE, RAMP, SEA_COLOUR, MapPlace

POLYGON_KINDS = ("country", "admin1")
SVG_WIDTH = 1000
SVG_LABELS = 12
SVG_MIN_ASPECT = 0.45


def map_image(places: list[MapPlace], gazetteer: Gazetteer) -> str | None:
    """Return a static map of the places as an SVG data URI, or None when there is no place.

    Drawn without Qt or a browser, for the HTML report: the countries around the places,
    countries and regions shaded by mention count, cities as circles sized by it, and the
    names of the most mentioned places.
    """
    shapes = _place_shapes(places, gazetteer)
    if not shapes:
        return None
    frame = _Frame(shapes)
    parts = [f'<rect width="{frame.width}" height="{frame.height}" fill="{SEA_COLOUR}"/>']
    for feature in gazetteer.feature_collection("country")["features"]:
        path = frame.path(shape(feature["geometry"]))
        if path:
            parts.append(f'<path d="{path}" fill="{LAND_STYLE["fillColor"]}" '
                         f'stroke="{LAND_STYLE["color"]}" stroke-width="0.6"/>')
    top = max(count for _, _, count, _ in shapes)
    for _name, geom, count, is_point in sorted(shapes, key=lambda item: item[3]):
        parts.append(frame.mark(geom, _colour(count, top), count, is_point))
    for name, geom, _count, _ in sorted(shapes, key=lambda item: -item[2])[:SVG_LABELS]:
        parts.append(frame.label(geom, name))
    parts.append(f'<text x="{frame.width - 4}" y="{frame.height - 4}" text-anchor="end" '
                 f'font-size="10" fill="#444">{escape(DATA_ATTRIBUTION)}</text>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {frame.width} {frame.height}" '
           f'font-family="DejaVu Sans, Arial, sans-serif">{"".join(parts)}</svg>')
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _place_shapes(
    places: list[MapPlace], gazetteer: Gazetteer
) -> list[tuple[str, BaseGeometry, int, bool]]:
    """(name, geometry, mention count, is a point) per place, entities of one place merged."""
    groups: dict[str, list[MapPlace]] = defaultdict(list)
    for place in places:
        groups[place.place_id or f"entity:{place.entity_id}"].append(place)
    shapes = []
    for key, group in groups.items():
        first = max(group, key=lambda p: p.count)
        geometry = gazetteer.geometry(key) if first.kind in POLYGON_KINDS else None
        if geometry is not None:
            geom, is_point = shape(geometry), False
        elif first.lat or first.lon:
            geom, is_point = shape({"type": "Point", "coordinates": [first.lon, first.lat]}), True
        else:
            continue
        name = " / ".join(dict.fromkeys(p.name for p in group))
        shapes.append((name, geom, sum(p.count for p in group), is_point))
    return shapes


def _colour(count: int, top: int) -> str:
    return RAMP[min(len(RAMP) - 1, int(len(RAMP) * math.log1p(count) / math.log1p(top + 1)))]


class _Frame:
    """The part of the world an SVG map shows, and the projection into its pixels."""

    def __init__(self, shapes: list[tuple[str, BaseGeometry, int, bool]]) -> None:
        boxes = [_extent(geom) for _, geom, _, _ in shapes]
        west, south = min(b[0] for b in boxes), min(b[1] for b in boxes)
        east, north = max(b[2] for b in boxes), max(b[3] for b in boxes)
        pad_x, pad_y = max(4.0, (east - west) * 0.15), max(3.0, (north - south) * 0.15)
        self.west, self.east = max(-180.0, west - pad_x), min(180.0, east + pad_x)
        south, north = south - pad_y, north + pad_y
        self.squeeze = math.cos(math.radians(max(-60.0, min(60.0, (north + south) / 2))))
        self.scale = SVG_WIDTH / ((self.east - self.west) * self.squeeze)
        # A wide, flat extent (New York to Tokyo) is widened north and south to a sane shape.
        grow = max(0.0, SVG_MIN_ASPECT * SVG_WIDTH / self.scale - (north - south)) / 2
        self.south, self.north = max(-85.0, south - grow), min(85.0, north + grow)
        self.width = SVG_WIDTH
        self.height = round((self.north - self.south) * self.scale)
        self.window = box(self.west, self.south, self.east, self.north)
        self.tolerance = (self.east - self.west) / SVG_WIDTH

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a point."""
        return (lon - self.west) * self.squeeze * self.scale, (self.north - lat) * self.scale

    def path(self, geom: BaseGeometry) -> str:
        """SVG path data of the part of a polygon inside the frame ("" when outside)."""
        if not geom.intersects(self.window):
            return ""
        # clip_by_rect, unlike intersection, copes with the few invalid Natural Earth shapes.
        clipped = clip_by_rect(geom, self.west, self.south, self.east, self.north)
        clipped = clipped.simplify(self.tolerance)
        polygons = getattr(clipped, "geoms", [clipped])
        rings = [ring for poly in polygons if poly.geom_type == "Polygon"
                 for ring in (poly.exterior, *poly.interiors)]
        return " ".join(
            "M" + " L".join("{:.1f} {:.1f}".format(*self.xy(x, y)) for x, y in ring.coords) + "Z"
            for ring in rings
        )

    def mark(self, geom: BaseGeometry, colour: str, count: int, is_point: bool) -> str:
        """A shaded polygon or a circle sized by the mention count."""
        if not is_point:
            return (f'<path d="{self.path(geom)}" fill="{colour}" fill-opacity="0.6" '
                    'stroke="#7a0019" stroke-width="1"/>')
        x, y = self.xy(geom.x, geom.y)
        radius = min(18.0, 5.0 + 3.0 * math.log2(max(count, 1)))
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" '
                'fill-opacity="0.9" stroke="#7a0019" stroke-width="1"/>')

    def label(self, geom: BaseGeometry, name: str) -> str:
        """The place's name next to its mark, with a white halo so it reads on any colour."""
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        x, y = self.xy(point.x, point.y)
        at = f'x="{x + 8:.1f}" y="{y + 4:.1f}" font-size="13"'
        # The halo is a separate text under the name: not every renderer knows paint-order.
        return (f'<text {at} fill="#fff" stroke="#fff" stroke-width="3">{escape(name)}</text>'
                f'<text {at} fill="#111">{escape(name)}</text>')


def _extent(geom: BaseGeometry) -> tuple[float, float, float, float]:
    """(west, south, east, north); a shape around the antimeridian gives a point instead."""
    west, south, east, north = geom.bounds
    if east - west > 180:
        point = geom.representative_point()
        return point.x, point.y, point.x, point.y
    return west, south, east, north
