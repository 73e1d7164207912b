"""Engines for a case: an SQLite file (WAL, foreign keys) or a PostgreSQL server URL."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_url(target: str | Path) -> bool:
    """Return True when ``target`` names a PostgreSQL database rather than a case file."""
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


def server_url(target: str) -> URL:
    """Return the SQLAlchemy URL (psycopg 3 driver) of a ``postgresql://`` address.

    A password left out of the address is not looked up here: libpq itself reads
    ``PGPASSWORD`` and ``~/.pgpass`` when it connects.
    """
    return make_url(target).set(drivername="postgresql+psycopg")


def display_url(target: str) -> str:
    """Return ``target`` without its password: what settings and windows may show and keep."""
    parts = urlsplit(target)
    if parts.password is None:
        return target
    user = f"{parts.username}@" if parts.username else ""
    host = parts.netloc.rsplit("@", 1)[1]
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{user}{host}{parts.path}{query}"


def _set_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API types
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=10000")  # first: the statements below may wait too
    # WAL lets the UI read while a worker writes; foreign keys are off by default in SQLite.
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch a new case file to WAL; the file keeps it, so later connections find it set.

    Several processes opening one new case at once race for the switch, and SQLite answers
    "database is locked" to the losers at once instead of waiting: they try again.
    """
    deadline = time.monotonic() + 10.0
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# A pooled server connection idle this long is pinged before use; one used more recently is
# trusted (a review session decides every few seconds: a ping is a round trip per action).
PING_AFTER_IDLE = 10.0


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Ping a connection that sat idle in the pool; a dead one is replaced before use."""
    if time.monotonic() - record.info.get("returned", 0.0) < PING_AFTER_IDLE:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as exc:  # noqa: BLE001 - any failure means: use a new connection
        raise DisconnectionError(str(exc)) from exc


def _mark_returned(_dbapi_connection: Any, record: Any) -> None:
    record.info["returned"] = time.monotonic()


def make_engine(target: Path | str) -> Engine:
    """Return an engine for a case file path or a ``postgresql://`` URL.

    A server engine pings a pooled connection that sat idle before using it, so the first
    action after the server went away meanwhile reconnects instead of failing. A connection
    lost during an action fails that action (not saved) and the pool reconnects for the next.
    """
    if is_server_url(target):
        engine = create_engine(server_url(str(target)),
                               # Times are UTC in both engines, whatever the server's zone.
                               connect_args={"connect_timeout": 5,
                                             "options": "-c timezone=UTC"})
        event.listen(engine, "checkout", _ping_if_idle)
        event.listen(engine, "connect", _mark_returned)
        event.listen(engine, "checkin", _mark_returned)
        return engine
    engine = create_engine(f"sqlite:///{Path(target)}", future=True)
    event.listen(engine, "connect", _set_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


# SQLSTATEs of a connection that is gone: class 08 (connection exception), server shut down.
_LOST = ("08", "57P01", "57P02", "57P03")


def failure_kind(exc: DBAPIError) -> str | None:
    """Say what a database error means for the action: ``lost``, ``denied`` or None.

    ``lost``: the connection broke (the pool reconnects on the next action); ``denied``: the
    role may not write. Anything else is a bug or a constraint, for the caller to raise.
    """
    state = getattr(exc.orig, "sqlstate", None) or ""
    if exc.connection_invalidated or state.startswith(_LOST):
        return "lost"
    if state == "42501":  # insufficient_privilege
        return "denied"
    return None


def writable(engine: Engine) -> bool:
    """Return True when the case's user may change analyst work (mentions) in it."""
    if engine.dialect.name != "postgresql":
        return True
    with engine.connect() as connection:
        return bool(connection.scalar(
            text("SELECT has_table_privilege(current_user, 'mentions', 'UPDATE')")))
