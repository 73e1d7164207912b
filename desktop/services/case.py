"""Open, create and describe case files; the default case lives in the user data folder."""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from db import migrate
from db.engine import make_engine, make_session_factory
from db.models import CaseMeta, Document, Entity, Mention, utcnow
from desktop.dto import CaseInfo
from desktop.version import APP_NAME, app_version

CASE_SUFFIX = ".casedesk"


class CaseOpenError(RuntimeError):
    """A case file cannot be opened; the message says why in words an analyst understands."""


def default_case_path() -> Path:
    """Return the default case file in the platform's user data folder."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return folder / f"default{CASE_SUFFIX}"


@dataclass
class Case:
    """An open case file: its path, engine and session factory, and who is working on it."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    actor: str
    backup: Path | None = None

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session whose work is committed at the end, or rolled back on error."""
        with self.session_factory() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Yield a session for reading only."""
        with self.session_factory() as session:
            yield session

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def _check_sqlite(path: Path) -> None:
    """Refuse a file that is not an SQLite database, is damaged, or belongs to another program.

    Only read-only connections are used, so a refused file is left byte-for-byte unchanged.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise CaseOpenError(
                f"{path.name} is not a Casedesk case file (not an SQLite database)."
            )
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.DatabaseError as exc:
        raise CaseOpenError(f"{path.name} is damaged: {exc}.") from exc
    finally:
        connection.close()
    if result is None or result[0] != "ok":
        raise CaseOpenError(f"{path.name} is damaged: {result[0] if result else 'no answer'}.")
    tables = migrate.foreign_tables(path)
    if tables:
        raise CaseOpenError(migrate.not_a_case_message(path, tables))


def open_case(path: Path, *, actor: str | None = None, create: bool = True) -> Case:
    """Open or create the case file at ``path``, migrating it (after a backup) to the schema.

    Args:
        path: The case file.
        actor: Who is working on it (the login name when None).
        create: Create a new case when there is none at ``path``; read-only commands pass
            False, so that a mistyped path is an error instead of a new empty case.

    Raises:
        CaseOpenError: With a one-line reason an analyst understands.
    """
    path = Path(path).expanduser().resolve()
    if not create and (not path.is_file() or path.stat().st_size == 0):
        raise CaseOpenError(f"no case file at {path}")
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_sqlite(path)
    engine = make_engine(path)
    try:
        backup = migrate.upgrade(engine, path)
    except migrate.UnknownSchemaError as exc:
        engine.dispose()
        raise CaseOpenError(str(exc)) from exc
    case = Case(path, engine, make_session_factory(engine), actor or _current_user(), backup)
    _ensure_meta(case)
    return case


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"


def _ensure_meta(case: Case) -> None:
    try:
        with case.transaction() as session:
            if session.get(CaseMeta, "created_at") is None:
                session.add_all(
                    [
                        CaseMeta(key="created_at", value=utcnow().isoformat()),
                        CaseMeta(key="created_by_version", value=app_version()),
                        CaseMeta(key="title", value=case.path.stem),
                    ]
                )
    except IntegrityError:
        pass  # another process creating the same new case wrote them first


def case_info(case: Case) -> CaseInfo:
    """Return the case's title and counts."""
    with case.reading() as session:
        title = session.get(CaseMeta, "title")
        return CaseInfo(
            path=str(case.path),
            title=title.value if title else case.path.stem,
            documents=session.scalar(select(func.count()).select_from(Document)) or 0,
            mentions=session.scalar(select(func.count()).select_from(Mention)) or 0,
            entities=session.scalar(select(func.count()).select_from(Entity)) or 0,
        )
