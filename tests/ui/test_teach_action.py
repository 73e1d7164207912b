"""Teach from my reviews in the window: background training, scores shown, adoption asked."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from desktop.dto import LabelScore, TrainingResult
from desktop.services.annotations import import_annotations
from desktop.services.case_pipelines import list_pipelines
from desktop.ui.actions.teach import TeachFromReviews
from desktop.ui.dialogs.training_result import TrainingResultDialog
from tests.factories import write_ship_reports


def _result(version: int | None) -> TrainingResult:
    before = (LabelScore("MISC", 0.0, 0.0, 0.0, 8), LabelScore("ALL", 0.5, 0.4, 0.44, 16))
    after = (LabelScore("MISC", 1.0, 0.9, 0.95, 8), LabelScore("ALL", 0.9, 0.9, 0.9, 16))
    return TrainingResult("de", version, 8, 2, 8, before, after, version is not None, False, 12.0)


def test_result_dialog_shows_before_and_after_per_label_and_offers_adoption(qtbot):
    dialog = TrainingResultDialog(_result(3))
    qtbot.addWidget(dialog)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["MISC", "ALL"]
    assert (table.item(0, 3).text(), table.item(0, 6).text()) == ("0.00", "0.95")
    assert dialog.adopt_button.text() == "Adopt version 3"
    assert "Version 3 scores better" in dialog.summary.text()


def test_result_dialog_without_a_better_version_only_closes(qtbot):
    dialog = TrainingResultDialog(_result(None))
    qtbot.addWidget(dialog)
    assert not hasattr(dialog, "adopt_button")
    assert "current pipeline stays" in dialog.summary.text()


@pytest.mark.slow
def test_teach_trains_asks_and_adopts_the_new_version(workspace, qtbot, tmp_path):
    import_annotations(workspace.case, write_ship_reports(tmp_path / "gold.jsonl", 10))
    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[TrainingResult] = []
    teach = TeachFromReviews(workspace, parent, ask_adopt=lambda r, _: asked.append(r) or True)
    button = teach.button()
    qtbot.addWidget(button)
    with qtbot.waitSignal(teach.adopted, timeout=120_000) as adopted:
        teach.start("de")
    assert adopted.args == [1]
    [result] = asked
    assert result.version == 1 and result.better and not result.adopted
    assert {s.label: s for s in result.after}["MISC"].f1 > 0.5
    assert [(row.version, row.adopted) for row in list_pipelines(workspace.case, "de")] == [
        (1, True)]
    assert [p.version for p in workspace.analysis.case_pipelines] == [1]
    assert teach.action.isEnabled() and button.text() == "Teach from my reviews"
