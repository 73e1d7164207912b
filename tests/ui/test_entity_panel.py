"""The entity panel renames, merges, splits and undoes; notes, search and audit widgets work."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from db.models import Document, Entity, EntityMerge, Mention
from desktop.dto import AuditRow, EntityRow, MergeRow, SearchHit, Target
from desktop.services import entities
from desktop.services import notes as notes_service
from desktop.services import tags as tags_service
from desktop.ui.models.entities import EntityTableModel
from desktop.ui.models.review import AuditTableModel, MergeTableModel, SearchHitTableModel
from desktop.ui.panels.entities import EntityPanel
from desktop.ui.panels.history import HistoryPanel
from desktop.ui.panels.notes import NotesPanel
from desktop.ui.panels.search import SearchPanel
from tests.ui_helpers import pick

TEXT = "Selenskyj traf Selensky in Kiew. Später sprach Selenskyj in Lwiw."


@pytest.fixture
def seeded(case):
    with case.transaction() as session:
        doc = Document(title="Treffen in Kiew", text=TEXT, text_sha256="f" * 64, language="de")
        session.add(doc)
        session.flush()
        made = {"document": doc.id}
        for name, label in [("Selenskyj", "PER"), ("Selensky", "PER"), ("Kiew", "LOC")]:
            entity = Entity(label=label, canonical_name=name, aliases=[])
            session.add(entity)
            session.flush()
            made[name] = entity.id
        pos = 0
        for surface in ["Selenskyj", "Selensky", "Kiew", "Selenskyj"]:
            start = TEXT.index(surface, pos)
            pos = start + len(surface)
            session.add(Mention(document_id=doc.id, entity_id=made[surface], start=start,
                                end=pos, text=surface, label="LOC" if surface == "Kiew"
                                else "PER", origin="model", confidence=0.5))
    return made


@pytest.fixture
def panel(qtbot, workspace, seeded):
    widget = EntityPanel(workspace)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    widget.stack = workspace.undo_stack
    return widget


def names(panel: EntityPanel) -> set[str]:
    return {row.canonical_name for row in panel.model.all_rows()}


def test_panel_lists_entities_with_counts(panel):
    rows = {r.canonical_name: r for r in panel.model.all_rows()}
    assert rows["Selenskyj"].mention_count == 2 and rows["Kiew"].document_count == 1
    assert panel.model.data(panel.model.index(0, 1)) == "Selenskyj"  # most mentioned first


def test_rename_is_stored_and_undone(panel, case, seeded):
    pick(panel, seeded["Kiew"])
    panel.rename_current("Kyjiw")
    assert "Kyjiw" in names(panel)
    panel.stack.undo()
    assert entities.entity_row(case, seeded["Kiew"]).canonical_name == "Kiew"


def test_merge_selected_keeps_current_and_shows_reason(qtbot, panel, case, seeded):
    pick(panel, seeded["Selensky"], seeded["Selenskyj"])
    panel.merge_selected("gleiche Person, andere Schreibweise")
    assert names(panel) == {"Selenskyj", "Kiew"}
    assert panel.merges.rowCount() == 1 and "andere Schreibweise" in panel.status_label.text()
    with case.reading() as session:
        merge = session.scalars(select_merges()).one()
    assert merge.automatic is False and merge.reason == "gleiche Person, andere Schreibweise"
    panel.stack.undo()
    assert names(panel) == {"Selenskyj", "Selensky", "Kiew"}
    panel.stack.redo()
    assert names(panel) == {"Selenskyj", "Kiew"}


def select_merges():
    return select(EntityMerge).where(EntityMerge.undone_at.is_(None))


def test_merge_without_reason_is_refused(panel, seeded):
    pick(panel, seeded["Selensky"], seeded["Selenskyj"])
    panel.merge_selected("")
    assert "say why" in panel.status_label.text() and panel.stack.count() == 0


def test_undo_merge_button_restores_the_merged_entity(panel, case, seeded):
    entities.merge_entities(case, seeded["Selenskyj"], [seeded["Selensky"]], "Schreibweise")
    panel.refresh()
    pick(panel, seeded["Selenskyj"])
    panel.merge_table.selectRow(0)
    panel.buttons["undo_merge"].click()
    assert "Selensky" in names(panel)
    panel.stack.undo()
    assert "Selensky" not in names(panel)


def test_split_selected_mentions_into_a_new_entity(panel, case, seeded):
    pick(panel, seeded["Selenskyj"])
    assert panel.mentions.rowCount() == 2
    panel.mention_table.selectRow(1)
    panel.split_selected("Selenskyj (Lwiw)")
    assert "Selenskyj (Lwiw)" in names(panel)
    panel.stack.undo()
    assert "Selenskyj (Lwiw)" not in names(panel)


def test_false_positive_rejects_mentions_and_strikes_out(qtbot, panel, case, seeded):
    pick(panel, seeded["Kiew"])
    with qtbot.waitSignal(panel.workspace.changed) as changed:
        panel.buttons["false_positive"].click()
    assert changed.args[0].documents == {seeded["document"]}
    with case.reading() as session:
        statuses = set(session.scalars(select(Mention.status).where(
            Mention.entity_id == seeded["Kiew"])))
    assert statuses == {"rejected"}
    row = panel.model.find_row(lambda r: r.id == seeded["Kiew"])
    assert panel.model.data(panel.model.index(row, 1), 6).strikeOut()  # FontRole


def test_notes_panel_adds_edits_tags_and_undoes(qtbot, workspace, case, seeded):
    stack = workspace.undo_stack
    notes = NotesPanel(workspace)
    qtbot.addWidget(notes)
    target = Target("entity", seeded["Kiew"])
    notes.show_target(target)
    assert notes.title_label.text() == "Notes on the entity “Kiew”"  # a name, not an id
    notes.editor.setPlainText("Hauptstadt der Ukraine")
    notes.add_note()
    assert notes.note_list.count() == 1
    notes.note_list.setCurrentRow(0)
    notes.editor.setPlainText("Hauptstadt")
    notes.save_edit()
    assert [n.text for n in notes_service.list_notes(case, target)] == ["Hauptstadt"]
    notes.add_tag("Ukraine")
    assert notes.tag_list.count() == 1
    stack.undo()
    stack.undo()
    assert tags_service.list_tags(case, target) == []
    assert [n.text for n in notes_service.list_notes(case, target)] == ["Hauptstadt der Ukraine"]


def test_search_panel_opens_the_hit_at_its_offsets(qtbot, workspace, seeded):
    panel = SearchPanel(workspace)
    qtbot.addWidget(panel)
    panel.query_edit.setText("Lwiw")
    panel.run()
    assert panel.model.rowCount() == 1
    with qtbot.waitSignal(workspace.document_opened) as opened:
        panel.table.selectRow(0)
    document_id, start, end = opened.args
    assert document_id == seeded["document"] and TEXT[start:end] == "Lwiw"
    panel.label_combo.setCurrentText("DATE")
    assert panel.model.rowCount() == 0


def test_history_follows_undo(qtbot, workspace, seeded):
    stack = workspace.undo_stack
    view = HistoryPanel(workspace)
    qtbot.addWidget(view)
    view.show_target(Target("entity", seeded["Kiew"]))
    panel = EntityPanel(workspace)
    qtbot.addWidget(panel)
    panel.refresh()
    pick(panel, seeded["Kiew"])
    panel.rename_current("Kyjiw")
    assert view.model.rowCount() == 1 and view.model.row_at(0).action == "entity.rename"
    stack.undo()
    assert [r.action for r in view.model.all_rows()] == ["undo:entity.rename", "entity.rename"]


NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def test_models_pass_the_model_tester(qtmodeltester):
    model = EntityTableModel()
    model.set_rows([EntityRow(i, "PER", f"Name {i}", ("A",), i, 1, None, None, i % 5 == 0)
                    for i in range(1, 700)])
    qtmodeltester.check(model)
    hits = SearchHitTableModel()
    hits.set_rows([SearchHit("document", i, f"T{i}", "…[x]…", 1, 2, rank=-i) for i in range(40)])
    qtmodeltester.check(hits)
    merges = MergeTableModel()
    merges.set_rows([MergeRow(i, 1, "Selensky", "Schreibweise", i % 2 == 0, NOW, None)
                     for i in range(5)])
    qtmodeltester.check(merges)
    audit = AuditTableModel()
    audit.set_rows([AuditRow(i, NOW, "tester", "mention.accept", "mention", i,
                             {"status": "suggested"}, {"status": "accepted"}) for i in range(9)])
    qtmodeltester.check(audit)
    assert "accepted" in audit.data(audit.index(0, 4))
