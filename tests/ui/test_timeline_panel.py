"""The Timeline panel: events load lazily, zoom from decades to days, filter, open the sentence."""

from __future__ import annotations

import pytest

from desktop.dto import TimelineZoom
from desktop.ui.models.timeline import TimelineColumn, TimelineModel
from desktop.ui.panels.timeline import TimelinePanel
from tests.analysis_case import GERMAN, populate_analysis_case


@pytest.fixture
def ids(case):
    return populate_analysis_case(case)


@pytest.fixture
def panel(qtbot, workspace, ids):
    panel = TimelinePanel(workspace)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    return panel


def shown(panel: TimelinePanel, column: TimelineColumn = TimelineColumn.WHEN) -> list[str]:
    return [panel.proxy.index(r, column).data() for r in range(panel.proxy.rowCount())]


def test_events_are_listed_in_time_order_with_publication_fallback(panel):
    assert shown(panel) == ["2023-05-01 (published)", "2024-10", "2024-10-02"]
    assert shown(panel, TimelineColumn.ENTITIES)[2] == "Olaf Scholz, Berlin, Siemens AG"
    assert panel.status.text() == "3 events, 1 dated by publication only"


def test_zoom_from_decades_to_days(panel):
    periods = [panel.period_box.itemText(i) for i in range(panel.period_box.count())]
    assert periods == ["All (3)", "2020s (3)"]
    panel.zoom_to(TimelineZoom.YEAR, "2024")
    assert shown(panel) == ["2024-10", "2024-10-02"]
    panel.zoom_to(TimelineZoom.DAY, "2024-10-02")
    assert shown(panel) == ["2024-10-02"]


def test_click_opens_the_document_at_the_sentence(qtbot, panel, workspace, ids):
    index = panel.proxy.index(2, TimelineColumn.EVENT)
    rect = panel.table.visualRect(index)
    with qtbot.waitSignal(workspace.document_opened) as opened:
        qtbot.mouseClick(panel.table.viewport(), qtbot_button(), pos=rect.center())
    doc, start, end = opened.args
    assert doc == ids["de"] and GERMAN[start:end].startswith("Olaf Scholz traf am 2. Oktober")


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_filters_by_label_and_entity(qtbot, panel, ids):
    panel.label_box.setCurrentText("LOC")
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert shown(panel) == ["2024-10-02"]
    panel.label_box.setCurrentText("All")
    assert panel.entity_box.findData(ids["hamburg"]) == -1, "Hamburg's sentences have no date"
    panel.entity_box.setCurrentIndex(panel.entity_box.findData(ids["siemens"]))
    with qtbot.waitSignal(panel.loaded):
        panel.refresh()
    assert shown(panel) == ["2024-10", "2024-10-02"]


def test_review_change_reloads_the_timeline(qtbot, panel, workspace, ids):
    from desktop.services import review

    workspace.edit_mentions("Reject", lambda: review.reject(workspace.case, ids["day"]))
    assert shown(panel) == ["2023-05-01 (published)", "2024-10"]


def test_model_passes_qtmodeltester(qtmodeltester, case, ids):
    from desktop.services import timeline

    model = TimelineModel()
    model.set_rows(timeline.timeline(case))
    qtmodeltester.check(model)
