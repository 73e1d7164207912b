"""The window extracts with the case's adopted pipeline: on opening, and after a restore."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.app import build_main_window
from desktop.services.case import open_case
from desktop.services.case_file_export import export_case_file
from tests.factories import store_pipeline

pytestmark = pytest.mark.slow

SHIP_NEWS = "Hafenbericht\n\nDer Frachter MS Sturmvogel hat den Hafen von Emden verlassen.\n"


def _ship_labels(window) -> set[str]:
    return {row.label for row in window.document_panel.mentions.all_rows()
            if row.text == "MS Sturmvogel"}


@pytest.fixture
def window(qtbot, case_path, settings):
    win = build_main_window(case_path, settings, inline_tasks=True, with_map=False)
    qtbot.addWidget(win)
    yield win
    win.workspace.analysis.close()
    win.close()


def test_a_case_opened_in_the_window_extracts_with_its_adopted_pipeline(
        qtbot, case_path, settings, ship_pipeline):
    case = open_case(case_path, actor="tester")
    store_pipeline(case, ship_pipeline, 2, adopted=True)
    case.close()
    win = build_main_window(case_path, settings, inline_tasks=True, with_map=False)
    qtbot.addWidget(win)
    try:
        win.import_actions.import_text(SHIP_NEWS)
        assert _ship_labels(win) == {"MISC"}
    finally:
        win.workspace.analysis.close()
        win.close()


def test_a_restored_case_file_extracts_with_its_adopted_pipeline(
        window, tmp_path, monkeypatch, ship_pipeline):
    source = open_case(tmp_path / "ships.casedesk", actor="tester")
    store_pipeline(source, ship_pipeline, 2, adopted=True)
    archive = tmp_path / "ships.cdcase"
    export_case_file(source, archive)
    source.close()
    target = tmp_path / "restored.casedesk"
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args: (str(archive), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args: (str(target), "")))
    window.case_actions.open_case_file.trigger()
    assert window.workspace.case.path == target.resolve()
    window.import_actions.import_text(SHIP_NEWS)
    assert _ship_labels(window) == {"MISC"}
    assert [p.version for p in window.workspace.analysis.case_pipelines] == [2]
