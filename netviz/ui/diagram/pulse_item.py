"""The travelling pulse: a dot that moves along an edge while a micro-step is computed."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from netviz.ui import palette

RADIUS = 7.5


class PulseItem(QGraphicsEllipseItem):
    """A dot placed by the animation (it holds no timer of its own)."""

    def __init__(self, parent: QGraphicsItem | None = None) -> None:
        super().__init__(QRectF(-RADIUS, -RADIUS, 2 * RADIUS, 2 * RADIUS), parent)
        self.apply_colours()
        self.set_colour(palette.active().highlight)
        self.setZValue(5)
        self.setVisible(False)
        self._from = QPointF()
        self._to = QPointF()

    def apply_colours(self) -> None:
        """Re-read the rim from the active colour set (the theme changed)."""
        self.setPen(QPen(palette.qcolor(palette.active().fill), 2.0))

    def set_colour(self, colour: str) -> None:
        self.setBrush(QBrush(palette.qcolor(colour)))

    def travel(self, start: QPointF, end: QPointF, colour: str) -> None:
        """Set the path for the next animation; :meth:`place` moves along it."""
        self._from, self._to = QPointF(start), QPointF(end)
        self.set_colour(colour)
        self.setPos(self._from)
        self.setVisible(True)

    def place(self, progress: float) -> None:
        p = max(0.0, min(1.0, progress))
        self.setPos(self._from + (self._to - self._from) * p)
