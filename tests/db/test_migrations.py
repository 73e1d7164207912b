"""The schema comes from Alembic only, matches the ORM models, and protects the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from db.migrate import backup_case_file, current_revision, head_revision, include_object
from db.models import AuditEntry, Base, Document
from desktop.services.case import CaseOpenError, open_case


def test_migration_from_empty_file_creates_every_table(case):
    tables = set(inspect(case.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revision(case.engine) == head_revision()


def test_models_and_migrations_do_not_drift(case):
    with case.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations disagree: {diff}"


@pytest.mark.sqlite_only
def test_case_file_uses_wal_and_foreign_keys(case):
    with case.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_audit_log_refuses_edits_and_deletes(case):
    with case.transaction() as session:
        session.add(AuditEntry(actor="a", app_version="1", action="x", target_type="t"))
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"):
            with case.transaction() as session:
                session.execute(text(statement))


def test_reopening_a_current_case_makes_no_backup(case_path):
    open_case(case_path).close()
    reopened = open_case(case_path)
    assert reopened.backup is None
    reopened.close()


@pytest.mark.sqlite_only
def test_backup_copies_every_row(case, tmp_path):
    with case.transaction() as session:
        session.add(Document(title="t", text="x", text_sha256="0" * 64))
    copy = backup_case_file(case.path, head_revision())
    rows = sqlite3.connect(copy).execute("SELECT title FROM documents").fetchall()
    assert rows == [("t",)]


def test_opening_a_file_that_is_not_a_case_says_so(tmp_path: Path):
    bogus = tmp_path / "notes.casedesk"
    bogus.write_text("these are my notes, not a database")
    with pytest.raises(CaseOpenError, match="not a Casedesk case file"):
        open_case(bogus)
    assert bogus.read_text() == "these are my notes, not a database"


def test_upgrade_of_an_older_case_backs_it_up_first(case_path):
    from alembic import command

    from db.engine import make_engine
    from db.migrate import alembic_config

    engine = make_engine(case_path)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO documents (title, language_source, text, text_sha256, source_format, "
            "extraction_state, imported_at) VALUES ('old', 'detected', 'x', :sha, 'text', "
            "'pending', '2024-01-01')"), {"sha": "1" * 64})
    engine.dispose()
    upgraded = open_case(case_path)
    assert upgraded.backup is not None and "backup-0001" in upgraded.backup.name
    backup_rows = sqlite3.connect(upgraded.backup).execute("SELECT title FROM documents").fetchall()
    assert backup_rows == [("old",)]
    assert current_revision(upgraded.engine) == head_revision()
    upgraded.close()


def _other_programs_database(path: Path) -> bytes:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO contacts (name) VALUES ('Ada')")
    connection.commit()
    connection.close()
    return path.read_bytes()


def test_opening_another_programs_sqlite_file_refuses_and_changes_nothing(tmp_path: Path):
    other = tmp_path / "contacts.db"
    before = _other_programs_database(other)
    with pytest.raises(CaseOpenError, match=r"^contacts.db is an SQLite database of another "
                       r"program \(tables: contacts\), not a Casedesk case file"):
        open_case(other)
    assert other.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["contacts.db"], "no backup, WAL or journal"


def test_upgrade_refuses_another_programs_database_without_adding_tables(tmp_path: Path):
    from db.engine import make_engine
    from db.migrate import NotACaseError, upgrade

    other = tmp_path / "contacts.db"
    _other_programs_database(other)
    engine = make_engine(other)
    with pytest.raises(NotACaseError, match="not a Casedesk case file"):
        upgrade(engine, other)
    assert inspect(engine).get_table_names() == ["contacts"]
    engine.dispose()


def test_two_analysts_opening_a_new_server_case_at_once_both_get_it(pg_server):
    import threading

    url = pg_server.new_database(migrated=False)
    opened, failed = [], []

    def open_it(actor):
        try:
            opened.append(open_case(url, actor=actor))
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            failed.append(exc)

    threads = [threading.Thread(target=open_it, args=(name,)) for name in ("anna", "ben")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failed == [] and len(opened) == 2
    assert {current_revision(case.engine) for case in opened} == {head_revision()}
    for case in opened:
        case.close()
    pg_server.drop_database(url)


def test_mentions_take_the_import_origin_and_refuse_unknown_ones(case):
    from db.models import Mention

    with case.transaction() as session:
        doc = Document(title="t", text="Kiew", text_sha256="1" * 64)
        session.add(doc)
        session.flush()
        session.add(Mention(document_id=doc.id, start=0, end=4, text="Kiew", label="LOC",
                            origin="import", status="accepted", pipeline_version=2))
    with pytest.raises(IntegrityError, match="(?i)check"):
        with case.transaction() as session:
            session.add(Mention(document_id=doc.id, start=0, end=4, text="Kiew", label="LOC",
                                origin="guess"))
    with case.reading() as session:
        stored = session.scalars(select(Mention)).one()
        assert (stored.origin, stored.pipeline_version) == ("import", 2)
        assert session.get(Document, doc.id).language_guessed is False


@pytest.mark.sqlite_only
def test_new_documents_are_found_by_full_text_search_after_every_revision(case):
    with case.transaction() as session:
        session.add(Document(title="t", text="Der Kanzler reiste nach Kiew.", text_sha256="2" * 64))
    with case.reading() as session:
        hits = session.scalars(text(
            "SELECT rowid FROM fts_documents WHERE fts_documents MATCH 'Kanzler'")).all()
    assert len(hits) == 1
