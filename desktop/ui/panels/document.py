"""The document opened: its language, the text with coloured mentions, and the mention table."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import Changes, DocumentDetail, MentionRow
from desktop.services import browse, review
from desktop.ui.icons import icon
from desktop.ui.models.mentions import MentionColumn, MentionTableModel
from desktop.ui.panels.base import Panel, elided
from desktop.ui.panels.tables import row_table, sort_proxy
from desktop.ui.widgets.document_view import DocumentView
from desktop.ui.widgets.label_legend import LabelLegend
from desktop.ui.workspace import Workspace

LANGUAGES = ("de", "en", "fr", "es", "it", "nl", "pl", "ru", "uk", "und")


class DocumentPanel(Panel):
    """Shows the workspace's document; labelling, splitting and joining go through it.

    Signals:
        extract_requested(int): the analyst asked to extract this document again.
        language_chosen(int, str): the analyst set the document's language.
        reviewed_chosen(int, bool): the analyst marked the document reviewed, or not.
    """

    extract_requested = Signal(int)
    language_chosen = Signal(int, str)
    reviewed_chosen = Signal(int, bool)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.mentions = MentionTableModel(self)
        self._generation = 0
        self._build()
        workspace.case_opened.connect(lambda _: self._shown(None, []))
        workspace.document_opened.connect(self.load)
        workspace.mention_selected.connect(lambda m, _e: self._select_row(m))
        workspace.entity_selected.connect(self._entity_selected)
        workspace.changed.connect(self._changed)

    def _build(self) -> None:
        self.view = DocumentView()
        self.view.label_selection.connect(self.label_selection)
        self.view.split_requested.connect(self.split_mention)
        self.view.join_requested.connect(self.join_mentions)
        self.view.mention_clicked.connect(self._select_row)
        self.view.selectionChanged.connect(self._text_selected)
        self.title_label = elided(QLabel())
        self.language_box = QComboBox()
        self.language_box.addItems(LANGUAGES)
        self.language_box.setToolTip("Language of this document (changing it extracts again)")
        self.language_box.activated.connect(lambda _: self._language_chosen())
        # Shown when detection was unsure and the language is Casedesk's best guess.
        self.language_guessed = QLabel("(guessed)")
        self.language_guessed.setToolTip("Detection was unsure; check the language and change it "
                                         "if it is wrong")
        self.language_guessed.setVisible(False)
        self.extract_button = QPushButton(icon("extract"), "Extract again")
        self.extract_button.clicked.connect(self._extract)
        # Marked: the accepted and added mentions are all the names in it (what teaching reads).
        self.reviewed_box = QCheckBox("Reviewed")
        self.reviewed_box.setToolTip(
            "Every name in this document is accepted or added: teaching from your reviews "
            "counts the rest of its text as no name")
        self.reviewed_box.clicked.connect(self._reviewed_chosen)
        bar = QHBoxLayout()
        for widget in (QLabel("Language:"), self.language_box, self.language_guessed,
                       self.extract_button, self.reviewed_box):
            bar.addWidget(widget)
        bar.addWidget(self.title_label, 1)
        self.legend = LabelLegend()
        top = QWidget()
        layout = QVBoxLayout(top)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.legend)
        layout.addWidget(self.view)
        self.proxy = sort_proxy(self.mentions, self)
        self.table = row_table(self.proxy, self)
        self.table.selectionModel().selectionChanged.connect(self._row_selected)
        # Mentions read in text order.
        self.table.sortByColumn(MentionColumn.OFFSETS, Qt.SortOrder.AscendingOrder)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self.table)
        splitter.setSizes([500, 220])
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

    # -- loading ----------------------------------------------------------------------------------
    def load(self, document_id: int, start: int = -1, end: int = -1) -> None:
        """Load and show a document (-1: none), selecting a span when start >= 0."""
        if document_id < 0:
            self._shown(None, [])
            return
        self._generation += 1
        generation, case = self._generation, self.case
        span = (start, end) if start >= 0 else None
        # Loads run on two reader threads: only the newest may reach the view.
        self.tasks.start("Opening document",
                         lambda: browse.document_with_mentions(case, document_id),
                         on_done=lambda result: (generation == self._generation
                                                 and self._shown(*result, span=span)))

    def _changed(self, changes: Changes) -> None:
        document_id = self.view.document_id
        if document_id is not None and changes.touches_document(document_id):
            self._generation += 1
            generation, case = self._generation, self.case
            self.tasks.start("Reloading document",
                             lambda: browse.document_with_mentions(case, document_id),
                             on_done=lambda result: (generation == self._generation
                                                     and self._reloaded(*result)))

    def _reloaded(self, detail: DocumentDetail | None, mentions: list[MentionRow]) -> None:
        """Show the new state of the same document where the analyst was reading."""
        bar = self.view.verticalScrollBar()
        position, selected = bar.value(), self.view.selected_span()
        self._shown(detail, mentions)
        if selected is not None:
            self.view.select_span(*selected)
        bar.setValue(position)

    def _shown(self, detail: DocumentDetail | None, mentions: list[MentionRow],
               span: tuple[int, int] | None = None) -> None:
        self.view.show_document(detail, mentions)
        with self.quiet():
            self.mentions.set_rows(mentions)
        self.title_label.setText(detail.title if detail else "")
        self.title_label.setToolTip(detail.title if detail else "")
        self.language_guessed.setVisible(detail is not None and detail.language_guessed)
        self.reviewed_box.setChecked(detail is not None and detail.reviewed)
        self.reviewed_box.setEnabled(detail is not None and not self.workspace.read_only)
        if detail is not None:
            language = detail.language or "und"
            if self.language_box.findText(language) < 0:
                self.language_box.addItem(language)
            self.language_box.setCurrentText(language)
            if detail.extraction_notice:
                self.workspace.message.emit(detail.extraction_notice)
        if span is not None and detail is not None:
            self.view.select_span(*span)
        self.workspace.document_shown.emit(detail, mentions)

    # -- selection --------------------------------------------------------------------------------
    def _row_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self.is_quiet:
            return
        indexes = selected.indexes()
        if indexes:
            row = self.mentions.row_at(self.proxy.mapToSource(indexes[0]).row())
            self.view.select_span(row.start, row.end)
            self.workspace.select_mention(row.id, row.entity_id)

    def _select_row(self, mention_id: int) -> None:
        """Select a mention in the table (which selects its text and announces it)."""
        row = self.mentions.find_row(lambda m: m.id == mention_id)
        if row >= 0:
            index = self.proxy.mapFromSource(self.mentions.index(row, 0))
            if not self.table.selectionModel().isRowSelected(index.row(), index.parent()):
                self.table.selectRow(index.row())

    def _entity_selected(self, entity_id: int) -> None:
        """Show the first mention of the entity in this document, quietly."""
        row = self.mentions.find_row(lambda m: m.entity_id == entity_id)
        if row >= 0:
            mention = self.mentions.row_at(row)
            with self.quiet():
                self.table.selectRow(self.proxy.mapFromSource(self.mentions.index(row, 0)).row())
            self.view.select_span(mention.start, mention.end)

    def _text_selected(self) -> None:
        span, document_id = self.view.selected_span(), self.view.document_id
        self.workspace.text_selection = (
            (document_id, *span) if span and document_id is not None else None)

    # -- edits ------------------------------------------------------------------------------
    def label_selection(self, start: int, end: int, label: str) -> None:
        """The analyst labelled selected text: a new accepted mention, undoable."""
        document_id, case = self.view.document_id, self.case
        if document_id is not None:
            self.workspace.edit_mentions(
                f"Add {label}", lambda: review.add_mention(case, document_id, start, end, label))

    def split_mention(self, mention_id: int, offset: int) -> None:
        """Cut a mention in two at a text offset, undoable."""
        case, seen = self.case, self._versions([mention_id]).get(mention_id)
        self.workspace.edit_mentions(
            "Split mention", lambda: review.split_mention(case, mention_id, offset, version=seen))

    def join_mentions(self, first_id: int, second_id: int) -> None:
        """Join a mention with the next one, undoable."""
        case, seen = self.case, self._versions([first_id, second_id])
        self.workspace.edit_mentions(
            "Join mentions",
            lambda: review.join_mentions(case, first_id, second_id, versions=seen))

    def _versions(self, mention_ids: list[int]) -> dict[int, int]:
        """The versions of these mentions as shown, for the services' conflict check."""
        return {row.id: row.version for row in self.mentions.all_rows()
                if row.id in mention_ids and row.version is not None}

    def editing_widgets(self) -> list[QWidget]:
        """The language choice, "Extract again" and "Reviewed"."""
        return [self.language_box, self.extract_button, self.reviewed_box]

    def apply_read_only(self) -> None:
        """Grey the controls, and leave labels, split and join out of the text's keys and menu."""
        super().apply_read_only()
        self.view.editable = not self.workspace.read_only
        self.reviewed_box.setEnabled(not self.workspace.read_only
                                     and self.view.document_id is not None)

    def _extract(self) -> None:
        if self.view.document_id is not None:
            self.extract_requested.emit(self.view.document_id)

    def _reviewed_chosen(self, checked: bool) -> None:
        if self.view.document_id is not None:
            self.reviewed_chosen.emit(self.view.document_id, checked)

    def _language_chosen(self) -> None:
        if self.view.document_id is not None:
            self.language_chosen.emit(self.view.document_id, self.language_box.currentText())
