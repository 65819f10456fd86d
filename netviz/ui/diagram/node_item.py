"""A unit of the network: a circle with its symbol, z and a, and its backward quantities below.

The item is created once per architecture; :meth:`NodeItem.set_content` updates it in place.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from netviz.ui import palette
from netviz.ui.diagram.text_line import TextLine, colour, font, is_emphasised

TITLE_PX = 19
LINE_PX = 14
BADGE_PX = 13
LINE_GAP = 17.0
MIN_LINE_SCALE = 0.55
"""Node lines shrink at most this much to fit their circle."""
BADGE_GAP = 16.0
FLASH_REACH = 16.0


class NodeItem(QGraphicsItem):
    """One unit (input, hidden or output) or the loss node, drawn as a circle."""

    def __init__(self, name: str, title: str, radius: float, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.title = title
        self.radius = radius
        self._lines: tuple[TextLine, ...] = ()
        self._badge: tuple[TextLine, ...] = ()
        self._badge_rect = QRectF()
        self._highlight = False
        self._outline: str | None = None
        self._flash: float | None = None
        self._title_offset = -0.42 * radius
        self._badge_above = False
        self.setAcceptHoverEvents(True)
        self.setZValue(2)

    # ---- content -------------------------------------------------------------------------
    @property
    def lines(self) -> tuple[TextLine, ...]:
        return self._lines

    @property
    def badge(self) -> tuple[TextLine, ...]:
        return self._badge

    @property
    def highlighted(self) -> bool:
        return self._highlight

    def text(self) -> str:
        """Everything the node shows, one line each (for tests and accessibility)."""
        return "\n".join([self.title, *(ln.text for ln in self._lines), *(ln.text for ln in self._badge)])

    def set_content(self, lines: tuple[TextLine, ...], badge: tuple[TextLine, ...] = (),
                    highlight: bool = False, outline: str | None = None) -> None:
        if (lines, badge, highlight, outline) == (self._lines, self._badge, self._highlight, self._outline):
            return
        if badge != self._badge:
            self.prepareGeometryChange()
            self._badge = badge
            self._badge_rect = self._measure_badge()
        self._lines, self._highlight, self._outline = lines, highlight, outline
        self.update()

    def set_badge_above(self, above: bool) -> None:
        """Put the backward quantities above the circle (for units in the upper half)."""
        self.prepareGeometryChange()
        self._badge_above = above
        self._badge_rect = self._measure_badge()
        self.update()

    def set_title_offset(self, offset: float) -> None:
        self._title_offset = offset
        self.update()

    def set_flash(self, progress: float | None) -> None:
        """An expanding ring (0 → 1) marks a computation happening at this node; None hides it."""
        if progress != self._flash:
            self._flash = progress
            self.update()

    # ---- geometry ------------------------------------------------------------------------
    def _measure_badge(self) -> QRectF:
        if not self._badge:
            return QRectF()
        fm = QFontMetricsF(font(BADGE_PX))
        width = max(fm.horizontalAdvance(ln.text) for ln in self._badge) + 12
        height = len(self._badge) * BADGE_GAP + 6
        top = -self.radius - 5 - height if self._badge_above else self.radius + 5
        return QRectF(-width / 2, top, width, height)

    def content_rect(self) -> QRectF:
        """The circle and its badge (the bounding rect also keeps room for the flash ring)."""
        r = self.radius + 2
        return QRectF(-r, -r, 2 * r, 2 * r).united(self._badge_rect)

    def boundingRect(self) -> QRectF:
        r = self.radius + FLASH_REACH + 4
        return QRectF(-r, -r, 2 * r, 2 * r).united(self._badge_rect.adjusted(-1, -1, 1, 1))

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.radius, self.radius)
        return path

    # ---- drawing -------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        r = self.radius
        c = palette.active()
        if self._flash is not None:
            p = self._flash
            ring = palette.qcolor(c.highlight, 0.85 * (1 - p))
            painter.setPen(QPen(ring, 3.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            rr = r + 3 + FLASH_REACH * p
            painter.drawEllipse(QPointF(0, 0), rr, rr)
        if self._highlight:
            pen = QPen(palette.qcolor(c.highlight), 4.0)
        elif self._outline:
            pen = QPen(palette.qcolor(self._outline), 3.0)
        else:
            pen = QPen(palette.qcolor(c.outline), 2.0)
        painter.setPen(pen)
        painter.setBrush(QBrush(palette.qcolor(c.fill)))
        painter.drawEllipse(QPointF(0, 0), r, r)

        painter.setFont(font(TITLE_PX, bold=True))
        painter.setPen(palette.qcolor(c.text))
        title_box = QRectF(-r, self._title_offset - 11, 2 * r, 22)
        painter.drawText(title_box, Qt.AlignmentFlag.AlignCenter, self.title)
        y = self._title_offset + 19
        for line in self._lines:
            f = font(LINE_PX, bold=is_emphasised(line))
            painter.setFont(f)
            painter.setPen(colour(line))
            scale = line_scale(QFontMetricsF(f).horizontalAdvance(line.text), r, y)
            painter.save()
            painter.translate(0, y)
            painter.scale(scale, scale)
            painter.drawText(QRectF(-r - 40, -9, 2 * r + 80, 18), Qt.AlignmentFlag.AlignCenter, line.text)
            painter.restore()
            y += LINE_GAP

        if self._badge:
            box = self._badge_rect
            painter.setPen(QPen(palette.qcolor(c.outline, 0.35), 1.0))
            painter.setBrush(QBrush(palette.qcolor(c.fill, 0.92)))
            painter.drawRoundedRect(box, 5, 5)
            y = box.top() + 3
            for line in self._badge:
                painter.setFont(font(BADGE_PX, bold=is_emphasised(line)))
                painter.setPen(colour(line))
                painter.drawText(QRectF(box.left(), y, box.width(), BADGE_GAP), Qt.AlignmentFlag.AlignCenter,
                                 line.text)
                y += BADGE_GAP


def line_scale(text_width: float, radius: float, y: float) -> float:
    """How much to shrink a line of text so it fits inside the circle at height ``y``.

    Wide values (z = −46958.317, 1.235e58) would otherwise spill over the circle onto the
    labels beside it; they shrink to fit, down to :data:`MIN_LINE_SCALE`.
    """
    half_chord = math.sqrt(max(radius * radius - (abs(y) + 6) ** 2, 0.0))
    room = 2 * half_chord - 8
    if text_width <= room or text_width <= 0:
        return 1.0
    return max(MIN_LINE_SCALE, room / text_width)
