"""Open, create and describe cases (a file, or a database on a PostgreSQL server)."""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db import migrate
from db.engine import (
    display_url,
    failure_kind,
    is_server_url,
    make_engine,
    make_session_factory,
    writable,
)
from db.models import CaseMeta, Document, Entity, Mention, utcnow
from desktop.dto import CaseInfo, Changes
from desktop.version import APP_NAME, app_version

CASE_SUFFIX = ".casedesk"


class CaseOpenError(RuntimeError):
    """A case file cannot be opened; the message says why in words an analyst understands."""


class NotSavedError(RuntimeError):
    """An action was not saved: its transaction was rolled back, nothing is half-written."""


class ConflictError(NotSavedError):
    """Another analyst changed the same thing first; ``current`` is its state now, if known.

    ``changes`` names what the open panels should show again (None: not known).
    """

    def __init__(self, message: str, current: object | None = None,
                 changes: Changes | None = None) -> None:
        super().__init__(message)
        self.current = current
        self.changes = changes


class ReadOnlyError(NotSavedError):
    """The analyst may only read this case (a reader on the server)."""


def is_case_url(target: str | Path) -> bool:
    """Return True when ``target`` is a ``postgresql://`` address of a case on a server."""
    return is_server_url(target)


def default_case_path() -> Path:
    """Return the default case file in the platform's user data folder."""
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return folder / f"default{CASE_SUFFIX}"


@dataclass
class Case:
    """An open case: its file (or server URL), engine, session factory and who works on it.

    ``path`` is None for a case on a server; ``url`` is then its address without password.
    ``read_only`` is True when the analyst may only read (a reader on the server).
    """

    path: Path | None
    engine: Engine
    session_factory: sessionmaker[Session]
    actor: str
    backup: Path | None = None
    url: str | None = None
    read_only: bool = False

    @property
    def location(self) -> str:
        """Return where the case lives: the file path, or the server URL without password."""
        return self.url if self.url is not None else str(self.path)

    @property
    def name(self) -> str:
        """Return a short name: the file name without suffix, or the database name."""
        if self.path is not None:
            return self.path.stem
        return self.engine.url.database or "case"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Yield a session whose work is committed at the end, or rolled back on error.

        Raises:
            ConflictError: Another analyst changed a row this action read (its version moved).
            ReadOnlyError: The analyst may not write to this case.
            NotSavedError: The connection to the server was lost; the next action reconnects.
        """
        try:
            with self.session_factory() as session, session.begin():
                yield session
        except StaleDataError as exc:
            raise ConflictError("another analyst changed this meanwhile; nothing was saved") \
                from exc
        except DBAPIError as exc:
            kind = failure_kind(exc)
            if kind == "lost":
                raise NotSavedError("not saved: the connection to the case server was lost; "
                                    "try again") from exc
            if kind == "denied":
                raise ReadOnlyError("not saved: this case is read-only for you") from exc
            raise

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


def open_case(target: Path | str, *, actor: str | None = None, create: bool = True) -> Case:
    """Open or create a case, migrating it (a file after a backup) to the current schema.

    Args:
        target: The case file, or a ``postgresql://`` URL of a database on a case server.
        actor: Who is working on it (the login name when None).
        create: Create a new case when there is none at ``target``; read-only commands pass
            False, so that a mistyped path is an error instead of a new empty case.

    Raises:
        CaseOpenError: With a one-line reason an analyst understands.
    """
    if is_server_url(target):
        return _open_server(str(target), actor or current_user(), create)
    path = Path(target).expanduser().resolve()
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
    case = Case(path, engine, make_session_factory(engine), actor or current_user(), backup)
    _ensure_meta(case)
    return case


def _open_server(url: str, actor: str, create: bool) -> Case:
    """Open the case in a server database; nothing is written when it cannot be reached."""
    shown = display_url(url)
    engine = make_engine(url)
    try:
        if not create and migrate.current_revision(engine) is None:
            raise CaseOpenError(f"no case in the database at {shown}")
        if migrate.current_revision(engine) != migrate.head_revision():
            migrate.upgrade(engine, None)
        read_only = not writable(engine)
    except migrate.UnknownSchemaError as exc:
        engine.dispose()
        raise CaseOpenError(str(exc)) from exc
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise CaseOpenError(f"cannot open the case at {shown}: {reason}") from exc
    except CaseOpenError:
        engine.dispose()
        raise
    case = Case(None, engine, make_session_factory(engine), actor, None, shown, read_only)
    if not read_only:
        _ensure_meta(case)
    return case


def current_user() -> str:
    """Return the analyst's login name (``analyst`` when the system does not say)."""
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
                        CaseMeta(key="title", value=case.name),
                    ]
                )
    except IntegrityError:
        pass  # another analyst opened the new case at the same moment and wrote them


def case_info(case: Case) -> CaseInfo:
    """Return the case's title and counts."""
    with case.reading() as session:
        title = session.get(CaseMeta, "title")
        return CaseInfo(
            path=case.location,
            title=title.value if title else case.name,
            documents=session.scalar(select(func.count()).select_from(Document)) or 0,
            mentions=session.scalar(select(func.count()).select_from(Mention)) or 0,
            entities=session.scalar(select(func.count()).select_from(Entity)) or 0,
        )
