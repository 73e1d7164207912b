"""Extraction inside a case: mentions with provenance, entities across documents, places."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Document, Entity, EntityMerge, Mention, Place, PlaceCandidate
from desktop.cli import build_parser
from desktop.dto import Label
from desktop.io.documents import ImportedDocument
from desktop.nlp.pipeline import ExtractedEntity, ExtractionResult
from desktop.services.analysis import AnalyzerProvider, resolve_result
from desktop.services.extract_entities import extract_documents, set_language
from desktop.services.extract_files import extract_files
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import Importer, pasted_document
from desktop.services.steps import run_to_end

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def provider():
    return AnalyzerProvider()


def _import_text(case, provider, text: str, published: dt.date | None = None) -> int:
    document = pasted_document(text)
    if published is not None:
        document = ImportedDocument(document.title, document.text, published=published)
    importer = Importer(case, analyzer=ImportAnalyzer(provider))
    report = run_to_end(importer.import_documents([document]))
    return report.lines[0].document_id


def _dates(session, document_id: int) -> dict[str, dict]:
    rows = session.scalars(
        select(Mention).where(Mention.document_id == document_id, Mention.label == "DATE")
    )
    return {m.text: m.value for m in rows}


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


def test_place_names_that_end_in_s_resolve_to_their_own_place(case, provider):
    _import_text(case, provider, "Der Minister reiste von Paris nach Tunis und Damaskus.")
    with case.reading() as session:
        places = {
            e.canonical_name: e.place.gazetteer_id
            for e in session.scalars(select(Entity).where(Entity.label == "LOC"))
        }
    assert places == {"Paris": "gn:2988507", "Tunis": "gn:2464470", "Damaskus": "gn:170654"}


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "de",
            "Russlands Regierung und Moskaus Bürgermeister trafen sich in Paris. "
            "Südkoreas Botschafter reiste nach Tunis.",
            {
                "Russlands": ("Russland", "ne0:RUS"),
                "Moskaus": ("Moskau", "gn:524901"),
                "Paris": ("Paris", "gn:2988507"),
                "Südkoreas": ("Südkorea", "ne0:KOR"),
                "Tunis": ("Tunis", "gn:2464470"),
            },
        ),
        (
            "en",
            "The envoy flew from Paris to Tunis, then on to Athens, Damascus and Brussels.",
            {
                "Paris": ("Paris", "gn:2988507"),
                "Tunis": ("Tunis", "gn:2464470"),
                "Athens": ("Athens", "gn:264371"),
                "Damascus": ("Damascus", "gn:170654"),
                "Brussels": ("Brussels", "gn:2800866"),
            },
        ),
    ],
)
def test_places_keep_their_s_and_genitives_lose_it(provider, lang, text, expected):
    [analysis] = provider.analyzer().analyze([pasted_document(text)], [lang])
    found = {
        analysis.result.entities[i].text: (analysis.result.entities[i].canonical, r.chosen.id)
        for i, r in analysis.places.items()
        if r.chosen is not None
    }
    assert found == expected


@pytest.mark.parametrize(
    ("text", "surface", "expected"),
    [
        (
            "In Donezk fiel der Strom aus. Im Gebiet Donezk und in Charkiw wurde gekämpft.",
            "Donezk",
            ["gn:709717", "ne1:UA-14"],
        ),
        (
            "The Oblast Kursk was shelled overnight. In Kursk itself the power failed.",
            "Kursk",
            ["ne1:RU-KRS", "gn:538560"],
        ),
    ],
)
def test_a_repeated_name_is_resolved_by_the_cue_at_each_mention(
    case, provider, text, surface, expected
):
    doc_id = _import_text(case, provider, text)
    with case.reading() as session:
        mentions = session.scalars(
            select(Mention)
            .where(Mention.document_id == doc_id, Mention.text == surface)
            .order_by(Mention.start)
        ).all()
        assert [m.entity.place.gazetteer_id for m in mentions] == expected
        # The candidates shown with a mention start with the place it was resolved to.
        assert [m.value["place_ids"][0] for m in mentions] == expected


def test_relative_dates_of_a_pasted_text_refer_to_the_import_day(case, provider):
    text = "Gestern fiel in Kiew der Strom aus; im Oktober war es ruhig."
    doc_id = _import_text(case, provider, text)
    today = dt.date.today()
    with case.reading() as session:
        dates = _dates(session, doc_id)
    assert dates["Gestern"]["iso"] == (today - dt.timedelta(days=1)).isoformat()
    assert dates["Gestern"]["reference"] == today.isoformat()
    assert dates["Gestern"]["reference_source"] == "imported"
    assert dates["Oktober"]["iso"] is not None and dates["Oktober"]["iso"].endswith("-10")
    with case.transaction() as session:
        session.get(Document, doc_id).imported_at = dt.datetime(2024, 10, 31, 12, tzinfo=dt.UTC)
    run_to_end(extract_documents(case, provider.analyzer(), [doc_id]))
    with case.reading() as session:
        dates = _dates(session, doc_id)
    assert (dates["Gestern"]["iso"], dates["Gestern"]["reference"]) == ("2024-10-30", "2024-10-31")
    assert dates["Oktober"]["iso"] == "2024-10"


def test_relative_dates_of_a_dated_document_refer_to_its_publication(case, provider):
    doc_id = _import_text(
        case, provider, "Gestern fiel in Kiew der Strom aus.", dt.date(2024, 3, 5)
    )
    with case.reading() as session:
        value = _dates(session, doc_id)["Gestern"]
    assert (value["iso"], value["reference"], value["reference_source"]) == (
        "2024-03-04",
        "2024-03-05",
        "published",
    )


def test_extract_files_resolves_relative_dates_against_the_given_day(tmp_path, provider):
    path = tmp_path / "note.txt"
    path.write_text("The convoy left three days ago and returns next week.", encoding="utf-8")
    args = build_parser().parse_args(["extract", "--date", "2024-10-31", str(path)])
    [record] = extract_files(args.inputs, lang="en", provider=provider, reference=args.date)
    values = {e["text"]: e["value"] for e in record["entities"] if e["label"] == "DATE"}
    assert values["three days ago"]["iso"] == "2024-10-28"
    assert values["next week"]["iso"] == "2024-W45"
    assert {(v["reference"], v["reference_source"]) for v in values.values()} == {
        ("2024-10-31", "imported")
    }
    with pytest.raises(SystemExit):
        build_parser().parse_args(["extract", "--date", "31.10.2024", str(path)])


@pytest.mark.parametrize(("lang", "guessed", "text", "name"), [
    # All caps: detected once folded to lower case, so not even a guess.
    ("en", False, "SOCCER - MANCHESTER UNITED BEAT ARSENAL AT OLD TRAFFORD", None),
    ("de", True, "Tabelle\nBayern München 30\nBorussia Dortmund 25", None),
    ("en", True, "Obama and Biden in Kabul", "Obama"),
])
def test_unsure_language_is_guessed_marked_and_extracted(case, provider, lang, guessed, text,
                                                          name):
    from db.queries import get_document

    doc_id = _import_text(case, provider, text)
    with case.reading() as session:
        detail = get_document(session, doc_id)
        found = session.scalars(select(Mention.text).where(Mention.document_id == doc_id)).all()
    assert (detail.language, detail.language_guessed) == (lang, guessed)
    assert ("guessed" in (detail.extraction_notice or "")) == guessed
    assert found, "a document whose language was unsure still gets extraction"
    if name:
        assert any(name in text for text in found)


def test_guess_uses_the_case_main_language_when_extracting_again(case, provider):
    _import_text(case, provider, (ARTICLES / "de_kursk_test.txt").read_text())
    doc_id = _import_text(case, provider, "Selenskyj\t12\nPutin\t3\n")
    run_to_end(extract_documents(case, provider.analyzer(), [doc_id]))
    with case.reading() as session:
        doc = session.get(Document, doc_id)
        assert (doc.language, doc.language_guessed) == ("de", True)
    set_language(case, doc_id, "en")
    with case.reading() as session:
        assert session.get(Document, doc_id).language_guessed is False


@pytest.mark.parametrize(("article", "lang"), [("de_kursk_test.txt", "de"),
                                              ("en_sample.txt", "en")])
def test_an_import_guesses_the_case_main_language_when_detection_is_unsure(
        case, provider, article, lang):
    _import_text(case, provider, (ARTICLES / article).read_text())
    doc_id = _import_text(case, provider, "Putin\t12\nSelenskyj\t3\n")
    with case.reading() as session:
        doc = session.get(Document, doc_id)
        assert (doc.language, doc.language_guessed) == (lang, True)


def test_unknown_names_never_written_as_places_leave_the_map(provider):
    text = ("Cases of Zelvira fever rose. Angolan nurses and WHO staff reached Kibogora on "
            "Monday; in Kibogora the H7N9 strain was confirmed. Berlin sent help.")
    names = ["Zelvira", "Angolan", "Kibogora", "Kibogora", "H7N9", "Berlin"]
    starts, found = 0, []
    for name in names:
        start = text.index(name, starts)
        starts = start + len(name)
        found.append(ExtractedEntity(start, starts, name, Label.LOC, 0.65, "model", name))
    result = ExtractionResult("en", True, None, "en", "1", found)
    analysis = resolve_result(provider.gazetteer, text, result)
    labels = [(e.text, str(e.label)) for e in analysis.result.entities]
    assert labels == [("Zelvira", "MISC"), ("Angolan", "MISC"), ("Kibogora", "LOC"),
                      ("Kibogora", "LOC"), ("H7N9", "MISC"), ("Berlin", "LOC")]
    # The village stays an unresolved place for the analyst; the others are not places.
    assert sorted(analysis.places) == [2, 3, 5]
    assert analysis.places[2].chosen is None
    assert analysis.places[5].chosen.id == "gn:2950159"
