"""A connection: a weight, a bias (from a constant-1 node) or the output's link to the loss.

Colour encodes sign and width magnitude (see :mod:`netviz.ui.palette`); the scene decides
which value (the weight, or ∂E/∂w once the backward pass reaches it) and calls
:meth:`EdgeItem.set_style`. A halo behind the line marks the edge a computation flows along.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem

from netviz.ui import palette

HALO_EXTRA = 9.0


class EdgeItem(QGraphicsLineItem):
    """A straight edge between two node centres, trimmed to the nodes' rims."""

    def __init__(self, name: str, source: QPointF, target: QPointF, source_radius: float, target_radius: float,
                 parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.source = QPointF(source)
        self.target = QPointF(target)
        line = QLineF(source, target)
        length = max(line.length(), 1e-9)
        a = source_radius / length
        b = 1 - target_radius / length
        self.setLine(QLineF(line.pointAt(a), line.pointAt(b)))
        self._colour = palette.active().outline
        self._width = palette.MIN_WIDTH
        self._alpha = 1.0
        self._halo = QGraphicsLineItem(self.line(), self)
        self._halo.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self._halo.setVisible(False)
        self.setZValue(0)
        self._apply()

    @property
    def colour(self) -> str:
        return self._colour

    @property
    def width(self) -> float:
        return self._width

    @property
    def highlighted(self) -> bool:
        return self._halo.isVisible()

    def point_at(self, t: float) -> QPointF:
        """A point on the visible part of the edge (0 = source rim, 1 = target rim)."""
        return self.line().pointAt(t)

    def angle(self) -> float:
        line = self.line()
        return math.degrees(math.atan2(line.dy(), line.dx()))

    def set_style(self, colour: str, width: float, alpha: float = 1.0, highlight: bool = False) -> None:
        if (colour, width, alpha) != (self._colour, self._width, self._alpha):
            self._colour, self._width, self._alpha = colour, width, alpha
            self._apply()
        if highlight != self._halo.isVisible():
            self._halo.setVisible(highlight)

    def apply_colours(self) -> None:
        """Re-read the halo from the active colour set (the scene re-styles the line itself)."""
        self._apply()

    def _apply(self) -> None:
        pen = QPen(palette.qcolor(self._colour, self._alpha), self._width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)
        halo = QPen(palette.qcolor(palette.active().highlight, 0.35), self._width + HALO_EXTRA)
        halo.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._halo.setPen(halo)
