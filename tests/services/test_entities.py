"""Entity rename, merge and undo, split, false positives, notes, tags and the audit view."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import Document, Entity, EntityMerge, Mention, Note
from desktop.dto import Target
from desktop.services import audit, entities
from desktop.services import notes as notes_service
from desktop.services import tags as tags_service
from desktop.services.review import ReviewError

TEXT = "Selenskyj traf Selensky in Kiew. Zelensky sprach danach mit Selenskyj."


@pytest.fixture
def seeded(case):
    """Three entities for one person (two spellings) and one place."""
    with case.transaction() as session:
        doc = Document(title="Treffen", text=TEXT, text_sha256="c" * 64, language="de")
        session.add(doc)
        session.flush()
        made = {}
        for name, label in [("Selenskyj", "PER"), ("Selensky", "PER"), ("Zelensky", "PER"),
                            ("Kiew", "LOC")]:
            entity = Entity(label=label, canonical_name=name, aliases=[])
            session.add(entity)
            session.flush()
            made[name] = entity.id
        pos, mentions = 0, {}
        for surface in ["Selenskyj", "Selensky", "Kiew", "Zelensky", "Selenskyj"]:
            start = TEXT.index(surface, pos)
            pos = start + len(surface)
            m = Mention(document_id=doc.id, entity_id=made[surface], start=start, end=pos,
                        text=surface, label="LOC" if surface == "Kiew" else "PER",
                        origin="model", confidence=0.5)
            session.add(m)
            session.flush()
            mentions.setdefault(surface, []).append(m.id)
        made["document"] = doc.id
        made["mentions"] = mentions
    return made


def mention_entity(case, mention_id: int) -> int | None:
    with case.reading() as session:
        return session.get(Mention, mention_id).entity_id


def test_entity_rows_count_mentions_and_documents(case, seeded):
    rows = {r.canonical_name: r for r in entities.list_entities(case)}
    assert rows["Selenskyj"].mention_count == 2 and rows["Selenskyj"].document_count == 1
    assert rows["Kiew"].label == "LOC"


def test_rename_keeps_the_old_name_as_alias_and_undoes(case, seeded):
    change = entities.rename(case, seeded["Selenskyj"], "Wolodymyr Selenskyj")
    row = entities.entity_row(case, seeded["Selenskyj"])
    assert row.canonical_name == "Wolodymyr Selenskyj" and "Selenskyj" in row.aliases
    entities.restore_entity(case, change)
    assert entities.entity_row(case, seeded["Selenskyj"]).canonical_name == "Selenskyj"


def test_merge_moves_mentions_records_reason_and_undo_restores(case, seeded):
    keep, a, b = seeded["Selenskyj"], seeded["Selensky"], seeded["Zelensky"]
    notes_service.add_note(case, Target("entity", a), "Schreibweise aus russischen Quellen")
    result = entities.merge_entities(case, keep, [a, b], "same person, other spellings")
    assert result.mentions_moved == 2
    row = entities.entity_row(case, keep)
    assert row.mention_count == 4 and {"Selensky", "Zelensky"} <= set(row.aliases)
    assert entities.entity_row(case, a) is None
    merges = entities.merges_into(case, keep)
    assert {m.reason for m in merges} == {"same person, other spellings"}
    assert not any(m.automatic for m in merges)

    restored = entities.undo_merge(case, result.merge_ids[0])
    assert restored == a
    assert mention_entity(case, seeded["mentions"]["Selensky"][0]) == a
    assert "Selensky" not in entities.entity_row(case, keep).aliases
    assert [n.text for n in notes_service.list_notes(case, Target("entity", a))] == [
        "Schreibweise aus russischen Quellen"]
    with pytest.raises(ReviewError, match="already undone"):
        entities.undo_merge(case, result.merge_ids[0])


def test_undo_of_an_automatic_merge_recreates_the_joined_name(case, seeded):
    keep = seeded["Selenskyj"]
    with case.transaction() as session:
        session.get(Entity, keep).aliases = ["Zelenskyy"]
        mention = session.get(Mention, seeded["mentions"]["Selenskyj"][1])
        mention.text = "Zelenskyy"
        session.add(EntityMerge(kept_entity_id=keep, reason="name match", automatic=True,
                                merged_snapshot={"canonical_name": "Zelenskyy", "label": "PER",
                                                 "aliases": ["Zelenskyy"]}))
    with case.reading() as session:
        merge_id = session.scalar(select(EntityMerge.id))
    new_id = entities.undo_merge(case, merge_id)
    assert entities.entity_row(case, new_id).canonical_name == "Zelenskyy"
    assert mention_entity(case, seeded["mentions"]["Selenskyj"][1]) == new_id
    assert entities.entity_row(case, keep).aliases == ()


def test_split_moves_selected_mentions_to_a_new_entity(case, seeded):
    second = seeded["mentions"]["Selenskyj"][1]
    result = entities.split_entity(case, seeded["Selenskyj"], [second], "Anderer Selenskyj")
    assert mention_entity(case, second) == result.new_entity_id
    assert entities.entity_row(case, result.new_entity_id).canonical_name == "Anderer Selenskyj"
    entities.undo_split(case, result)
    assert mention_entity(case, second) == seeded["Selenskyj"]


def test_false_positive_rejects_mentions_and_undo_restores_them(case, seeded):
    change = entities.set_false_positive(case, seeded["Kiew"])
    with case.reading() as session:
        status = session.get(Mention, seeded["mentions"]["Kiew"][0]).status
    assert status == "rejected" and entities.entity_row(case, seeded["Kiew"]).false_positive
    entities.restore_entity(case, change)
    with case.reading() as session:
        status = session.get(Mention, seeded["mentions"]["Kiew"][0]).status
    assert status == "suggested" and not entities.entity_row(case, seeded["Kiew"]).false_positive


def test_notes_add_edit_delete_restore(case, seeded):
    target = Target("mention", seeded["mentions"]["Kiew"][0])
    note = notes_service.add_note(case, target, "Ort prüfen")
    old = notes_service.edit_note(case, note.id, "Ort bestätigt")
    assert [n.text for n in notes_service.list_notes(case, target)] == ["Ort bestätigt"]
    notes_service.restore_note(case, old)
    deleted = notes_service.delete_note(case, note.id)
    assert notes_service.list_notes(case, target) == []
    notes_service.restore_note(case, deleted)
    assert [n.text for n in notes_service.list_notes(case, target)] == ["Ort prüfen"]
    with pytest.raises(ReviewError):
        notes_service.add_note(case, Target("place", 1), "nicht erlaubt")


def test_tags_on_documents_and_the_case_tag_list(case, seeded):
    doc = Target("document", seeded["document"])
    assert tags_service.add_tag(case, doc, "Ukraine") == ["Ukraine"]
    tags_service.add_tag(case, doc, "Ukraine")
    tags_service.add_tag(case, Target("entity", seeded["Kiew"]), "Hauptstadt")
    assert tags_service.list_tags(case, doc) == ["Ukraine"]
    assert tags_service.list_tags(case) == ["Hauptstadt", "Ukraine"]
    assert tags_service.remove_tag(case, doc, "Ukraine") == []


def test_audit_view_of_a_document_includes_its_mentions(case, seeded):
    from desktop.services import review

    review.accept(case, seeded["mentions"]["Kiew"][0])
    tags_service.add_tag(case, Target("document", seeded["document"]), "Ukraine")
    log = audit.audit_log(case, Target("document", seeded["document"]))
    assert [row.action for row in log] == ["tag.add", "mention.accept"]
    with case.reading() as session:
        assert session.scalar(select(Note.id)) is None
