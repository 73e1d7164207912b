"""File menu entries for every export format, the case file import and its verification."""

from __future__ import annotations

from dataclasses import replace
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
    menu.addAction("Report (PDF)…").triggered.connect(lambda *_: pdf_report_dialog(window))
    window.file_menu.addAction("Report title and summary…").triggered.connect(
        lambda *_: report_fields_dialog(window))
    window.file_menu.addAction("Open case file (.cdcase)…").triggered.connect(
        lambda *_: open_case_file_dialog(window))
    window.file_menu.addAction("Verify case file…").triggered.connect(
        lambda *_: verify_dialog(window))


def ask_options(window: MainWindow, what: str) -> ExportOptions | None:
    """Ask accepted-only and whole case or filtered list; None when the analyst cancels."""
    from desktop.ui.dialogs.export_options import ExportOptionsDialog

    dialog = ExportOptionsDialog(what, window.documents.rowCount(),
                                 window.shown_document_ids(), window)
    window.export_options_dialog = dialog  # reachable while it is open (tests)
    if not dialog.exec():
        return None
    return ExportOptions(accepted_only=dialog.accepted_only.isChecked(),
                         document_ids=dialog.document_ids())


def export_dialog(window: MainWindow, name: str) -> None:
    """Ask what to export and where, then export in the background.

    A case file always holds the whole case: it is the case, to be opened elsewhere.
    """
    fmt = EXPORT_FORMATS[name]
    options = ExportOptions() if name == "case" else ask_options(window, fmt.description)
    if options is None:
        return
    path, _ = QFileDialog.getSaveFileName(window, fmt.description, f"case{fmt.suffix}",
                                          exports.file_filter(name))
    if not path:
        return
    case, provider = window.case, window.analysis

    def run() -> dict[str, int]:
        # Maps in the report and the case file reuse the gazetteer the window already has
        # (loaded here, in the worker, if it is not yet).
        return exports.export(case, name, Path(path),
                              replace(options, gazetteer=provider.gazetteer))

    window.tasks.start(
        f"Exporting {name}",
        run,
        on_done=lambda counts: window.statusBar().showMessage(
            f"Wrote {path} ({exports.summary(counts)})", 10000),
        on_error=window.show_error,
    )


def report_fields_dialog(window: MainWindow) -> None:
    """Edit the report's title and summary; saved in the case and audited."""
    from desktop.services import report
    from desktop.ui.dialogs.report_fields import ReportFieldsDialog

    fields = report.report_fields(window.case)
    dialog = ReportFieldsDialog(fields.title, fields.summary, window)
    window.report_fields_dialog = dialog  # reachable while it is open (tests)
    if dialog.exec():
        try:
            report.set_report_fields(window.case, *dialog.values())
        except Exception as exc:  # noqa: BLE001 - a refused save must reach the analyst
            window.show_error(f"Not saved: {exc}")


def pdf_report_dialog(window: MainWindow) -> None:
    """Print the case report, with a static map of the places mentioned, to a PDF file."""
    from desktop.ui.pdf_report import PdfReportWriter

    options = ask_options(window, "Report (PDF)")
    if options is None:
        return
    path, _ = QFileDialog.getSaveFileName(window, "Report (PDF)", "report.pdf", "PDF (*.pdf)")
    if not path:
        return
    # The static map fitted to the places, not a grab of the live map with its controls.
    writer = PdfReportWriter(window.tasks, window)
    writer.finished.connect(lambda p: window.statusBar().showMessage(f"Wrote {p}", 10000))
    writer.failed.connect(window.show_error)
    writer.write(window.case, Path(path), None, options)
    window.pdf_writer = writer


def open_case_file_dialog(window: MainWindow) -> None:
    """Restore a case file into a new case and open it."""
    archive, _ = QFileDialog.getOpenFileName(window, "Open case file", "", "Case file (*.cdcase)")
    if not archive:
        return
    target, _ = QFileDialog.getSaveFileName(window, "Restore into new case", "",
                                            "Casedesk case (*.casedesk)")
    if not target:
        return
    def restored(case: object) -> None:
        case.close()
        window.switch_case(Path(target))

    def refused(message: str) -> None:
        QMessageBox.warning(window, "Cannot open case file", message)

    window.tasks.start(
        "Restoring case file",
        lambda: import_case_file(Path(archive), Path(target)),
        on_done=restored,
        on_error=refused,
        writes=True,
    )


def verify_dialog(window: MainWindow) -> None:
    """Check a case file's hashes and say what changed."""
    archive, _ = QFileDialog.getOpenFileName(window, "Verify case file", "", "Case file (*.cdcase)")
    if archive:
        try:
            message = verify_case_file(Path(archive)).message()
        except CaseFileError as exc:
            message = str(exc)
        QMessageBox.information(window, "Verify case file", message)
