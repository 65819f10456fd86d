"""The network diagram widget: the scene scaled to the window, the in-place editor, the animator."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QCloseEvent, QFocusEvent, QHideEvent, QMouseEvent, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

from netviz.app.player import Player
from netviz.app.session import Session
from netviz.ui import palette
from netviz.ui.diagram.animator import DiagramAnimator
from netviz.ui.diagram.bias_item import BiasNodeItem
from netviz.ui.diagram.edge_item import EdgeItem
from netviz.ui.diagram.label_editor import LabelEditor
from netviz.ui.diagram.node_item import NodeItem
from netviz.ui.diagram.scene import DiagramScene
from netviz.ui.diagram.value_label import MAIN_PX, ValueLabel

EDITOR_MIN_WIDTH = 110
EDITOR_MIN_HEIGHT = 26


class DiagramView(QGraphicsView):
    """Shows the session's network; edits go to ``session.set_value``; follows the cursor."""

    def __init__(self, session: Session, player: Player | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._player = player
        self._scene = DiagramScene(session, self)
        self.setScene(self._scene)
        self._animator = DiagramAnimator(self._scene, session, player, self)
        self.editor = LabelEditor(session, self.viewport())
        """The in-place editor (a QLineEdit laid over the label being edited)."""
        self.editor.closed.connect(self._on_editor_closed)
        self._scene.editRequested.connect(self.edit)
        self._scene.typedOnLabel.connect(self.edit_typing)
        self._scene.sceneRectChanged.connect(lambda _r: self._fit())
        self._scene.labelFocusChanged.connect(self._on_label_focus)
        self._scene.aboutToRebuild.connect(self.editor.discard)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(palette.qcolor(palette.active().background)))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(360, 240)
        self.setAccessibleName("Network diagram")
        self.setAccessibleDescription(
            "The network with every value. Tab moves between editable numbers; type a number, Enter or F2 "
            "edits one.")
        self.setToolTip("")

    # ---- public API ----------------------------------------------------------------------
    @property
    def diagram(self) -> DiagramScene:
        return self._scene

    @property
    def animator(self) -> DiagramAnimator:
        return self._animator

    def label(self, name: str) -> ValueLabel:
        """The editable label of a value: ``w5``, ``b1``, ``x1``, ``t``, ``eta``."""
        try:
            return self._scene.labels[name]
        except KeyError:
            raise KeyError(f"no editable label {name!r} (have: {', '.join(self._scene.labels)})") from None

    def node(self, name: str) -> NodeItem | BiasNodeItem:
        """A node: a unit (``x1``, ``h1``, ``o``), the loss ``E`` or a constant-1 node (``one1``)."""
        if name in self._scene.nodes:
            return self._scene.nodes[name]
        if name in self._scene.bias_nodes:
            return self._scene.bias_nodes[name]
        raise KeyError(f"no node {name!r} (have: {', '.join([*self._scene.nodes, *self._scene.bias_nodes])})")

    def edge(self, name: str) -> EdgeItem:
        """The edge of a parameter (``w5``, ``b3``)."""
        return self._scene.edges[name]

    def apply_colours(self) -> None:
        """The theme changed: background, items and the editor take the active colour set."""
        self.setBackgroundBrush(QBrush(palette.qcolor(palette.active().background)))
        self._scene.apply_colours()
        self.editor.apply_colours()

    def set_animation_scale(self, factor: float) -> None:
        """Animation duration = player.step_ms × factor; 0 turns animation off."""
        self._animator.scale = factor

    def edit(self, name: str) -> None:
        """Open the in-place editor on a label (as double-click or Enter on it does)."""
        label = self.label(name)
        if not label.hasFocus():
            label.setFocus(Qt.FocusReason.OtherFocusReason)
        self.editor.open(label)
        self._place_editor()

    def edit_typing(self, name: str, text: str) -> None:
        """Open the editor on a label with ``text`` in place of its value (typing on a label)."""
        self.edit(name)
        self.editor.setText(text)

    def label_viewport_rect(self, name: str) -> QRectF:
        """Where a label's frame is on screen (viewport coordinates)."""
        label = self.label(name)
        return self.mapFromScene(label.mapToScene(label.box())).boundingRect().toRectF()

    # ---- layout --------------------------------------------------------------------------
    def _fit(self) -> None:
        rect = self._scene.sceneRect()
        if rect.isEmpty() or self.viewport().width() < 2:
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        self._place_editor()

    def _place_editor(self) -> None:
        label = self.editor.label
        if label is None:
            return
        rect = self.mapFromScene(label.mapToScene(label.box())).boundingRect()
        scale = self.transform().m11()
        font = self.editor.font()
        font.setPixelSize(max(11, round(MAIN_PX * scale)))
        self.editor.setFont(font)
        width = max(EDITOR_MIN_WIDTH, rect.width() + 24)
        height = max(EDITOR_MIN_HEIGHT, round(self.editor.fontMetrics().height() + 10))
        center = rect.center()
        x = max(0, min(self.viewport().width() - width, center.x() - width // 2))
        y = max(0, min(self.viewport().height() - height, rect.top() + (rect.height() - height) // 2))
        self.editor.setGeometry(int(x), int(y), int(width), int(height))

    # ---- focus ---------------------------------------------------------------------------
    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab move between the editable labels, then out of the diagram."""
        order = self._scene.label_order
        if not order:
            return super().focusNextPrevChild(next)
        # Tab in the editor commits, then moves on as from the label (a refused value stays).
        if self.editor.is_open and not self.editor.commit(keep_open=True):
            return True
        item = self._scene.focusItem()
        name = item.name if isinstance(item, ValueLabel) else None
        if name is None:
            i = 0 if next else len(order) - 1
        else:
            i = order.index(name) + (1 if next else -1)
            if not 0 <= i < len(order):
                return super().focusNextPrevChild(next)
        self.setFocus(Qt.FocusReason.TabFocusReason)
        self._scene.labels[order[i]].setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Tab into the diagram lands on its first number, Shift+Tab on its last: left alone, the
        view gives focus back to the label that had it, so after one round Tab came back to η."""
        super().focusInEvent(event)
        order = self._scene.label_order
        reason = event.reason()
        if order and reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            first = reason == Qt.FocusReason.TabFocusReason
            self._scene.labels[order[0 if first else -1]].setFocus(reason)

    def _on_label_focus(self, name: str, focused: bool) -> None:
        if focused:
            self.setAccessibleDescription(self._scene.labels[name].accessible_name)

    def _on_editor_closed(self, name: str, refocus: bool) -> None:
        if refocus and self.isVisible():
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            label = self._scene.labels.get(name)
            if label is not None:
                label.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- Qt events -----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        event.accept()  # a click on empty diagram is still a click (it ends an edit)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        event.accept()

    def hideEvent(self, event: QHideEvent) -> None:
        self._animator.finish()
        super().hideEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._animator.stop()
        super().closeEvent(event)
