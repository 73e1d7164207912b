"""The audit log: every analyst action is appended in the same transaction as the action."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from db import audit_queries
from db.models import AuditEntry
from desktop.dto import AuditRow, Target
from desktop.services.case import Case
from desktop.version import app_version


def record(
    session: Session,
    actor: str,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the audit log; the caller's transaction commits it with the action."""
    entry = AuditEntry(
        actor=actor,
        app_version=app_version(),
        action=action,
        target_type=target_type,
        target_id=target_id,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def audit_log(case: Case, target: Target, limit: int = 500) -> list[AuditRow]:
    """Return the audit entries about a document or entity and its mentions, newest first."""
    with case.reading() as session:
        return audit_queries.audit_rows(session, target, limit)
