"""Shared UI fixtures: settings kept in a temporary folder, and the real main window, shown."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from netviz.ui.main_window import MainWindow
from netviz.ui.values_table import VALUE


@pytest.fixture(autouse=True)
def _temporary_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every UI test reads and writes QSettings in its own folder, never the user's."""
    folder = tmp_path_factory.mktemp("settings")
    previous = QSettings.defaultFormat()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield folder
    QSettings.setDefaultFormat(previous)


@dataclass
class Win:
    """The main window plus the few moves a user makes, for tests to read like a user's session."""

    window: MainWindow
    qtbot: QtBot

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.window.session

    @property
    def diagram(self):  # type: ignore[no-untyped-def]
        return self.window.diagram

    def settle(self) -> None:
        """Wait for the coalesced redraws (diagram and plot) to have happened."""
        self.qtbot.waitUntil(lambda: not self.diagram.diagram.refresh_pending
                             and not self.window.loss_plot.refresh_pending, timeout=3000)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
            widget: QWidget | None = None) -> None:
        """Press a key on the focused widget (the diagram unless told), as the keyboard would."""
        target = widget or QApplication.focusWidget() or self.diagram
        self.qtbot.keyClick(target, key, modifier)

    def open_editor(self, name: str) -> None:
        view = self.diagram
        point = view.label_viewport_rect(name).center().toPoint()
        # A real double-click: press, release, double-click press, release (QTest's mouseDClick
        # sends no release, which would leave the label holding the mouse grab).
        self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        self.qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        self.qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        self.qtbot.waitUntil(lambda: view.editor.isVisible(), timeout=3000)

    def type_into_label(self, name: str, text: str, key: Qt.Key = Qt.Key.Key_Return) -> None:
        """Double-click a label, replace its text by typing, and press Enter."""
        self.open_editor(name)
        editor = self.diagram.editor
        editor.selectAll()
        self.qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # clear the old text, as a user would
        for ch in text:
            if ch.isascii():
                self.qtbot.keyClicks(editor, ch)
            else:  # QTest cannot map e.g. the Unicode minus to a key: send the text event itself
                for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                    QApplication.sendEvent(editor, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
        self.qtbot.keyClick(editor, key)

    def table_value(self, key: str) -> str:
        model = self.window.values_table.values_model
        return str(model.index(model.row_of(key), VALUE).data())


def make_window(qtbot: QtBot, remember_geometry: bool = False, size: tuple[int, int] | None = (1280, 800)) -> Win:
    window = MainWindow(remember_geometry=remember_geometry)
    window.diagram.set_animation_scale(0)
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.diagram.setFocus()
    win = Win(window, qtbot)
    win.settle()
    return win


@pytest.fixture
def win(qtbot: QtBot) -> Iterator[Win]:
    w = make_window(qtbot)
    yield w
    w.window.player.pause()
    w.window.close()
