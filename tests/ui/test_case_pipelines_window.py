"""Case pipelines in the window: adopted on opening and after a restore, versions, reviewed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select

from db.annotation_queries import reviewed_documents
from db.models import Mention
from desktop.app import build_main_window
from desktop.services.case import open_case
from desktop.services.case_file_export import export_case_file
from desktop.services.case_pipelines import list_pipelines
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


def _version_rows(dialog) -> list[tuple[str, ...]]:
    table = dialog.table
    return [tuple(table.item(r, c).text() for c in (0, 1, 6)) for r in range(table.rowCount())]


def _use_row(dialog, language: str, version: str) -> None:
    row = next(i for i, values in enumerate(_version_rows(dialog))
               if values[:2] == (language, version))
    dialog.table.selectRow(row)
    assert dialog.use_button.isEnabled()
    dialog.use_button.click()


def test_the_analyst_goes_back_to_an_earlier_version_and_to_the_shipped_pipeline(
        window, ship_pipeline):
    case = window.workspace.case
    store_pipeline(case, ship_pipeline, 1, adopted=False, f1=0.6)
    store_pipeline(case, ship_pipeline, 2, adopted=True, f1=0.7)
    window.workspace.use_case_pipelines()
    window.teach.versions_action.trigger()
    dialog = window.teach.versions_dialog
    assert _version_rows(dialog) == [("de", "shipped", ""), ("de", "1", ""), ("de", "2", "yes"),
                                     ("en", "shipped", "yes")]
    assert dialog.table.item(1, 4).text() == "0.50 -> 0.60"
    dialog.table.selectRow(2)
    assert not dialog.use_button.isEnabled()  # already in use

    _use_row(dialog, "de", "1")
    assert [(row.version, row.adopted) for row in list_pipelines(case, "de")] == [
        (1, True), (2, False)]
    window.import_actions.import_text(SHIP_NEWS)
    assert _ship_labels(window) == {"MISC"}
    with case.reading() as session:
        versions = set(session.scalars(select(Mention.pipeline_version).where(
            Mention.text == "MS Sturmvogel")))
    assert versions == {1}

    window.teach.versions_action.trigger()
    _use_row(window.teach.versions_dialog, "de", "shipped")
    assert not any(row.adopted for row in list_pipelines(case, "de"))
    assert window.workspace.analysis.case_pipelines == []
    assert "shipped one" in window.statusBar().currentMessage()


def test_marking_a_document_reviewed_in_the_window_makes_it_training_data(window):
    window.import_actions.import_text(SHIP_NEWS)
    case, panel = window.workspace.case, window.document_panel
    document_id = panel.view.document_id
    assert not panel.reviewed_box.isChecked() and panel.reviewed_box.isEnabled()
    with case.reading() as session:
        assert reviewed_documents(session) == []
    panel.reviewed_box.click()
    with case.reading() as session:
        [doc] = reviewed_documents(session)
    assert (doc.id, doc.complete) == (document_id, True)
    window.workspace.open_document(None)
    assert not panel.reviewed_box.isEnabled()
    window.workspace.open_document(document_id)
    assert panel.reviewed_box.isChecked()
    panel.reviewed_box.click()
    with case.reading() as session:
        assert reviewed_documents(session) == []
