"""Annotations in and out from the File menu: JSONL or CoNLL/BIO in; JSONL, CoNLL or DocBin out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.dto import AnnotationFormat, AnnotationImportResult
from desktop.services.annotations import annotation_export_steps, annotation_import_steps
from desktop.ui.actions.base import Actions
from desktop.ui.workspace import Workspace

IMPORT_FILTER = "Annotations (*.jsonl *.json *.ndjson *.conll *.conllu *.bio *.iob *.tsv *.txt)"
# Save-dialog filter and file suffix of each export format.
EXPORT_FORMATS: dict[AnnotationFormat, tuple[str, str]] = {
    AnnotationFormat.JSONL: ("JSONL, text and spans (*.jsonl)", ".jsonl"),
    AnnotationFormat.CONLL: ("CoNLL/BIO (*.conll)", ".conll"),
    AnnotationFormat.DOCBIN: ("spaCy DocBin (*.spacy)", ".spacy"),
}


def import_summary(result: AnnotationImportResult) -> str:
    """One line on what an annotation import did."""
    return (f"Annotations imported: {result.documents} documents ({result.added_documents} new),"
            f" {result.accepted} mentions accepted, {result.rejected} suggestions rejected")


class AnnotationActions(Actions):
    """Import annotation files as reviewed documents, export the reviewed ones, in the background.

    A bad file is reported with the line of its first problem and changes nothing.
    """

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(workspace, parent)
        self.import_annotations = self.action("Import annotations…", self.import_dialog)
        self.import_annotations.setToolTip(
            "Bring in texts annotated elsewhere (JSONL or CoNLL/BIO) as reviewed documents")
        self.export_annotations = self.action("Export annotations…", self.export_dialog)
        self.export_annotations.setToolTip(
            "Write the reviewed documents with their accepted mentions for annotation tools")

    def import_dialog(self) -> None:
        """Ask for an annotation file and import it."""
        path, _ = QFileDialog.getOpenFileName(self.parent_widget, "Import annotations", "",
                                              f"{IMPORT_FILTER};;All files (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import an annotation file in the background; a bad file is reported, not stored."""
        case = self.workspace.case
        self.workspace.run(
            f"Importing annotations from {path.name}",
            lambda: annotation_import_steps(case, path), writes=True,
            on_done=lambda result: self.say(import_summary(result)),
            on_error=lambda message: self.warn(message, "Cannot import annotations"))

    def export_dialog(self) -> None:
        """Ask where and in which format, then export the reviewed documents."""
        filters = {text: fmt for fmt, (text, _) in EXPORT_FORMATS.items()}
        path, chosen = QFileDialog.getSaveFileName(
            self.parent_widget, "Export annotations", "annotations.jsonl", ";;".join(filters))
        if path:
            self.export_file(Path(path), filters.get(chosen, AnnotationFormat.JSONL))

    def export_file(self, path: Path, fmt: AnnotationFormat) -> None:
        """Write the reviewed documents in a format in the background."""
        suffix = EXPORT_FORMATS[fmt][1]
        if not path.suffix:
            path = path.with_suffix(suffix)
        case = self.workspace.case
        self.workspace.run(
            f"Exporting annotations to {path.name}",
            lambda: annotation_export_steps(case, path, fmt),
            on_done=lambda count: self.say(f"Wrote {count} reviewed documents to {path}"),
            on_error=lambda message: self.warn(message, "Cannot export annotations"))
