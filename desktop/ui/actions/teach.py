"""Teach from my reviews: the menu action and Review-dock button that train in the background."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QInputDialog, QPushButton, QWidget

from desktop.dto import TrainingResult
from desktop.services.case_pipelines import adopt_pipeline, list_pipelines
from desktop.services.training import train_pipeline
from desktop.ui.dialogs.pipeline_versions import PipelineVersionsDialog
from desktop.ui.dialogs.training_result import TrainingResultDialog
from desktop.ui.icons import icon
from desktop.ui.workspace import Workspace

LANGUAGES = ("de", "en")
AskAdopt = Callable[[TrainingResult, QWidget], bool]


def ask_with_dialog(result: TrainingResult, parent: QWidget) -> bool:
    """Show the scores; True when the analyst chose to adopt the new version."""
    return TrainingResultDialog(result, parent).exec() == QDialog.DialogCode.Accepted


class TeachFromReviews(QObject):
    """Trains the case's pipeline on the analyst's reviews, then offers to adopt the result.

    Training runs as a background reader (it reads at the start and writes one short
    transaction at the end), so reviewing goes on meanwhile; the task bar shows its progress
    and cancels it. Signals: ``trained(object)`` with the TrainingResult, ``adopted(int)``
    with the version now in use.
    """

    trained = Signal(object)
    adopted = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget,
                 ask_adopt: AskAdopt = ask_with_dialog) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.parent_widget = parent
        self.ask_adopt = ask_adopt
        self.action = QAction(icon("teach"), "Teach from my reviews…", parent)
        self.action.setToolTip("Fine-tune this case's pipeline on the mentions you reviewed")
        self.action.triggered.connect(self.choose_language)
        self.versions_action = QAction(icon("versions"), "Pipeline versions…", parent)
        self.versions_action.setToolTip("The versions trained in this case; go back to an "
                                        "earlier one or to the shipped pipeline")
        self.versions_action.triggered.connect(self.show_versions)
        self.versions_dialog: PipelineVersionsDialog | None = None
        self.running = False

    def button(self) -> QPushButton:
        """A button for the Review dock that runs the same action."""
        button = QPushButton(icon("teach"), "Teach from my reviews")
        button.setToolTip(self.action.toolTip())
        button.clicked.connect(self.action.trigger)
        return button

    def choose_language(self) -> None:
        """Ask which language's pipeline to train, then start."""
        lang, ok = QInputDialog.getItem(self.parent_widget, "Teach from my reviews",
                                        "Train the pipeline for:", list(LANGUAGES), 0, False)
        if ok:
            self.start(lang)

    def start(self, lang: str) -> None:
        """Train the pipeline of one language in the background."""
        if self.running:
            self.workspace.message.emit("Training is already running")
            return
        self.running = True
        self.action.setEnabled(False)
        case = self.workspace.case
        self.workspace.run(f"Teaching the {lang} pipeline from your reviews",
                           lambda: train_pipeline(case, lang, adopt=False),
                           on_done=self._trained, on_error=self._failed,
                           on_cancel=self._stopped)

    def _stopped(self) -> None:
        self.running = False
        self.action.setEnabled(True)

    def _failed(self, message: str) -> None:
        self._stopped()
        self.workspace.error.emit(message)

    def _trained(self, result: TrainingResult) -> None:
        self._stopped()
        self.trained.emit(result)
        if self.ask_adopt(result, self.parent_widget) and result.version is not None:
            self.adopt(result.language, result.version)

    def show_versions(self) -> None:
        """Read the case's versions in the background, then list them in a dialog."""
        case = self.workspace.case
        self.workspace.run("Reading pipeline versions", lambda: list_pipelines(case),
                           on_done=self._list_versions)

    def _list_versions(self, pipelines: list) -> None:
        self.versions_dialog = PipelineVersionsDialog(
            pipelines, self.adopt, languages=LANGUAGES, read_only=self.workspace.read_only,
            parent=self.parent_widget)
        self.versions_dialog.open()

    def adopt(self, lang: str, version: int | None) -> None:
        """Use a version of the case pipeline (None: the shipped one) from now on."""
        case = self.workspace.case
        self.workspace.run("Adopting the pipeline", lambda: adopt_pipeline(case, lang, version),
                           writes=True, on_done=lambda _: self._adopted(lang, version or 0))

    def _adopted(self, lang: str, version: int) -> None:
        workspace = self.workspace
        workspace.use_case_pipelines()
        now = f"version {version}" if version else "the shipped one"
        workspace.message.emit(f"The {lang} pipeline is now {now}; extract again to use it on "
                               "existing documents")
        self.adopted.emit(version)
