"""Read-only queries about the audit log: the history of a document or an entity."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import AuditEntry
from db.review_queries import LISTING_ACTIONS
from desktop.dto import AuditRow, Target


def audit_rows(session: Session, target: Target, limit: int = 500) -> list[AuditRow]:
    """Return audit entries about a document or entity (including their mentions), newest first.

    Mention entries are matched through the ``document_id``/``entity_id`` their before or after
    state records, so entries about since-deleted mentions still show. An action on mentions of
    several documents (apply to all) records no common one: each listed state is looked at.
    """
    key = "document_id" if target.kind == "document" else "entity_id"
    dialect = session.get_bind().dialect.name
    direct = and_(AuditEntry.target_type == target.kind, AuditEntry.target_id == target.id)
    via_mention = and_(
        AuditEntry.target_type == "mention",
        or_(AuditEntry.before[key].as_integer() == target.id,
            AuditEntry.after[key].as_integer() == target.id,
            _listed_in(AuditEntry.before, key, target.id, dialect),
            _listed_in(AuditEntry.after, key, target.id, dialect)),
    )
    clause = or_(direct, via_mention) if target.kind in ("document", "entity") else direct
    stmt = select(AuditEntry).where(clause).order_by(AuditEntry.id.desc()).limit(limit)
    return [
        AuditRow(a.id, a.at, a.actor, a.action, a.target_type, a.target_id, a.before, a.after)
        for a in session.scalars(stmt)
    ]


def _listed_in(state: Any, key: str, target_id: int, dialect: str) -> ColumnElement[bool]:
    """True when a several-mention entry lists a mention state with that ``key`` value.

    The action is tested first: parsing every entry's JSON a second time would make the history
    of a document much slower to open. SQLite walks the list with json_each, PostgreSQL with
    json_array_elements.
    """
    if dialect == "postgresql":
        element = func.json_array_elements(state.op("->")("mentions")).table_valued("value")
        match = element.c.value.op("->>")(key) == str(target_id)
    else:
        element = func.json_each(state, "$.mentions").table_valued("value")
        match = func.json_extract(element.c.value, f"$.{key}") == target_id
    listed = exists(select(1).select_from(element).where(match))
    return and_(AuditEntry.action.in_(LISTING_ACTIONS), listed)
