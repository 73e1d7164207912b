"""Export menu: every export format, the PDF report, and case files (open, verify)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from desktop.services import exports, report
from desktop.services.case_file_errors import CaseFileError
from desktop.services.case_file_verify import verify_case_file
from desktop.services.exports import EXPORT_FORMATS, ExportOptions
from desktop.ui.actions.base import Actions
from desktop.ui.panels.documents import DocumentListPanel
from desktop.ui.workspace import Workspace


def file_filter(name: str) -> str:
    """The Qt file dialog filter of an export format, e.g. "STIX 2.1 bundle (*.json)"."""
    fmt = EXPORT_FORMATS[name]
    return f"{fmt.description} (*{fmt.suffix})"


class ExportActions(Actions):
    """Exports of the case (whole, or the documents the list shows) in the background."""

    def __init__(self, workspace: Workspace, parent: QWidget,
                 documents: DocumentListPanel) -> None:
        super().__init__(workspace, parent)
        self.documents = documents
        self.options_dialog: QWidget | None = None
        self.pdf_writer: object | None = None
        self.export_case = self.action("&Export case file…", lambda: self.export("case"),
                                       "export", "Ctrl+E")
        self.verify = self.action("Verify case file…", self.verify_dialog)
        self.report_fields = self.action("Report title and summary…", self.report_fields_dialog)
        self.report_fields_dialog_shown: QWidget | None = None

    def fill_menu(self, menu: QMenu) -> None:
        """Add one entry per format and the PDF report to an Export menu."""
        for name, fmt in EXPORT_FORMATS.items():
            action = menu.addAction(f"{fmt.description}…")
            action.triggered.connect(lambda *_, n=name: self.export(n))
        menu.addAction("Report (PDF)…").triggered.connect(lambda *_: self.pdf_report())

    def ask_options(self, what: str) -> ExportOptions | None:
        """Ask accepted-only and whole case or filtered list; None when the analyst cancels."""
        from desktop.ui.dialogs.export_options import ExportOptionsDialog

        dialog = ExportOptionsDialog(what, self.documents.model.rowCount(),
                                     self.documents.shown_document_ids(), self.parent_widget)
        self.options_dialog = dialog  # reachable while it is open (tests)
        if not dialog.exec():
            return None
        return ExportOptions(accepted_only=dialog.accepted_only.isChecked(),
                             document_ids=dialog.document_ids())

    def export(self, name: str) -> None:
        """Ask what to export and where, then export in the background.

        A case file always holds the whole case: it is the case, to be opened elsewhere.
        """
        fmt = EXPORT_FORMATS[name]
        options = ExportOptions() if name == "case" else self.ask_options(fmt.description)
        if options is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, fmt.description,
                                              f"case{fmt.suffix}", file_filter(name))
        if not path:
            return
        case, provider = self.workspace.case, self.workspace.analysis

        def run() -> dict[str, int]:
            # Maps in the report and the case file reuse the workspace's gazetteer.
            return exports.export(case, name, Path(path),
                                  replace(options, gazetteer=provider.gazetteer))

        self.workspace.run(f"Exporting {name}", run, on_done=lambda counts: self.say(
            f"Wrote {path} ({exports.summary(counts)})"))

    def report_fields_dialog(self) -> None:
        """Edit the report's title and summary; saved in the case and audited."""
        from desktop.ui.dialogs.report_fields import ReportFieldsDialog

        case = self.workspace.case
        fields = report.report_fields(case)
        dialog = ReportFieldsDialog(fields.title, fields.summary, self.parent_widget)
        self.report_fields_dialog_shown = dialog  # reachable while it is open (tests)
        if dialog.exec():
            values = dialog.values()
            self.workspace.run("Saving the report title",
                               lambda: report.set_report_fields(case, *values), writes=True,
                               on_done=lambda _: self.say("Report title and summary saved"))

    def pdf_report(self) -> None:
        """Print the case report, with a static map of the places mentioned, to a PDF file."""
        from desktop.ui.pdf_report import PdfReportWriter

        options = self.ask_options("Report (PDF)")
        if options is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.parent_widget, "Report (PDF)", "report.pdf",
                                              "PDF (*.pdf)")
        if not path:
            return
        # The static map fitted to the places, not a grab of the live map with its controls.
        writer = PdfReportWriter(self.workspace.tasks, self)
        writer.finished.connect(lambda p: self.say(f"Wrote {p}"))
        writer.failed.connect(self.warn)
        writer.write(self.workspace.case, Path(path), None, options)
        self.pdf_writer = writer

    def verify_dialog(self) -> None:
        """Check a case file's hashes and say what changed."""
        archive, _ = QFileDialog.getOpenFileName(self.parent_widget, "Verify case file", "",
                                                 "Case file (*.cdcase)")
        if archive:
            try:
                message = verify_case_file(Path(archive)).message()
            except CaseFileError as exc:
                message = str(exc)
            QMessageBox.information(self.parent_widget, "Verify case file", message)
