"""Change notifications of a case on a server: LISTEN to what the triggers of revision 0005 send."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

CHANNEL = "casedesk_changes"


def _listening_connection(engine: Engine) -> Any:  # noqa: ANN401 - the driver's connection
    """Return a psycopg connection of its own (out of the pool), listening on the channel."""
    raw = engine.raw_connection()
    connection = raw.driver_connection
    assert connection is not None  # a pooled connection always has its driver connection
    raw.detach()  # never returned to the pool: it stays in LISTEN mode for its whole life
    connection.rollback()
    connection.autocommit = True
    connection.execute(f"LISTEN {CHANNEL}")
    return connection


def notifications(engine: Engine, stop: Callable[[], bool], *,
                  poll: float = 1.0) -> Iterator[dict[str, Any]]:
    """Yield the payload of each change other connections commit, until ``stop()`` is true.

    SQLite has no notifications (one analyst per file): nothing is yielded and the generator
    ends at once. A lost connection is opened again after ``poll`` seconds.

    Args:
        engine: The case's engine.
        stop: Asked every ``poll`` seconds, and after each notification.
        poll: Seconds between checks of ``stop``.
    """
    if engine.dialect.name != "postgresql":
        return
    import psycopg

    connection = None
    while not stop():
        try:
            if connection is None or connection.closed:
                connection = _listening_connection(engine)
            for note in connection.notifies(timeout=poll):
                yield json.loads(note.payload)
                if stop():
                    break
        except (psycopg.OperationalError, DBAPIError):
            connection = None
            time.sleep(poll)
    if connection is not None:
        connection.close()
