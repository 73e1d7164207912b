"""The Timeline panel: dated events from decades down to days, filtered; a click opens the text."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import Changes, TimelineBucket, TimelineEvent, TimelineFilters, TimelineZoom
from desktop.services import tags, timeline
from desktop.ui.labels import LABELS
from desktop.ui.models.rows import ROW_ROLE, SORT_ROLE
from desktop.ui.models.timeline import TimelineColumn, TimelineModel
from desktop.ui.panels.base import control_strip
from desktop.ui.workspace import Workspace

ZOOMS = (("Decades", TimelineZoom.DECADE), ("Years", TimelineZoom.YEAR),
         ("Months", TimelineZoom.MONTH), ("Days", TimelineZoom.DAY))
ALL = "All"


class TimelinePanel(QWidget):
    """Events of the case in time order; a click opens the document at the event's sentence.

    Signals:
        loaded(int): the number of events after a (re)load.
    """

    loaded = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.events: list[TimelineEvent] = []
        self.buckets: list[TimelineBucket] = []
        self.model = TimelineModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self._build()
        workspace.changed.connect(self._changed)
        workspace.case_opened.connect(lambda _: self.refresh())
        workspace.document_opened.connect(self._document_opened)

    def _build(self) -> None:
        self.zoom_box = QComboBox()
        for text, zoom in ZOOMS:
            self.zoom_box.addItem(text, zoom)
        self.period_box = QComboBox()
        self.label_box = QComboBox()
        self.label_box.addItems([ALL, *LABELS])
        self.tag_box = QComboBox()
        self.entity_box = QComboBox()
        self.this_document = QCheckBox("Only the document shown")
        self.refresh_button = QPushButton("Refresh")
        self.status = QLabel()
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TimelineColumn.WHEN, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(TimelineColumn.WHEN, 130)
        self.table.setColumnWidth(TimelineColumn.EVENT, 420)
        self.table.clicked.connect(self._clicked)
        top = QHBoxLayout()
        for text, widget in (("Zoom", self.zoom_box), ("Period", self.period_box),
                             ("Label", self.label_box), ("Tag", self.tag_box),
                             ("Entity", self.entity_box)):
            top.addWidget(QLabel(text))
            top.addWidget(widget)
        top.addWidget(self.this_document)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(control_strip(top))
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        self.zoom_box.currentIndexChanged.connect(lambda _: self._fill_periods())
        self.period_box.currentIndexChanged.connect(lambda _: self._show_period())
        for box in (self.label_box, self.tag_box, self.entity_box):
            box.activated.connect(lambda _: self.refresh())
        self.this_document.toggled.connect(lambda _: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)

    # -- loading --------------------------------------------------------------------------------
    def filters(self) -> TimelineFilters:
        """The filters the controls describe."""
        label = self.label_box.currentText()
        tag = self.tag_box.currentText()
        doc = self.workspace.document_id
        return TimelineFilters(
            entity_id=self.entity_box.currentData(),
            label=None if label == ALL else label,
            tag=None if tag in (ALL, "") else tag,
            document_ids=frozenset({doc}) if self.this_document.isChecked() and doc else None,
        )

    def refresh(self) -> None:
        """Load the events in the background with the current filters."""
        case, filters = self.workspace.case, self.filters()
        self.status.setText("Loading the timeline…")
        self.workspace.run("Loading timeline",
                           lambda: (timeline.timeline(case, filters), tags.list_tags(case)),
                           on_done=self._loaded)

    def _loaded(self, result: tuple[list[TimelineEvent], list[str]]) -> None:
        self.events, tags = result
        self._fill_box(self.tag_box, [(t, t) for t in tags])
        names = {e.id: f"{e.name} ({e.label})" for ev in self.events for e in ev.entities}
        chosen = self.entity_box.currentData()
        pairs = sorted(((name, i) for i, name in names.items()), key=lambda p: p[0].casefold())
        self._fill_box(self.entity_box, pairs, keep=chosen)
        self._fill_periods()
        self.loaded.emit(len(self.events))

    def _fill_box(self, box: QComboBox, items: list[tuple[str, object]],
                  keep: object = None) -> None:
        current = box.currentText() if keep is None else None
        box.blockSignals(True)
        box.clear()
        box.addItem(ALL, None)
        for text, data in items:
            box.addItem(text, data)
        index = box.findData(keep) if keep is not None else box.findText(current or ALL)
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)

    # -- zoom -----------------------------------------------------------------------------------
    def _fill_periods(self) -> None:
        zoom = self.zoom_box.currentData()
        self.buckets = timeline.buckets(self.events, zoom)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        self.period_box.addItem(f"{ALL} ({len(self.events)})", None)
        for bucket in self.buckets:
            self.period_box.addItem(f"{bucket.label} ({bucket.count})", bucket)
        self.period_box.blockSignals(False)
        self._show_period()

    def _show_period(self) -> None:
        bucket = self.period_box.currentData()
        shown = self.events if bucket is None else timeline.within(
            self.events, bucket.start, bucket.end)
        self.model.set_rows(shown)
        published = sum(e.from_publication for e in shown)
        noun = "event" if len(shown) == 1 else "events"
        self.status.setText(f"{len(shown)} {noun}"
                            + (f", {published} dated by publication only" if published else ""))

    def zoom_to(self, zoom: TimelineZoom, label: str | None = None) -> None:
        """Set the zoom level and, optionally, the period with that label."""
        self.zoom_box.setCurrentIndex(self.zoom_box.findData(zoom))
        if label is not None:
            index = next((i for i in range(self.period_box.count())
                          if self.period_box.itemText(i).startswith(f"{label} (")), 0)
            self.period_box.setCurrentIndex(index)

    # -- reacting -------------------------------------------------------------------------------
    def _clicked(self, index) -> None:  # noqa: ANN001 - a QModelIndex of the proxy
        event: TimelineEvent = self.proxy.data(index, ROW_ROLE)
        if event is not None:
            self.workspace.open_document(event.evidence.document_id, event.evidence.start,
                                         event.evidence.end)

    def _changed(self, changes: Changes) -> None:
        if changes.mentions_or_entities or changes.notes:
            self.refresh()

    def _document_opened(self, document_id: int, _start: int, _end: int) -> None:
        if self.this_document.isChecked() and document_id >= 0:
            self.refresh()
