"""Attach new mentions to case entities: places by gazetteer id, people by name matching."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.inserts import IdBlock
from db.models import Entity, EntityMerge, Place, PlaceCandidate
from desktop.geo.gazetteer import Place as GazetteerPlace
from desktop.nlp.canonical import same_person
from desktop.services.entity_keys import (
    KeyIndex,
    chunks,
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
    else:
        _refresh_point(row, place)
    return row


def _refresh_point(row: Place, place: GazetteerPlace) -> None:
    if (row.lat, row.lon, row.geonames_id) != (place.lat, place.lon, place.geonames_id or None):
        # A case made with an older gazetteer gets the current point and GeoNames id.
        row.lat, row.lon, row.geonames_id = place.lat, place.lon, place.geonames_id or None


def prefetch_links(
    session: Session, requests: Iterable[LinkRequest], places: Iterable[GazetteerPlace] = ()
) -> None:
    """Read at once what linking these requests in this session will look up.

    An import links a batch of documents in one transaction; without this, each document
    asked again for its places, their entities and candidates and the name keys of its
    people (some 35 statements a document). The answers are kept in the session, where the
    linkers of the batch find them; what is created meanwhile is added there as it happens.

    Args:
        session: The batch's write session.
        requests: The link requests the batch will make.
        places: Further gazetteer places the batch may store (place candidates).
    """
    wanted = list(requests)
    by_id = {p.id: p for p in places}
    by_id.update((r.place.id, r.place) for r in wanted if r.place is not None)
    rows: dict[str, Place] = session.info.setdefault("casedesk_places", {})
    missing = [i for i in sorted(by_id) if i not in rows]
    for chunk in chunks(missing):
        for row in session.scalars(select(Place).where(Place.gazetteer_id.in_(chunk))):
            _refresh_point(row, by_id[row.gazetteer_id])
            rows[row.gazetteer_id] = row
    _prefetch_place_entities(session, [rows[r.place.id].id for r in wanted
                                       if r.place is not None and r.place.id in rows])
    keys: set[str] = set()
    for request in wanted:
        if request.place is not None or request.label not in LINKED_LABELS:
            continue
        if request.label == "PER":
            keys |= person_lookup_keys(request.canonical)
        elif request.canonical.strip():
            keys.add(name_key(request.label, request.canonical))
    refresh_pending(session)
    index = KeyIndex.of(session)
    index.nothing_pending = True  # the batch's linkers need not ask again per document
    index.entities(session, index.entity_ids(session, keys))


def _prefetch_place_entities(session: Session, place_ids: list[int]) -> None:
    """The oldest LOC entity of each place, and the candidates stored for it."""
    entities: dict[int, Entity | None] = session.info.setdefault("casedesk_place_entities", {})
    missing = sorted({i for i in place_ids if i not in entities})
    for chunk in chunks(missing):
        found = session.scalars(
            select(Entity).where(Entity.place_id.in_(chunk), Entity.label == "LOC")
            .order_by(Entity.id))
        for entity in found:
            place_id = entity.place_id
            if place_id is not None and entities.get(place_id) is None:  # the oldest one
                entities[place_id] = entity
        for place_id in chunk:
            entities.setdefault(place_id, None)  # read: the place has no entity yet
    known: dict[int, set[int]] = session.info.setdefault("casedesk_place_candidates", {})
    ids = sorted({e.id for e in entities.values() if e is not None and e.id not in known})
    for chunk in chunks(ids):
        for entity_id in chunk:
            known[entity_id] = set()
        rows = session.execute(select(PlaceCandidate.entity_id, PlaceCandidate.place_id)
                               .where(PlaceCandidate.entity_id.in_(chunk)))
        for entity_id, place_id in rows:
            known[entity_id].add(place_id)


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
        # None: read, and the place has no entity yet (see prefetch_links).
        self._place_entities: dict[int, Entity | None] = session.info.setdefault(
            "casedesk_place_entities", {})
        self._names: dict[str, Entity] = {}
        # People created in this transaction, in order: they are tried after stored ones.
        self._new_people: dict[int, int] = {}
        self.candidates_done: set[int] = set()
        # New entities get their ids up front and go in together at finish().
        self._new_ids: IdBlock | None = None
        self._keys = KeyIndex.of(session)
        if not self._keys.nothing_pending:
            refresh_pending(session)

    def finish(self) -> None:
        """Store the entities this linker created and the keys of those it created or renamed."""
        self.session.flush()
        self._new_ids = None
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
        if entity is None and place.id not in self._place_entities:
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
        if self._new_ids is None:
            self._new_ids = IdBlock(self.session, Entity)
        entity = Entity(
            id=self._new_ids.next(), label=request.label, canonical_name=request.canonical,
            aliases=[], place_id=place_id,
        )
        self.session.add(entity)
        self._keys.created(entity)
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
                kept_entity=entity,
                merged_snapshot={"canonical_name": name, "label": entity.label, "aliases": [name]},
                reason=reason,
                automatic=True,
            )
        )
