"""Runtime assets (style sheets, icons) read through :mod:`importlib.resources`, and the theme.

Nothing here builds a path from ``__file__`` or the working directory, so the same code loads
the assets from a source checkout, an installed wheel and a frozen (PyInstaller) bundle.
Icons are drawn from their SVG bytes when Qt asks for a size: no file has to outlive the call.

A theme is three things switched together by :func:`apply_theme`: the style sheet
(``resources/styles/<name>.qss``), the application's QPalette (for what Qt draws natively: menus,
dialogs, scroll bars, tooltips) and :mod:`netviz.ui.palette`'s active colour set (for what netviz
paints itself). :class:`ThemeManager` then emits ``changed`` so views repaint.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QObject, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyleOption, QToolTip

from netviz.ui import palette

PACKAGE = "netviz"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
"""Sizes the application icon offers (menus, title bars, task switchers, docks); each is drawn
only when a platform asks for it."""
TOOL_ICON_SIZES = (16, 22, 24, 32, 48, 64)
"""Sizes a toolbar or menu icon offers: 16-24 px shown, up to 64 for HiDPI screens."""
DEFAULT_STYLE = "light"
SYSTEM = "system"
MANAGER_NAME = "netvizThemeManager"
UNTHEMED_ICONS = frozenset({"netviz"})


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


def apply_style(app: QApplication, name: str = DEFAULT_STYLE) -> str:
    """Give the application its theme (see :func:`apply_theme`) and window icon."""
    app.setWindowIcon(icon("netviz"))
    return apply_theme(app, name)


def apply_theme(app: QApplication, name: str) -> str:
    """The one place a theme is applied: style sheet, QPalette and diagram colours; returns it resolved.

    ``name`` is "light", "dark" or "system" (the desktop's colour scheme, followed while it
    changes). Raises FileNotFoundError, changing nothing, if the theme's style sheet is missing.
    """
    return theme_manager(app).apply(name)


def theme_for_scheme(scheme: Qt.ColorScheme) -> str:
    """What "system" means for a desktop colour scheme: dark only when the desktop says so."""
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def color_scheme() -> Qt.ColorScheme:
    """The desktop's colour scheme as Qt reports it (Unknown where the platform does not say)."""
    return QGuiApplication.styleHints().colorScheme()


def theme_manager(app: QApplication | None = None) -> ThemeManager:
    """The application's theme manager (made on first use, a child of the application)."""
    if app is None:
        instance = QApplication.instance()
        if not isinstance(instance, QApplication):
            raise RuntimeError("the theme needs a QApplication")
        app = instance
    found = app.findChild(ThemeManager, MANAGER_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if isinstance(found, ThemeManager) else ThemeManager(app)


def dark_palette() -> QPalette:
    """A QPalette matching the dark style sheet, for the widgets Qt draws itself."""
    c = palette.DARK
    window, base, alternate, button = QColor("#25292F"), QColor("#1B1E22"), QColor("#23272C"), QColor("#2E333A")
    text, dim = QColor(c.text), QColor("#7A828C")
    p = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
            (roles.Window, window), (roles.WindowText, text), (roles.Base, base), (roles.AlternateBase, alternate),
            (roles.ToolTipBase, QColor("#2E333A")), (roles.ToolTipText, text), (roles.PlaceholderText, dim),
            (roles.Text, text), (roles.Button, button), (roles.ButtonText, text), (roles.BrightText, QColor("#FFFFFF")),
            (roles.Light, QColor("#3A4048")), (roles.Midlight, QColor("#30353C")), (roles.Mid, QColor("#23272C")),
            (roles.Dark, QColor("#15181B")), (roles.Shadow, QColor("#0B0C0E")),
            (roles.Highlight, QColor("#2D5F86")), (roles.HighlightedText, QColor("#FFFFFF")),
            (roles.Link, QColor(c.negative)), (roles.LinkVisited, QColor("#B48EDB")),
            (roles.Accent, QColor("#2D5F86"))):
        p.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText, roles.HighlightedText):
        p.setColor(disabled, role, dim)
    p.setColor(disabled, roles.Button, QColor("#2A2E34"))
    p.setColor(disabled, roles.Highlight, QColor("#3A4048"))
    return p


class ThemeManager(QObject):
    """Switches the application between themes and follows the desktop's scheme for "system".

    It keeps the palette the application had before any dark theme, so going back to light
    restores it exactly (the platform's own palette, not an imitation of it).
    """

    changed = Signal(str)
    """The resolved theme changed ("light" or "dark"): views re-read ``palette.active()``."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName(MANAGER_NAME)
        self._app = app
        self._light_palette = self._light(app.palette(), app)
        self._light_tooltip_palette = self._light(QToolTip.palette(), app)
        self.preference = DEFAULT_STYLE
        """What was asked for: "light", "dark" or "system"."""
        self.theme = DEFAULT_STYLE
        """What is shown: "light" or "dark"."""
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    @staticmethod
    def _light(current: QPalette, app: QApplication) -> QPalette:
        """The palette to restore for light: the one the app started with, unless that was already dark."""
        if current.color(QPalette.ColorRole.Window).lightness() >= 128:
            return QPalette(current)
        return app.style().standardPalette()

    @staticmethod
    def system_theme() -> str:
        """The theme "system" stands for right now."""
        return theme_for_scheme(color_scheme())

    def resolve(self, name: str) -> str:
        return self.system_theme() if name == SYSTEM else name

    def apply(self, name: str) -> str:
        theme = self.resolve(name)
        colours = palette.THEMES.get(theme)
        if colours is None:
            raise FileNotFoundError(f"netviz resource missing: resources/styles/{theme}.qss")
        sheet = stylesheet(theme)  # raises before anything changes if the theme is not shipped
        self.preference = name
        old, self.theme = self.theme, theme
        if theme == "dark":
            self._app.setPalette(dark_palette())
            QToolTip.setPalette(dark_palette())
        else:
            self._app.setPalette(self._light_palette)
            QToolTip.setPalette(self._light_tooltip_palette)
        if self._app.styleSheet() != sheet:
            self._app.setStyleSheet(sheet)
        if palette.set_active(colours) or old != theme:
            self.changed.emit(theme)
        return theme

    def _on_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.preference == SYSTEM:
            self.apply(SYSTEM)


@cache
def _svg(name: str) -> bytes:
    return resource_bytes("icons", f"{name}.svg")


def icon(name: str) -> QIcon:
    """An icon drawn from ``resources/icons/<name>.svg`` at whatever size it is shown (crisp on HiDPI).

    Toolbar icons are drawn in the active colour set's inks (dark navy would vanish on a dark
    toolbar); the application icon keeps its own colours. Nothing is rendered until Qt asks
    for a size (see :class:`SvgIconEngine`).
    """
    data = _svg(name)
    if name not in UNTHEMED_ICONS:
        for old, new in palette.active().icon_inks:
            data = data.replace(old.encode(), new.encode()).replace(old.upper().encode(), new.encode())
    renderer = QSvgRenderer(QByteArray(data))
    if not renderer.isValid():
        raise ValueError(f"netviz resource is not a valid SVG: resources/icons/{name}.svg")
    return QIcon(SvgIconEngine(renderer, ICON_SIZES if name in UNTHEMED_ICONS else TOOL_ICON_SIZES))


_CLONES: list[SvgIconEngine] = []


class SvgIconEngine(QIconEngine):
    """Renders an SVG when Qt asks for a size, and keeps what it rendered.

    Rendering every size up front (up to 256 px for the window icon) was a tenth of the time
    from launch to the first painted window; a toolbar shows one size. Disabled and selected
    looks come from the style, as for an icon made of pixmaps.
    """

    def __init__(self, renderer: QSvgRenderer, sizes: tuple[int, ...]) -> None:
        super().__init__()
        self._renderer = renderer
        self._sizes = sizes
        self._pixmaps: dict[tuple[int, int, QIcon.Mode, QIcon.State], QPixmap] = {}

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        w, h = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        key = (w, h, mode, state)
        found = self._pixmaps.get(key)
        if found is None:
            found = self._render(w, h)
            if mode != QIcon.Mode.Normal:
                app = QApplication.instance()
                if isinstance(app, QApplication):
                    option = QStyleOption()
                    option.palette = app.palette()
                    found = app.style().generatedIconPixmap(mode, found, option)
            self._pixmaps[key] = found
        return found

    def _render(self, w: int, h: int) -> QPixmap:
        pixmap = QPixmap(w, h)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(w, h)
        self._renderer.render(painter, QRectF((w - side) / 2, (h - side) / 2, side, side))
        painter.end()
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        pixmap = self.scaledPixmap(rect.size(), mode, state, scale)
        painter.drawPixmap(QRectF(rect), pixmap, QRectF(pixmap.rect()))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return size  # scalable: any size asked for is the size drawn

    def availableSizes(self, mode: QIcon.Mode = QIcon.Mode.Normal, state: QIcon.State = QIcon.State.Off) -> list[QSize]:
        return [QSize(n, n) for n in self._sizes]  # what a platform renders a window icon at

    def isNull(self) -> bool:
        return False

    def clone(self) -> QIconEngine:
        # Qt clones an engine when a shared icon is changed (addPixmap on a copy) and owns the
        # clone, but PySide cannot hand it ownership of an object made here: the Python wrapper
        # would be collected and Qt left with a dangling engine. So clones are kept for the
        # application's life; netviz never changes an icon, so this list stays empty.
        engine = SvgIconEngine(self._renderer, self._sizes)
        _CLONES.append(engine)
        return engine

    def key(self) -> str:
        return "netviz-svg"
