"""Extracting again replaces untouched suggestions and keeps every mention the analyst worked on."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Mention
from db.review_queries import snapshot
from desktop.dto import Target
from desktop.services import notes as notes_service
from desktop.services import review
from desktop.services import tags as tags_service
from desktop.services.analysis import AnalyzerProvider
from desktop.services.extract_entities import extract_documents, set_language
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end

ARTICLE = (Path(__file__).resolve().parent.parent / "data" / "articles" / "en_sample.txt")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def provider():
    return AnalyzerProvider()


@pytest.fixture
def doc_id(case, provider) -> int:
    report = run_to_end(Importer(case, analyzer=ImportAnalyzer(provider)).import_documents(
        [pasted_document(ARTICLE.read_text())]))
    return report.lines[0].document_id


def mentions(case, doc_id: int) -> dict[int, object]:
    with case.reading() as session:
        rows = session.scalars(select(Mention).where(Mention.document_id == doc_id))
        return {m.id: snapshot(m) for m in rows}


def first(case, doc_id: int, text: str) -> int:
    return min(i for i, m in mentions(case, doc_id).items() if m.text == text)


def work_on(case, doc_id: int) -> set[int]:
    """Touch mentions in every way the analyst can; return their ids."""
    ids = {name: first(case, doc_id, name) for name in (
        "Oleksandr Syrskyi", "Russia", "400 million euros", "United Nations", "Donetsk", "Kyiv",
        "Moscow", "Ukrainian")}
    review.relabel(case, ids["Oleksandr Syrskyi"], "PER")
    review.set_flagged(case, ids["Russia"], True)
    start = mentions(case, doc_id)[ids["400 million euros"]].start
    review.adjust_span(case, ids["400 million euros"], start, start + len("400 million"))
    notes_service.add_note(case, Target("mention", ids["United Nations"]), "Which UN body?")
    tags_service.add_tag(case, Target("mention", ids["Donetsk"]), "front line")
    review.accept(case, ids["Kyiv"])
    review.reject(case, ids["Moscow"])
    both = review.apply_to_identical(case, ids["Ukrainian"], "relabel", "ORG")
    assert len(both.changed_ids) == 2
    return set(ids.values()) | set(both.changed_ids)


def test_extracting_again_keeps_every_mention_the_analyst_touched(case, provider, doc_id):
    touched = work_on(case, doc_id)
    before = mentions(case, doc_id)
    stored = run_to_end(extract_documents(case, provider.analyzer(), [doc_id]))
    after = mentions(case, doc_id)
    assert {i: after.get(i) for i in touched} == {i: before[i] for i in touched}
    assert [m.label for m in after.values() if m.text == "Oleksandr Syrskyi"] == ["PER"]
    spans = [(m.start, m.end) for m in after.values()]
    assert len(spans) == len(set(spans)), "a kept mention got a second, identical suggestion"
    assert [n.text for n in notes_service.list_notes(case, Target("mention", first(
        case, doc_id, "United Nations")))] == ["Which UN body?"]
    assert tags_service.list_tags(case, Target("mention", first(case, doc_id, "Donetsk"))) == [
        "front line"]
    untouched = len(before) - len(touched)
    # Every untouched suggestion came back fresh; only the narrowed span is suggested anew.
    assert stored == untouched + 1 and len(after) == len(before) + 1
    with case.reading() as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "extract_entities")).one()
    assert entry.after["replaced"] == untouched


def test_changing_the_language_keeps_a_relabelled_suggestion(case, provider, doc_id):
    syrskyi = first(case, doc_id, "Oleksandr Syrskyi")
    review.relabel(case, syrskyi, "PER")
    set_language(case, doc_id, "fr")  # no pipeline: every untouched suggestion goes
    run_to_end(extract_documents(case, provider.analyzer(), [doc_id]))
    assert [(m.id, m.label, m.status) for m in mentions(case, doc_id).values()] == [
        (syrskyi, "PER", "suggested")]
