"""Getting text into the case from the window: files, drops, paste, extraction, preferences."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from desktop.dto import ImportReport
from desktop.services.analysis import AnalyzerProvider
from desktop.services.extract_entities import extract_documents, set_language
from desktop.services.import_documents import (
    ImportedDocument,
    Importer,
    ImportOptions,
    UnreadableInput,
    clipboard_document,
    pasted_document,
)
from desktop.services.preferences import pipeline_choices
from desktop.ui.tasks import Task

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow


class ImportActions(QObject):
    """Import and extraction actions of one main window; work runs through its task runner."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def _importer_factory(self) -> Callable[[], Importer]:
        """Read settings here on the main thread; the importer is built in the worker."""
        options = ImportOptions(
            max_bytes=int(self.window.settings.max_import_mb * 1024 * 1024),
            keep_original=self.window.settings.keep_originals,
        )
        case, analysis = self.window.case, self.window.analysis
        return lambda: Importer(case, options, analysis.for_import())

    def import_paths(self, paths: list[str]) -> Task:
        """Import files and folders in the background."""
        importer_factory = self._importer_factory()
        return self.window.tasks.start(
            "Importing",
            lambda: importer_factory().import_sources(paths),
            on_done=self._import_finished,
            on_error=self.window.show_error,
            on_cancel=lambda: self._import_finished(None),
            writes=True,
        )

    def import_text(self, text: str, title: str | None = None, url: str | None = None) -> Task:
        """Import pasted or typed text as a new document."""
        return self.import_document(pasted_document(text, title, url))

    def import_document(self, document: ImportedDocument) -> Task:
        """Import a document that is already read (typed, pasted, clipboard HTML)."""
        importer_factory = self._importer_factory()
        return self.window.tasks.start(
            "Importing pasted text",
            lambda: importer_factory().import_documents([document]),
            on_done=self._import_finished,
            on_error=self.window.show_error,
            writes=True,
        )

    def _import_finished(self, report: ImportReport | None) -> None:
        if report is None:
            self.window.statusBar().showMessage(
                "Import cancelled; documents imported so far are kept.", 8000
            )
            self.window.refresh_documents()
            self._content_changed()
            return
        self.window.statusBar().showMessage(report.summary(), 8000)
        imported = [line.document_id for line in report.lines if line.status == "imported"]
        self.window.refresh_documents(select_id=imported[0] if imported else None)
        if imported:
            self._content_changed()
        if len(report.lines) > 1 or report.failed:
            from desktop.ui.dialogs.import_report import ImportReportDialog

            self.window.report_dialog = ImportReportDialog(report, self.window)
            self.window.report_dialog.show()

    def _content_changed(self) -> None:
        """New or re-extracted suggestions: the queue, entities and map show them."""
        if self.window.review is not None:
            self.window.review.content_changed()
        if self.window.map_dock is not None:
            self.window.map_dock.refresh()

    def extract_documents(self, document_ids: list[int]) -> Task:
        """Extract entities again for documents (analyst decisions are kept)."""
        case, analysis = self.window.case, self.window.analysis
        current = self.window.document_view.document_id

        def finished(*_: object) -> None:
            self.window.refresh_documents(select_id=current)
            self._content_changed()

        return self.window.tasks.start(
            "Extracting",
            lambda: extract_documents(case, analysis.analyzer(), document_ids),
            on_done=finished,
            on_cancel=finished,
            on_error=self.window.show_error,
            writes=True,
        )

    def extract_current_document(self) -> None:
        """Extract the shown document again."""
        if self.window.document_view.document_id is not None:
            self.extract_documents([self.window.document_view.document_id])

    def language_chosen(self) -> None:
        """The analyst set the document's language: store it, then extract again."""
        document_id = self.window.document_view.document_id
        if document_id is None:
            return
        case, language = self.window.case, self.window.language_box.currentText()
        self.window.tasks.start(
            "Setting language",
            lambda: set_language(case, document_id, language),
            on_done=lambda _: self.extract_documents([document_id]),
            on_error=self.window.show_error,
            writes=True,
        )

    def import_files_dialog(self) -> None:
        """Ask for files and import them."""
        paths, _ = QFileDialog.getOpenFileNames(self.window, "Import files")
        if paths:
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        """Ask for a folder and import everything importable in it, recursively."""
        folder = QFileDialog.getExistingDirectory(self.window, "Import folder")
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
                self.window.statusBar().showMessage(f"Cannot paste: {exc}", 8000)
            return
        text = mime.text()
        if not text.strip():
            self.window.statusBar().showMessage("The clipboard holds no text.", 5000)
            return
        self.import_text(text)

    def preferences_dialog(self) -> None:
        """Show the preferences once the pipelines are listed (that imports spaCy: a task)."""
        self.window.tasks.start("Listing pipelines", pipeline_choices,
                                on_done=self._show_preferences, on_error=self.window.show_error)

    def _show_preferences(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        from desktop.ui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.window.settings, choices, self.window)
        if not dialog.exec():
            return
        changed = dialog.apply()
        if any(item.startswith("pipeline") for item in changed):
            # A new provider loads the chosen pipelines on the next extraction.
            self.window.analysis = AnalyzerProvider(self.window.settings.pipelines)
        if changed:
            self.window.statusBar().showMessage("Saved: " + ", ".join(changed), 8000)

    def new_document_dialog(self) -> None:
        """Let the analyst type or paste a document."""
        from desktop.ui.dialogs.new_document import NewDocumentDialog

        dialog = NewDocumentDialog(self.window)
        if dialog.exec():
            self.import_text(*dialog.values())

    # -- export, about, errors --------------------------------------------------------------------
