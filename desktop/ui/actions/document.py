"""Actions on the document shown: extract its entities again, set its language."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.dto import Changes
from desktop.services.annotations import set_reviewed
from desktop.services.extract_entities import extract_documents, set_language
from desktop.ui.actions.base import Actions
from desktop.ui.tasks import Task
from desktop.ui.workspace import Workspace


class DocumentActions(Actions):
    """Extraction again (analyst decisions are kept), the language of a document, reviewed."""

    def __init__(self, workspace: Workspace, parent: QWidget) -> None:
        super().__init__(workspace, parent)
        self.extract = self.action("E&xtract again", self.extract_current, "extract")

    def extract_documents(self, document_ids: list[int]) -> Task:
        """Extract entities again for documents, in the background."""
        case, analysis = self.workspace.case, self.workspace.analysis
        changes = Changes(documents=frozenset(document_ids), any_document=True, places=True,
                          document_list=True)
        return self.workspace.run(
            "Extracting", lambda: extract_documents(case, analysis.analyzer(), document_ids),
            writes=True, changes=changes)

    def extract_current(self) -> None:
        """Extract the shown document again."""
        if self.workspace.document_id is not None:
            self.extract_documents([self.workspace.document_id])

    def set_language(self, document_id: int, language: str) -> None:
        """Store the analyst's language for a document, then extract it again."""
        case = self.workspace.case
        self.workspace.run("Setting language", lambda: set_language(case, document_id, language),
                           on_done=lambda _: self.extract_documents([document_id]),
                           writes=True, changes=Changes(documents=frozenset({document_id})))

    def set_reviewed(self, document_id: int, reviewed: bool) -> None:
        """Mark a document reviewed (all its names decided) or not, in the background."""
        case = self.workspace.case
        done = ("Marked reviewed: teaching counts what you did not accept in it as no name"
                if reviewed else "No longer marked reviewed")
        self.workspace.run("Marking reviewed", lambda: set_reviewed(case, document_id, reviewed),
                           on_done=lambda _: self.say(done), writes=True,
                           changes=Changes(documents=frozenset({document_id})))
