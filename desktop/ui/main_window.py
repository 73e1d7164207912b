"""The main window: document list, document text and mention table, wired to the services."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services import browse
from desktop.services.analysis import AnalyzerProvider
from desktop.services.case import Case, CaseOpenError, case_info, open_case
from desktop.settings import Settings
from desktop.ui.export_actions import add_export_menu, export_dialog
from desktop.ui.icons import icon
from desktop.ui.import_actions import ImportActions
from desktop.ui.models.documents import DocumentColumn, DocumentTableModel
from desktop.ui.models.mentions import MentionColumn, MentionTableModel
from desktop.ui.models.rows import ID_ROLE, SORT_ROLE
from desktop.ui.tasks import Task, TaskRunner
from desktop.ui.widgets.document_view import DocumentView
from desktop.ui.widgets.label_legend import LabelLegend
from desktop.ui.widgets.task_progress import TaskProgressWidget
from desktop.version import APP_NAME

LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pl", "ru", "uk", "und")


def _table(model: QSortFilterProxyModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _proxy(source: DocumentTableModel | MentionTableModel) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setSortRole(SORT_ROLE)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


class MainWindow(QMainWindow):
    """Thin window: builds widgets and actions; work goes to services through the task runner."""

    def __init__(
        self, case: Case, settings: Settings, tasks: TaskRunner, analysis: AnalyzerProvider
    ) -> None:
        super().__init__()
        self.case = case
        self.settings = settings
        self.tasks = tasks
        self.analysis = analysis
        self.imports = ImportActions(self)
        self.documents = DocumentTableModel(self)
        self.mentions = MentionTableModel(self)
        self.map_dock = None
        self.review = None
        self._pending_span: tuple[int, int] | None = None
        self._load_generation = 0
        self._build_widgets()
        self._build_actions()
        self.tasks.task_started.connect(self.progress.track)
        self.tasks.task_ended.connect(self.progress.finish)
        self._restore_geometry()
        self.setAcceptDrops(True)
        self.set_case(case)

    # -- building -------------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.document_proxy = _proxy(self.documents)
        self.document_proxy.setFilterKeyColumn(DocumentColumn.TITLE)
        self.document_table = _table(self.document_proxy)
        self.document_table.selectionModel().selectionChanged.connect(self._document_selected)
        self.filter_edit = QLineEdit(placeholderText="Filter documents by title")
        self.filter_edit.textChanged.connect(self.document_proxy.setFilterFixedString)
        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.document_table)

        self.document_view = DocumentView()
        self.document_view.label_selection.connect(self.label_selection)
        self.document_view.split_requested.connect(self.split_mention)
        self.document_view.join_requested.connect(self.join_mentions)
        self.document_view.mention_clicked.connect(self.select_mention)
        self.language_box = QComboBox()
        self.language_box.addItems(LANGUAGES)
        self.language_box.setToolTip("Language of this document (changing it extracts again)")
        self.language_box.activated.connect(lambda _: self.imports.language_chosen())
        self.extract_button = QPushButton(icon("extract"), "Extract again")
        self.extract_button.clicked.connect(self.imports.extract_current_document)
        doc_bar = QHBoxLayout()
        doc_bar.addWidget(QLabel("Language:"))
        doc_bar.addWidget(self.language_box)
        doc_bar.addWidget(self.extract_button)
        doc_bar.addStretch(1)
        self.legend = LabelLegend()
        doc_bar.addWidget(self.legend)
        doc_panel = QWidget()
        doc_layout = QVBoxLayout(doc_panel)
        doc_layout.setContentsMargins(0, 0, 0, 0)
        doc_layout.addLayout(doc_bar)
        doc_layout.addWidget(self.document_view)
        self.mention_proxy = _proxy(self.mentions)
        self.mention_table = _table(self.mention_proxy)
        self.mention_table.selectionModel().selectionChanged.connect(self._mention_selected)
        # Mentions read in text order; documents keep the service's newest-first order.
        self.mention_table.sortByColumn(MentionColumn.OFFSETS, Qt.SortOrder.AscendingOrder)
        self.document_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.document_proxy.sort(-1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(doc_panel)
        right.addWidget(self.mention_table)
        right.setSizes([500, 260])

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([380, 820])
        self.setCentralWidget(self.splitter)

        self.case_label = QLabel()
        self.progress = TaskProgressWidget()
        self.statusBar().addWidget(self.case_label, 1)
        self.statusBar().addPermanentWidget(self.progress)

    def _action(
        self, text: str, slot: Callable[[], object], name: str, keys: str | None = None
    ) -> QAction:
        action = QAction(icon(name), text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda *_: slot())
        return action

    def _build_actions(self) -> None:
        self.new_case_action = self._action("&New case…", self.new_case, "new_case", "Ctrl+N")
        self.open_case_action = self._action(
            "&Open case…", self.open_case_dialog, "open_case", "Ctrl+O"
        )
        self.import_action = self._action(
            "&Import files…", self.imports.import_files_dialog, "import", "Ctrl+I"
        )
        self.import_folder_action = self._action(
            "Import &folder…", self.imports.import_folder_dialog, "import_folder"
        )
        self.paste_action = self._action(
            "&Paste as new document", self.imports.paste_document, "paste", "Ctrl+Shift+V"
        )
        self.new_document_action = self._action(
            "New &document…", self.imports.new_document_dialog, "new_document"
        )
        self.export_action = self._action(
            "&Export case file…", lambda: self._export("case"), "export", "Ctrl+E"
        )
        self.preferences_action = self._action(
            "Pre&ferences…", self.imports.preferences_dialog, "preferences", "Ctrl+,")
        quit_action = self._action("&Quit", self.close, "quit", "Ctrl+Q")
        about_action = self._action("&About Casedesk", self.show_about, "about")
        file_menu = self.file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.new_case_action, self.open_case_action])
        self.recent_menu = file_menu.addMenu("Recent cases")
        file_menu.addSeparator()
        file_menu.addActions(
            [
                self.import_action,
                self.import_folder_action,
                self.paste_action,
                self.new_document_action,
            ]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        add_export_menu(self)
        file_menu.addSeparator()
        file_menu.addActions([self.preferences_action, quit_action])
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_menu.addAction(about_action)
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.addActions(
            [
                self.open_case_action,
                self.import_action,
                self.paste_action,
                self.new_document_action,
                self.export_action,
            ]
        )

    def add_map(self, gazetteer: Callable[[], object]) -> None:
        """Dock the map; it follows the selected document and selects what is clicked."""
        from desktop.ui.widgets.map_dock import MapDock

        self.map_dock = MapDock(
            lambda: self.case, self.tasks, gazetteer, self.settings.tile_url, self
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.map_dock)
        self.map_dock.entity_clicked.connect(self.select_entity)
        self.map_dock.place_changed.connect(lambda _: self._reload_current_document())
        self.map_dock.refresh()

    def add_review_docks(self) -> None:
        """Dock the review queue, entities, search, notes and history."""
        from desktop.ui.review_docks import ReviewDocks

        self.review = ReviewDocks(self)

    def open_span(self, document_id: int, start: int, end: int) -> None:
        """Show a document and select a span of its text (start < 0: only show it)."""
        self._pending_span = (start, end) if start >= 0 else None
        if self.document_view.document_id == document_id:
            self.reload_if_shown(document_id)
        else:
            self.select_document(document_id)

    def reload_if_shown(self, document_id: int) -> None:
        """Reload the shown document when its mentions changed elsewhere."""
        if self.document_view.document_id == document_id:
            self._load_document(document_id)

    def _load_document(self, document_id: int) -> None:
        case = self.case
        # Loads run on two reader threads: only the newest request may reach the view, or a
        # quick second click could be overwritten by the slower first load.
        self._load_generation += 1
        generation = self._load_generation
        self.tasks.start(
            "Opening document",
            lambda: browse.document_with_mentions(case, document_id),
            on_done=lambda result: (generation == self._load_generation
                                    and self._document_loaded(*result)),
            on_error=self.show_error,
        )

    def label_selection(self, start: int, end: int, label: str) -> None:
        """The analyst labelled selected text: a new accepted mention, undoable."""
        from desktop.services import review

        document_id, case = self.document_view.document_id, self.case
        if document_id is not None:
            self._mention_command(
                f"Add {label}", lambda: review.add_mention(case, document_id, start, end, label))

    def split_mention(self, mention_id: int, offset: int) -> None:
        """Cut a mention in two at a text offset, undoable."""
        from desktop.services import review

        case = self.case
        self._mention_command("Split mention",
                              lambda: review.split_mention(case, mention_id, offset))

    def join_mentions(self, first_id: int, second_id: int) -> None:
        """Join a mention with the next one, undoable."""
        from desktop.services import review

        case = self.case
        self._mention_command("Join mentions",
                              lambda: review.join_mentions(case, first_id, second_id))

    def _mention_command(self, text: str, action: Callable[[], object]) -> None:
        """Run a mention edit through the undo stack, then show the document again."""
        from desktop.ui.undo import MentionCommand

        document_id = self.document_view.document_id
        command = MentionCommand(text, self.case, action,
                                 lambda *_: self._load_document(document_id), self.show_error)
        if self.review is not None:
            self.review.undo_stack.push(command)
        else:
            command.redo()

    def select_mention(self, mention_id: int) -> None:
        """Select a mention in the table (which shows it in the map, notes and text)."""
        row = self.mentions.find_row(lambda m: m.id == mention_id)
        if row >= 0:
            index = self.mention_proxy.mapFromSource(self.mentions.index(row, 0))
            self.mention_table.selectRow(index.row())

    def select_entity(self, entity_id: int) -> None:
        """Select the first mention of an entity in the current document, if it has one."""
        row = self.mentions.find_row(lambda m: m.entity_id == entity_id)
        if row >= 0:
            index = self.mention_proxy.mapFromSource(self.mentions.index(row, 0))
            self.mention_table.selectRow(index.row())
        self.statusBar().showMessage(f"Selected entity {entity_id}", 4000)

    def _reload_current_document(self) -> None:
        if self.document_view.document_id is not None:
            self.reload_if_shown(self.document_view.document_id)

    # -- case -----------------------------------------------------------------------------------
    def set_case(self, case: Case) -> None:
        """Show another case (the caller closed the old one)."""
        self.case = case
        self.settings.add_recent_case(case.path)
        self._fill_recent_menu()
        self.setWindowTitle(f"{case.path.stem} — {APP_NAME}")
        self.document_view.show_document(None, [])
        self.mentions.set_rows([])
        if self.review is not None:
            self.review.set_case(case)
        if getattr(self, "workspace", None) is not None:  # timeline and link chart docks
            self.workspace.open_case(case)
        if self.map_dock is not None:
            self.map_dock.refresh()
        self.refresh_documents()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_cases:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda *_, p=path: self.switch_case(Path(p)))

    def switch_case(self, path: Path) -> None:
        """Open another case file in this window."""
        if Path(path).resolve() == self.case.path:
            return
        try:
            new_case = open_case(path)
        except CaseOpenError as exc:
            QMessageBox.warning(self, "Cannot open case", str(exc))
            return
        self.tasks.shutdown()
        self.case.close()
        self.set_case(new_case)

    def new_case(self) -> None:
        """Ask for a file name and create a new case there."""
        path, _ = QFileDialog.getSaveFileName(self, "New case", "", "Casedesk case (*.casedesk)")
        if path:
            self.switch_case(Path(path if path.endswith(".casedesk") else path + ".casedesk"))

    def open_case_dialog(self) -> None:
        """Ask for a case file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Open case", "", "Casedesk case (*.casedesk);;All files (*)"
        )
        if path:
            self.switch_case(Path(path))

    def refresh_documents(self, select_id: int | None = None) -> None:
        """Reload the document list in the background."""
        case = self.case
        self.tasks.start(
            "Loading documents",
            lambda: (browse.list_documents(case), case_info(case)),
            on_done=lambda result: self._documents_loaded(*result, select_id=select_id),
            on_error=self.show_error,
        )

    def _documents_loaded(self, rows: list, info: object, *, select_id: int | None) -> None:
        self.documents.set_rows(rows)
        self.case_label.setText(
            f"{info.path}  ·  {info.documents} documents  ·  {info.mentions} mentions"
            f"  ·  {info.entities} entities"
        )
        if select_id is not None:
            self.select_document(select_id)
        elif rows and not self.document_table.selectionModel().hasSelection():
            self.document_table.selectRow(0)

    def select_document(self, document_id: int) -> None:
        """Select a document in the list (which shows it)."""
        row = self.documents.find_row(lambda d: d.id == document_id)
        if row >= 0:
            index = self.document_proxy.mapFromSource(self.documents.index(row, 0))
            if not index.isValid():  # hidden by the title filter: show every document again
                self.filter_edit.clear()
                index = self.document_proxy.mapFromSource(self.documents.index(row, 0))
            self.document_table.selectRow(index.row())
            self.document_table.scrollTo(index)

    def shown_document_ids(self) -> list[int]:
        """The documents the (filtered) document list shows, top to bottom."""
        proxy = self.document_proxy
        return [proxy.index(row, 0).data(ID_ROLE) for row in range(proxy.rowCount())]

    def _document_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        self._load_document(indexes[0].data(ID_ROLE))

    def _document_loaded(self, detail: object, mentions: list) -> None:
        self.document_view.show_document(detail, mentions)
        self.mentions.set_rows(mentions)
        if detail is not None:
            language = detail.language or "und"
            if self.language_box.findText(language) < 0:
                self.language_box.addItem(language)
            self.language_box.setCurrentText(language)
            notice = detail.extraction_notice
            self.statusBar().showMessage(notice or "", 10000 if notice else 1)
        if self.review is not None and detail is not None:
            self.review.document_shown(detail.id)
        if self._pending_span and detail is not None:
            self.document_view.select_span(*self._pending_span)
            self._pending_span = None
        if self.map_dock is not None and detail is not None:
            self.map_dock.show_document(detail.id)
            self.map_dock.focus(sorted({m.entity_id for m in mentions if m.entity_id}))

    def _mention_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            row = self.mentions.row_at(self.mention_proxy.mapToSource(indexes[0]).row())
            self.document_view.select_span(row.start, row.end)
            if self.map_dock is not None:
                self.map_dock.select_entity(row.entity_id)
            if self.review is not None:
                self.review.mention_shown(row.id, row.entity_id)

    # -- import ---------------------------------------------------------------------------------
    def import_paths(self, paths: list[str]) -> Task:
        """Import files and folders in the background."""
        return self.imports.import_paths(paths)

    def import_text(self, text: str, title: str | None = None, url: str | None = None) -> Task:
        """Import pasted or typed text as a new document."""
        return self.imports.import_text(text, title, url)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        """Accept files and folders dragged onto the window."""
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        """Import the dropped files and folders."""
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.imports.import_paths(paths)

    def _export(self, name: str) -> None:
        export_dialog(self, name)

    def show_about(self) -> None:
        """Show version, licenses and attributions."""
        from desktop.ui.dialogs.about import AboutDialog

        AboutDialog(self).exec()

    def show_error(self, message: str) -> None:
        """Tell the analyst what went wrong."""
        QMessageBox.warning(self, APP_NAME, message)

    # -- window state ---------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.geometry("main")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def restore_layout(self) -> None:
        """Put the docks where the analyst left them; the first time, leave the text most room."""
        state = self.settings.geometry("main_docks")
        if state is not None and self.restoreState(state):
            return
        docks = {dock.objectName(): dock for dock in self.findChildren(QDockWidget)}
        if "review_dock" in docks:
            self.resizeDocks([docks["review_dock"]], [230], Qt.Orientation.Vertical)
        if self.map_dock is not None:
            self.resizeDocks([self.map_dock], [460], Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Save geometry, stop background work, close the case."""
        self.settings.save_geometry("main", self.saveGeometry())
        self.settings.save_geometry("main_docks", self.saveState())
        self.settings.sync()
        self.tasks.shutdown()
        self.case.close()
        super().closeEvent(event)
