"""The Link chart panel: who is named with whom, the sentences that say so, analyst relations."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.dto import (
    Changes,
    ChartFilters,
    Evidence,
    EvidenceSentence,
    LinkChart,
    RelationRow,
)
from desktop.services import link_chart, relations, tags
from desktop.ui.panels.base import control_strip
from desktop.ui.panels.chart_items import EdgeItem, NodeItem, edge_width, node_radius
from desktop.ui.undo import add_relation_command, remove_relation_command
from desktop.ui.workspace import Workspace

SCALE = 420.0  # scene pixels per layout unit
CHART_LABELS = ("PER", "ORG", "LOC", "MISC")
EVIDENCE_LIMIT = 200
# The smallest zoom at which a chart is first shown: names stay readable (about 6 px).
MIN_ZOOM = 0.55


class ChartView(QGraphicsView):
    """A graphics view that zooms with the mouse wheel and reports double-clicked nodes."""

    node_double_clicked = Signal(int)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """Report the entity whose node was double-clicked."""
        node = node_at(self, event.position().toPoint())
        if node is not None:
            self.node_double_clicked.emit(node.node.id)
        super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        """Zoom around the mouse."""
        factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
        self.scale(factor, factor)


def node_at(view: QGraphicsView, point: QPoint) -> NodeItem | None:
    """The node under a point of the view (its icon and name count as the node)."""
    for item in view.items(point):
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        if isinstance(item, NodeItem):
            return item
    return None


class LinkChartPanel(QWidget):
    """Entities as nodes (by label), co-occurrence edges, and the analyst's relations.

    Signals:
        loaded(int): number of nodes drawn after a load or an expansion.
        evidence_loaded(int): number of sentences listed for the chosen edge.
    """

    loaded = Signal(int)
    evidence_loaded = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.chart = LinkChart((), ())
        self.relations: list[RelationRow] = []
        self.pinned: dict[int, tuple[float, float]] = {}
        self.nodes: dict[int, NodeItem] = {}
        self.edges: list[EdgeItem] = []
        self.evidence: list[EvidenceSentence] = []
        self._drawing = False
        self._build()
        workspace.changed.connect(self._changed)
        workspace.case_opened.connect(lambda _: self.refresh(forget_pins=True))

    # -- building -------------------------------------------------------------------------------
    def _build(self) -> None:
        self.label_checks = {label: QCheckBox(label) for label in CHART_LABELS}
        for check in self.label_checks.values():
            check.setChecked(True)
        self.min_weight = QSpinBox(minimum=1, maximum=1000, value=1)
        self.top = QSpinBox(minimum=5, maximum=2000, value=80, singleStep=10)
        self.accepted_only = QCheckBox("Accepted only")
        self.this_document = QCheckBox("Only the document shown")
        self.tag_box = QComboBox()
        self.tag_box.addItem("All tags", None)
        self.refresh_button = QPushButton("Lay out again")
        self.relation_button = QPushButton("Add relation…")
        self.scene = QGraphicsScene(self)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.view = ChartView(self.scene)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.node_double_clicked.connect(self.expand)
        self.evidence_list = QListWidget()
        self.evidence_list.setWordWrap(True)
        self.evidence_list.itemClicked.connect(self._evidence_clicked)
        self.status = QLabel()
        controls = QHBoxLayout()
        for check in self.label_checks.values():
            controls.addWidget(check)
        for text, widget in (("Min. sentences", self.min_weight), ("Top", self.top)):
            controls.addWidget(QLabel(text))
            controls.addWidget(widget)
        for widget in (self.tag_box, self.accepted_only, self.this_document):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.relation_button)
        controls.addWidget(self.refresh_button)
        # Evidence beside the chart in a wide, low dock (the bottom dock at 1366x768 is about
        # 200 px high), below it in a tall one: see resizeEvent.
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.view)
        self.split.addWidget(self.evidence_list)
        self.split.setSizes([600, 240])
        self.split.setStretchFactor(0, 4)  # the chart takes what the dock gains
        self.evidence_list.setMinimumHeight(24)
        layout = QVBoxLayout(self)
        layout.addWidget(control_strip(controls))
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)
        for check in (*self.label_checks.values(), self.accepted_only, self.this_document):
            check.toggled.connect(lambda _: self.refresh())
        for spin in (self.min_weight, self.top):
            spin.editingFinished.connect(self.refresh)
        self.tag_box.activated.connect(lambda _: self.refresh())
        self.refresh_button.clicked.connect(lambda: self.refresh(forget_pins=True))
        self.relation_button.clicked.connect(lambda: self.add_relation())

    def filters(self) -> ChartFilters:
        """The filters the controls describe."""
        labels = frozenset(lbl for lbl, check in self.label_checks.items() if check.isChecked())
        doc = self.workspace.document_id
        tag = self.tag_box.currentData()
        return ChartFilters(
            labels=labels, min_weight=self.min_weight.value(), top=self.top.value(),
            accepted_only=self.accepted_only.isChecked(),
            document_ids=frozenset({doc}) if self.this_document.isChecked() and doc else None,
            tags=frozenset({tag}) if tag else None,
        )

    # -- loading and laying out (in tasks) ------------------------------------------------------
    def refresh(self, forget_pins: bool = False) -> None:
        """Build the chart with the current filters and lay it out off the main thread."""
        if forget_pins:
            self.pinned.clear()
        case, filters, pinned = self.workspace.case, self.filters(), dict(self.pinned)
        self.status.setText("Laying out the link chart…")

        def work() -> tuple[LinkChart, list[RelationRow], list[str]]:
            chart = link_chart.layout(link_chart.link_chart(case, filters), pinned)
            return chart, relations.list_relations(case), tags.list_tags(case)

        self.workspace.run("Link chart", work, on_done=self._loaded)

    def _loaded(self, result: tuple[LinkChart, list[RelationRow], list[str]]) -> None:
        chart, rows, tags = result
        current = self.tag_box.currentData()
        self.tag_box.clear()
        self.tag_box.addItem("All tags", None)
        for tag in tags:
            self.tag_box.addItem(tag, tag)
        self.tag_box.setCurrentIndex(max(0, self.tag_box.findData(current)))
        self.relations = rows
        self.draw(chart)

    def expand(self, entity_id: int) -> None:
        """Add an entity's neighbours (whatever their rank); the nodes shown stay in place."""
        case, filters, shown = self.workspace.case, self.filters(), self.chart
        fixed = {**self.positions(), **self.pinned}

        def work() -> LinkChart:
            more = link_chart.neighbours(case, entity_id, filters)
            known = {n.id for n in shown.nodes}
            pairs = {(e.source, e.target) for e in shown.edges}
            merged = LinkChart(
                shown.nodes + tuple(n for n in more.nodes if n.id not in known),
                shown.edges + tuple(e for e in more.edges if (e.source, e.target) not in pairs))
            return link_chart.layout(merged, fixed)

        self.workspace.run("Expanding neighbours", work, on_done=self.draw)

    def positions(self) -> dict[int, tuple[float, float]]:
        """Where each node is now, in layout units."""
        return {i: (item.pos().x() / SCALE, item.pos().y() / SCALE)
                for i, item in self.nodes.items()}

    # -- drawing --------------------------------------------------------------------------------
    def draw(self, chart: LinkChart) -> None:
        """Show a laid-out chart and the analyst's relations between its nodes."""
        self._drawing = True
        self.chart = chart
        self.scene.clear()
        self.nodes, self.edges = {}, []
        top_mentions = max((n.mentions for n in chart.nodes), default=1)
        for node in chart.nodes:
            item = NodeItem(node, node_radius(node.mentions, top_mentions), self._node_moved)
            x, y = self.pinned.get(node.id, chart.positions.get(node.id, (0.0, 0.0)))
            item.setPos(QPointF(x * SCALE, y * SCALE))
            item.set_pinned(node.id in self.pinned)
            self.scene.addItem(item)
            self.nodes[node.id] = item
        top_weight = max((e.weight for e in chart.edges), default=1)
        for edge in chart.edges:
            if edge.source in self.nodes and edge.target in self.nodes:
                self._add_edge(EdgeItem(self.nodes[edge.source], self.nodes[edge.target],
                                        edge_width(edge.weight, top_weight), edge=edge))
        self._draw_relations()
        self._drawing = False
        if chart.nodes:
            self._fit(max(chart.nodes, key=lambda n: n.mentions).id)
        self.status.setText(f"{len(chart.nodes)} entities, {len(chart.edges)} links, "
                            f"{len(self.relations)} analyst relations; drag to pin, "
                            "double-click or right-click a node to expand")
        self.loaded.emit(len(chart.nodes))

    def _fit(self, top: int) -> None:
        """Show as much of the chart as stays legible.

        When it does not all fit, the view starts at the most mentioned entity.
        """
        bounds = self.scene.itemsBoundingRect()
        port = self.view.viewport().rect()
        zoom = 1.0
        if bounds.width() > 0 and bounds.height() > 0 and not port.isEmpty():
            zoom = min(port.width() / bounds.width(), port.height() / bounds.height(), 1.0)
        self.view.resetTransform()
        self.view.scale(max(zoom, MIN_ZOOM), max(zoom, MIN_ZOOM))
        if zoom >= MIN_ZOOM:
            self.view.centerOn(bounds.center())
        else:
            self.view.centerOn(self.nodes[top])

    def _add_edge(self, item: EdgeItem) -> None:
        self.scene.addItem(item)
        self.edges.append(item)

    def _draw_relations(self) -> None:
        for item in [e for e in self.edges if e.relation is not None]:
            for node in (item.a, item.b):
                node.edges.remove(item)
            self.scene.removeItem(item)
            self.edges.remove(item)
        for row in self.relations:
            if row.source_id in self.nodes and row.target_id in self.nodes:
                self._add_edge(EdgeItem(self.nodes[row.source_id], self.nodes[row.target_id],
                                        2.0, relation=row))

    def _node_moved(self, item: NodeItem) -> None:
        if not self._drawing and item.pinned:
            self.pinned[item.node.id] = (item.pos().x() / SCALE, item.pos().y() / SCALE)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Put the evidence list beside the chart when the panel is wide, else below it."""
        size = event.size()
        wide = size.width() > 1.5 * size.height()
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.split.orientation() != orientation:
            self.split.setOrientation(orientation)
            self.split.setSizes([600, 240] if wide else [400, 120])
        super().resizeEvent(event)

    # -- edges and their evidence ---------------------------------------------------------------
    def _selection_changed(self) -> None:
        chosen = [i for i in self.scene.selectedItems() if isinstance(i, EdgeItem)]
        if chosen:
            self.show_evidence(chosen[0])

    def show_evidence(self, item: EdgeItem) -> None:
        """List the sentences behind an edge (or a relation's evidence) below the chart."""
        if item.relation is not None:
            found: tuple[Evidence, ...] = (item.relation.evidence,) if item.relation.evidence \
                else ()
        else:
            found = item.edge.evidence if item.edge else ()
        case = self.workspace.case
        self.workspace.run("Loading evidence",
                           lambda: link_chart.evidence_sentences(case, found, EVIDENCE_LIMIT),
                           on_done=self._evidence_shown)

    def _evidence_shown(self, sentences: list[EvidenceSentence]) -> None:
        self.evidence = sentences
        self.evidence_list.clear()
        for sentence in sentences:
            item = QListWidgetItem(f"{sentence.text}  \u2014 {sentence.document_title}")
            item.setToolTip(sentence.text)
            self.evidence_list.addItem(item)
        if sentences:
            self.evidence_list.setCurrentRow(0)
        self.evidence_loaded.emit(len(sentences))

    def _evidence_clicked(self, item: QListWidgetItem) -> None:
        sentence = self.evidence[self.evidence_list.row(item)]
        e = sentence.evidence
        self.workspace.open_document(e.document_id, e.start, e.end)

    # -- nodes: expand, unpin, relations --------------------------------------------------------
    def _context_menu(self, point: QPoint) -> None:
        node = node_at(self.view, point)
        edge = next((i for i in self.view.items(point) if isinstance(i, EdgeItem)), None)
        menu = QMenu(self)
        if node is not None:
            menu.addAction("Expand neighbours", lambda: self.expand(node.node.id))
            if node.pinned:
                menu.addAction("Unpin", lambda: self._unpin(node))
            if not self.workspace.read_only:
                menu.addAction("Add relation from here…",
                               lambda: self.add_relation(node.node.id))
        if edge is not None and edge.relation is not None and not self.workspace.read_only:
            menu.addAction("Remove this relation", lambda: self.remove_relation(edge.relation.id))
        if not menu.isEmpty():
            menu.exec(self.view.mapToGlobal(point))

    def apply_read_only(self) -> None:
        """Grey "Add relation" when the analyst may only read the case."""
        self.relation_button.setEnabled(not self.workspace.read_only)

    def _unpin(self, node: NodeItem) -> None:
        node.set_pinned(False)
        self.pinned.pop(node.node.id, None)

    def add_relation(self, source: int | None = None) -> None:
        """Ask for a typed relation; the chosen edge's first two ends and sentence are offered."""
        from desktop.ui.dialogs.relation import RelationDialog

        edge = next((i for i in self.scene.selectedItems() if isinstance(i, EdgeItem)), None)
        a = source if source is not None else (edge.a.node.id if edge else None)
        b = edge.b.node.id if edge else None
        row = self.evidence_list.currentRow()
        evidence = self.evidence[row] if 0 <= row < len(self.evidence) else None
        dialog = RelationDialog(list(self.chart.nodes), a, b, evidence, self)
        self.relation_dialog = dialog  # reachable while open (tests)
        if dialog.exec():
            self.save_relation(*dialog.values(), evidence=evidence)

    def save_relation(self, source: int, kind: str, target: int, text: str, *,
                      evidence: EvidenceSentence | None = None) -> None:
        """Save a relation through the undo stack (Edit > Undo removes it again)."""
        case = self.workspace.case
        proof = evidence.evidence if evidence else None
        self.workspace.undo_stack.push(add_relation_command(
            case, lambda: relations.add_relation(case, source, target, kind, text, evidence=proof),
            self._relations_changed, self.workspace.error.emit))

    def remove_relation(self, relation_id: int) -> None:
        """Remove a relation through the undo stack."""
        self.workspace.undo_stack.push(remove_relation_command(
            self.workspace.case, relation_id, self._relations_changed,
            self.workspace.error.emit))

    def _relations_changed(self, _row: object = None) -> None:
        self.relations = relations.list_relations(self.workspace.case)  # a few rows: direct
        self._draw_relations()
        self.workspace.broadcast(Changes(notes=True))

    def _changed(self, changes: Changes) -> None:
        if changes.mentions_or_entities:
            self.refresh()
