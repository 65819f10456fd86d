"""Icons are drawn from their SVG at the size shown, once per size, and greyed when disabled."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QToolButton
from pytestqt.qtbot import QtBot

from netviz.ui import style


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every pixmap drawn from an SVG, as (width, height)."""
    drawn: list[tuple[int, int]] = []
    real = style.SvgIconEngine._render

    def counting(self: style.SvgIconEngine, w: int, h: int) -> QPixmap:
        drawn.append((w, h))
        return real(self, w, h)

    monkeypatch.setattr(style.SvgIconEngine, "_render", counting)
    return drawn


def opaque_pixels(pixmap: QPixmap) -> list[QColor]:
    image = pixmap.toImage()
    return [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
            if image.pixelColor(x, y).alpha() == 255]


def test_nothing_is_drawn_until_a_size_is_asked_for_and_each_size_once(qtbot: QtBot,
                                                                       renders: list[tuple[int, int]]) -> None:
    icon = style.icon("play")
    assert renders == []
    assert not icon.isNull()
    assert icon.availableSizes() == [QSize(n, n) for n in style.TOOL_ICON_SIZES]
    first = icon.pixmap(24, 24)
    assert first.size() == QSize(24, 24)
    icon.pixmap(24, 24)
    icon.pixmap(48, 48)
    assert renders == [(24, 24), (48, 48)]
    assert opaque_pixels(first)  # it drew something, not a transparent square


def test_the_application_icon_offers_the_big_sizes_without_drawing_them(qtbot: QtBot,
                                                                        renders: list[tuple[int, int]]) -> None:
    icon = style.icon("netviz")
    assert QSize(256, 256) in icon.availableSizes()
    assert renders == []
    assert icon.pixmap(256, 256).size() == QSize(256, 256)
    assert renders == [(256, 256)]


def test_a_disabled_icon_is_greyed_by_the_style(qtbot: QtBot) -> None:
    icon = style.icon("step")
    normal = opaque_pixels(icon.pixmap(QSize(32, 32), QIcon.Mode.Normal))
    disabled = opaque_pixels(icon.pixmap(QSize(32, 32), QIcon.Mode.Disabled))
    assert normal and disabled
    saturation = max(c.hsvSaturation() for c in disabled)
    assert saturation < max(c.hsvSaturation() for c in normal)


def test_changing_a_copy_of_an_icon_is_safe(qtbot: QtBot) -> None:
    """Qt clones the engine when a shared icon changes; the clone must outlive Python's collector."""
    copies = []
    for _ in range(20):
        copy = QIcon(style.icon("reset"))
        copy.addPixmap(QPixmap(8, 8))  # detaches: Qt asks the engine for a clone
        copies.append(copy)
    gc.collect()
    for copy in copies:
        assert copy.pixmap(32, 32).size() == QSize(32, 32)


def test_a_toolbar_button_draws_its_icon(qtbot: QtBot) -> None:
    button = QToolButton()
    qtbot.addWidget(button)
    button.setIcon(style.icon("play"))
    button.setIconSize(QSize(24, 24))
    button.resize(40, 40)
    image = button.grab().toImage()
    background = QApplication.palette().button().color()
    centre = [image.pixelColor(x, y) for x in range(12, 28) for y in range(12, 28)]
    assert any(c != background and c.alpha() == 255 for c in centre)
