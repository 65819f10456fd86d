"""The window's commands as QActions: text, SVG icon, tooltip with its shortcut, accessible name.

Only the actions are built here; :mod:`netviz.ui.main_window` connects them to the session and
the player. Every action lives in a menu too, so everything is reachable from the keyboard.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QToolButton

from netviz.ui.style import icon

Shortcut = QKeySequence | QKeySequence.StandardKey | Qt.Key | str
ICON_PROPERTY = "netvizIcon"
"""The action's icon name, so :func:`refresh_icons` can redraw it in another theme's inks."""
FALLBACK_KEYS = {
    QKeySequence.StandardKey.Quit: ("Ctrl+Q",),
    QKeySequence.StandardKey.FullScreen: ("F11",),
    QKeySequence.StandardKey.HelpContents: ("F1",),
}


def _action(parent: QObject, text: str, tip: str, shortcut: Shortcut | None = None,
            icon_name: str | None = None, checkable: bool = False) -> QAction:
    action = QAction(text, parent)
    if icon_name:
        action.setIcon(icon(icon_name))
        action.setProperty(ICON_PROPERTY, icon_name)
    if isinstance(shortcut, QKeySequence.StandardKey):
        # The platform's keys for a standard command; some platforms (offscreen, bare X11
        # without a desktop) define none for e.g. Quit, so fall back to the usual ones.
        keys = QKeySequence.keyBindings(shortcut) or [QKeySequence(k) for k in FALLBACK_KEYS.get(shortcut, ())]
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    elif shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    if checkable:  # in a menu an icon hides the check mark (Fusion): show the box, keep the icon on the toolbar
        action.setIconVisibleInMenu(False)
    key_text = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip} ({key_text})" if key_text else tip)
    action.setStatusTip(tip)
    action.setWhatsThis(tip)
    return action


class Actions(NamedTuple):
    """Every command of the main window (the undo/redo pair comes from the session's stack)."""

    step: QAction
    next_phase: QAction
    iteration: QAction
    play: QAction
    reset: QAction
    faster: QAction
    slower: QAction
    log_y: QAction
    full_screen: QAction
    quit: QAction
    shortcuts: QAction
    about: QAction

    @property
    def controls(self) -> tuple[QAction, ...]:
        """The toolbar's actions, in order (the speed control sits between play and reset)."""
        return (self.step, self.next_phase, self.iteration, self.play)


def build_actions(parent: QObject) -> Actions:
    return Actions(
        step=_action(parent, "&Step", "Step: compute the next quantity", Qt.Key.Key_Right, "step"),
        next_phase=_action(parent, "&Next phase", "Next phase: finish the forward pass, the backward pass or "
                           "the update", QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_Right), "next-phase"),
        iteration=_action(parent, "One &iteration", "One iteration: finish this iteration and start the next",
                          QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_Right), "iteration"),
        play=_action(parent, "&Play", "Play: step through the lesson on its own", Qt.Key.Key_Space, "play",
                     checkable=True),
        reset=_action(parent, "&Reset", "Reset: back to the lecture note's network, iteration 0",
                      QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_R), "reset"),
        faster=_action(parent, "&Faster", "Play faster", Qt.Key.Key_BracketRight),
        slower=_action(parent, "S&lower", "Play slower", Qt.Key.Key_BracketLeft),
        log_y=_action(parent, "&Logarithmic loss axis", "Show the loss on a logarithmic axis",
                      QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_L), "log-scale", checkable=True),
        full_screen=_action(parent, "F&ull screen", "Fill the screen with the window",
                            QKeySequence.StandardKey.FullScreen, checkable=True),
        quit=_action(parent, "&Quit", "Quit netviz", QKeySequence.StandardKey.Quit),
        shortcuts=_action(parent, "&Keyboard shortcuts", "Every command and its keys",
                          QKeySequence.StandardKey.HelpContents),
        about=_action(parent, "&About netviz", "Version and credits"),
    )


def set_play_state(action: QAction, playing: bool) -> None:
    """Play ⇄ Pause: the icon, text and tooltip follow the player."""
    action.setChecked(playing)
    action.setIcon(icon("pause" if playing else "play"))
    action.setProperty(ICON_PROPERTY, "pause" if playing else "play")
    action.setText("&Pause" if playing else "&Play")
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    tip = "Pause: stop where the lesson is" if playing else "Play: step through the lesson on its own"
    action.setToolTip(f"{tip} ({keys})")
    action.setStatusTip(tip)


def refresh_icons(actions: list[QAction]) -> None:
    """Redraw the actions' icons in the active theme's inks (the theme changed)."""
    for action in actions:
        name = action.property(ICON_PROPERTY)
        if isinstance(name, str) and name:
            action.setIcon(icon(name))


OVERFLOW_BUTTON = "qt_toolbar_ext_button"
"""Qt's name for the button a tool bar shows when it is too narrow for all of its buttons."""


def draw_overflow_button(toolbar: QToolBar) -> None:
    """Give the tool bar's "more" button netviz's chevrons in the active theme's inks.

    Qt's own arrow is black: on the dark theme's tool bar it could not be seen, and a narrow
    window seemed to have lost its Speed and Reset controls.
    """
    button = toolbar.findChild(QToolButton, OVERFLOW_BUTTON)
    if button is not None:
        button.setIcon(icon("more"))


def name_tool_buttons(toolbar: QToolBar) -> None:
    """Give each toolbar button an accessible name and description from its action."""
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        if widget is None or action.isSeparator():
            continue
        text = action.text().replace("&", "")
        if text:
            widget.setAccessibleName(text)
            widget.setAccessibleDescription(action.statusTip())
