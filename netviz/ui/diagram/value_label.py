"""The editable label of a settable number: a weight or bias on its edge, x1/x2, t or η.

The label shows the value (three decimals) and, for parameters, ∂E/∂θ below it once the
lesson has it. It is focusable (Tab moves between labels); double-click, Enter or F2 asks
for the in-place editor (:class:`~netviz.ui.diagram.label_editor.LabelEditor`, owned by the
view) through :attr:`ValueLabel.editRequested`. A refused value is shown under the label in
red (:meth:`ValueLabel.set_error`). The item is centred on its position.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QFocusEvent, QFontMetricsF, QKeyEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from netviz.ui import palette
from netviz.ui.diagram.text_line import TextLine, colour, font, is_emphasised

MAIN_PX = 15
SUB_PX = 13
ERROR_PX = 13
ERROR_WIDTH = 250.0
PAD_X = 7.0
MAIN_H = 23.0
SUB_H = 18.0
EDIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2)
TYPE_TO_EDIT = frozenset("0123456789.,-+\u2212")
"""Characters that start a number: typing one on a focused label opens its editor with it,
as typing on a spreadsheet cell does (letters stay free for shortcuts)."""


class ValueLabel(QGraphicsObject):
    """A number the user can edit in place."""

    editRequested = Signal(str)
    """The user asked to edit this label (argument: its name)."""
    typedOn = Signal(str, str)
    """The user started typing a number on this label (its name, the first character)."""
    focusChanged = Signal(str, bool)

    def __init__(self, name: str, kind: str, parent: QGraphicsItem | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.kind = kind
        """What the number is, for people: "Weight", "Bias", "Input", "Target", "Learning rate"."""
        self._main = TextLine("")
        self._sub: TextLine | None = None
        self._error = ""
        self._flash: float | None = None
        self._editing = False
        self._collapsed = False
        self._box = QRectF()
        self._error_rect = QRectF()
        self.accessible_name = ""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setZValue(4)
        self._measure()

    # ---- content -------------------------------------------------------------------------
    @property
    def main(self) -> TextLine:
        return self._main

    @property
    def sub(self) -> TextLine | None:
        return self._sub

    @property
    def editing(self) -> bool:
        return self._editing

    @property
    def error(self) -> str:
        return self._error

    def text(self) -> str:
        """What the label shows (main line, then the gradient line if any)."""
        return self._main.text if self._sub is None else f"{self._main.text}\n{self._sub.text}"

    def set_content(self, main: TextLine, sub: TextLine | None, accessible: str) -> None:
        self.accessible_name = accessible
        if (main, sub) == (self._main, self._sub):
            return
        resize = main.text != self._main.text or (sub is None) != (self._sub is None) or (
            sub is not None and self._sub is not None and sub.text != self._sub.text)
        self._main, self._sub = main, sub
        if resize:
            self._measure()
        self.update()

    def set_error(self, message: str) -> None:
        if message != self._error:
            self._error = message
            self._measure()
            self.update()

    def set_flash(self, progress: float | None) -> None:
        """Background flash after a value changed (1 → 0 fades it); None for none."""
        if progress != self._flash:
            self._flash = progress
            self.update()

    def set_editing(self, editing: bool) -> None:
        """While the editor sits on the label the label draws only its frame."""
        if editing != self._editing:
            self._editing = editing
            self._apply_opacity()
            self.update()

    def set_collapsed(self, collapsed: bool) -> None:
        """Collapsed labels are invisible unless focused, edited or showing an error."""
        if collapsed != self._collapsed:
            self._collapsed = collapsed
            self._apply_opacity()

    @property
    def shown(self) -> bool:
        return self.opacity() > 0

    def _apply_opacity(self) -> None:
        hidden = self._collapsed and not (self.hasFocus() or self._editing or self._error)
        self.setOpacity(0.0 if hidden else 1.0)

    def box(self) -> QRectF:
        """The label's frame in item coordinates (the editor covers it)."""
        return QRectF(self._box)

    # ---- geometry ------------------------------------------------------------------------
    def _measure(self) -> None:
        self.prepareGeometryChange()
        fm = QFontMetricsF(font(MAIN_PX, bold=True))
        width = fm.horizontalAdvance(self._main.text) + 2 * PAD_X
        height = MAIN_H
        if self._sub is not None:
            width = max(width, QFontMetricsF(font(SUB_PX, bold=True)).horizontalAdvance(self._sub.text) + 2 * PAD_X)
            height += SUB_H
        width = max(width, 56.0)
        self._box = QRectF(-width / 2, -MAIN_H / 2, width, height)
        if self._error:
            em = QFontMetricsF(font(ERROR_PX))
            text = em.boundingRect(QRectF(0, 0, ERROR_WIDTH, 400), int(Qt.TextFlag.TextWordWrap), self._error)
            w = min(ERROR_WIDTH, text.width()) + 2 * PAD_X
            rect = QRectF(-w / 2, self._box.bottom() + 3, w, text.height() + 6)
            scene = self.scene()
            if scene is not None:  # keep the message inside the picture (labels near an edge)
                area = scene.sceneRect()
                left = self.scenePos().x() + rect.left()
                right = self.scenePos().x() + rect.right()
                if right > area.right():
                    rect.translate(area.right() - right, 0)
                elif left < area.left():
                    rect.translate(area.left() - left, 0)
            self._error_rect = rect
        else:
            self._error_rect = QRectF()
        self.setZValue(self._z())
        self._apply_opacity()

    def boundingRect(self) -> QRectF:
        return self._box.adjusted(-4, -4, 4, 4).united(self._error_rect.adjusted(-1, -1, 1, 1))

    # ---- drawing -------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        box = self._box
        c = palette.active()
        fill = palette.qcolor(c.fill, 0.94)
        if self._flash is not None:
            fill = palette.mix(c.fill, c.highlight, 0.45 * self._flash)
        border = palette.qcolor(c.error) if self._error else palette.qcolor(c.outline, 0.45)
        width = 1.2
        if self.hasFocus() and not self._editing:
            border, width = palette.qcolor(c.highlight), 2.6
        painter.setPen(QPen(border, width))
        painter.setBrush(QBrush(fill))
        painter.drawRoundedRect(box, 5, 5)
        if not self._editing:
            painter.setFont(font(MAIN_PX, bold=True))
            painter.setPen(colour(self._main))
            painter.drawText(QRectF(box.left(), box.top(), box.width(), MAIN_H), Qt.AlignmentFlag.AlignCenter,
                             self._main.text)
            if self._sub is not None:
                painter.setFont(font(SUB_PX, bold=is_emphasised(self._sub)))
                painter.setPen(colour(self._sub))
                painter.drawText(QRectF(box.left(), box.top() + MAIN_H - 3, box.width(), SUB_H),
                                 Qt.AlignmentFlag.AlignCenter, self._sub.text)
        if self._error:
            r = self._error_rect
            painter.setPen(QPen(palette.qcolor(c.error), 1.0))
            painter.setBrush(QBrush(palette.qcolor(c.error_fill)))
            painter.drawRoundedRect(r, 4, 4)
            painter.setFont(font(ERROR_PX))
            painter.drawText(r.adjusted(PAD_X, 3, -PAD_X, -3),
                             int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), self._error)

    # ---- interaction ---------------------------------------------------------------------
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()  # ends the scene's implicit grab

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()
        self.editRequested.emit(self.name)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in EDIT_KEYS and not self._editing:
            event.accept()
            self.editRequested.emit(self.name)
            return
        text = event.text()
        plain = not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                                         | Qt.KeyboardModifier.MetaModifier)
        if not self._editing and plain and len(text) == 1 and text in TYPE_TO_EDIT:
            event.accept()
            self.typedOn.emit(self.name, text)
            return
        event.ignore()

    def _z(self) -> float:
        """Labels with a message or focus draw above their neighbours."""
        return 7.0 if self._error else 6.0 if self.hasFocus() else 4.0

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setZValue(self._z())
        self._apply_opacity()
        self.update()
        self.focusChanged.emit(self.name, True)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setZValue(self._z())
        self._apply_opacity()
        self.update()
        self.focusChanged.emit(self.name, False)
