"""Team cases on a server: roles set up by init, readers read only, push and pull."""

from __future__ import annotations

import pytest
from pg import as_user
from sqlalchemy import func, select, text

from db.models import AuditEntry, Document, Mention
from desktop.services import review, review_queue, search
from desktop.services.case import ReadOnlyError, open_case
from desktop.services.server import TransferError, pull, push

TEXT = "Olaf Scholz reist nach Kiew. In Kiew trifft er Wolodymyr Selenskyj."


def seed(case) -> int:
    with case.transaction() as session:
        doc = Document(title="Reise", text=TEXT, text_sha256="d" * 64, language="de")
        session.add(doc)
        session.flush()
        start = TEXT.index("Kiew")
        mention = Mention(document_id=doc.id, start=start, end=start + 4, text="Kiew",
                          label="LOC", origin="model")
        session.add(mention)
        session.flush()
        return mention.id


def test_a_reader_sees_the_case_read_only_and_saves_nothing(team_url):
    owner = open_case(team_url)
    mention_id = seed(owner)
    owner.close()
    reader = open_case(as_user(team_url, "rita"))
    assert reader.read_only
    assert [h.title for h in search.search(reader, "Kiew")] == ["Reise"]
    with reader.reading() as session:
        assert session.scalars(select(AuditEntry.action)).all() == ["server.init"]
    with pytest.raises(ReadOnlyError, match="read-only"):
        review.accept(reader, mention_id)
    assert review_queue.mention_states(reader, [mention_id])[0].status == "suggested"
    reader.close()


def test_an_analyst_decides_and_the_audit_log_names_them_but_stays_append_only(team_url):
    owner = open_case(team_url)
    mention_id = seed(owner)
    owner.close()
    analyst = open_case(as_user(team_url, "anna"))
    assert not analyst.read_only and analyst.actor  # the login name when none is given
    analyst.close()
    analyst = open_case(as_user(team_url, "anna"), actor="Anna Berger")
    review.accept(analyst, mention_id)
    with analyst.reading() as session:
        assert session.execute(select(AuditEntry.actor, AuditEntry.action)
                               .order_by(AuditEntry.id)).all()[-1] == ("Anna Berger",
                                                                       "mention.accept")
    with pytest.raises(ReadOnlyError):  # no grant to change it, besides the trigger
        with analyst.transaction() as session:
            session.execute(text("DELETE FROM audit_log"))
    analyst.close()


def test_push_then_pull_moves_the_whole_case_and_verifies_it(tmp_path, pg_server):
    local = open_case(tmp_path / "desk.casedesk", actor="anna")
    mention_id = seed(local)
    review.accept(local, mention_id)
    local.close()
    url = pg_server.new_database(migrated=False)
    counts = push(tmp_path / "desk.casedesk", url)
    assert (counts["documents"], counts["mentions"]) == (1, 1)
    server = open_case(url, actor="ben")
    assert review_queue.mention_states(server, [mention_id])[0].status == "accepted"
    review.reject(server, mention_id)  # audit ids go on past the copied ones
    found = search.search(server, "Selenskyj")  # the copied text is indexed on arrival
    server.close()
    assert [hit.title for hit in found] == ["Reise"]
    pulled = pull(url, tmp_path / "back.casedesk")
    assert pulled == {"documents": 1, "mentions": 1}
    back = open_case(tmp_path / "back.casedesk", create=False)
    assert review_queue.mention_states(back, [mention_id])[0].status == "rejected"
    with back.reading() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[:2] == ["mention.accept", "case_file.imported"] and "case.pushed" in actions
    back.close()
    pg_server.drop_database(url)


def test_push_into_a_database_with_a_case_refuses_and_changes_nothing(tmp_path, pg_url):
    local = open_case(tmp_path / "desk.casedesk")
    seed(local)
    local.close()
    server = open_case(pg_url)
    with server.transaction() as session:
        session.add(Document(title="da", text="schon da", text_sha256="e" * 64))
    with pytest.raises(TransferError, match="already holds a case"):
        push(tmp_path / "desk.casedesk", pg_url)
    with server.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
    server.close()
