"""The theme preference, chosen in Edit › Preferences as a user chooses it: dark, light, system.

Each check reads a colour the user sees (the style sheet, the application's palette, pixels of the
diagram, the plot's background, the table's highlighted row) and compares it with the theme's value.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from netviz.ui import palette, style
from netviz.ui.diagram.text_line import colour
from netviz.ui.file_controller import FileController
from netviz.ui.main_window import MainWindow
from netviz.ui.values_table import QUANTITY
from tests.ui.test_file_controller import App, make_app

DARK, LIGHT = palette.DARK, palette.LIGHT


@pytest.fixture(autouse=True)
def _light_afterwards() -> Iterator[None]:
    """Every other test expects the light theme: put it back whatever happens here."""
    yield
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style.apply_theme(app, "light")


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    a = make_app(qtbot, tmp_path, monkeypatch)
    a.window.diagram.set_animation_scale(0)
    a.window.session.next_phase()  # the forward pass is reached: node lines in the "reached" ink
    yield a
    a.window.close()


def choose_theme(app: App, qtbot: QtBot, name: str) -> None:
    """Edit › Preferences…, pick the theme, OK."""
    dialog = app.files.show_preferences()
    qtbot.waitExposed(dialog)
    index = dialog.theme.findData(name)
    assert index >= 0, f"{name} is not offered"
    dialog.theme.setCurrentIndex(index)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    QApplication.processEvents()


def pixel(window: MainWindow, scene_point: QPointF) -> QColor:
    """The colour on screen at a point of the diagram."""
    view = window.diagram
    image = view.viewport().grab().toImage()
    p = view.mapFromScene(scene_point)
    return QColor(image.pixel(p.x(), p.y()))


def node_fill_point(window: MainWindow) -> QPointF:
    """A point inside h1's circle, clear of its text and outline."""
    node = window.diagram.node("h1")
    return node.mapToScene(QPointF(0.0, 0.8 * node.radius - 6))


def background_point(window: MainWindow) -> QPointF:
    """Empty diagram: between the output ŷ and the bottom of the picture."""
    rect = window.diagram.diagram.sceneRect()
    return QPointF(window.diagram.node("o").scenePos().x(), rect.bottom() - 4)


def current_row_colour(window: MainWindow) -> QColor:
    model = window.values_table.values_model
    row = window.values_table.current_row()
    return model.index(row, QUANTITY).data(Qt.ItemDataRole.BackgroundRole).color()


def assert_theme(window: MainWindow, c: palette.Colours, original: QPalette) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.styleSheet() == style.stylesheet(c.name)
    window_colour = app.palette().color(QPalette.ColorRole.Window)
    if c is DARK:
        assert window_colour.lightness() < 60
    else:
        assert app.palette() == original  # exactly the palette the application had
    assert window.diagram.backgroundBrush().color() == QColor(c.background)
    assert pixel(window, background_point(window)) == QColor(c.background)
    assert pixel(window, node_fill_point(window)) == QColor(c.fill)
    line = window.diagram.node("h1").lines[0]
    assert line.text.startswith("z = ")
    assert colour(line) == QColor(c.text)
    plot = window.loss_plot.plot_widget
    assert plot.backgroundBrush().color() == QColor(c.plot_background)
    assert window.loss_plot.curve.opts["pen"].color() == QColor(c.plot_line)
    assert plot.getPlotItem().getAxis("left").textPen().color() == QColor(c.plot_axis)
    assert current_row_colour(window) == QColor(c.row_current)
    assert f"color:{c.equation_forward}" in window.equations.text()
    assert window.diagram.edge("w5").colour in (c.positive, c.negative)
    button = window.loss_plot.log_button
    assert button is not None and button.text() == "log"  # new icons leave the button's short text


def test_dark_then_light_from_the_preferences_dialog(app: App, qtbot: QtBot) -> None:
    original = QPalette(QApplication.palette())
    assert_theme(app.window, LIGHT, original)
    choose_theme(app, qtbot, "dark")
    assert app.files.settings.theme == "dark"
    assert_theme(app.window, DARK, original)
    assert "dark theme is not part" not in app.window.statusBar().currentMessage()
    choose_theme(app, qtbot, "light")
    assert_theme(app.window, LIGHT, original)


def test_the_dark_theme_starts_the_next_window(app: App, qtbot: QtBot) -> None:
    choose_theme(app, qtbot, "dark")
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    style.apply_theme(qapp, "light")  # as a new start would be, before the preferences are read
    second = MainWindow(remember_geometry=False)
    qtbot.addWidget(second)
    files = FileController(second, offer_recovery=False, ask_on_close=False)
    second.diagram.set_animation_scale(0)
    second.session.next_phase()
    second.show()
    qtbot.waitExposed(second)
    qtbot.waitUntil(lambda: not second.diagram.diagram.refresh_pending, timeout=3000)
    assert files.settings.theme == "dark"
    assert_theme(second, DARK, QPalette())
    second.close()


def test_system_follows_the_desktop_and_its_changes(app: App, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    original = QPalette(QApplication.palette())
    choose_theme(app, qtbot, "light")  # "system" is the default: choosing it again would change nothing
    scheme = [Qt.ColorScheme.Dark]
    monkeypatch.setattr(style, "color_scheme", lambda: scheme[0])
    choose_theme(app, qtbot, "system")
    assert app.files.settings.theme == "system"
    assert_theme(app.window, DARK, original)
    # The desktop switches to light while netviz runs.
    scheme[0] = Qt.ColorScheme.Light
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert_theme(app.window, LIGHT, original)
    # A chosen theme is kept whatever the desktop does.
    choose_theme(app, qtbot, "light")
    scheme[0] = Qt.ColorScheme.Dark
    QApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert_theme(app.window, LIGHT, original)


@pytest.mark.parametrize(("scheme", "theme"), [(Qt.ColorScheme.Dark, "dark"), (Qt.ColorScheme.Light, "light"),
                                               (Qt.ColorScheme.Unknown, "light")])
def test_what_system_means_for_each_colour_scheme(scheme: Qt.ColorScheme, theme: str) -> None:
    assert style.theme_for_scheme(scheme) == theme


def test_the_dark_theme_repaints_a_running_animation_and_the_editor(app: App, qtbot: QtBot) -> None:
    view = app.window.diagram
    view.edit("w5")
    choose_theme(app, qtbot, "dark")
    assert f"background: {DARK.fill}" in view.editor.styleSheet()
    assert f"color: {DARK.text}" in view.editor.styleSheet()
    view.editor.cancel()
    choose_theme(app, qtbot, "light")
    assert f"background: {LIGHT.fill}" in view.editor.styleSheet()


def test_the_dark_style_sheet_has_every_selector_of_the_light_one() -> None:
    def selectors(text: str) -> set[str]:
        return {block.split("{")[0].strip().split("*/")[-1].strip() for block in text.split("}") if "{" in block}

    light, dark = selectors(style.stylesheet("light")), selectors(style.stylesheet("dark"))
    assert light <= dark
    assert "#ffffff" not in style.stylesheet("dark").replace("color: #ffffff", "")  # no white boxes


def test_the_toolbar_keeps_its_size_through_play_pause_and_a_theme_switch(qtbot: QtBot) -> None:
    from tests.ui.conftest import make_window

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style.apply_theme(app, "light")  # as at start: the theme is applied before the window is built
    w = make_window(qtbot).window
    play = w.toolbar.widgetForAction(w.commands.play)
    height, width, combo_x = w.toolbar.height(), play.width(), w.speed_combo.x()
    w.commands.play.trigger()
    QApplication.processEvents()
    assert w.commands.play.text() == "&Pause"
    assert (play.width(), w.speed_combo.x()) == (width, combo_x)
    w.commands.play.trigger()
    for name in ("dark", "light"):
        style.apply_theme(app, name)
        QApplication.processEvents()
        assert w.toolbar.height() == height, name
    w.close()


def test_a_narrow_window_shows_the_more_button_in_the_themes_ink(app: App, qtbot: QtBot) -> None:
    """Too narrow for Speed and Reset, the tool bar shows its "more" button; Qt's own arrow was
    black, invisible on the dark tool bar (and squeezed out by the buttons' padding on the light one)."""
    from PySide6.QtWidgets import QToolButton

    from netviz.ui.actions import OVERFLOW_BUTTON

    w = app.window
    w.resize(600, 450)
    QApplication.processEvents()
    button = w.toolbar.findChild(QToolButton, OVERFLOW_BUTTON)
    assert button is not None and button.isVisible()
    assert not w.speed_combo.isVisible()  # the reason it is there
    for name in ("dark", "light", "dark"):
        choose_theme(app, qtbot, name)
        want = QColor(dict(palette.active().icon_inks).get("#24476b", "#24476b"))  # the icons' main ink
        image = button.icon().pixmap(16, 16).toImage()
        inked = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())
                 if image.pixelColor(x, y).alpha() > 128]
        assert len(inked) >= 10, name
        assert all(max(abs(p.red() - want.red()), abs(p.green() - want.green()), abs(p.blue() - want.blue())) <= 3
                   for p in inked), (name, {p.name() for p in inked})
