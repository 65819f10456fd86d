"""Runtime assets (style sheets, icons) read through :mod:`importlib.resources`.

Nothing here builds a path from ``__file__`` or the working directory, so the same code loads
the assets from a source checkout, an installed wheel and a frozen (PyInstaller) bundle.
Icons are rendered from their SVG bytes into pixmaps up front: no file has to outlive the call.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

PACKAGE = "netviz"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
DEFAULT_STYLE = "light"


def resource_bytes(*parts: str) -> bytes:
    """The bytes of ``netviz/resources/<parts...>``; raises FileNotFoundError if it is missing."""
    node = resources.files(PACKAGE).joinpath("resources")
    for part in parts:
        node = node.joinpath(part)
    if not node.is_file():
        raise FileNotFoundError(f"netviz resource missing: resources/{'/'.join(parts)}")
    return node.read_bytes()


def stylesheet(name: str = DEFAULT_STYLE) -> str:
    """The text of ``resources/styles/<name>.qss``."""
    return resource_bytes("styles", f"{name}.qss").decode("utf-8")


def apply_style(app: QApplication, name: str = DEFAULT_STYLE) -> None:
    """Give the application its style sheet and window icon."""
    app.setStyleSheet(stylesheet(name))
    app.setWindowIcon(icon("netviz"))


@cache
def _svg(name: str) -> bytes:
    return resource_bytes("icons", f"{name}.svg")


def icon(name: str) -> QIcon:
    """An icon rendered from ``resources/icons/<name>.svg`` at the usual sizes (crisp on HiDPI)."""
    renderer = QSvgRenderer(QByteArray(_svg(name)))
    if not renderer.isValid():
        raise ValueError(f"netviz resource is not a valid SVG: resources/icons/{name}.svg")
    result = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result
