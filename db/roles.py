"""Roles of a case on a PostgreSQL server: analysts read and write, readers only read."""

from __future__ import annotations

from sqlalchemy import Connection, text

ANALYSTS = "casedesk_analysts"
READERS = "casedesk_readers"


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote(name)


def create_roles(connection: Connection) -> None:
    """Create the two group roles (once per server) and grant them this database's tables.

    Analysts may read and change every table but only add to the audit log (its trigger
    refuses changes from anyone; the missing grants say so once more). Readers may read every
    table, the audit log included. Run again after an upgrade: new tables get the grants too.
    """
    database = _quote(connection, connection.scalar(text("SELECT current_database()")))
    for role in (ANALYSTS, READERS):
        connection.execute(text(
            f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"))
        connection.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {role}"))
        connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}"))
    connection.execute(text(
        f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ANALYSTS}"))
    connection.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {ANALYSTS}"))
    connection.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ANALYSTS}"))


def grant(connection: Connection, user: str, role: str) -> None:
    """Make an existing login role (an analyst's account) a member of ``role``."""
    if role not in (ANALYSTS, READERS):
        raise ValueError(f"unknown Casedesk role {role!r}")
    connection.execute(text(f"GRANT {role} TO {_quote(connection, user)}"))
