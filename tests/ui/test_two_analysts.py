"""Two analysts decide the same mention or entity from two windows: the second is refused.

Each analyst has a Case of their own on the same SQLite file or PostgreSQL database, and works
through the panels and keys the window uses. What the second one saw is stale: their action
is not saved, they are told what the mention is now, and their panels show it.
"""

from __future__ import annotations

import html

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from db.models import AuditEntry, Document, Entity, Mention
from desktop.services import entities, review_queue
from desktop.services.analysis import AnalyzerProvider
from desktop.services.case import open_case
from desktop.ui.panels.document import DocumentPanel
from desktop.ui.panels.entities import EntityPanel
from desktop.ui.panels.review_queue import ReviewQueueWidget
from desktop.ui.tasks import TaskRunner
from desktop.ui.workspace import Workspace
from tests.factories import seed_article
from tests.ui_helpers import pick

# The queue shows the least confident mention first: "dpa" (ORG, 0.2).
FIRST = "dpa"


def audit_actions(case) -> list[str]:
    with case.reading() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def stored(case, mention_id: int) -> tuple[str, str, bool, int, int]:
    state = review_queue.mention_states(case, [mention_id])[0]
    return state.status, state.label, state.flagged, state.start, state.end


@pytest.fixture
def analysts(qtbot, any_case, settings):
    """Two workspaces, anna's and ben's, each on a Case of its own on the same case."""
    ben = open_case(any_case.url or any_case.path, actor="ben")
    spaces = [Workspace(case, settings, TaskRunner(inline=True), AnalyzerProvider())
              for case in (any_case, ben)]
    yield spaces
    ben.close()


@pytest.fixture
def queues(qtbot, analysts):
    """Both analysts' review queues on the seeded article, showing the same mention."""
    ids = seed_article(analysts[0].case)
    widgets = []
    for workspace in analysts:
        widget = ReviewQueueWidget(workspace)
        qtbot.addWidget(widget)
        widget.show()
        widget.load(ids["document"])
        widgets.append(widget)
    assert [w.current().mention.text for w in widgets] == [FIRST, FIRST]
    return widgets, ids


def shown_text(label) -> str:
    return html.unescape(label.text())


def press(widget, key: Qt.Key, qtbot) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, key)


@pytest.mark.parametrize(("first", "second"), [
    (Qt.Key.Key_A, Qt.Key.Key_X),
    (Qt.Key.Key_X, Qt.Key.Key_1),
    (Qt.Key.Key_3, Qt.Key.Key_A),
    (Qt.Key.Key_F, Qt.Key.Key_X),
], ids=["accept-then-reject", "reject-then-relabel", "relabel-then-accept", "flag-then-reject"])
def test_the_second_decision_on_one_mention_is_refused_and_shows_the_current_state(
        qtbot, queues, first, second):
    (anna, ben), ids = queues
    mention_id = ids[FIRST]
    press(anna, first, qtbot)
    saved = stored(anna.case, mention_id)
    errors = []
    ben.workspace.error.connect(errors.append)
    press(ben, second, qtbot)
    assert stored(anna.case, mention_id) == saved, "the first analyst's decision stays"
    assert len(audit_actions(anna.case)) == 1
    assert errors and 'another analyst changed "dpa" meanwhile' in errors[0]
    assert "nothing was saved" in shown_text(ben.message_label)
    assert ben.workspace.undo_stack.count() == 0  # no undo step for work not saved
    status, label, flagged, *_ = saved
    info = ben.info_label.text()  # ben's queue now shows the mention as anna left it
    assert f"{label} · {status}" in info and ("flagged" in info) == flagged


def test_a_span_fix_on_a_mention_decided_meanwhile_is_refused(qtbot, queues):
    (anna, ben), ids = queues
    press(anna, Qt.Key.Key_A, qtbot)
    item = ben.current()
    ben.apply_span(item.mention.start, item.mention.end + 1)
    assert stored(anna.case, ids[FIRST])[0] == "accepted"
    assert stored(anna.case, ids[FIRST])[3:] == (item.mention.start, item.mention.end)
    assert audit_actions(anna.case) == ["mention.accept"]
    assert "another analyst changed" in shown_text(ben.message_label)


def test_undo_of_a_decision_another_analyst_changed_since_is_refused(qtbot, queues):
    (anna, ben), ids = queues
    press(anna, Qt.Key.Key_F, qtbot)  # anna flags dpa for a second look
    ben.reload()  # ben sees the flag (a change notice on a server), then accepts
    assert ben.current().mention.flagged
    press(ben, Qt.Key.Key_A, qtbot)
    press(anna, Qt.Key.Key_Backspace, qtbot)  # would put back "suggested, not flagged"
    assert stored(anna.case, ids[FIRST])[:3] == ("accepted", "ORG", True)
    assert audit_actions(anna.case) == ["mention.flag", "mention.accept"]
    assert 'another analyst changed "dpa" meanwhile (now accepted' in shown_text(
        anna.message_label)
    assert "accepted" in anna.info_label.text()  # her queue shows it as it is now


def _document_panel(qtbot, workspace, document_id: int) -> DocumentPanel:
    panel = DocumentPanel(workspace)
    qtbot.addWidget(panel)
    workspace.open_document(document_id)
    return panel


def test_splitting_a_mention_another_analyst_split_meanwhile_is_refused(qtbot, analysts):
    ids = seed_article(analysts[0].case)
    anna, ben = (_document_panel(qtbot, ws, ids["document"]) for ws in analysts)
    mention_id = ids["Vereinten Nationen"]
    row = next(r for r in ben.mentions.all_rows() if r.id == mention_id)
    anna.split_mention(mention_id, row.start + len("Vereinten"))
    ben.split_mention(mention_id, row.start + len("Verein"))
    left = review_queue.mention_states(anna.case, [mention_id])[0]
    assert left.text == "Vereinten"
    assert audit_actions(anna.case) == ["mention.split"]
    shown = next(r for r in ben.mentions.all_rows() if r.id == mention_id)
    assert shown.text == "Vereinten", "ben's document panel shows the split as it is now"


@pytest.fixture
def entity_panels(qtbot, analysts):
    """Both analysts' entity panels on two spellings of one person."""
    with analysts[0].case.transaction() as session:
        text = "Selenskyj traf Selensky in Kiew."
        doc = Document(title="Treffen", text=text, text_sha256="e" * 64, language="de")
        session.add(doc)
        session.flush()
        made = {}
        for name in ("Selenskyj", "Selensky"):
            entity = Entity(label="PER", canonical_name=name, aliases=[])
            session.add(entity)
            session.flush()
            made[name] = entity.id
            start = text.index(name + " ")
            session.add(Mention(document_id=doc.id, entity_id=entity.id, start=start,
                                end=start + len(name), text=name, label="PER", origin="model"))
    panels = []
    for workspace in analysts:
        panel = EntityPanel(workspace)
        qtbot.addWidget(panel)
        panel.refresh()
        panels.append(panel)
    return panels, made


def names(case) -> set[str]:
    return {row.canonical_name for row in entities.list_entities(case)}


def test_merging_an_entity_another_analyst_renamed_meanwhile_is_refused(entity_panels):
    (anna, ben), made = entity_panels
    pick(ben, made["Selensky"], made["Selenskyj"])  # ben is about to merge what he sees
    pick(anna, made["Selenskyj"])
    anna.rename_current("Wolodymyr Selenskyj")
    ben.merge_selected("gleiche Person", survivor=made["Selenskyj"])
    assert names(anna.case) == {"Wolodymyr Selenskyj", "Selensky"}
    assert entities.merges_into(anna.case, made["Selenskyj"]) == []
    assert 'another analyst changed "Wolodymyr Selenskyj"' in shown_text(ben.status_label)
    assert {r.canonical_name for r in ben.model.all_rows()} == names(anna.case)


def test_renaming_an_entity_another_analyst_merged_away_is_refused(entity_panels):
    (anna, ben), made = entity_panels
    pick(ben, made["Selensky"])
    pick(anna, made["Selensky"], made["Selenskyj"])
    anna.merge_selected("gleiche Person", survivor=made["Selenskyj"])
    ben.rename_current("Selenskyi")
    assert names(anna.case) == {"Selenskyj"}
    assert "merged or removed this entity" in shown_text(ben.status_label)
    assert [r.canonical_name for r in ben.model.all_rows()] == ["Selenskyj"]
