"""Attach new mentions to case entities: places by gazetteer id, people by name matching."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Entity, EntityMerge, Place
from desktop.geo.gazetteer import Place as GazetteerPlace
from desktop.nlp.canonical import same_person
from desktop.services.entity_keys import (
    KeyIndex,
    entities_with_keys,
    name_key,
    person_lookup_keys,
    refresh_pending,
)

LINKED_LABELS = ("PER", "ORG", "LOC", "MISC")


@dataclass(frozen=True)
class LinkRequest:
    """A new mention's identity: its label, canonical name and (for places) the place chosen."""

    label: str
    canonical: str
    place: GazetteerPlace | None = None


def place_row(session: Session, place: GazetteerPlace) -> Place:
    """Return the case's row for a gazetteer place, creating it on first use."""
    row = session.scalar(select(Place).where(Place.gazetteer_id == place.id))
    if row is None:
        row = Place(
            gazetteer_id=place.id,
            kind=place.kind,
            name=place.name,
            country_code=place.country_code or None,
            lat=place.lat,
            lon=place.lon,
            geonames_id=place.geonames_id or None,
        )
        session.add(row)
        session.flush()
    elif (row.lat, row.lon, row.geonames_id) != (place.lat, place.lon, place.geonames_id or None):
        # A case made with an older gazetteer gets the current point and GeoNames id.
        row.lat, row.lon, row.geonames_id = place.lat, place.lon, place.geonames_id or None
    return row


class EntityLinker:
    """Finds or creates the case entity for each mention within one transaction.

    Candidates come from indexed keys (:mod:`desktop.services.entity_keys`), so a mention is
    compared with the few entities that could share its name, never with the whole case.
    Keys of the entities it creates or renames are stored by :meth:`finish` (until then they
    stay queued, and the next linker stores them).
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        # A place row and the oldest entity of a place do not change while an import writes:
        # kept for the whole session (a batch of documents), not looked up per mention.
        self._places: dict[str, Place] = session.info.setdefault("casedesk_places", {})
        self._place_entities: dict[int, Entity] = session.info.setdefault(
            "casedesk_place_entities", {})
        self._names: dict[str, Entity] = {}
        # People created in this transaction, in order: they are tried after stored ones.
        self._new_people: dict[int, int] = {}
        self.candidates_done: set[int] = set()
        refresh_pending(session)
        self._keys = KeyIndex.of(session)

    def finish(self) -> None:
        """Store the lookup keys of the entities this linker created or renamed."""
        self._keys.write(self.session)

    def place(self, place: GazetteerPlace) -> Place:
        """The case's row for a gazetteer place, looked up once per transaction."""
        row = self._places.get(place.id)
        if row is None:
            row = self._places[place.id] = place_row(self.session, place)
        return row

    def link(self, request: LinkRequest) -> Entity | None:
        """Return the entity the mention belongs to (None for dates and quantities)."""
        if request.label not in LINKED_LABELS or not request.canonical.strip():
            return None
        if request.place is not None:
            return self._by_place(request)
        if request.label == "PER":
            return self._by_person(request)
        return self._by_name(request)

    def _by_place(self, request: LinkRequest) -> Entity:
        assert request.place is not None
        place = self.place(request.place)
        entity = self._place_entities.get(place.id)
        if entity is None:
            entity = self.session.scalar(
                select(Entity)
                .where(Entity.place_id == place.id, Entity.label == "LOC")
                .order_by(Entity.id)
                .limit(1)
            )
        if entity is None:
            entity = self._place_entities[place.id] = self._create(request, place_id=place.id)
            return entity
        self._place_entities[place.id] = entity
        reason = f"same gazetteer place {place.gazetteer_id} ({place.name})"
        self._note_alias(entity, request.canonical, reason)
        return entity

    def _by_person(self, request: LinkRequest) -> Entity:
        keys = person_lookup_keys(request.canonical)
        candidates = entities_with_keys(self.session, "PER", keys) if keys else []
        # The order of a scan of the (label, canonical_name) index, as before keys existed.
        candidates.sort(key=lambda e: (self._new_people.get(e.id, -1), e.canonical_name, e.id))
        for entity in candidates:
            for name in (entity.canonical_name, *entity.aliases):
                matched, why = same_person(request.canonical, name)
                if matched:
                    self._note_alias(entity, request.canonical, f"name match: {why}")
                    return entity
        entity = self._create(request)
        self._new_people[entity.id] = len(self._new_people)
        return entity

    def _by_name(self, request: LinkRequest) -> Entity:
        key = name_key(request.label, request.canonical)
        if key not in self._names:  # looked up once per document, as names were before keys
            found = entities_with_keys(self.session, request.label, [key])
            # The oldest entity wins a shared name.
            self._names[key] = min(found, key=lambda e: e.id) if found else self._create(request)
        return self._names[key]

    def _create(self, request: LinkRequest, place_id: int | None = None) -> Entity:
        entity = Entity(
            label=request.label, canonical_name=request.canonical, aliases=[], place_id=place_id
        )
        self.session.add(entity)
        self.session.flush()
        self._keys.changed(entity)
        return entity

    def _note_alias(self, entity: Entity, name: str, reason: str) -> None:
        """A new name joins an entity automatically: keep it as alias and record why."""
        known = {entity.canonical_name.casefold(), *(a.casefold() for a in entity.aliases)}
        if name.casefold() in known:
            return
        entity.aliases = [*entity.aliases, name]
        self._keys.changed(entity)
        self.session.add(
            EntityMerge(
                kept_entity_id=entity.id,
                merged_snapshot={"canonical_name": name, "label": entity.label, "aliases": [name]},
                reason=reason,
                automatic=True,
            )
        )
