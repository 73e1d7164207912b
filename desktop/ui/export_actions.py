"""File menu entries for every export format, the case file import and its verification."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.services import exports
from desktop.services.case_file import CaseFileError, import_case_file, verify_case_file
from desktop.services.exports import EXPORT_FORMATS, ExportOptions

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


def add_export_menu(window: MainWindow) -> None:
    """Add Export and case-file entries to the window's File menu."""
    menu = window.file_menu.addMenu("Export")
    for name, fmt in EXPORT_FORMATS.items():
        action = menu.addAction(f"{fmt.description}…")
        action.triggered.connect(lambda *_, n=name: export_dialog(window, n))
    window.file_menu.addAction("Open case file (.cdcase)…").triggered.connect(
        lambda *_: open_case_file_dialog(window))
    window.file_menu.addAction("Verify case file…").triggered.connect(
        lambda *_: verify_dialog(window))


def export_dialog(window: MainWindow, name: str, *, accepted_only: bool = False) -> None:
    """Ask where to write, then export in the background."""
    fmt = EXPORT_FORMATS[name]
    path, _ = QFileDialog.getSaveFileName(window, fmt.description, f"case{fmt.suffix}",
                                          exports.file_filter(name))
    if not path:
        return
    case = window.case
    window.tasks.start(
        f"Exporting {name}",
        lambda: exports.export(case, name, Path(path), ExportOptions(accepted_only=accepted_only)),
        on_done=lambda counts: window.statusBar().showMessage(
            f"Wrote {path} ({exports.summary(counts)})", 10000),
        on_error=window.show_error,
    )


def open_case_file_dialog(window: MainWindow) -> None:
    """Restore a case file into a new case and open it."""
    archive, _ = QFileDialog.getOpenFileName(window, "Open case file", "", "Case file (*.cdcase)")
    if not archive:
        return
    target, _ = QFileDialog.getSaveFileName(window, "Restore into new case", "",
                                            "Casedesk case (*.casedesk)")
    if not target:
        return
    try:
        case = import_case_file(Path(archive), Path(target))
    except CaseFileError as exc:
        QMessageBox.warning(window, "Cannot open case file", str(exc))
        return
    case.close()
    window.switch_case(Path(target))


def verify_dialog(window: MainWindow) -> None:
    """Check a case file's hashes and say what changed."""
    archive, _ = QFileDialog.getOpenFileName(window, "Verify case file", "", "Case file (*.cdcase)")
    if archive:
        try:
            message = verify_case_file(Path(archive)).message()
        except CaseFileError as exc:
            message = str(exc)
        QMessageBox.information(window, "Verify case file", message)
