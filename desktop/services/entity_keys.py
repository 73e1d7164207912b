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

from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

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


def person_lookup_keys(name: str) -> set[str]:
    """Keys under which the people a name may denote are stored."""
    surname = surname_key(name)
    return {f"{PERSON}~{v}" for v in deletion_variants(surname)} if surname else set()


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
    for chunk in _chunks(pending):
        for entity in session.scalars(select(Entity).where(Entity.id.in_(chunk))):
            store_keys(session, entity)
    return len(pending)


def entities_with_keys(session: Session, label: str, keys: Iterable[str]) -> list[Entity]:
    """Entities of a label (not marked false positive) stored under any of the keys."""
    found: dict[int, Entity] = {}
    for chunk in _chunks(sorted(keys)):
        ids = select(EntityKey.entity_id).where(EntityKey.key.in_(chunk))
        rows = session.scalars(
            select(Entity).where(
                Entity.id.in_(ids), Entity.label == label, Entity.false_positive.is_(False)
            )
        )
        found.update((entity.id, entity) for entity in rows)
    return list(found.values())


def _chunks(values: Sequence) -> list[Sequence]:
    return [values[i : i + _CHUNK] for i in range(0, len(values), _CHUNK)]
