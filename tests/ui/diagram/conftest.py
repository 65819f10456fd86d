"""A diagram view on a fresh lecture-note session, shown, focused, animation off unless asked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from netviz.app.player import Player
from netviz.app.session import Session
from netviz.ui.diagram import DiagramView


@dataclass
class Diagram:
    session: Session
    player: Player
    view: DiagramView
    qtbot: QtBot

    def settle(self) -> None:
        """Wait until the coalesced redraw has happened."""
        self.qtbot.waitUntil(lambda: not self.view.diagram.refresh_pending, timeout=2000)

    def label_point(self, name: str) -> QPoint:
        return self.view.label_viewport_rect(name).center().toPoint()

    def double_click(self, name: str) -> None:
        """What a mouse sends: press, release, double-click, release (QTest's alone sends only the third)."""
        viewport, pos, left = self.view.viewport(), self.label_point(name), Qt.MouseButton.LeftButton
        self.qtbot.mousePress(viewport, left, pos=pos)
        self.qtbot.mouseRelease(viewport, left, pos=pos)
        self.qtbot.mouseDClick(viewport, left, pos=pos)
        self.qtbot.mouseRelease(viewport, left, pos=pos)
        self.qtbot.waitUntil(lambda: self.view.editor.isVisible(), timeout=2000)

    def type_text(self, widget: QWidget, text: str) -> None:
        """Type text key by key; characters QTest cannot map (the Unicode minus) go as key events."""
        for ch in text:
            if ch.isascii():
                self.qtbot.keyClicks(widget, ch)
            else:
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))

    def enter(self, name: str, text: str, key: Qt.Key = Qt.Key.Key_Return,
              modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        """Double-click a label, replace its text by typing, then press ``key`` in the editor."""
        self.double_click(name)
        editor = self.view.editor
        editor.selectAll()
        self.type_text(editor, text)
        self.qtbot.keyClick(editor, key, modifier)

    def node_lines(self, name: str) -> list[str]:
        return [ln.text for ln in self.view.node(name).lines]  # type: ignore[union-attr]


@pytest.fixture
def diagram(qtbot: QtBot) -> Iterator[Diagram]:
    session = Session()
    player = Player(session)
    view = DiagramView(session, player)
    view.set_animation_scale(0)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.setFocus()
    d = Diagram(session, player, view, qtbot)
    d.settle()
    yield d
    player.pause()
    view.close()
