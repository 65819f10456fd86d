"""The main window: layout and wiring only.

The diagram sits in the centre; the loss plot, the values table and the equations view are
dock widgets (View menu shows and hides them). A toolbar and a Lesson menu hold the controls.
Every widget takes the session in its constructor and connects to it itself; this module
only places them and connects actions to the session's and the player's intents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QScrollArea,
    QToolBar,
    QWidget,
)

from netviz.app.player import SPEEDS, Player
from netviz.app.session import Session
from netviz.ui.actions import (
    Actions,
    build_actions,
    draw_overflow_button,
    name_tool_buttons,
    refresh_icons,
    set_play_state,
)
from netviz.ui.diagram import DiagramView
from netviz.ui.equations_view import EquationsView
from netviz.ui.loss_plot import LossPlot
from netviz.ui.status_bar import StatusBar
from netviz.ui.style import theme_manager
from netviz.ui.values_table import ValuesTable

if TYPE_CHECKING:  # imported when first opened: not needed to paint the window
    from netviz.ui.about_dialog import AboutDialog, ShortcutsDialog

TITLE = "netviz — Backpropagation, step by step"
DEFAULT_SIZE = (1280, 800)
EQUATIONS_HEIGHT = 190
"""Height of the equations panel at the default size (its largest)."""
EQUATIONS_SHARE, EQUATIONS_MIN = 0.24, 120
SIDE_SHARE, SIDE_MIN, SIDE_MAX = 0.34, 280, 460
"""The loss and values panels take this share of the window's width, within these bounds."""
SETTINGS_ORG = "netviz"
SETTINGS_APP = "netviz"


def settings() -> QSettings:
    """The user's settings (organisation "netviz", application "netviz", default format)."""
    return QSettings(QSettings.defaultFormat(), QSettings.Scope.UserScope, SETTINGS_ORG, SETTINGS_APP)


class MainWindow(QMainWindow):
    """The window people open. ``remember_geometry=False`` neither restores nor saves it."""

    def __init__(self, session: Session | None = None, remember_geometry: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session if session is not None else Session(parent=self)
        self.player = Player(self.session, self)
        self._remember = remember_geometry
        self._about: AboutDialog | None = None
        self._shortcuts: ShortcutsDialog | None = None
        self.setWindowTitle(TITLE)  # the icon is the application's (style.apply_style): one icon, drawn
        # once at the sizes a window icon is sent in (an icon of its own was drawn and sent again)
        self.setObjectName("mainWindow")
        self.setAccessibleName("netviz main window")
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        self.commands = build_actions(self)
        self.undo_action = self.session.undo_stack.createUndoAction(self, "&Undo")
        self.redo_action = self.session.undo_stack.createRedoAction(self, "&Redo")
        self.undo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)
                                      or [QKeySequence("Ctrl+Z")])
        self.redo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
                                      or [QKeySequence("Ctrl+Shift+Z")])

        self.diagram = DiagramView(self.session, self.player, self)
        self.setCentralWidget(self.diagram)

        self.loss_plot = LossPlot(self.session, self.commands.log_y)
        self.values_table = ValuesTable(self.session)
        self.equations = EquationsView(self.session)
        self.loss_dock = self._dock("Loss", "lossDock", self.loss_plot, Qt.DockWidgetArea.RightDockWidgetArea)
        self.values_dock = self._dock("Values", "valuesDock", self.values_table,
                                      Qt.DockWidgetArea.RightDockWidgetArea)
        self.equations_dock = self._dock("Equations", "equationsDock", self._scrolled(self.equations),
                                         Qt.DockWidgetArea.BottomDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.speed_combo = self._speed_combo()
        self.toolbar = self._toolbar()
        self.status = StatusBar(self.session, self)
        self.setStatusBar(self.status)
        self._menus()
        self._wire()
        theme_manager().changed.connect(self.apply_colours)

        self.resize(*self._first_size())
        self.fit_docks()
        if remember_geometry:
            self._restore_geometry()
        self.diagram.setFocus()

    # ---- building ------------------------------------------------------------------------------
    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(f"{title} panel")
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        """Long content scrolls rather than being cut off when the panel is small."""
        area = QScrollArea()
        area.setObjectName(f"{widget.objectName()}Scroll")
        area.setWidget(widget)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    def _speed_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName("speedCombo")
        for speed in SPEEDS:
            combo.addItem(speed.label)
        combo.setCurrentIndex(self.player.speed)
        combo.setAccessibleName("Speed")
        combo.setToolTip("How fast Play goes: from one step per second to as fast as possible ([ and ])")
        combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return combo

    def _toolbar(self) -> QToolBar:
        bar = QToolBar("Controls", self)
        bar.setObjectName("controls")
        bar.setAccessibleName("Lesson controls")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.commands.controls:
            bar.addAction(action)
        bar.addSeparator()
        speed_label = QLabel(" Speed ")
        speed_label.setBuddy(self.speed_combo)
        bar.addWidget(speed_label)
        bar.addWidget(self.speed_combo)
        bar.addSeparator()
        bar.addAction(self.commands.reset)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        name_tool_buttons(bar)
        draw_overflow_button(bar)
        # The layout takes its margins from the style sheet only on a style change; without this
        # the bar grew 4 px on the first theme switch.
        bar.ensurePolished()
        QApplication.sendEvent(bar, QEvent(QEvent.Type.StyleChange))
        play = bar.widgetForAction(self.commands.play)
        if play is not None:  # as wide as "Pause", so Play → Pause does not shift the bar
            fm = play.fontMetrics()
            extra = fm.horizontalAdvance("Pause") - fm.horizontalAdvance("Play")
            play.setMinimumWidth(play.sizeHint().width() + max(0, extra) + 2)
        return bar

    def _menus(self) -> None:
        a = self.commands
        bar = self.menuBar()
        self.file_menu: QMenu = bar.addMenu("&File")
        self.file_menu.addSeparator()
        self.file_menu.addAction(a.quit)
        self.edit_menu: QMenu = bar.addMenu("&Edit")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.lesson_menu: QMenu = bar.addMenu("&Lesson")
        for action in (a.step, a.next_phase, a.iteration, a.play):
            self.lesson_menu.addAction(action)
        self.lesson_menu.addSeparator()
        self.lesson_menu.addAction(a.faster)
        self.lesson_menu.addAction(a.slower)
        self.lesson_menu.addSeparator()
        self.lesson_menu.addAction(a.reset)
        self.view_menu: QMenu = bar.addMenu("&View")
        for number, dock in enumerate((self.loss_dock, self.values_dock, self.equations_dock), start=1):
            toggle = dock.toggleViewAction()
            toggle.setText(f"{dock.windowTitle()} panel")
            toggle.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | getattr(Qt.Key, f"Key_{number}")))
            toggle.setStatusTip(f"Show or hide the {dock.windowTitle().lower()} panel")
            self.view_menu.addAction(toggle)
        self.view_menu.addSeparator()
        self.view_menu.addAction(a.log_y)
        self.view_menu.addAction(a.full_screen)
        self.help_menu: QMenu = bar.addMenu("&Help")
        self.help_menu.addAction(a.shortcuts)
        self.help_menu.addSeparator()
        self.help_menu.addAction(a.about)
        # Shortcuts work wherever focus is in the window, whether or not a menu is shown.
        self.addActions([*self._all_actions(), self.undo_action, self.redo_action])

    def _all_actions(self) -> list[QAction]:
        a: Actions = self.commands
        return [a.step, a.next_phase, a.iteration, a.play, a.reset, a.faster, a.slower, a.log_y,
                a.full_screen, a.quit, a.shortcuts, a.about]

    def _wire(self) -> None:
        a, s, p = self.commands, self.session, self.player
        a.step.triggered.connect(lambda: self._manual(s.step))
        a.next_phase.triggered.connect(lambda: self._manual(s.next_phase))
        a.iteration.triggered.connect(lambda: self._manual(s.finish_iteration))
        a.reset.triggered.connect(lambda: self._manual(s.reset))
        a.play.triggered.connect(lambda: p.toggle())
        a.faster.triggered.connect(lambda: p.set_speed(p.speed + 1))
        a.slower.triggered.connect(lambda: p.set_speed(p.speed - 1))
        a.full_screen.toggled.connect(lambda on: self.showFullScreen() if on else self.showNormal())
        a.quit.triggered.connect(self.close)
        a.about.triggered.connect(self.show_about)
        a.shortcuts.triggered.connect(self.show_shortcuts)
        # Starting to edit a number is a manual command too: the lesson stops where it is, rather
        # than the value changing under a moving iteration.
        self.diagram.diagram.editRequested.connect(lambda *_: p.pause())
        self.diagram.diagram.typedOnLabel.connect(lambda *_: p.pause())
        p.playingChanged.connect(self._on_playing)
        p.speedChanged.connect(self.speed_combo.setCurrentIndex)
        self.speed_combo.currentIndexChanged.connect(p.set_speed)
        s.divergedChanged.connect(self._on_diverged)
        s.cursorChanged.connect(self._on_cursor)
        # Undo and redo while playing: stop first, so the run becomes one undo step before it is undone.
        for action, go in ((self.undo_action, s.undo_stack.undo), (self.redo_action, s.undo_stack.redo)):
            action.triggered.disconnect()
            action.triggered.connect(lambda *_, go=go: self._manual(go))
        self._on_playing(p.playing)
        self._on_diverged(s.diverged)

    # ---- slots ---------------------------------------------------------------------------------
    def _manual(self, intent: object) -> None:
        """A command typed or clicked by the user: pause first, then do it."""
        self.player.pause()
        intent()  # type: ignore[operator]

    def _on_playing(self, playing: bool) -> None:
        set_play_state(self.commands.play, playing)
        # A run joins the undo history only when it stops, so Undo stays available while playing:
        # it pauses (recording the run) and then undoes it.
        self.undo_action.setEnabled(playing or self.session.undo_stack.canUndo())
        button = self.toolbar.widgetForAction(self.commands.play)
        if button is not None:
            button.setAccessibleName("Pause" if playing else "Play")

    def _on_diverged(self, diverged: bool) -> None:
        self.commands.play.setEnabled(not diverged)
        self.commands.iteration.setEnabled(not diverged)
        self._on_cursor()

    def _on_cursor(self, *_: object) -> None:
        """Step and Next phase go dim at the end of a diverged iteration (nothing comes next)."""
        can = self.session.can_advance
        self.commands.step.setEnabled(can)
        self.commands.next_phase.setEnabled(can)

    def show_about(self) -> AboutDialog:
        if self._about is None:
            from netviz.ui.about_dialog import AboutDialog

            self._about = AboutDialog(self)
        self._about.open()
        return self._about

    def apply_colours(self) -> None:
        """The theme changed: the views that paint themselves re-read the active colour set.

        The style sheet and the QPalette reach every widget by themselves; these do not.
        """
        refresh_icons(self._all_actions())
        draw_overflow_button(self.toolbar)
        self.diagram.apply_colours()
        self.loss_plot.apply_colours()
        self.values_table.apply_colours()
        self.equations.apply_colours()

    def set_tooltip_digits(self, decimals: int) -> None:
        """Significant digits of full-precision values in every tooltip (the preference)."""
        self.diagram.diagram.set_tooltip_digits(decimals)
        self.values_table.set_tooltip_digits(decimals)

    def show_shortcuts(self) -> ShortcutsDialog:
        if self._shortcuts is None:
            rows = []
            for menu in (self.file_menu, self.edit_menu, self.lesson_menu, self.view_menu, self.help_menu):
                for action in menu.actions():
                    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                    if keys and not action.isSeparator():
                        rows.append((action.text().replace("&", ""), keys))
            from netviz.ui.about_dialog import ShortcutsDialog

            self._shortcuts = ShortcutsDialog(rows, self)
        self._shortcuts.open()
        return self._shortcuts

    # ---- geometry ------------------------------------------------------------------------------
    def fit_docks(self) -> None:
        """Share the window between the diagram and the panels in proportion to its size, so a
        small window still leaves the diagram most of the room (a user's own layout is restored
        over this when remembered)."""
        w, h = self.width(), self.height()
        side = round(min(max(SIDE_SHARE * w, SIDE_MIN), SIDE_MAX))
        equations = round(min(max(EQUATIONS_SHARE * h, EQUATIONS_MIN), EQUATIONS_HEIGHT))
        column = max(h - 100, 200)
        self.resizeDocks([self.loss_dock, self.values_dock], [round(0.37 * column), round(0.63 * column)],
                         Qt.Orientation.Vertical)
        self.resizeDocks([self.loss_dock], [side], Qt.Orientation.Horizontal)
        self.resizeDocks([self.equations_dock], [equations], Qt.Orientation.Vertical)

    def _first_size(self) -> tuple[int, int]:
        """The default size, but never larger than nine tenths of the screen."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return DEFAULT_SIZE
        free = screen.availableGeometry()
        return (min(DEFAULT_SIZE[0], round(0.9 * free.width())) or DEFAULT_SIZE[0],
                min(DEFAULT_SIZE[1], round(0.9 * free.height())) or DEFAULT_SIZE[1])

    def _restore_geometry(self) -> None:
        store = settings()
        geometry = store.value("window/geometry")
        state = store.value("window/state")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_geometry(self) -> None:
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.sync()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Panels keep their share of the window as it is resized (Qt keeps their size in pixels,
        so a window made smaller left the diagram all the loss and its text unreadably small)."""
        old, new = event.oldSize(), event.size()
        super().resizeEvent(event)
        if old.width() <= 0 or old.height() <= 0 or old == new:
            return
        # Never below room for the table's columns or a formula, unless the user gave less.
        docks = ((self.loss_dock, SIDE_MIN, True), (self.equations_dock, EQUATIONS_MIN, False))
        for dock, minimum, horizontal in docks:
            if not dock.isVisible() or dock.isFloating():
                continue
            size, before, after = ((dock.width(), old.width(), new.width()) if horizontal
                                   else (dock.height(), old.height(), new.height()))
            wanted = max(min(minimum, size), round(size / before * after))
            self.resizeDocks([dock], [wanted], Qt.Orientation.Horizontal if horizontal else Qt.Orientation.Vertical)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.player.pause()
        if self._remember:
            self.save_geometry()
        super().closeEvent(event)
