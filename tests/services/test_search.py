"""Full-text search finds words in titles, texts and notes, with exact offsets and filters."""

from __future__ import annotations

from sqlalchemy import select

from db.models import Document, Entity, Mention
from desktop.dto import SearchFilters, Target
from desktop.services import notes as notes_service
from desktop.services import search
from desktop.services import tags as tags_service

DOCS = [
    ("Angriff auf Charkiw", "Russische Raketen trafen Charkiw am Morgen. Drei Menschen starben.",
     "de"),
    ("Hilfe für Kiew", "Die Regierung in Kiew erhält neue Flugabwehr aus Deutschland.", "de"),
    ("Aid for Kyiv", "Germany sends air defence systems to Kyiv and Kharkiv.", "en"),
]


def seed(case) -> list[int]:
    ids = []
    with case.transaction() as session:
        for n, (title, text, lang) in enumerate(DOCS):
            doc = Document(title=title, text=text, text_sha256=str(n) * 64, language=lang)
            session.add(doc)
            session.flush()
            ids.append(doc.id)
        start = DOCS[1][1].index("Kiew")
        session.add(Mention(document_id=ids[1], start=start, end=start + 4, text="Kiew",
                            label="LOC", status="accepted", origin="model"))
    return ids


def test_hit_offsets_index_the_stored_text(case):
    ids = seed(case)
    (hit,) = search.search(case, "flugabwehr")
    text = DOCS[1][1]
    assert hit.document_id == ids[1] and text[hit.start:hit.end] == "Flugabwehr"
    assert "[Flugabwehr]" in hit.snippet


def test_umlauts_and_case_are_ignored_and_prefixes_work(case):
    seed(case)
    assert [h.title for h in search.search(case, "fur")] == ["Hilfe für Kiew"]
    assert {h.title for h in search.search(case, "Rake*")} == {"Angriff auf Charkiw"}


def test_title_only_hit_has_no_offsets(case):
    seed(case)
    (hit,) = search.search(case, "Angriff")
    assert hit.start is None and "[Angriff]" in hit.snippet


def test_filters_by_language_label_status_and_tag(case):
    ids = seed(case)
    assert len(search.search(case, "Kiew Kyiv")) == 0  # all words must occur
    assert [h.document_id for h in search.search(case, "Germany", SearchFilters(language="en"))] \
        == [ids[2]]
    assert search.search(case, "Germany", SearchFilters(language="de")) == []
    hits = search.search(case, "Regierung", SearchFilters(label="LOC", status="accepted"))
    assert [h.document_id for h in hits] == [ids[1]]
    assert search.search(case, "Raketen", SearchFilters(label="LOC")) == []
    tags_service.add_tag(case, Target("document", ids[0]), "Angriffe")
    assert [h.document_id for h in search.search(case, "Raketen",
                                                  SearchFilters(tag="Angriffe"))] == [ids[0]]


def test_notes_are_found_and_kept_in_sync(case):
    ids = seed(case)
    note = notes_service.add_note(case, Target("document", ids[0]), "Opferzahl unbestätigt")
    (hit,) = search.search(case, "unbestätigt")
    assert (hit.kind, hit.note_id, hit.document_id) == ("note", note.id, ids[0])
    notes_service.edit_note(case, note.id, "Opferzahl bestätigt")
    assert search.search(case, "unbestätigt") == []
    notes_service.delete_note(case, note.id)
    assert search.search(case, "bestätigt") == []


def test_deleted_documents_leave_the_index(case):
    ids = seed(case)
    with case.transaction() as session:
        session.delete(session.get(Document, ids[0]))
    assert search.search(case, "Raketen") == []


def test_syntax_characters_never_break_the_query(case):
    seed(case)
    for query in ['"', "AND", "NEAR(", "Kiew OR", "*", "-Kiew", "Kiew)"]:
        search.search(case, query)
    assert search.fts_query('"neue Flugabwehr" Deutsch*') == '"neue Flugabwehr" "Deutsch"*'
    assert search.search(case, '"neue Flugabwehr"')[0].document_id == 2


def _entity_on_kiew(case, ids) -> int:
    with case.transaction() as session:
        entity = Entity(label="LOC", canonical_name="Kiew", aliases=[])
        session.add(entity)
        session.flush()
        session.scalars(select(Mention).where(Mention.document_id == ids[1])).one().entity_id = (
            entity.id)
        return entity.id


def test_notes_on_entities_stay_found_when_filters_match_the_entity(case):
    ids = seed(case)
    kiew = _entity_on_kiew(case, ids)
    notes_service.add_note(case, Target("entity", kiew), "Hauptstadt, Schreibweise Kyjiw")
    tags_service.add_tag(case, Target("entity", kiew), "Hauptstädte")
    for filters in (SearchFilters(entity_id=kiew), SearchFilters(tag="Hauptstädte"),
                    SearchFilters(label="LOC", status="accepted", language="de")):
        (hit,) = [h for h in search.search(case, "Kyjiw", filters) if h.kind == "note"]
        assert hit.entity_id == kiew and hit.title == "(note on an entity)"
    for filters in (SearchFilters(entity_id=kiew + 1), SearchFilters(tag="Angriffe"),
                    SearchFilters(language="en"), SearchFilters(label="PER")):
        assert search.search(case, "Kyjiw", filters) == []


def test_tag_filter_finds_documents_that_mention_a_tagged_entity(case):
    ids = seed(case)
    kiew = _entity_on_kiew(case, ids)
    tags_service.add_tag(case, Target("entity", kiew), "Hauptstädte")
    assert [h.document_id for h in search.search(case, "Regierung",
                                                  SearchFilters(tag="Hauptstädte"))] == [ids[1]]
    assert search.search(case, "Raketen", SearchFilters(tag="Hauptstädte")) == []


def test_a_hit_far_into_a_long_document_is_marked_at_its_place(case):
    filler = "Lagebericht ohne Namen. " * 200
    text = filler + "Am Ende kommt Mariupol vor."
    with case.transaction() as session:
        session.add(Document(title="Lang", text=text, text_sha256="f" * 64, language="de"))
    [hit] = search.search(case, "Mariupol")
    assert (hit.start, hit.end) == (text.index("Mariupol"), text.index("Mariupol") + 8)
    assert "[Mariupol]" in hit.snippet
