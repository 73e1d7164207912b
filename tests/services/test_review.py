"""Review actions change stored mentions, write the audit log, and can be undone and redone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Entity, Mention
from desktop.dto import Target
from desktop.services import audit, entities, review, review_queue
from desktop.services import notes as notes_service
from desktop.services import tags as tags_service
from desktop.services.review import ReviewError
from tests.factories import ARTICLE, SEED, seed_article

BODY = ARTICLE.index("\n\n")


def stored(case, mention_id: int) -> Mention | None:
    with case.reading() as session:
        return session.get(Mention, mention_id)


def actions(case) -> list[str]:
    with case.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def ids(case):
    return seed_article(case)


def test_accept_stores_status_and_audits_before_and_after(case, ids):
    change = review.accept(case, ids["Kiew"])
    assert stored(case, ids["Kiew"]).status == "accepted"
    with case.reading() as session:
        entry = session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor, entry.target_id) == ("mention.accept", "tester", ids["Kiew"])
    assert entry.before["status"] == "suggested" and entry.after["status"] == "accepted"
    assert change.changed_ids == (ids["Kiew"],)


def test_undo_and_redo_of_a_reject_are_audited(case, ids):
    change = review.reject(case, ids["dpa"])
    review.restore_mentions(case, change)
    assert stored(case, ids["dpa"]).status == "suggested"
    review.reapply_mentions(case, change)
    assert stored(case, ids["dpa"]).status == "rejected"
    assert actions(case) == ["mention.reject", "undo:mention.reject", "redo:mention.reject"]


def test_relabel_refuses_unknown_labels(case, ids):
    review.relabel(case, ids["dpa"], "MISC")
    assert stored(case, ids["dpa"]).label == "MISC"
    with pytest.raises(ReviewError, match="unknown label"):
        review.relabel(case, ids["dpa"], "WEAPON")


def test_adjust_span_reslices_text_from_the_document(case, ids):
    start = ARTICLE.index("Bundeskanzler Olaf Scholz")
    review.adjust_span(case, ids["Olaf Scholz"], start, start + len("Bundeskanzler Olaf Scholz"))
    assert stored(case, ids["Olaf Scholz"]).text == "Bundeskanzler Olaf Scholz"
    with pytest.raises(ReviewError, match="outside the document"):
        review.adjust_span(case, ids["Olaf Scholz"], 10, len(ARTICLE) + 5)


def test_added_mention_is_accepted_analyst_and_deletable_with_undo(case, ids):
    start = ARTICLE.index("Präsidenten")
    change = review.add_mention(case, ids["document"], start, start + 11, "MISC")
    (new,) = change.after
    assert (new.text, new.origin, new.status) == ("Präsidenten", "analyst", "accepted")
    deleted = review.delete_mention(case, new.id)
    assert stored(case, new.id) is None
    review.restore_mentions(case, deleted)
    assert stored(case, new.id).text == "Präsidenten"


def entity_names(case) -> set[str]:
    with case.reading() as session:
        return set(session.scalars(select(Entity.canonical_name)))


def test_undone_added_mention_leaves_no_empty_entity_and_redo_links_it_again(case, ids):
    before = entity_names(case)
    start = ARTICLE.index("Präsidenten")
    change = review.add_mention(case, ids["document"], start, start + 11, "ORG")
    assert len(entity_names(case) - before) == 1
    review.restore_mentions(case, change)
    assert entity_names(case) == before
    (redone,) = review.reapply_mentions(case, change).after
    with case.reading() as session:
        assert session.get(Mention, redone.id).entity is not None
    assert len(entity_names(case) - before) == 1


def test_an_entity_with_a_note_stays_when_its_last_mention_is_deleted(case, ids):
    start = ARTICLE.index("Präsidenten")
    (new,) = review.add_mention(case, ids["document"], start, start + 11, "ORG").after
    notes_service.add_note(case, Target("entity", new.entity_id), "prüfen")
    review.delete_mention(case, new.id)
    with case.reading() as session:
        kept = session.get(Entity, new.entity_id)
        assert kept is not None and not kept.mentions


def test_extracted_mentions_cannot_be_deleted(case, ids):
    with pytest.raises(ReviewError, match="reject it instead"):
        review.delete_mention(case, ids["Berlin"])


def test_split_and_join_round_trip(case, ids):
    mention_id = ids["Vereinten Nationen"]
    cut = ARTICLE.index(" Nationen")
    split = review.split_mention(case, mention_id, cut)
    left, right = split.after
    assert (left.text, right.text) == ("Vereinten", "Nationen")
    joined = review.join_mentions(case, left.id, right.id)
    assert joined.after[0].text == "Vereinten Nationen" and stored(case, right.id) is None
    review.restore_mentions(case, joined)
    review.restore_mentions(case, split)
    assert stored(case, mention_id).text == "Vereinten Nationen"
    assert stored(case, right.id) is None


def test_join_refuses_mentions_that_are_not_adjacent(case, ids):
    with pytest.raises(ReviewError, match="adjacent"):
        review.join_mentions(case, ids["Olaf Scholz"], ids["Kiew"])


def test_flag_toggles(case, ids):
    review.toggle_flag(case, ids["Berlin"])
    assert stored(case, ids["Berlin"]).flagged
    review.toggle_flag(case, ids["Berlin"])
    assert not stored(case, ids["Berlin"]).flagged


def test_apply_to_identical_changes_every_document_and_undoes_at_once(case, ids):
    other = seed_article(case, ARTICLE + "\nNachtrag.", sha="b" * 64)
    change = review.apply_to_identical(case, ids["Berlin"], "accept")
    assert set(change.changed_ids) == {ids["Berlin"], other["Berlin"]}
    assert stored(case, other["Berlin"]).status == "accepted"
    review.restore_mentions(case, change)
    assert stored(case, other["Berlin"]).status == "suggested"
    assert len(actions(case)) == 2


def test_queue_is_least_confident_first_with_unscored_last(case, ids):
    batch = review_queue.review_queue(case, ids["document"])
    texts = [item.mention.text for item in batch.items]
    assert texts[:3] == ["dpa", "Bundesregierung", "Vereinten Nationen"]
    assert texts[-1] == "Wolodymyr Selenskyj"
    assert batch.remaining == len(SEED)
    first = batch.items[0]
    assert first.sentence.startswith("Nach Angaben der Nachrichtenagentur dpa")
    assert first.sentence.endswith("Nationen.")
    assert ARTICLE[first.sentence_start:].startswith(first.sentence)


def test_queue_skips_and_counts_what_is_left(case, ids):
    review.accept(case, ids["dpa"])
    batch = review_queue.review_queue(case, skip=[ids["Bundesregierung"]], limit=2)
    assert [i.mention.text for i in batch.items] == ["Vereinten Nationen", "Berlin"]
    assert batch.remaining == len(SEED) - 1


def test_entity_link_survives_undo_of_a_delete(case, ids):
    with case.transaction() as session:
        entity = Entity(label="PER", canonical_name="Olaf Scholz", aliases=[])
        session.add(entity)
        session.flush()
        session.get(Mention, ids["Scholz"]).entity_id = entity.id
    split = review.split_mention(case, ids["Olaf Scholz"], ARTICLE.index(" Scholz ist"))
    review.restore_mentions(case, split)
    assert stored(case, ids["Scholz"]).entity_id == entity.id


def test_apply_to_identical_leaves_mentions_decided_elsewhere(case, ids):
    decided = [seed_article(case, ARTICLE + f"\n{n}.", sha=f"{n}" * 64) for n in "bc"]
    pending = seed_article(case, ARTICLE + "\nd.", sha="d" * 64)
    for other in decided:
        review.accept(case, other["Berlin"])
    change = review.apply_to_identical(case, ids["Berlin"], "reject")
    assert set(change.changed_ids) == {ids["Berlin"], pending["Berlin"]}
    assert [stored(case, o["Berlin"]).status for o in decided] == ["accepted", "accepted"]
    assert stored(case, pending["Berlin"]).status == "rejected"
    review.restore_mentions(case, change)
    assert [stored(case, o["Berlin"]).status for o in decided] == ["accepted", "accepted"]
    assert stored(case, pending["Berlin"]).status == "suggested"


def test_apply_to_identical_shows_in_the_history_of_each_document(case, ids):
    other = seed_article(case, ARTICLE + "\nNachtrag.", sha="b" * 64)
    untouched = seed_article(case, ARTICLE.replace("Berlin", "Bern"), sha="c" * 64,
                             seed=[s for s in SEED if s[0] != "Berlin"])
    change = review.apply_to_identical(case, ids["Berlin"], "relabel", "ORG")
    review.restore_mentions(case, change)
    for doc in (ids["document"], other["document"]):
        log = audit.audit_log(case, Target("document", doc))
        assert [row.action for row in log] == [
            "undo:mention.relabel_identical", "mention.relabel_identical"]
    assert audit.audit_log(case, Target("document", untouched["document"])) == []


def test_labelling_a_suggested_span_accepts_it_instead_of_adding_a_duplicate(case, ids):
    kiew = stored(case, ids["Kiew"])
    change = review.add_mention(case, ids["document"], kiew.start, kiew.end, "LOC")
    assert change.changed_ids == (ids["Kiew"],) and stored(case, ids["Kiew"]).status == "accepted"
    with pytest.raises(ReviewError, match='"Kiew" is already marked as LOC'):
        review.add_mention(case, ids["document"], kiew.start, kiew.end, "LOC")
    review.add_mention(case, ids["document"], kiew.start, kiew.end, "ORG")
    with case.reading() as session:
        labels = session.scalars(select(Mention.label).where(
            Mention.document_id == ids["document"], Mention.start == kiew.start))
        assert sorted(labels) == ["LOC", "ORG"]
    assert actions(case) == ["mention.accept", "mention.add"]
    review.restore_mentions(case, change)
    assert stored(case, ids["Kiew"]).status == "suggested"


def test_labelling_an_added_span_again_is_refused(case, ids):
    start = ARTICLE.index("Präsidenten")
    review.add_mention(case, ids["document"], start, start + 11, "MISC")
    with pytest.raises(ReviewError, match='"Präsidenten" is already marked as MISC here'):
        review.add_mention(case, ids["document"], start, start + 11, "MISC")
    with case.reading() as session:
        assert len(session.scalars(select(Mention).where(Mention.origin == "analyst")).all()) == 1


def test_join_keeps_notes_and_tags_and_undo_gives_them_back(case, ids):
    left, right = review.split_mention(case, ids["Vereinten Nationen"],
                                       ARTICLE.index(" Nationen")).after
    on_left, on_right = Target("mention", left.id), Target("mention", right.id)
    notes_service.add_note(case, on_right, "UN oder UNO?")
    tags_service.add_tag(case, on_right, "Organisation")
    tags_service.add_tag(case, on_right, "prüfen")
    tags_service.add_tag(case, on_left, "prüfen")
    joined = review.join_mentions(case, left.id, right.id)
    assert [n.text for n in notes_service.list_notes(case, on_left)] == ["UN oder UNO?"]
    assert tags_service.list_tags(case, on_left) == ["Organisation", "prüfen"]
    review.restore_mentions(case, joined)
    assert [n.text for n in notes_service.list_notes(case, on_right)] == ["UN oder UNO?"]
    assert tags_service.list_tags(case, on_right) == ["Organisation", "prüfen"]
    assert notes_service.list_notes(case, on_left) == []
    assert tags_service.list_tags(case, on_left) == ["prüfen"]
    review.reapply_mentions(case, joined)
    assert stored(case, right.id) is None
    assert [n.text for n in notes_service.list_notes(case, on_left)] == ["UN oder UNO?"]
    assert tags_service.list_tags(case, on_left) == ["Organisation", "prüfen"]
    review.restore_mentions(case, joined)
    assert [n.text for n in notes_service.list_notes(case, on_right)] == ["UN oder UNO?"]
    assert tags_service.list_tags(case, on_right) == ["Organisation", "prüfen"]


def test_added_mention_becomes_a_case_entity(case):
    ids = seed_article(case)
    word = "Nachrichtenagentur"
    start = ARTICLE.index(word, ARTICLE.index("\n\n"))
    change = review.add_mention(case, ids["document"], start, start + len(word), "ORG")
    [added] = change.after
    assert added.entity_id is not None
    row = entities.entity_row(case, added.entity_id)
    assert (row.label, row.canonical_name, row.mention_count) == ("ORG", word, 1)
    assert added.entity_id in change.changes.entities and change.changes.places


def test_relabel_links_the_mention_to_an_entity_of_the_new_label(case):
    ids = seed_article(case)
    with case.transaction() as session:
        place = Entity(label="LOC", canonical_name="Berlin", aliases=[])
        session.add(place)
        session.flush()
        place_id = place.id
        session.get(Mention, ids["Berlin"]).entity_id = place_id
    review.relabel(case, ids["Berlin"], "ORG")
    org = stored(case, ids["Berlin"]).entity_id
    assert org != place_id and entities.entity_row(case, org).label == "ORG"
    review.relabel(case, ids["Berlin"], "LOC")
    assert stored(case, ids["Berlin"]).entity_id == place_id  # back with the place entity
    review.relabel(case, ids["Berlin"], "DATE")
    assert stored(case, ids["Berlin"]).entity_id is None
