"""The case map: which places to draw, building the page, and the analyst's place corrections."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from db.models import Document, Entity, Mention, Place, PlaceCandidate
from desktop.dto import AuditAction
from desktop.geo.gazetteer import Gazetteer
from desktop.geo.map_builder import (
    MapPlace,
    build_map,
)
from desktop.geo.static_map import map_image
from desktop.geo.tiles import TILE_ATTRIBUTION, TileStore, locate_basemap, parse_tile_path
from desktop.io.export_csv import Selection
from desktop.paths import geo_dir
from desktop.services import audit
from desktop.services.case import Case
from desktop.services.entity_linking import place_row

__all__ = ["map_image"]  # the report draws its static map through this service


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
        audit.record(session, case.actor, AuditAction.CHOOSE_PLACE, "entity", entity_id,
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
