"""Bring a case to the current schema: back up a case file, then run the Alembic upgrade."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# SQLite FTS5 tables (and their shadow tables) are made by migrations, not by ORM models.
UNMODELLED_PREFIX = "fts_"
VERSION_TABLE = "alembic_version"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Tell Alembic's comparison to skip the full-text tables, which have no ORM model."""
    return not (type_ in ("table", "index") and name is not None
                and name.startswith(UNMODELLED_PREFIX))


def alembic_config() -> Config:
    """Return an Alembic config pointing at the shipped migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """Return the newest revision this build of Casedesk knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the revision the case file is at, or None for an empty file."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def foreign_tables(path: Path) -> list[str]:
    """Return the tables of an SQLite file that has tables but no Alembic version table.

    Such a file is some other program's database, not a case file: Casedesk must not add its
    tables to it. The file is opened read-only, so it is left byte-for-byte as it is.

    Returns:
        The table names (sorted), or an empty list for a case file or an empty database.
    """
    connection = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        connection.close()
    names = sorted(name for (name,) in rows)
    return [] if VERSION_TABLE in names else names


def _refuse_foreign(engine: Engine, path: Path) -> None:
    names = [n for n in inspect(engine).get_table_names() if not n.startswith("sqlite_")]
    if names and VERSION_TABLE not in names:
        raise NotACaseError(not_a_case_message(path, names))


def not_a_case_message(path: Path, tables: list[str]) -> str:
    """Return the one-line refusal for an SQLite file of another program."""
    shown = ", ".join(tables[:3]) + (", ..." if len(tables) > 3 else "")
    return (
        f"{Path(path).name} is an SQLite database of another program (tables: {shown}), "
        "not a Casedesk case file; it was left unchanged."
    )


def backup_case_file(path: Path, revision: str | None) -> Path:
    """Copy the case file with SQLite's online backup (consistent even with a WAL) and return it."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.backup-{revision or 'empty'}-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


@contextmanager
def migration_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<case>.lock`` next to an SQLite case file while migrating.

    Two processes opening a new case at once would otherwise both run the first revision
    ("table audit_log already exists"). The second waits here, then finds the case at head.
    The lock file is removed afterwards; a waiter that locked the removed file still rechecks
    the revision, so at worst it finds nothing left to do. Where ``fcntl`` is missing (Windows)
    no lock is taken.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    lock_path = Path(f"{path}.lock")
    try:
        handle = lock_path.open("a")
    except OSError:  # a read-only folder: the upgrade itself reports why it cannot write
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            lock_path.unlink(missing_ok=True)
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade(engine: Engine, path: Path | None) -> Path | None:
    """Upgrade a case to head and return the backup made first, if any.

    Args:
        engine: The case's engine (SQLite file or PostgreSQL server).
        path: The case file, backed up before upgrading an existing schema; None for a case
            on a server, which is backed up by the server's own means (pg_dump), not here.
    """
    if current_revision(engine) == head_revision():
        return None
    if engine.dialect.name != "sqlite" or path is None:
        return _upgrade(engine, path)
    with migration_lock(path):
        return _upgrade(engine, path)


def _upgrade(engine: Engine, path: Path | None) -> Path | None:
    """Run the upgrade; the revision is read again, as another process may have done it."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    name = path.name if path is not None else engine.url.database or "the database"
    if current is None:
        _refuse_foreign(engine, Path(name) if path is None else path)
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise UnknownSchemaError(
            f"{name} was written by a newer Casedesk (schema {current}); update Casedesk."
        )
    backup = backup_case_file(path, current) if current is not None and path else None
    config = alembic_config()
    with engine.begin() as connection:
        _one_upgrade_at_a_time(connection)
        if MigrationContext.configure(connection).get_current_revision() == head:
            return backup  # another analyst's Casedesk upgraded it while this one waited
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


# Any fixed number: the advisory lock that serializes upgrades of a case on a server.
_UPGRADE_LOCK = 0x0CA5EDE5


def _one_upgrade_at_a_time(connection: Connection) -> None:
    """On a server, make a second analyst opening a new case wait for the first's upgrade.

    The lock is held until the upgrade's transaction ends; DDL is transactional there, so the
    waiting one then sees the finished schema. (A case file has its own lock.)
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})


class UnknownSchemaError(RuntimeError):
    """The case file's schema revision is not one this build knows."""


class NotACaseError(UnknownSchemaError):
    """The file is an SQLite database with tables but no Alembic version: not a case file."""
