"""Getting text into the case: files, folders, drops, the clipboard and typed text."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.dto import Changes, ImportReport
from desktop.services.import_analysis import ImportAnalyzer
from desktop.services.import_documents import (
    ImportedDocument,
    Importer,
    ImportOptions,
    UnreadableInput,
    clipboard_document,
    pasted_document,
)
from desktop.services.import_formats import importable_formats
from desktop.ui.actions.base import Actions
from desktop.ui.tasks import Task
from desktop.ui.workspace import Workspace


def file_filters() -> str:
    """Qt file dialog filters for every kind of file an import reads, then all files."""
    parts = [f"{name} ({' '.join('*' + s for s in suffixes)})"
             for name, suffixes in importable_formats()]
    return ";;".join([*parts, "All files (*)"])


class ImportActions(Actions):
    """Import files, folders, pastes and typed documents; every import ends with a report."""

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(workspace, parent)
        self.report_dialog: QWidget | None = None
        self.import_files = self.action("&Import files…", self.import_files_dialog, "import",
                                        "Ctrl+I")
        self.import_folder = self.action("Import &folder…", self.import_folder_dialog,
                                         "import_folder")
        self.paste = self.action("&Paste as new document", self.paste_document, "paste",
                                 "Ctrl+Shift+V")
        self.new_document = self.action("New &document…", self.new_document_dialog,
                                        "new_document")

    def _importer_factory(self) -> Callable[[], Importer]:
        """Read settings here on the main thread; the importer is built in the worker."""
        settings = self.workspace.settings
        options = ImportOptions(max_bytes=int(settings.max_import_mb * 1024 * 1024),
                                keep_original=settings.keep_originals)
        case, analysis = self.workspace.case, self.workspace.analysis
        return lambda: Importer(case, options, ImportAnalyzer(analysis))

    def import_paths(self, paths: list[str]) -> Task:
        """Import files and folders in the background."""
        factory = self._importer_factory()
        return self.workspace.run("Importing", lambda: factory().import_sources(paths),
                                  on_done=self._finished, on_cancel=self._cancelled,
                                  writes=True)

    def import_text(self, text: str, title: str | None = None, url: str | None = None) -> Task:
        """Import pasted or typed text as a new document."""
        return self.import_document(pasted_document(text, title, url))

    def import_document(self, document: ImportedDocument) -> Task:
        """Import a document that is already read (typed, pasted, clipboard HTML)."""
        factory = self._importer_factory()
        return self.workspace.run("Importing pasted text",
                                  lambda: factory().import_documents([document]),
                                  on_done=self._finished, writes=True)

    def _cancelled(self) -> None:
        self.say("Import cancelled; documents imported so far are kept.")
        self.workspace.broadcast(Changes(document_list=True, any_document=True, places=True))

    def _finished(self, report: ImportReport) -> None:
        self.say(report.summary())
        imported = [line.document_id for line in report.lines
                    if line.status == "imported" and line.document_id is not None]
        if imported:
            self.workspace.open_document(imported[0])
        from desktop.ui.dialogs.import_report import ImportReportDialog

        # Every import ends with its report, a single paste too (non-modal).
        self.report_dialog = ImportReportDialog(report, self.parent_widget)
        self.report_dialog.show()

    def import_files_dialog(self) -> None:
        """Ask for files (offering the formats an import reads) and import them."""
        paths, _ = QFileDialog.getOpenFileNames(self.parent_widget, "Import files", "",
                                                file_filters())
        if paths:
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        """Ask for a folder and import everything importable in it, recursively."""
        folder = QFileDialog.getExistingDirectory(self.parent_widget, "Import folder")
        if folder:
            self.import_paths([folder])

    def paste_document(self) -> None:
        """Import the clipboard as a new document."""
        self.paste_mime(QGuiApplication.clipboard().mimeData())

    def paste_mime(self, mime: QMimeData) -> None:
        """Import pasted data; HTML from a browser keeps its source URL."""
        if mime.hasHtml():
            try:
                self.import_document(clipboard_document(mime.html(), mime.text() or None))
            except UnreadableInput as exc:
                self.say(f"Cannot paste: {exc}")
            return
        text = mime.text()
        if not text.strip():
            self.say("The clipboard holds no text.")
            return
        self.import_text(text)

    def new_document_dialog(self) -> None:
        """Let the analyst type or paste a document."""
        from desktop.ui.dialogs.new_document import NewDocumentDialog

        dialog = NewDocumentDialog(self.parent_widget)
        if dialog.exec():
            self.import_text(*dialog.values())
