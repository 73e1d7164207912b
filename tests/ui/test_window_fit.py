"""The window fits the screens analysts have, and its shortcuts and feedback reach them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from desktop.app import build_main_window
from desktop.dto import EntityRow, Progress
from desktop.services.exports import EXPORT_FORMATS
from desktop.ui.actions.imports import file_filters
from desktop.ui.dialogs.merge import MergeDialog
from desktop.ui.widgets.task_progress import TaskProgressWidget

# A 1366x768 screen less a task bar and the window frame.
SMALL = (1366, 768 - 40)
LONG_TITLE = "Lagebericht " + "sehr " * 40 + "lang\n\nKiew meldet Angriffe auf Charkiw.\n"


@pytest.fixture
def window(qtbot, case_path, settings):
    win = build_main_window(case_path, settings, inline_tasks=True)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _fits(size) -> bool:
    return size.width() <= SMALL[0] and size.height() <= SMALL[1]


def test_window_size_hints_fit_a_1366x768_screen_with_a_long_title(window):
    window.import_actions.import_text(LONG_TITLE)
    assert _fits(window.minimumSizeHint()), window.minimumSizeHint()
    assert _fits(window.sizeHint()), window.sizeHint()


def test_label_legend_chips_are_never_clipped(window, qtbot):
    window.resize(1366 - 40, 768 - 60)
    qtbot.wait(50)
    for label, chip in window.document_panel.legend.chips.items():
        assert chip.width() >= chip.sizeHint().width(), label


class _ClaimingField(QLineEdit):
    """A text field claiming Ctrl+E as X11 key bindings do (end of line)."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        return super().event(event)


def test_ctrl_e_exports_while_a_text_field_has_focus(window, qtbot, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (asked.append(a[1]), ("", ""))[1]))
    field = _ClaimingField(window.document_panel)
    window.app_actions.guard_shortcuts([window.export_actions.export_case], window)
    field.show()
    field.setFocus()
    override = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_E,
                         Qt.KeyboardModifier.ControlModifier)
    QApplication.sendEvent(field, override)
    assert not override.isAccepted()  # the field's claim is refused: the shortcut runs
    plain = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_C,
                      Qt.KeyboardModifier.ControlModifier)
    QApplication.sendEvent(field, plain)
    assert plain.isAccepted()  # copy stays with the field
    assert window.export_actions.export_case.shortcutContext() == (
        Qt.ShortcutContext.ApplicationShortcut)
    window.export_actions.export_case.trigger()
    assert asked == [EXPORT_FORMATS["case"].description]


def test_a_single_paste_ends_with_a_report(window):
    window.import_actions.import_text("Kiew meldet Angriffe\n\nIn Kiew heulten die Sirenen.\n")
    dialog = window.import_actions.report_dialog
    assert dialog is not None and dialog.isVisible() and "1 imported" in dialog.summary.text()


def test_selected_entity_and_notes_name_things_not_ids(window):
    window.import_actions.import_text("Kiew meldet Angriffe\n\nIn Kiew heulten die Sirenen.\n")
    kiew = next(m for m in window.document_panel.mentions.all_rows() if m.text == "Kiew")
    window.workspace.select_mention(kiew.id, kiew.entity_id)
    assert window.notes_panel.title_label.text() == "Notes on the mention “Kiew”"
    assert "Selected entity" not in window.statusBar().currentMessage()


def test_import_dialog_offers_the_supported_formats():
    filters = file_filters().split(";;")
    assert filters[0].startswith("All documents (") and "*.pdf" in filters[0]
    assert any(f.startswith("Word (*.docx)") for f in filters)
    assert filters[-1] == "All files (*)"


def test_progress_is_busy_until_the_first_step_is_done(qtbot):
    widget = TaskProgressWidget()
    qtbot.addWidget(widget)
    widget.show_progress(Progress(0, 1, "Loading the German pipeline"))
    assert widget.bar.maximum() == 0  # a moving busy bar, not one standing at 0 %
    assert "German pipeline" in widget.label.text()
    widget.show_progress(Progress(1, 4, "1 of 4"))
    assert (widget.bar.maximum(), widget.bar.value()) == (4, 1)


def _row(entity_id: int, label: str, name: str, place: str | None) -> EntityRow:
    return EntityRow(entity_id, label, name, (), 3, 1, place, "city" if place else None, False)


def test_merge_dialog_shows_what_the_chosen_survivor_loses(qtbot):
    rows = [_row(1, "LOC", "Vilnius", "Vilnius"), _row(2, "ORG", "VILNIUS", None)]
    dialog = MergeDialog(rows, current=2)
    qtbot.addWidget(dialog)
    assert dialog.survivor.id == 2 and "place Vilnius" in dialog.lost_label.text()
    dialog.group.button(0).setChecked(True)  # keep the place
    dialog.reason_edit.setText("dateline")
    assert dialog.values() == (1, "Vilnius", "dateline")
    assert "label ORG" in dialog.lost_label.text() and "place" not in dialog.lost_label.text()
