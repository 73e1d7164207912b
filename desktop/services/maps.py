"""The case map: which places to draw, building the page, and the analyst's place corrections."""

from __future__ import annotations

import base64
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from shapely import clip_by_rect  # type: ignore[import-untyped]
from shapely.geometry import box, shape  # type: ignore[import-untyped]
from shapely.geometry.base import BaseGeometry  # type: ignore[import-untyped]
from sqlalchemy import func, select

from db.models import Document, Entity, Mention, Place, PlaceCandidate
from desktop.geo.gazetteer import Gazetteer
from desktop.geo.map_builder import (
    DATA_ATTRIBUTION,
    LAND_STYLE,
    RAMP,
    SEA_COLOUR,
    MapPlace,
    build_map,
)
from desktop.geo.tiles import TILE_ATTRIBUTION, TileStore, locate_basemap, parse_tile_path
from desktop.io.export_csv import Selection
from desktop.paths import geo_dir
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.entity_linking import place_row

POLYGON_KINDS = ("country", "admin1")
SVG_WIDTH = 1000
SVG_LABELS = 12
SVG_MIN_ASPECT = 0.45


@dataclass(frozen=True)
class PlaceChoice:
    """One candidate place of an entity, for the analyst to pick from."""

    place_id: int
    gazetteer_id: str
    name: str
    kind: str
    country_code: str | None
    score: float
    reason: str | None
    chosen: bool


def map_places(case: Case, document_id: int | None = None) -> list[MapPlace]:
    """Places of the case (or of one document) with mention counts and document titles.

    Rejected mentions and entities marked as false positives are not drawn.
    """
    live = (Mention.status != "rejected") & (Entity.false_positive.is_(False))
    where = live if document_id is None else live & (Mention.document_id == document_id)
    stmt = (
        select(Entity.id, Entity.canonical_name, Place, Document.title, func.count(Mention.id))
        .join(Mention, Mention.entity_id == Entity.id)
        .join(Place, Entity.place_id == Place.id)
        .join(Document, Document.id == Mention.document_id)
        .where(where)
        .group_by(Entity.id, Document.id)
    )
    counts: dict[int, int] = defaultdict(int)
    titles: dict[int, list[str]] = defaultdict(list)
    info: dict[int, tuple[str, Place]] = {}
    with case.reading() as session:
        for entity_id, name, place, title, n in session.execute(stmt):
            counts[entity_id] += n
            titles[entity_id].append(title)
            info[entity_id] = (name, place)
    return [
        MapPlace(
            entity_id=entity_id, place_id=place.gazetteer_id, kind=place.kind, name=name,
            lat=place.lat or 0.0, lon=place.lon or 0.0, count=counts[entity_id],
            documents=sorted(titles[entity_id]),
        )
        for entity_id, (name, place) in sorted(info.items())
    ]


def build_case_map(
    case: Case, gazetteer: Gazetteer, out_dir: Path, *, tile_url: str | None,
    document_id: int | None = None,
) -> Path:
    """Write the map page of the case (or one document) into ``out_dir``; return its path."""
    places = map_places(case, document_id)
    return build_map(places, Path(out_dir), gazetteer, tile_url=tile_url or None,
                     attribution=TILE_ATTRIBUTION)


def shipped_gazetteer() -> Gazetteer:
    """Return a gazetteer over the shipped geography (read lazily, on first use)."""
    return Gazetteer(geo_dir())


def selection_places(selection: Selection) -> list[MapPlace]:
    """The places an export's findings mention, as the map draws them.

    Like ``map_places``: only selected (never rejected) mentions count, and entities marked
    as false positives are not drawn.
    """
    titles = {d["id"]: d["title"] for d in selection.documents}
    counts = selection.mention_counts()
    documents = selection.documents_of()
    found = []
    for entity in selection.real_entities():
        place = selection.places.get(entity["place_id"])
        if not place:
            continue
        found.append(MapPlace(
            entity_id=entity["id"], place_id=place["gazetteer_id"], kind=place["kind"],
            name=entity["canonical_name"], lat=place.get("lat") or 0.0,
            lon=place.get("lon") or 0.0, count=counts.get(entity["id"], 0),
            documents=sorted(titles[d] or "" for d in documents.get(entity["id"], [])),
        ))
    return found


def build_offline_map(places: list[MapPlace], gazetteer: Gazetteer, out_dir: Path) -> Path:
    """Write a map page that works from any folder with no network (no tiles); return it.

    The page and its local Leaflet/jQuery copies (``assets/``) are written into ``out_dir``.
    """
    return build_map(places, Path(out_dir), gazetteer, tile_url=None, attribution="")


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


def place_choices(case: Case, entity_id: int) -> list[PlaceChoice]:
    """The ranked alternatives stored for an entity, marking the one in use."""
    with case.reading() as session:
        entity = session.get(Entity, entity_id)
        if entity is None:
            return []
        rows = session.execute(
            select(PlaceCandidate, Place).join(Place, Place.id == PlaceCandidate.place_id)
            .where(PlaceCandidate.entity_id == entity_id).order_by(PlaceCandidate.rank)
        )
        return [
            PlaceChoice(p.id, p.gazetteer_id, p.name, p.kind, p.country_code, c.score, c.reason,
                        p.id == entity.place_id)
            for c, p in rows
        ]


def _place_dict(place: Place | None) -> dict | None:
    if place is None:
        return None
    return {"gazetteer_id": place.gazetteer_id, "name": place.name, "kind": place.kind,
            "lat": place.lat, "lon": place.lon}


def choose_place(case: Case, entity_id: int, gazetteer_id: str, gazetteer: Gazetteer) -> None:
    """Give an entity another gazetteer place; saved and audited at once."""
    place = gazetteer.place(gazetteer_id)
    if place is None:
        raise ValueError(f"unknown place {gazetteer_id}")
    with case.transaction() as session:
        entity = session.get(Entity, entity_id)
        if entity is None:
            raise ValueError(f"entity {entity_id} no longer exists")
        before = _place_dict(entity.place)
        row = place_row(session, place)
        entity.place_id = row.id
        session.flush()
        audit.record(session, case.actor, "choose_place", "entity", entity_id,
                     before={"place": before}, after={"place": _place_dict(row)})


def pin_place(case: Case, entity_id: int, lat: float, lon: float) -> None:
    """Pin an entity to a point the analyst clicked on the map; saved and audited at once."""
    with case.transaction() as session:
        entity = session.get(Entity, entity_id)
        if entity is None:
            raise ValueError(f"entity {entity_id} no longer exists")
        before = _place_dict(entity.place)
        key = f"pin:{lat:.5f},{lon:.5f}"
        row = session.scalar(select(Place).where(Place.gazetteer_id == key))
        if row is None:
            row = Place(gazetteer_id=key, kind="point", name=entity.canonical_name,
                        country_code=None, lat=lat, lon=lon)
            session.add(row)
            session.flush()
        entity.place_id = row.id
        session.flush()
        audit.record(session, case.actor, "pin_place", "entity", entity_id,
                     before={"place": before}, after={"place": _place_dict(row)})


def open_basemap() -> TileStore | None:
    """Open the offline OpenStreetMap tiles, or None when the basemap is not installed."""
    path = locate_basemap()
    return TileStore(path) if path else None


def tile_coords(path: str) -> tuple[int, int, int] | None:
    """(z, x, y) of a tile request path, or None."""
    return parse_tile_path(path)
