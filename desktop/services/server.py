"""Team cases on a server: set one up, and move a whole case between a desk and the server."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from db import roles
from db.copy import copy_rows, fingerprint
from db.engine import display_url
from db.models import Document
from desktop.services import audit
from desktop.services.case import Case, open_case
from desktop.services.case_file_errors import CaseFileError
from desktop.services.case_file_export import export_case_file
from desktop.services.case_file_restore import import_case_file


class TransferError(RuntimeError):
    """A push or pull did not happen; the message says why, and nothing was changed."""


def init_server(url: str, *, analysts: Sequence[str] = (), readers: Sequence[str] = (),
                actor: str | None = None) -> Case:
    """Create (or upgrade) the case schema in a server database and its two roles.

    Args:
        url: The empty (or Casedesk) database, opened as its owner.
        analysts: Existing login roles to make analysts (read and write).
        readers: Existing login roles to make readers (read only, the audit log included).
        actor: Who sets it up (the login name when None).

    Returns:
        The case, open; the caller closes it.
    """
    case = open_case(url, actor=actor)
    with case.transaction() as session:
        connection = session.connection()
        roles.create_roles(connection)
        for user in analysts:
            roles.grant(connection, user, roles.ANALYSTS)
        for user in readers:
            roles.grant(connection, user, roles.READERS)
        audit.record(session, case.actor, "server.init", "case", None,
                     after={"analysts": list(analysts), "readers": list(readers)})
    return case


def _documents(case: Case) -> int:
    with case.reading() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def push(case_path: Path, url: str, *, actor: str | None = None) -> dict[str, int]:
    """Move a local case into an empty server database, through a verified case archive.

    The case is exported as a .cdcase archive, restored (every hash checked) into a staging
    file, then copied with every id into the server in one transaction, which commits only
    when the arrived rows match the staged ones.

    Returns:
        The rows that arrived per table.

    Raises:
        TransferError: The server already holds a case, or what arrived differs.
    """
    source = open_case(case_path, create=False, actor=actor)
    with tempfile.TemporaryDirectory(prefix="casedesk-push-") as folder:
        archive = Path(folder) / "push.cdcase"
        try:
            export_case_file(source, archive)
        finally:
            source.close()
        staged = import_case_file(archive, Path(folder) / "staged.casedesk",
                                            actor=actor)
        target = open_case(url, actor=actor)
        try:
            return _arrive(staged, target, Path(case_path).name)
        finally:
            staged.close()
            target.close()


def _arrive(staged: Case, target: Case, name: str) -> dict[str, int]:
    existing = _documents(target)
    if existing:
        raise TransferError(f"{target.location} already holds a case ({existing} documents); "
                            "push into an empty database")
    with staged.engine.connect() as source, target.transaction() as session:
        connection = session.connection()
        counts = copy_rows(source, connection)
        if fingerprint(connection) != fingerprint(source):
            raise TransferError(f"{name} did not arrive intact on the server; nothing was saved")
        audit.record(session, target.actor, "case.pushed", "case", None,
                     after={"from": name, "rows": counts})
    return counts


def pull(url: str, case_path: Path, *, actor: str | None = None) -> dict[str, int]:
    """Copy a server case into a new local case file, through a verified case archive.

    Returns:
        The documents and mentions that arrived.

    Raises:
        TransferError: The case changed on the server while it was pulled (pull again), or
            the local file exists already.
    """
    source = open_case(url, create=False, actor=actor)
    with tempfile.TemporaryDirectory(prefix="casedesk-pull-") as folder:
        archive = Path(folder) / "pull.cdcase"
        try:
            with source.engine.connect() as connection:
                before = fingerprint(connection)
            export_case_file(source, archive)
        finally:
            source.close()
        try:
            arrived = import_case_file(archive, Path(case_path), actor=actor)
        except CaseFileError as exc:
            raise TransferError(str(exc)) from exc
    with arrived.engine.connect() as connection:
        after = fingerprint(connection)
    arrived.close()
    if (after["documents"], after["mentions"]) != (before["documents"], before["mentions"]):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{arrived.path}{suffix}").unlink(missing_ok=True)
        raise TransferError(f"the case at {display_url(url)} changed while it was pulled; "
                            "pull again")
    return {"documents": after["counts"]["documents"], "mentions": after["counts"]["mentions"]}
