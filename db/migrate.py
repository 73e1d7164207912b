"""Bring a case file to the current schema: back it up, then run the Alembic upgrade."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# SQLite FTS5 tables (and their shadow tables) are made by migrations, not by ORM models.
UNMODELLED_PREFIX = "fts_"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Tell Alembic's comparison to skip the full-text tables, which have no ORM model."""
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_PREFIX))


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


def upgrade(engine: Engine, path: Path) -> Path | None:
    """Upgrade the case file to head; back it up first unless it is new. Return the backup."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if current is not None and current not in known:
        raise UnknownSchemaError(
            f"{path.name} was written by a newer Casedesk (schema {current}); update Casedesk."
        )
    backup = backup_case_file(path, current) if current is not None else None
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return backup


class UnknownSchemaError(RuntimeError):
    """The case file's schema revision is not one this build knows."""
