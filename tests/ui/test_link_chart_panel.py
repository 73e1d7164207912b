"""The Link chart panel: nodes by label, edges with their sentences, pins, expansion, relations."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF

from desktop.services import relations
from desktop.ui.labels import label_color
from desktop.ui.panels.chart_items import EdgeItem
from desktop.ui.panels.link_chart import SCALE, LinkChartPanel
from tests.analysis_case import GERMAN, populate_analysis_case


@pytest.fixture
def ids(case):
    return populate_analysis_case(case)


@pytest.fixture
def panel(qtbot, workspace, ids):
    panel = LinkChartPanel(workspace)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    return panel


def edge_between(panel: LinkChartPanel, a: int, b: int) -> EdgeItem:
    return next(e for e in panel.edges if e.relation is None
                and {e.a.node.id, e.b.node.id} == {a, b})


def test_nodes_by_label_colour_and_weighted_edges(panel, ids):
    assert {n.node.name for n in panel.nodes.values()} == {
        "Olaf Scholz", "Siemens AG", "Berlin", "Hamburg"}
    scholz = panel.nodes[ids["scholz"]]
    assert scholz.brush().color().name() == label_color("PER")
    assert panel.nodes[ids["hamburg"]].brush().color().name() == label_color("LOC")
    assert len([e for e in panel.edges if e.relation is None]) == 5
    heavy = edge_between(panel, ids["scholz"], ids["siemens"])
    light = edge_between(panel, ids["scholz"], ids["berlin"])
    assert heavy.pen().widthF() > light.pen().widthF()


def test_edge_click_lists_sentences_that_open_the_document(qtbot, panel, workspace, ids):
    edge = edge_between(panel, ids["scholz"], ids["siemens"])
    with qtbot.waitSignal(panel.evidence_loaded) as loaded:
        edge.setSelected(True)
    assert loaded.args == [2]
    assert panel.evidence_list.item(1).text().startswith("Siemens und Scholz sprachen")
    with qtbot.waitSignal(workspace.document_opened) as opened:
        panel._evidence_clicked(panel.evidence_list.item(1))
    doc, start, end = opened.args
    assert doc == ids["de"] and GERMAN[start:end] == (
        "Siemens und Scholz sprachen im Oktober 2024 erneut.")


def test_dragged_node_stays_pinned_through_a_new_layout(qtbot, panel, ids):
    berlin = panel.nodes[ids["berlin"]]
    berlin.setPos(QPointF(3 * SCALE, -2 * SCALE))
    berlin.set_pinned(True)
    panel._node_moved(berlin)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    moved = panel.nodes[ids["berlin"]]
    assert (moved.pos().x(), moved.pos().y()) == (3 * SCALE, -2 * SCALE) and moved.pinned


def test_expand_adds_neighbours_beyond_the_top(qtbot, panel, ids):
    panel.top.setValue(5)
    panel.label_checks["LOC"].setChecked(False)  # reloads: people and organisations only
    qtbot.waitUntil(lambda: set(panel.nodes) == {ids["scholz"], ids["siemens"]})
    before = panel.nodes[ids["scholz"]].pos()
    with qtbot.waitSignal(panel.loaded):
        panel.expand(ids["scholz"])
    assert set(panel.nodes) == {ids["scholz"], ids["siemens"]}, "labels filter still holds"
    panel.label_checks["LOC"].blockSignals(True)
    panel.label_checks["LOC"].setChecked(True)
    panel.label_checks["LOC"].blockSignals(False)
    with qtbot.waitSignal(panel.loaded):
        panel.expand(ids["scholz"])
    assert {ids["berlin"], ids["hamburg"]} <= set(panel.nodes)
    assert panel.nodes[ids["scholz"]].pos() == before, "nodes already shown keep their place"


def test_relation_is_drawn_saved_and_undone(qtbot, panel, workspace, ids):
    edge = edge_between(panel, ids["scholz"], ids["siemens"])
    with qtbot.waitSignal(panel.evidence_loaded):
        edge.setSelected(True)
    panel.save_relation(ids["scholz"], "member of", ids["siemens"], "board",
                        evidence=panel.evidence[0])
    (row,) = relations.list_relations(workspace.case)
    assert row.evidence == panel.evidence[0].evidence
    drawn = [e for e in panel.edges if e.relation is not None]
    assert [(e.relation.type, e.caption.text()) for e in drawn] == [("member of", "member of")]
    workspace.undo_stack.undo()
    assert relations.list_relations(workspace.case) == []
    assert [e for e in panel.edges if e.relation is not None] == []
    workspace.undo_stack.redo()
    assert [r.id for r in relations.list_relations(workspace.case)] == [row.id]


def test_refused_relation_reaches_the_analyst(qtbot, panel, workspace, ids):
    with qtbot.waitSignal(workspace.error) as error:
        panel.save_relation(ids["scholz"], "other", ids["siemens"], "")
    assert "needs a description" in error.args[0]
    assert workspace.undo_stack.count() == 0


def test_main_window_docks_timeline_and_link_chart(qtbot, case_path, settings):
    from desktop.app import build_main_window

    window = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(window)
    assert window.docks["timeline_dock"].windowTitle() == "Timeline"
    assert window.docks["link_chart_dock"].windowTitle() == "Link chart"
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert {"Timeline", "Link chart"} <= {a.text() for a in view.actions()}
    # The review queue stays in front; the chart loads the first time its tab is shown.
    assert window.tabifiedDockWidgets(window.docks["review_dock"])


def test_chart_keeps_most_of_a_low_wide_dock(qtbot, panel):
    """In the bottom dock of a 1366x768 screen (about 1000 x 230 px) the evidence list goes
    beside the chart, which keeps the dock's height; in a tall dock it goes below."""
    panel.resize(1000, 230)
    panel.show()
    qtbot.waitUntil(lambda: panel.view.height() > 0)
    assert panel.view.height() >= panel.evidence_list.height() - 2
    assert panel.view.width() > 2 * panel.evidence_list.width()
    panel.resize(500, 900)
    qtbot.waitUntil(lambda: panel.view.width() > 400)
    assert panel.view.height() > 2 * panel.evidence_list.height()
