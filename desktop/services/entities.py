"""Case entities: reading them, rename, merge, undo merge, split and false positive."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db import entity_queries
from db.models import Entity, EntityMerge, Mention, Note, TagLink, utcnow
from db.review_queries import snapshot
from desktop.dto import AuditAction as Act
from desktop.dto import (
    EntityChange,
    EntityRow,
    MentionRow,
    MergeResult,
    MergeRow,
    SplitResult,
)
from desktop.services import audit
from desktop.services.case import Case, ConflictError
from desktop.services.conflicts import Versions, check_mentions, entity_changes
from desktop.services.review import ReviewError

_ENTITY_FIELDS = ("label", "canonical_name", "aliases", "place_id", "false_positive")


def _entity(session: Session, entity_id: int, version: int | None = None) -> Entity:
    """Return an entity; with ``version`` (as the analyst saw it) check it is still that one."""
    entity = session.get(Entity, entity_id)
    if entity is None:
        if version is not None:
            raise ConflictError("another analyst merged or removed this entity meanwhile; "
                                "nothing was saved", None, entity_changes(entity_id))
        raise ReviewError(f"entity {entity_id} no longer exists")
    if version is not None and entity.version != version:
        raise ConflictError(f'another analyst changed "{entity.canonical_name}" meanwhile; '
                            "nothing was saved", _state(entity), entity_changes(entity_id))
    return entity


def _state(entity: Entity) -> dict[str, Any]:
    state = {key: getattr(entity, key) for key in _ENTITY_FIELDS}
    state["aliases"] = list(entity.aliases or [])
    return {"id": entity.id, **state}


# -- reading -------------------------------------------------------------------------------------
def list_entities(case: Case, *, limit: int | None = None) -> list[EntityRow]:
    """Return the case's entities, most mentioned first."""
    with case.reading() as session:
        return entity_queries.entity_rows(session, limit=limit)


def entity_row(case: Case, entity_id: int) -> EntityRow | None:
    """Return one entity's row, or None when it is gone."""
    with case.reading() as session:
        rows = entity_queries.entity_rows(session, entity_ids=[entity_id])
        return rows[0] if rows else None


def mentions_of_entity(case: Case, entity_id: int) -> list[MentionRow]:
    """Return the mentions linked to an entity, by document and position."""
    with case.reading() as session:
        return entity_queries.mentions_of_entity(session, entity_id)


def merges_into(case: Case, entity_id: int) -> list[MergeRow]:
    """Return the merges recorded into an entity (with their reasons), newest first."""
    with case.reading() as session:
        return entity_queries.merges_into(session, entity_id)


# -- rename and false positives ------------------------------------------------------------------
def rename(case: Case, entity_id: int, name: str, *,
           version: int | None = None) -> EntityChange:
    """Give an entity another canonical name; the old one is kept as an alias.

    Raises:
        ConflictError: ``version`` (as the analyst saw the entity) is no longer the stored one.
    """
    name = name.strip()
    if not name:
        raise ReviewError("an entity needs a name")
    with case.transaction() as session:
        entity = _entity(session, entity_id, version)
        before = _state(entity)
        if entity.canonical_name not in entity.aliases:
            entity.aliases = [*entity.aliases, entity.canonical_name]
        entity.canonical_name = name
        change = EntityChange(Act.ENTITY_RENAME, entity_id, before, _state(entity))
        audit.record(session, case.actor, change.action, "entity", entity_id, before=before,
                     after=change.after)
        return change


def set_false_positive(case: Case, entity_id: int, value: bool = True, *,
                       version: int | None = None) -> EntityChange:
    """Mark an entity as a false positive (its mentions become rejected), or clear the mark."""
    with case.transaction() as session:
        entity = _entity(session, entity_id, version)
        before = _state(entity)
        mentions = list(session.scalars(select(Mention).where(Mention.entity_id == entity_id)))
        states = tuple(snapshot(m) for m in mentions)
        entity.false_positive = value
        if value:
            for mention in mentions:
                mention.status = "rejected"
        change = EntityChange(Act.ENTITY_FALSE_POSITIVE if value else Act.ENTITY_NOT_FALSE_POSITIVE,
                              entity_id, before, _state(entity), states)
        audit.record(session, case.actor, change.action, "entity", entity_id,
                     before={**before, "mention_statuses": {s.id: s.status for s in states}},
                     after=change.after)
        return change


def restore_entity(case: Case, change: EntityChange) -> EntityChange:
    """Undo a rename or a false-positive mark: entity fields and mention statuses come back."""
    with case.transaction() as session:
        entity = _entity(session, change.entity_id)
        current = _state(entity)
        for key in _ENTITY_FIELDS:
            setattr(entity, key, change.before[key])
        for state in change.mentions_before:
            session.execute(update(Mention).where(Mention.id == state.id)
                            .values(status=state.status))
        undone = EntityChange(f"undo:{change.action}", change.entity_id, current, change.before)
        audit.record(session, case.actor, undone.action, "entity", change.entity_id,
                     before=current, after=change.before)
        return undone


# -- merge, undo merge, split --------------------------------------------------------------------
def merge_entities(case: Case, kept_id: int, merged_ids: Sequence[int], reason: str,
                   name: str | None = None, *, versions: Versions | None = None) -> MergeResult:
    """Merge entities into ``kept_id``: mentions, notes and tags move; names become aliases.

    The kept entity keeps its label and place. With ``name`` it is renamed in the same
    transaction (its old name becomes an alias). One EntityMerge (automatic False) per
    merged entity keeps a snapshot for undo_merge. ``versions``: entity id -> version as the
    analyst saw it (a ConflictError when one moved).
    """
    seen: Mapping[int, int] = versions or {}
    merged_ids = [i for i in dict.fromkeys(merged_ids) if i != kept_id]
    if not merged_ids or not reason.strip():
        raise ReviewError("choose at least one other entity and give a reason for the merge")
    with case.transaction() as session:
        kept = _entity(session, kept_id, seen.get(kept_id))
        aliases_before = list(kept.aliases)
        name_before = kept.canonical_name
        merge_ids, moved = [], 0
        for merged_id in merged_ids:
            merged = _entity(session, merged_id, seen.get(merged_id))
            record = _merge_one(session, kept, merged, reason)
            merge_ids.append(record.id)
            moved += len(record.merged_snapshot["mention_ids"])
        if name and name.strip() and name.strip() != name_before:
            kept.aliases = [a for a in [*kept.aliases, name_before] if a != name.strip()]
            kept.canonical_name = name.strip()
        result = MergeResult(kept_id, tuple(merged_ids), tuple(merge_ids), moved, name_before)
        audit.record(session, case.actor, Act.ENTITY_MERGE, "entity", kept_id,
                     before={"aliases": aliases_before, "merged_entity_ids": merged_ids,
                             "name": name_before},
                     after={"aliases": list(kept.aliases), "merge_ids": merge_ids,
                            "reason": reason, "mentions_moved": moved,
                            "name": kept.canonical_name})
        return result


def _merge_one(session: Session, kept: Entity, merged: Entity, reason: str) -> EntityMerge:
    mention_ids = list(session.scalars(select(Mention.id).where(Mention.entity_id == merged.id)))
    note_ids = list(session.scalars(select(Note.id).where(Note.entity_id == merged.id)))
    tags = list(session.scalars(select(TagLink).where(TagLink.entity_id == merged.id)))
    kept_tags = set(session.scalars(select(TagLink.tag_id).where(TagLink.entity_id == kept.id)))
    added = [a for a in dict.fromkeys([merged.canonical_name, *merged.aliases])
             if a != kept.canonical_name and a not in kept.aliases]
    snapshot_data = {"entity": {**_state(merged), "created_at": merged.created_at.isoformat()},
                     "mention_ids": mention_ids, "note_ids": note_ids,
                     "tag_ids": [t.tag_id for t in tags], "aliases_added": added}
    session.execute(update(Mention).where(Mention.id.in_(mention_ids)).values(entity_id=kept.id))
    session.execute(update(Note).where(Note.id.in_(note_ids)).values(entity_id=kept.id))
    for link in tags:
        if link.tag_id in kept_tags:
            session.delete(link)
        else:
            link.entity_id = kept.id
    # Earlier merges into the merged entity now belong to the kept one (their history stays).
    session.execute(update(EntityMerge).where(EntityMerge.kept_entity_id == merged.id)
                    .values(kept_entity_id=kept.id))
    kept.aliases = [*kept.aliases, *added]
    record = EntityMerge(kept_entity_id=kept.id, merged_snapshot=snapshot_data, reason=reason,
                         automatic=False)
    session.add(record)
    session.flush()
    session.delete(merged)
    session.flush()
    return record


def undo_merge(case: Case, merge_id: int) -> int:
    """Undo a merge (automatic or manual): re-create the merged entity and move its parts back.

    Returns the id of the re-created entity (its old id when that is still free).
    """
    with case.transaction() as session:
        record = session.get(EntityMerge, merge_id)
        if record is None or record.undone_at is not None:
            raise ReviewError("this merge does not exist or was already undone")
        data = _merge_data(session, record)
        old = data["entity"]
        free = old.get("id") is not None and session.get(Entity, old["id"]) is None
        entity = Entity(id=old["id"] if free else None, label=old.get("label", "MISC"),
                        canonical_name=old.get("canonical_name", "?"),
                        aliases=list(old.get("aliases", [])), place_id=old.get("place_id"),
                        false_positive=bool(old.get("false_positive", False)))
        session.add(entity)
        session.flush()
        kept = record.kept_entity_id
        moved = data.get("mention_ids", [])
        session.execute(update(Mention).where(Mention.id.in_(moved), Mention.entity_id == kept)
                        .values(entity_id=entity.id))
        session.execute(update(Note).where(Note.id.in_(data.get("note_ids", [])),
                                           Note.entity_id == kept).values(entity_id=entity.id))
        for tag_id in data.get("tag_ids", []):
            session.add(TagLink(tag_id=tag_id, entity_id=entity.id))
        kept_entity = session.get(Entity, kept)
        if kept_entity is not None:
            added = set(data.get("aliases_added", []))
            kept_entity.aliases = [a for a in kept_entity.aliases if a not in added]
        record.undone_at = utcnow()
        audit.record(session, case.actor, Act.ENTITY_UNDO_MERGE, "entity", kept,
                     before={"merge_id": merge_id}, after={"restored_entity_id": entity.id,
                                                          "mention_ids": data.get("mention_ids")})
        return entity.id


def _merge_data(session: Session, record: EntityMerge) -> dict[str, Any]:
    """Return a merge snapshot in this module's form, also for automatic (entity-linking) merges.

    Automatic merges store only the joined name ({canonical_name, label, aliases}); the mentions
    that go back are then the kept entity's mentions whose text is one of those names.
    """
    data = dict(record.merged_snapshot or {})
    if "entity" in data:
        return data
    names = [n for n in dict.fromkeys([data.get("canonical_name"), *data.get("aliases", [])]) if n]
    folded = {str(n).casefold() for n in names}
    mentions = session.scalars(select(Mention).where(
        Mention.entity_id == record.kept_entity_id))
    return {
        "entity": {"id": None, "label": data.get("label", "MISC"),
                   "canonical_name": names[0] if names else "?", "aliases": names[1:]},
        "mention_ids": [m.id for m in mentions if m.text.casefold() in folded],
        "aliases_added": names,
    }


def split_entity(case: Case, entity_id: int, mention_ids: Sequence[int],
                 name: str | None = None, *, version: int | None = None,
                 mention_versions: Versions | None = None) -> SplitResult:
    """Move selected mentions of an entity to a new entity (named after the first mention).

    ``version`` and ``mention_versions`` (id -> version): the entity and its mentions as the
    analyst saw them; a ConflictError when one moved.
    """
    with case.transaction() as session:
        source = _entity(session, entity_id, version)
        mentions = list(session.scalars(select(Mention).where(
            Mention.id.in_(list(mention_ids)), Mention.entity_id == entity_id)))
        if mention_versions is not None and len(mentions) < len(set(mention_ids)):
            raise ConflictError("another analyst moved some of these mentions meanwhile; "
                                "nothing was saved", None, entity_changes(entity_id))
        check_mentions(mentions, mention_versions)
        if not mentions:
            raise ReviewError("select mentions of this entity to split out")
        new = Entity(label=source.label, canonical_name=(name or mentions[0].text).strip(),
                     aliases=[], false_positive=False)
        session.add(new)
        session.flush()
        for mention in mentions:
            mention.entity_id = new.id
        result = SplitResult(entity_id, new.id, tuple(m.id for m in mentions))
        audit.record(session, case.actor, Act.ENTITY_SPLIT, "entity", entity_id,
                     before={"mention_ids": list(result.mention_ids)},
                     after={"new_entity_id": new.id, "canonical_name": new.canonical_name})
        return result


def undo_split(case: Case, result: SplitResult) -> None:
    """Move split-out mentions back and delete the entity the split created."""
    with case.transaction() as session:
        session.execute(update(Mention).where(Mention.entity_id == result.new_entity_id)
                        .values(entity_id=result.source_entity_id))
        new = session.get(Entity, result.new_entity_id)
        if new is not None:
            session.delete(new)
        audit.record(session, case.actor, f"undo:{Act.ENTITY_SPLIT}", "entity",
                     result.source_entity_id, before={"new_entity_id": result.new_entity_id},
                     after={"mention_ids": list(result.mention_ids)})
