"""Several analysts on one case: conflicts, actors, concurrent writers, live changes, faults."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from db.models import AuditEntry, Document, Entity, Mention
from desktop.services import entities, live, review, review_queue, search
from desktop.services.case import CaseOpenError, ConflictError, NotSavedError, open_case
from desktop.services.import_documents import Importer, pasted_document

TEXT = ("Die Bundesregierung in Berlin berät über Hilfe für Kiew. Olaf Scholz trifft "
        "Wolodymyr Selenskyj in Warschau; die Flugabwehrsysteme sollen im Winter kommen.")
WORDS = ("Bundesregierung", "Berlin", "Kiew", "Olaf Scholz", "Wolodymyr Selenskyj", "Warschau")


def seed(case, sha: str = "c" * 64) -> tuple[int, list[int]]:
    """Store one German document with a suggested mention per word; return their ids."""
    with case.transaction() as session:
        doc = Document(title="Lage", text=TEXT, text_sha256=sha, language="de")
        session.add(doc)
        session.flush()
        mentions = []
        for word in WORDS:
            start = TEXT.index(word)
            mention = Mention(document_id=doc.id, start=start, end=start + len(word),
                              text=word, label="LOC", origin="model")
            session.add(mention)
            mentions.append(mention)
        session.add(Entity(label="PER", canonical_name="Olaf Scholz", aliases=[]))
        session.flush()
        return doc.id, [m.id for m in mentions]


def second_window(case, actor: str):
    """Open the same case again, as another analyst would."""
    return open_case(case.url or case.path, actor=actor)


def row_version(case, mention_id: int) -> int:
    return review_queue.mention_states(case, [mention_id])[0].version


def test_a_decision_on_a_mention_changed_meanwhile_conflicts(case):
    _, (first, *_) = seed(case)
    seen = row_version(case, first)
    review.accept(case, first, version=seen)
    with pytest.raises(ConflictError, match="another analyst changed \"Bundesregierung\"") as err:
        review.reject(case, first, version=seen)
    assert err.value.current.status == "accepted"
    assert review_queue.mention_states(case, [first])[0].status == "accepted"
    with case.reading() as session:
        assert session.scalars(select(AuditEntry.action)).all() == ["mention.accept"]


def test_two_analysts_saving_one_mention_at_once_the_second_gets_a_conflict(case):
    _, (first, *_) = seed(case)
    other = second_window(case, "ben")
    try:
        with pytest.raises(ConflictError):
            with other.transaction() as theirs:
                mention = theirs.get(Mention, first)
                review.accept(case, first)  # the first analyst saves while ben still edits
                mention.status = "rejected"
        assert review_queue.mention_states(case, [first])[0].status == "accepted"
    finally:
        other.close()


def test_renaming_an_entity_from_an_old_version_conflicts(case):
    seed(case)
    row = entities.list_entities(case)[0]
    entities.rename(case, row.id, "Scholz, Olaf", version=row.version)
    with pytest.raises(ConflictError, match="Scholz, Olaf"):
        entities.set_false_positive(case, row.id, version=row.version)
    assert entities.entity_row(case, row.id).false_positive is False


def test_every_audit_entry_names_its_analyst(case):
    _, (first, second, *_) = seed(case)
    other = second_window(case, "ben")
    try:
        review.accept(case, first)
        review.reject(other, second)
    finally:
        other.close()
    with case.reading() as session:
        rows = session.execute(select(AuditEntry.actor, AuditEntry.target_id)
                               .order_by(AuditEntry.id)).all()
    assert [tuple(r) for r in rows] == [("tester", first), ("ben", second)]


def _decide_all(case, mention_ids, verdict, tally) -> None:
    for mention_id in mention_ids:
        try:
            verdict(case, mention_id, version=1)
            tally["saved"] += 1
        except ConflictError:
            tally["conflicts"] += 1


@pytest.mark.slow
def test_two_writers_at_once_lose_and_overwrite_nothing(pg_url):
    cases = [open_case(pg_url, actor=name) for name in ("anna", "ben")]
    ids = []
    for n in range(10):
        ids += seed(cases[0], sha=f"{n:064d}")[1]
    tallies = [{"saved": 0, "conflicts": 0} for _ in cases]
    threads = [threading.Thread(target=_decide_all, args=(c, ids, verdict, t))
               for c, verdict, t in zip(cases, (review.accept, review.reject), tallies,
                                        strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with cases[0].reading() as session:
        versions = session.scalars(select(Mention.version).where(Mention.id.in_(ids))).all()
        audited = session.scalar(select(func.count()).select_from(AuditEntry))
    for case in cases:
        case.close()
    assert sum(t["saved"] for t in tallies) == len(ids) == audited
    assert sum(t["conflicts"] for t in tallies) == len(ids)
    assert set(versions) == {2}, "each mention decided exactly once"


@pytest.mark.slow
def test_imports_of_the_same_texts_at_once_store_each_text_once(pg_url):
    texts = [f"Meldung {n}: Treffen in Berlin und Kiew am {n}. März." for n in range(8)]
    cases = [open_case(pg_url, actor=name) for name in ("anna", "ben")]
    reports = []

    def run(case):
        importer = Importer(case).import_documents([pasted_document(t) for t in texts])
        try:
            while True:
                next(importer)
        except StopIteration as done:
            reports.append(done.value)

    threads = [threading.Thread(target=run, args=(c,)) for c in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with cases[0].reading() as session:
        stored = session.scalars(select(Document.text)).all()
    for case in cases:
        case.close()
    assert sorted(stored) == sorted(texts)
    statuses = [line.status for report in reports for line in report.lines]
    assert statuses.count("imported") == len(texts)
    assert statuses.count("duplicate") == len(texts)


def test_a_change_reaches_another_open_window(pg_url):
    mine, theirs = open_case(pg_url, actor="anna"), open_case(pg_url, actor="ben")
    doc_id, (first, *_) = seed(mine)
    seen, done = [], threading.Event()

    def listen():
        for change in live.watch(theirs, done.is_set, poll=0.1):
            seen.append(change)
            if change.table == "mentions":
                done.set()

    listener = threading.Thread(target=listen)
    listener.start()
    time.sleep(0.5)  # the listener's LISTEN is in place
    review.accept(mine, first)
    done.wait(10)
    done.set()
    listener.join()
    mine.close()
    theirs.close()
    update = next(c for c in seen if c.table == "mentions")
    assert (update.op, update.ids, update.document_ids) == ("update", (first,), (doc_id,))


def test_a_case_file_has_no_live_changes_and_the_watch_ends(case_path):
    case = open_case(case_path)
    assert list(live.watch(case, lambda: False)) == []
    case.close()


def test_server_down_at_open_says_so_and_creates_nothing(tmp_path):
    url = f"postgresql://analyst@/casedb?host={tmp_path}"
    with pytest.raises(CaseOpenError, match=r"^cannot open the case at postgresql://analyst@"):
        open_case(url)
    assert list(tmp_path.iterdir()) == []


def test_connection_lost_mid_action_is_not_saved_and_the_next_action_reconnects(pg_url,
                                                                               pg_server):
    case = open_case(pg_url, actor="anna")
    _, (first, second, *_) = seed(case)
    with pytest.raises(NotSavedError, match="connection to the case server was lost"):
        with case.transaction() as session:
            session.get(Mention, first).status = "accepted"
            session.flush()
            pid = session.scalar(text("SELECT pg_backend_pid()"))
            with pg_server.admin() as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            session.execute(text("SELECT 1"))
    assert review_queue.mention_states(case, [first])[0].status == "suggested"
    review.accept(case, second)
    assert review_queue.mention_states(case, [second])[0].status == "accepted"
    case.close()


def test_search_on_a_server_finds_german_words_by_their_stem(pg_url):
    case = open_case(pg_url)
    seed(case)
    hits = search.search(case, "Flugabwehrsystem")
    assert [(h.title, h.snippet.count("[Flugabwehrsysteme]")) for h in hits] == [("Lage", 1)]
    case.close()


def test_audit_log_refuses_truncate_even_for_the_superuser(pg_url):
    case = open_case(pg_url)
    _, (first, *_) = seed(case)
    review.accept(case, first)
    with pytest.raises(IntegrityError, match="append-only"):
        with case.transaction() as session:
            session.execute(text("TRUNCATE audit_log"))
    with case.reading() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == 1
    case.close()


def _drop_connections(pg_server, case) -> None:
    """End the server side of every connection the case holds (a server restart, as seen)."""
    with pg_server.admin() as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()",
                      (case.engine.url.database,))


def test_a_connection_dropped_while_idle_is_replaced_before_the_next_action(
        pg_url, pg_server, monkeypatch):
    from db import engine as db_engine

    case = open_case(pg_url, actor="anna")
    _, (first, *_) = seed(case)
    _drop_connections(pg_server, case)
    monkeypatch.setattr(db_engine, "PING_AFTER_IDLE", 0.0)  # as after a pause of the analyst
    review.accept(case, first)
    assert review_queue.mention_states(case, [first])[0].status == "accepted"
    case.close()


def test_a_connection_dropped_right_after_use_fails_one_action_then_reconnects(
        pg_url, pg_server):
    case = open_case(pg_url, actor="anna")
    _, (first, *_) = seed(case)
    _drop_connections(pg_server, case)
    with pytest.raises(NotSavedError, match="connection to the case server was lost"):
        review.accept(case, first)  # used a moment ago: not pinged, so this one is lost
    review.accept(case, first)
    assert review_queue.mention_states(case, [first])[0].status == "accepted"
    case.close()
