"""Extraction inside a case: mentions with provenance, entities across documents, places."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Document, Entity, EntityMerge, Mention, Place, PlaceCandidate
from desktop.services.analysis import AnalyzerProvider
from desktop.services.extract_entities import extract_documents, set_language
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def provider():
    return AnalyzerProvider()


def _import_text(case, provider, text: str) -> int:
    report = run_to_end(
        Importer(case, analyzer=provider.for_import()).import_documents([pasted_document(text)])
    )
    return report.lines[0].document_id


def _entity(session, label: str, name: str) -> Entity:
    return session.scalars(
        select(Entity).where(Entity.label == label, Entity.canonical_name == name)
    ).one()


def test_english_article_mentions_carry_model_version_and_confidence(case, provider):
    doc_id = _import_text(case, provider, (ARTICLES / "en_sample.txt").read_text())
    with case.reading() as session:
        doc = session.get(Document, doc_id)
        assert (doc.language, doc.extraction_state) == ("en", "done")
        mentions = session.scalars(select(Mention).where(Mention.document_id == doc_id)).all()
        assert all(doc.text[m.start : m.end] == m.text for m in mentions)
        model = [m for m in mentions if m.origin == "model"]
        assert model and all(m.model_name and m.model_version and m.confidence for m in model)
        assert {m.status for m in mentions} == {"suggested"}


def test_a_person_named_twice_is_one_entity_with_the_reason_recorded(case, provider):
    _import_text(case, provider, (ARTICLES / "en_sample.txt").read_text())
    with case.reading() as session:
        zelensky = _entity(session, "PER", "Volodymyr Zelensky")
        names = {m.text for m in zelensky.mentions}
        assert {"Volodymyr Zelensky", "Zelensky"} <= names


def test_places_resolve_to_gazetteer_places_with_alternatives_kept(case, provider):
    _import_text(case, provider, (ARTICLES / "en_sample.txt").read_text())
    with case.reading() as session:
        kyiv = session.scalars(
            select(Entity).join(Place).where(Place.gazetteer_id == "gn:703448")
        ).one()
        assert kyiv.label == "LOC" and kyiv.place.kind == "city"
        assert abs(kyiv.place.lat - 50.45) < 0.5 and abs(kyiv.place.lon - 30.52) < 0.5
        alternatives = session.scalars(
            select(PlaceCandidate).where(PlaceCandidate.entity_id == kyiv.id)
        ).all()
        assert len(alternatives) >= 2, "the oblast of the same name stays available"
        kursk = session.scalars(
            select(Entity).join(Place).where(Place.gazetteer_id == "ne1:RU-KRS")
        ).one()
        assert kursk.place.kind == "admin1"


def test_same_place_in_two_spellings_merges_automatically_and_says_why(case, provider):
    _import_text(
        case,
        provider,
        "Officials in Kyiv said the talks went well on Monday.\n"
        "Later, officials in Kiev repeated that the talks in Kyiv went well.",
    )
    with case.reading() as session:
        [entity] = session.scalars(
            select(Entity).join(Place).where(Place.gazetteer_id == "gn:703448")
        ).all()
        assert {"Kyiv", "Kiev"} <= {m.text for m in entity.mentions}
        merge = session.scalars(
            select(EntityMerge).where(EntityMerge.kept_entity_id == entity.id)
        ).one()
        assert merge.automatic and "gn:703448" in merge.reason


def test_unsupported_language_gets_a_notice_and_no_entities(case, provider):
    doc_id = _import_text(
        case,
        provider,
        "Le président a rencontré les ministres à Paris hier "
        "pour discuter du budget de l'année prochaine et des réformes.",
    )
    with case.reading() as session:
        doc = session.get(Document, doc_id)
        assert doc.extraction_state == "unsupported" and doc.extraction_notice
        assert session.scalars(select(Mention).where(Mention.document_id == doc_id)).all() == []


def test_extracting_again_keeps_what_the_analyst_decided(case, provider):
    doc_id = _import_text(case, provider, (ARTICLES / "en_sample.txt").read_text())
    with case.transaction() as session:
        first = session.scalars(
            select(Mention).where(Mention.document_id == doc_id).order_by(Mention.start)
        ).first()
        first.status = "accepted"
        kept = (first.start, first.end, first.label)
        before = session.scalars(select(Mention).where(Mention.document_id == doc_id)).all()
        count_before = len(before)
    stored = run_to_end(extract_documents(case, provider.analyzer(), [doc_id]))
    with case.reading() as session:
        rows = session.scalars(select(Mention).where(Mention.document_id == doc_id)).all()
        accepted = [(m.start, m.end, m.label) for m in rows if m.status == "accepted"]
        assert accepted == [kept]
        assert len(rows) == count_before and stored == count_before - 1
        actions = [a.action for a in session.scalars(select(AuditEntry))]
        assert actions.count("extract_entities") == 1


def test_language_set_by_hand_is_audited_and_used(case, provider):
    doc_id = _import_text(case, provider, (ARTICLES / "en_sample.txt").read_text())
    assert set_language(case, doc_id, "fr") == "en"
    run_to_end(extract_documents(case, provider.analyzer(), [doc_id]))
    with case.reading() as session:
        doc = session.get(Document, doc_id)
        assert (doc.language, doc.language_source, doc.extraction_state) == (
            "fr",
            "analyst",
            "unsupported",
        )
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "set_language")).one()
        assert entry.before == {"language": "en"} and entry.after == {"language": "fr"}


def test_german_and_english_articles_share_people_and_places(case, provider):
    _import_text(case, provider, (ARTICLES / "de_kursk_test.txt").read_text())
    _import_text(case, provider, (ARTICLES / "en_sample.txt").read_text())
    with case.reading() as session:
        kyiv = session.scalars(
            select(Entity).join(Place).where(Place.gazetteer_id == "gn:703448")
        ).one()
        assert {"Kiew", "Kyiv"} <= {m.text for m in kyiv.mentions}
        assert len({m.document_id for m in kyiv.mentions}) == 2
        people = session.scalars(select(Entity).where(Entity.label == "PER")).all()
        zelensky = [e for e in people if {"Selenskyj", "Zelensky"} & {m.text for m in e.mentions}]
        assert len(zelensky) == 1, [(e.canonical_name, e.aliases) for e in zelensky]
        assert len({m.document_id for m in zelensky[0].mentions}) == 2
        oblast = session.scalars(
            select(Entity).join(Place).where(Place.gazetteer_id == "ne1:RU-KRS")
        ).one()
        assert {m.document_id for m in oblast.mentions} == {1, 2}
