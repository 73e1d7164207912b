"""The main window: places the panels in docks and the actions in menus, nothing else."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QWidget

from desktop.services.case import Case
from desktop.ui.actions.annotations import AnnotationActions
from desktop.ui.actions.app import AppActions
from desktop.ui.actions.case import CaseActions
from desktop.ui.actions.document import DocumentActions
from desktop.ui.actions.export import ExportActions
from desktop.ui.actions.imports import ImportActions
from desktop.ui.actions.teach import TeachFromReviews
from desktop.ui.panels.base import Panel, load_when_first_shown
from desktop.ui.panels.document import DocumentPanel
from desktop.ui.panels.documents import DocumentListPanel
from desktop.ui.panels.entities import EntityPanel
from desktop.ui.panels.history import HistoryPanel
from desktop.ui.panels.link_chart import LinkChartPanel
from desktop.ui.panels.map import MapPanel
from desktop.ui.panels.notes import NotesPanel
from desktop.ui.panels.review_queue import ReviewQueueWidget
from desktop.ui.panels.search import SearchPanel
from desktop.ui.panels.timeline import TimelinePanel
from desktop.ui.widgets.task_progress import TaskProgressWidget
from desktop.ui.workspace import Workspace
from desktop.version import APP_NAME

LEFT = Qt.DockWidgetArea.LeftDockWidgetArea
RIGHT = Qt.DockWidgetArea.RightDockWidgetArea
BOTTOM = Qt.DockWidgetArea.BottomDockWidgetArea
# The first window size: the most of the screen it may take, and no more than this.
MOST = (1500, 950)


class MainWindow(QMainWindow):
    """Builds every panel and action on one workspace, in one step."""

    def __init__(self, workspace: Workspace, *, with_map: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.docks: dict[str, QDockWidget] = {}
        self._build_panels(with_map)
        self._build_actions()
        self._build_menus()
        self._build_status_bar()
        workspace.case_opened.connect(self._case_opened)
        self._case_opened(workspace.case)
        self.setAcceptDrops(True)
        self._first_size()

    def _build_panels(self, with_map: bool) -> None:
        ws = self.workspace
        self.document_panel = DocumentPanel(ws, self)
        self.setCentralWidget(self.document_panel)
        self.documents_panel = self._dock("Documents", DocumentListPanel(ws), LEFT)
        self.entity_panel = self._dock("Entities", EntityPanel(ws), LEFT)
        self.search_panel = self._dock("Search", SearchPanel(ws), LEFT)
        self.review_panel = self._dock("Review", ReviewQueueWidget(ws), BOTTOM)
        # Right column: the map above notes and history, so the bottom holds only the queue.
        self.map_panel = self._dock("Map", MapPanel(ws), RIGHT) if with_map else None
        self.notes_panel = self._dock("Notes", NotesPanel(ws), RIGHT)
        self.history_panel = self._dock("History", HistoryPanel(ws), RIGHT)
        # Timeline and link chart share the bottom with the review queue, which stays in front.
        self.timeline_panel = self._dock("Timeline", TimelinePanel(ws), BOTTOM)
        self.link_chart_panel = self._dock("Link chart", LinkChartPanel(ws), BOTTOM)
        for panel in (self.timeline_panel, self.link_chart_panel):
            self.tabifyDockWidget(self.docks["review_dock"], panel.parentWidget())
            load_when_first_shown(panel.parentWidget(), panel.refresh)
        self.docks["review_dock"].raise_()
        self.tabifyDockWidget(self.docks["entities_dock"], self.docks["search_dock"])
        self.tabifyDockWidget(self.docks["notes_dock"], self.docks["history_dock"])
        self.docks["entities_dock"].raise_()
        self.docks["notes_dock"].raise_()
        # Side docks run the full height; the bottom docks stay under the text.
        self.setCorner(Qt.Corner.BottomLeftCorner, LEFT)
        self.setCorner(Qt.Corner.BottomRightCorner, RIGHT)

    def _dock(self, title: str, panel: QWidget, area: Qt.DockWidgetArea):  # noqa: ANN202
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower().replace(' ', '_')}_dock")
        dock.setWidget(panel)
        self.addDockWidget(area, dock)
        self.docks[dock.objectName()] = dock
        return panel

    def _build_actions(self) -> None:
        ws = self.workspace
        self.case_actions = CaseActions(ws, self)
        self.import_actions = ImportActions(ws, self)
        self.annotation_actions = AnnotationActions(ws, self)
        self.document_actions = DocumentActions(ws, self)
        self.export_actions = ExportActions(ws, self, self.documents_panel)
        self.app_actions = AppActions(ws, self)
        self.teach = TeachFromReviews(ws, self)
        self.review_panel.add_button(self.teach.button())
        self.document_panel.extract_requested.connect(
            lambda doc: self.document_actions.extract_documents([doc]))
        self.document_panel.language_chosen.connect(self.document_actions.set_language)
        self.document_panel.reviewed_chosen.connect(self.document_actions.set_reviewed)

    def _build_menus(self) -> None:
        case, imp, exp, app = (self.case_actions, self.import_actions, self.export_actions,
                               self.app_actions)
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([case.new_case, case.open_case, case.open_shared_case])
        file_menu.addMenu(case.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([imp.import_files, imp.import_folder, imp.paste, imp.new_document,
                              self.annotation_actions.import_annotations])
        file_menu.addSeparator()
        file_menu.addAction(exp.export_case)
        exp.fill_menu(file_menu.addMenu("Export"))
        file_menu.addAction(self.annotation_actions.export_annotations)
        file_menu.addActions([exp.report_fields, case.open_case_file, exp.verify])
        file_menu.addSeparator()
        file_menu.addActions([app.preferences, app.quit])
        edit = self.menuBar().addMenu("&Edit")
        edit.addActions([app.undo, app.redo])
        document = self.menuBar().addMenu("&Document")
        document.addActions([self.document_actions.extract, self.teach.action,
                             self.teach.versions_action])
        view: QMenu = self.menuBar().addMenu("&View")
        view.addActions([dock.toggleViewAction() for dock in self.docks.values()])
        self.menuBar().addMenu("&Help").addAction(app.about)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.addActions([case.open_case, imp.import_files, imp.paste, imp.new_document,
                            exp.export_case])
        app.guard_shortcuts([*self.findChildren(type(app.quit))], self)

    def _build_status_bar(self) -> None:
        self.case_label = QLabel()
        self.case_label.setMinimumWidth(40)
        self.read_only_label = QLabel("<b>Read-only</b>")
        self.read_only_label.setToolTip("You may read this case but not change it (a reader)")
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.progress = TaskProgressWidget()
        self.statusBar().addWidget(self.case_label, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.workspace.tasks.task_started.connect(self.progress.track)
        self.workspace.tasks.task_ended.connect(self.progress.finish)
        self.workspace.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.workspace.error.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.documents_panel.counts_changed.connect(self.case_label.setText)

    def _case_opened(self, case: Case) -> None:
        # A reader on a shared case sees it in the title: their edits are not saved.
        mode = " (read-only)" if case.read_only else ""
        self.setWindowTitle(f"{case.name}{mode} — {APP_NAME}")
        self.case_label.setToolTip(case.location)
        self.read_only_label.setVisible(case.read_only)
        for action in self.editing_actions():
            action.setEnabled(not case.read_only)
        for panel in (*self.findChildren(Panel), self.link_chart_panel):
            panel.apply_read_only()

    def editing_actions(self) -> list[QAction]:
        """The menu and toolbar entries that change the case (greyed for a reader)."""
        imp = self.import_actions
        return [imp.import_files, imp.import_folder, imp.paste, imp.new_document,
                self.document_actions.extract, self.teach.action,
                self.export_actions.report_fields]

    # -- window state ---------------------------------------------------------------------------
    def _first_size(self) -> None:
        geometry = self.workspace.settings.geometry("main")
        if geometry is not None and self.restoreGeometry(geometry):
            return
        screen = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(MOST[0], screen.width() - 40), min(MOST[1], screen.height() - 40))

    def restore_layout(self) -> None:
        """Put the docks where the analyst left them; the first time, leave the text most room."""
        state = self.workspace.settings.geometry("main_docks")
        if state is not None and self.restoreState(state):
            return
        width = self.width()
        side = [self.docks["documents_dock"]]
        self.resizeDocks(side, [max(240, width // 5)], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["documents_dock"], self.docks["entities_dock"]],
                         [1, 2], Qt.Orientation.Vertical)
        self.resizeDocks([self.docks["review_dock"]], [215], Qt.Orientation.Vertical)
        right = [self.docks.get("map_dock", self.docks["notes_dock"])]
        self.resizeDocks(right, [max(300, width // 4)], Qt.Orientation.Horizontal)
        if "map_dock" in self.docks:
            self.resizeDocks([self.docks["map_dock"], self.docks["notes_dock"]], [3, 2],
                             Qt.Orientation.Vertical)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """Accept files and folders dragged onto the window."""
        if event.mimeData().hasUrls() and not self.workspace.read_only:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Import the dropped files and folders."""
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_actions.import_paths(paths)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Save geometry, stop background work, close the case."""
        settings = self.workspace.settings
        settings.save_geometry("main", self.saveGeometry())
        settings.save_geometry("main_docks", self.saveState())
        settings.sync()
        self.workspace.tasks.shutdown()
        self.workspace.case.close()
        super().closeEvent(event)

