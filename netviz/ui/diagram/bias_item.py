"""The constant-1 node a layer's biases come from (the lecture note draws a bias this way)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from netviz.ui import palette
from netviz.ui.diagram.text_line import font


class BiasNodeItem(QGraphicsItem):
    """A small circle showing ``1``."""

    def __init__(self, name: str, radius: float, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.radius = radius
        self.setZValue(2)
        self.setToolTip("Constant 1: each bias is the weight of an edge from this node")

    def text(self) -> str:
        return "1"

    def boundingRect(self) -> QRectF:
        r = self.radius + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        c = palette.active()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.qcolor(c.outline), 1.6, Qt.PenStyle.DashLine))
        painter.setBrush(QBrush(palette.qcolor(c.bias_fill)))
        painter.drawEllipse(QPointF(0, 0), self.radius, self.radius)
        painter.setFont(font(15, bold=True))
        painter.setPen(palette.qcolor(c.text))
        painter.drawText(self.boundingRect(), Qt.AlignmentFlag.AlignCenter, "1")
