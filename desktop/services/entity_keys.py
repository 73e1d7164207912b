"""Lookup keys of entity names: which stored entities a new mention can possibly link to.

A person matches another when ``canonical.same_person`` says so, which needs the two
transliterated surname keys to be at least 85% similar (``rapidfuzz.fuzz.ratio``, an
insertion/deletion distance). Two such keys share a common subsequence that each reaches
by deleting at most ``len * 30 // 115`` letters (see :func:`deletion_budget`), so storing
every deletion variant of each surname key within that budget and looking up the variants of
the new name finds every entity ``same_person`` could accept, and only a handful of others:
the comparisons per mention no longer grow with the case. Other labels link by their
casefolded name, stored as one key each.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from db.inserts import insert_rows
from db.models import Entity, EntityKey, EntityKeyPending
from desktop.nlp.canonical import person_key

PERSON = "PER"
_CHUNK = 500


def deletion_budget(length: int) -> int:
    """Letters a surname key of this length may lose on the way to a 85%-similar key's.

    With ``d = da + db`` deletions in all and ``fuzz.ratio >= 85`` meaning
    ``d <= 0.15 * (la + lb)``, where ``lb = la - da + db``, the side ``a`` loses at most
    ``da <= 0.3 * la / 1.15`` letters.
    """
    return length * 30 // 115


def deletion_variants(word: str) -> set[str]:
    """The word and every string made by deleting up to its budget of letters."""
    found = {word}
    level = {word}
    for _ in range(deletion_budget(len(word))):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))} - found
        found |= level
    return found


def surname_key(name: str) -> str:
    """The transliterated key of a person's surname ("Selenskyjs" -> "selenski"), or ""."""
    keys = person_key(name).split()
    return keys[-1] if keys else ""


def person_lookup_keys(name: str) -> frozenset[str]:
    """Keys under which the people a name may denote are stored."""
    surname = surname_key(name)
    return _surname_lookup_keys(surname) if surname else frozenset()


@functools.lru_cache(maxsize=1 << 14)
def _surname_lookup_keys(surname: str) -> frozenset[str]:
    return frozenset(f"{PERSON}~{v}" for v in deletion_variants(surname))


def name_key(label: str, name: str) -> str:
    """Key of a non-person name: its label and casefolded spelling."""
    return f"{label}:{name.casefold()}"


def entity_keys(entity: Entity) -> set[str]:
    """Every key an entity is stored under."""
    names = (entity.canonical_name, *(entity.aliases or []))
    if entity.label == PERSON:
        return {key for name in names for key in person_lookup_keys(name)}
    return {name_key(entity.label, name) for name in names}


def store_keys(session: Session, entity: Entity) -> None:
    """Replace an entity's keys with those of its current names (inside the caller's work)."""
    session.execute(delete(EntityKey).where(EntityKey.entity_id == entity.id))
    keys = entity_keys(entity)
    if keys:
        session.execute(insert(EntityKey), [{"key": k, "entity_id": entity.id} for k in keys])
    session.execute(delete(EntityKeyPending).where(EntityKeyPending.entity_id == entity.id))


def refresh_pending(session: Session) -> int:
    """Key every entity the triggers queued (new, renamed or merged elsewhere); return them."""
    pending = list(session.scalars(select(EntityKeyPending.entity_id)))
    for chunk in chunks(pending):
        for entity in session.scalars(select(Entity).where(Entity.id.in_(chunk))):
            store_keys(session, entity)
    if pending:  # names may have gone: what the session's index read before is stale
        index = KeyIndex.of(session)
        index.forget()
        index.keyed(pending)
    return len(pending)


def entities_with_keys(session: Session, label: str, keys: Iterable[str]) -> list[Entity]:
    """Entities of a label (not marked false positive) stored under any of the keys."""
    index = KeyIndex.of(session)
    found = index.entities(session, index.entity_ids(session, keys))
    return [e for e in found if e.label == label and not e.false_positive]


class KeyIndex:
    """The keys one write session has read or changed, so linking asks the database once per key.

    Keys of entities created or renamed in the session count at once and are written
    together by :meth:`write` (until then the triggers' queue keeps them pending, so keys
    left unwritten are made by the next :func:`refresh_pending`).
    """

    def __init__(self) -> None:
        self._ids: dict[str, set[int]] = {}
        self._unwritten: dict[int, Entity] = {}
        # Created in this session and not written yet: no stored keys to delete.
        self._created: set[int] = set()
        # Set by a batch import's prefetch: its session changes names only through linking,
        # each change written by :meth:`write`, so linkers need not ask for pending keys per
        # document (what another writer queues meanwhile waits for the next batch).
        self.nothing_pending = False
        self._unwritten_keys: dict[str, set[int]] = {}
        # The session's identity map holds its objects weakly: candidates are kept here, so
        # each is loaded once per session, not once per mention.
        self._entities: dict[int, Entity] = {}

    @classmethod
    def of(cls, session: Session) -> KeyIndex:
        """The index of this session (made on first use, gone with the session)."""
        index = session.info.get("casedesk_key_index")
        if index is None:
            index = session.info["casedesk_key_index"] = cls()
        return index

    def entity_ids(self, session: Session, keys: Iterable[str]) -> set[int]:
        """Ids of the entities stored (or changed in this session) under any of the keys."""
        keys = set(keys)
        missing = sorted(k for k in keys if k not in self._ids)
        for chunk in chunks(missing):
            for key in chunk:
                self._ids[key] = set(self._unwritten_keys.get(key, ()))
            # Driven by the key index alone: joined with entities, SQLite would rather scan
            # every entity of the label, a cost that grows with the case.
            rows = session.execute(
                select(EntityKey.key, EntityKey.entity_id).where(EntityKey.key.in_(chunk)))
            for key, entity_id in rows:
                self._ids[key].add(entity_id)
        return set().union(*(self._ids[k] for k in keys))

    def entities(self, session: Session, ids: Iterable[int]) -> list[Entity]:
        """The entities of these ids, each loaded once per session."""
        missing = []
        for entity_id in ids:
            if entity_id not in self._entities:
                known = session.identity_map.get(identity_key(Entity, entity_id))
                if isinstance(known, Entity):
                    self._entities[entity_id] = known
                else:
                    missing.append(entity_id)
        for chunk in chunks(sorted(missing)):  # by primary key: the key lookup came first
            self._entities.update((e.id, e) for e in session.scalars(
                select(Entity).where(Entity.id.in_(chunk))))
        return [self._entities[i] for i in ids if i in self._entities]

    def created(self, entity: Entity) -> None:
        """An entity was made in this session: its keys count from now on."""
        self._created.add(entity.id)
        self.changed(entity)

    def changed(self, entity: Entity) -> None:
        """An entity of this session is new or has a new name: its keys count from now on."""
        self._unwritten[entity.id] = self._entities[entity.id] = entity
        for key in entity_keys(entity):
            self._unwritten_keys.setdefault(key, set()).add(entity.id)
            if key in self._ids:
                self._ids[key].add(entity.id)

    def write(self, session: Session) -> None:
        """Store the keys of every entity changed since the last write, in a few statements."""
        if not self._unwritten:
            return
        session.flush()  # new names reach the table (and its trigger's queue) first
        entities = list(self._unwritten.values())
        stored = sorted(e.id for e in entities if e.id not in self._created)
        self._unwritten.clear()
        self._unwritten_keys.clear()
        self._created.clear()
        ids = sorted(e.id for e in entities)
        for chunk in chunks(stored):
            session.execute(delete(EntityKey).where(EntityKey.entity_id.in_(chunk)))
        insert_rows(session, EntityKey,
                    [{"key": k, "entity_id": e.id} for e in entities for k in entity_keys(e)])
        for chunk in chunks(ids):
            session.execute(delete(EntityKeyPending).where(EntityKeyPending.entity_id.in_(chunk)))

    def keyed(self, ids: Iterable[int]) -> None:
        """These entities' keys are stored now: a later write replaces them."""
        self._created.difference_update(ids)

    def forget(self) -> None:
        """Drop what was read from the database (it changed underneath)."""
        self._ids = {}
        self._entities = {}


def chunks(values: Sequence) -> list[Sequence]:
    """The values in slices small enough for one IN list."""
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]
