"""Graphics items of the link chart: draggable entity nodes and clickable weighted edges."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import qtawesome as qta
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
)

from desktop.dto import ChartEdge, ChartNode, RelationRow
from desktop.ui.labels import label_color

LABEL_ICONS = {
    "PER": "fa5s.user", "ORG": "fa5s.building", "LOC": "fa5s.map-marker-alt",
    "MISC": "fa5s.tag", "DATE": "fa5s.calendar-alt", "QUANTITY": "fa5s.hashtag",
}
NODE_ROLE = 0  # QGraphicsItem.data key holding the entity id


class NodeItem(QGraphicsEllipseItem):
    """An entity: a circle in its label's colour with the label's icon and the name beside it.

    Dragging moves and pins it; ``moved`` is called with the node on every move.
    """

    def __init__(self, node: ChartNode, radius: float, moved: Callable[[NodeItem], None]) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.node = node
        self.radius = radius
        self.pinned = False
        self._moved = moved
        self.edges: list[EdgeItem] = []
        self.setBrush(QBrush(QColor(label_color(node.label))))
        self.setPen(QPen(QColor("#333333"), 1.2))
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setZValue(2)
        self.setData(NODE_ROLE, node.id)
        self.setToolTip(f"{node.name} ({node.label}), {node.mentions} mentions")
        size = max(10, int(radius * 1.1))
        icon = QGraphicsPixmapItem(qta.icon(LABEL_ICONS.get(node.label, "fa5s.circle"),
                                            color="#333333").pixmap(size, size), self)
        icon.setOffset(-size / 2, -size / 2)
        self.text = QGraphicsSimpleTextItem(node.name, self)
        self.text.setPos(radius + 2, -7)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:  # noqa: N802
        """Keep the edges on the node while it moves."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.follow()
            self._moved(self)
        return super().itemChange(change, value)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        """A node let go after a drag stays where it is put."""
        super().mouseReleaseEvent(event)
        if event.buttonDownScenePos(Qt.MouseButton.LeftButton) != event.scenePos():
            self.set_pinned(True)
            self._moved(self)

    def set_pinned(self, pinned: bool) -> None:
        """Mark the node as pinned (a thick outline) or free."""
        self.pinned = pinned
        self.setPen(QPen(QColor("#111111"), 3.0 if pinned else 1.2))


class EdgeItem(QGraphicsLineItem):
    """Co-occurrence (grey, width by weight) or an analyst relation (dashed, blue, named)."""

    def __init__(self, a: NodeItem, b: NodeItem, width: float, *,
                 edge: ChartEdge | None = None, relation: RelationRow | None = None) -> None:
        super().__init__()
        self.a, self.b = a, b
        self.edge = edge
        self.relation = relation
        a.edges.append(self)
        b.edges.append(self)
        colour = QColor("#1f5fa8") if relation else QColor(120, 130, 140, 170)
        pen = QPen(colour, width)
        if relation:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(1)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.caption = QGraphicsSimpleTextItem(relation.type if relation else "", self)
        self.caption.setBrush(QBrush(colour))
        tip = (f"{relation.source_name} {relation.type} {relation.target_name}"
               f"{': ' + relation.description if relation.description else ''}" if relation
               else f"{a.node.name} – {b.node.name}: {edge.weight if edge else 0} sentences")
        self.setToolTip(tip)
        self.follow()

    def follow(self) -> None:
        """Redraw between the two nodes' current positions."""
        p, q = self.a.pos(), self.b.pos()
        self.setLine(p.x(), p.y(), q.x(), q.y())
        self.caption.setPos(QPointF((p.x() + q.x()) / 2, (p.y() + q.y()) / 2))

    def shape(self):  # noqa: ANN201 - a wider band than the line is easier to click
        """A band a few pixels wide around the line, so a thin edge can be clicked."""
        from PySide6.QtGui import QPainterPath, QPainterPathStroker

        path = QPainterPath()
        path.moveTo(self.line().p1())
        path.lineTo(self.line().p2())
        stroker = QPainterPathStroker()
        stroker.setWidth(max(8.0, self.pen().widthF() + 6))
        return stroker.createStroke(path)


def edge_width(weight: int, top: int) -> float:
    """Line width for a co-occurrence weight (log scale, 1 to 7 pixels)."""
    return 1.0 + 6.0 * math.log1p(weight) / math.log1p(max(top, 1))


def node_radius(mentions: int, top: int) -> float:
    """Circle radius for a mention count (log scale, 9 to 22 pixels)."""
    return 9.0 + 13.0 * math.log1p(mentions) / math.log1p(max(top, 1))
