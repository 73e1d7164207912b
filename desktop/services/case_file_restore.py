"""Restore a case file (.cdcase) into a new case, after every check, under a name not in use."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session
from sqlalchemy.types import Date, DateTime

from db.models import Base, CaseMeta, CasePipeline, DocumentOriginal
from desktop.services import audit
from desktop.services.case import CASE_SUFFIX, Case, default_case_path, open_case
from desktop.services.case_archive_safety import DEFAULT_LIMITS, ArchiveLimits
from desktop.services.case_file_errors import CaseFileError, IntegrityError
from desktop.services.case_file_pipelines import PIPELINES, restore_pipelines
from desktop.services.case_file_verify import VerifyResult, check_case_file
from desktop.services.case_manifest import CASE_JSON, ORIGINALS_DIR
from desktop.services.export_case import EXPORTED


def _column_parsers(model: type[Base]) -> dict[str, Any]:
    parsers: dict[str, Any] = {}
    for attr in model.__mapper__.column_attrs:
        kind = attr.columns[0].type
        if isinstance(kind, DateTime):
            parsers[attr.key] = dt.datetime.fromisoformat
        elif isinstance(kind, Date):
            parsers[attr.key] = dt.date.fromisoformat
        else:
            parsers[attr.key] = None
    return parsers


def _rows(model: type[Base], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    parsers = _column_parsers(model)
    out = []
    for row in rows:
        unknown = row.keys() - parsers.keys()
        if unknown:
            table = model.__tablename__
            raise CaseFileError(f"{CASE_JSON} has unknown {table} fields {sorted(unknown)}")
        out.append(
            {
                key: parsers[key](value) if parsers[key] and value is not None else value
                for key, value in row.items()
            }
        )
    return out


def _restore(session: Session, snapshot: dict[str, Any], kept: dict[str, bytes]) -> None:
    for key, value in snapshot["meta"].items():
        session.merge(CaseMeta(key=key, value=value))
    for key, model in EXPORTED:
        rows = _rows(model, snapshot.get(key, []))
        if rows:
            session.execute(insert(model), rows)
    for name, data in kept.items():
        if name.startswith(ORIGINALS_DIR):
            document_id = int(name.removeprefix(ORIGINALS_DIR))
            session.add(DocumentOriginal(document_id=document_id, data=data))
    pipelines = _rows(CasePipeline, snapshot.get(PIPELINES, []))
    restore_pipelines(session, pipelines, kept)


def _remove_case_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _provenance(archive: Path, result: VerifyResult) -> dict[str, Any]:
    """What the new case's audit log records about the archive it came from."""
    with archive.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    manifest = result.manifest or {}
    return {
        "archive": archive.name,
        "archive_sha256": digest,
        **{key: manifest.get(key) for key in ("created_at", "app_version")},
        "signature": result.signature.status.value,
        "signer_fingerprint": result.signature.fingerprint,
    }


def import_case_file(
    archive: Path,
    target_case_path: Path,
    *,
    actor: str | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
) -> Case:
    """Restore a case file into a new case, keeping every id, in one transaction.

    The case's pipeline versions come back with their models and which one is adopted.

    The archive is fully checked (safe names, size limits, manifest, every SHA-256, the
    signature when there is one, the shape of case.json) before the new case file is created;
    on any failure the new file is removed again. The restore itself is recorded in the new
    case's audit log ("case_file.imported"), with the signer's key fingerprint.

    Args:
        archive: The .cdcase file.
        target_case_path: Where the new case file goes; it must not exist yet.
        actor: Who is importing (the login name when None).
        limits: Bomb limits (the defaults suit real cases).

    Returns:
        The new case, open.

    Raises:
        CaseFileError: (or a subclass) with a one-line reason; nothing is left behind.
    """
    archive, target = Path(archive), Path(target_case_path)
    if target.exists() and target.stat().st_size > 0:
        raise CaseFileError(f"{target.name} already exists; choose a new case file to import into")
    result, snapshot, kept = check_case_file(archive, limits, keep=(ORIGINALS_DIR,))
    if not result.ok or snapshot is None:
        what = "" if result.hashes_ok else "hash mismatch, "
        raise IntegrityError(f"{archive.name}: {what}modified since export: {result.details()}")
    provenance = _provenance(archive, result)
    case = open_case(target, actor=actor)
    try:
        with case.transaction() as session:
            _restore(session, snapshot, kept)
            audit.record(session, case.actor, "case_file.imported", "case", None, after=provenance)
    except Exception as exc:
        case.close()
        _remove_case_files(target)
        if isinstance(exc, CaseFileError):
            raise
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise CaseFileError(f"{archive.name} cannot be restored: {first}") from exc
    return case


def new_case_path(archive: Path) -> Path:
    """Return a case file to restore ``archive`` into that no file uses yet.

    It goes next to the archive, named after it ("sample.cdcase" -> "sample.casedesk", then
    "sample-2.casedesk" ...), or into the user data folder when that folder is read-only.
    """
    archive = Path(archive).expanduser().resolve()
    folder = archive.parent if os.access(archive.parent, os.W_OK) else default_case_path().parent
    stem = archive.stem or "restored"
    number = 1
    while True:
        name = stem if number == 1 else f"{stem}-{number}"
        candidate = folder / f"{name}{CASE_SUFFIX}"
        if not any(Path(f"{candidate}{end}").exists() for end in ("", "-wal", "-shm", "-journal")):
            return candidate
        number += 1
