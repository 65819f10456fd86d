"""File → Open…, Open Recent ▸, Save, Save As…; the title's file name and unsaved mark; autosave,
recovery after a crash, and Edit → Preferences….

``FileController(window)`` adds its actions to ``window.file_menu`` (and Preferences to
``window.edit_menu``), watches the window's close event through an event filter (a clean exit
removes the autosave), and offers to restore an autosave left by a session that did not exit
cleanly. Files are read and written by :mod:`netviz.io.document`; a bad file shows a message
naming the file and the field, and the current network stays as it was.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMenu, QMessageBox
from shiboken6 import isValid

import netviz.io  # its file-format names load on first use, not with the window
from netviz.app.autosave import Autosave, Recoverable, find_recoverable, restore
from netviz.app.settings import Settings
from netviz.io import SUFFIX
from netviz.io.atomic import NO_SUCH_FILE
from netviz.model.display import printable

if TYPE_CHECKING:  # both are imported when first shown: neither is needed to open the window
    from netviz.ui.preferences_dialog import PreferencesDialog
    from netviz.ui.recovery import RecoveryPrompt

MAX_RECENT = 8
RECENT_KEY = "files/recent"
FILE_FILTER = f"netviz files (*{SUFFIX});;JSON files (*.json);;All files (*)"
APP_NAME = "netviz"
HEADLESS_PLATFORMS = ("offscreen", "minimal")


def _headless() -> bool:
    app = QApplication.instance()
    return app is None or QApplication.platformName() in HEADLESS_PLATFORMS


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if isinstance(v, str) and v]


OPENED = "netviz_opened_files"
"""Attribute of an Open command: (the file shown before it, the file it opened)."""


class FileController(QObject):
    """Open/save/recent/autosave/preferences for one main window.

    ``window`` must have ``session``, ``player`` and ``file_menu``/``edit_menu``. Keyword
    arguments let tests isolate it: ``autosave_dir`` (default: the app-data folder),
    ``store`` (QSettings for preferences and the recent list), ``offer_recovery`` and
    ``ask_on_close`` (default: only when a person can answer, i.e. not on the offscreen platform).
    """

    pathChanged = Signal(str)
    """The current file changed (argument: its path, or "" for none)."""
    dirtyChanged = Signal(bool)
    messageShown = Signal(str, str)
    """An error was shown to the user (title, text) — also for tests and logs."""

    def __init__(self, window: QMainWindow, autosave_dir: str | os.PathLike[str] | None = None,
                 store: QSettings | None = None, offer_recovery: bool | None = None,
                 ask_on_close: bool | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session  # type: ignore[attr-defined]
        self.player = window.player  # type: ignore[attr-defined]
        self._store = store if store is not None else QSettings(
            QSettings.defaultFormat(), QSettings.Scope.UserScope, APP_NAME, APP_NAME)
        self.settings = Settings(self._store, self)
        self.autosave = Autosave(self.session, autosave_dir, parent=self)
        self.ask_on_close = (not _headless()) if ask_on_close is None else ask_on_close
        self._path: Path | None = None
        self._undo_index = self.session.undo_stack.index()
        self._base_title = window.windowTitle()
        self.message_box: QMessageBox | None = None
        self.recovery_prompt: RecoveryPrompt | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self.open_error: str | None = None
        """Why the last :meth:`open_path` failed, on one line ("lesson.netviz.json: iteration: …"), or None."""

        self._build_actions()
        self.session.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.session.undo_stack.indexChanged.connect(self._on_undo_index)
        self.autosave.failed.connect(self._on_autosave_failed)
        self.settings.changed.connect(self._apply_setting)
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.autosave.finish)
        self._apply_startup_settings()
        # The toolbar's speed and log-axis choices are remembered too, as the preferences they are.
        self.player.speedChanged.connect(self._remember_speed)
        log_action = getattr(getattr(window, "commands", None), "log_y", None)
        if log_action is not None:
            log_action.toggled.connect(self._remember_log_scale)
        self._update_title()
        if offer_recovery if offer_recovery is not None else not _headless():
            QTimer.singleShot(0, self.offer_recovery)

    # ---- reading -------------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The file the network was last opened from or saved to."""
        return self._path

    @property
    def dirty(self) -> bool:
        """Changed since it was last opened or saved."""
        return not self.session.undo_stack.isClean()

    def recent_files(self) -> list[str]:
        return _as_list(self._store.value(RECENT_KEY))[:MAX_RECENT]

    # ---- building ------------------------------------------------------------------------------
    def _action(self, text: str, tip: str, shortcut: QKeySequence.StandardKey | None, slot: Any) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({keys})" if keys else tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda *_: slot())
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_action = self._action("&Open…", "Open a saved network", keys.Open, self.open)
        self.save_action = self._action("&Save", "Save the network, its training and its loss history",
                                        keys.Save, self.save)
        self.save_as_action = self._action("Save &As…", "Save to a new file", keys.SaveAs, self.save_as)
        self.recent_menu = QMenu("Open &Recent", self.window)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.clear_recent_action = self._action("&Clear Recent", "Forget the recently opened files", None,
                                                self.clear_recent)
        self.preferences_action = self._action("&Preferences…", "Play speed, tooltips, plot scale, theme",
                                               keys.Preferences, self.show_preferences)
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        if self.preferences_action.shortcut().isEmpty():
            self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        menu: QMenu = self.window.file_menu  # type: ignore[attr-defined]
        first = menu.actions()[0] if menu.actions() else None
        for action in (self.open_action, self.recent_menu.menuAction(), self.save_action, self.save_as_action):
            menu.insertAction(first, action)  # type: ignore[arg-type]
        edit: QMenu | None = getattr(self.window, "edit_menu", None)
        if edit is not None:
            edit.addSeparator()
            edit.addAction(self.preferences_action)
        self.window.addActions([self.open_action, self.save_action, self.save_as_action, self.preferences_action])
        self._fill_recent_menu()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for number, path in enumerate(recent, start=1):
            prefix = f"&{number} " if number < 10 else ""
            action = self.recent_menu.addAction(f"{prefix}{Path(path).name}")
            action.setToolTip(path)
            action.setStatusTip(path)
            action.setData(path)
            action.triggered.connect(lambda *_, p=path: self.open_path(p))
        if not recent:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
        self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(recent))

    def _start_folder(self) -> Path:
        """Where Open and Save As start: the current file's folder, else the last opened or saved
        file's, else Documents (not the folder netviz happened to be started from)."""
        if self._path is not None:
            return self._path.parent
        for recent in self.recent_files():
            if Path(recent).parent.is_dir():
                return Path(recent).parent
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    # ---- intent: files ----------------------------------------------------------------------
    def open(self) -> bool:
        """File → Open…: choose a file, then open it."""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open a network", str(self._start_folder()), FILE_FILTER)
        return self.open_path(path) if path else False

    def open_path(self, path: str | os.PathLike[str], kept: str = "your current network is unchanged") -> bool:
        """Open a file (undoable); on a bad file show why and keep the current network.

        ``kept`` says what the window shows instead (``netviz FILE`` has no network of the
        user's yet: it shows the lecture note's)."""
        self.player.pause()
        self.open_error = None
        try:
            doc = netviz.io.load_document(path)
        except netviz.io.DocumentError as e:
            self.open_error = str(e)
            name = printable(e.path.name)
            self._show_error(f"Could not open {name}",
                             f"{name} could not be opened; {kept}.",
                             f"{e.field}: {e.reason}" if e.field else e.reason, str(e.path))
            if e.reason.startswith(NO_SUCH_FILE):  # (also "… (the folder … does not exist)")
                self._forget_recent(path)
            return False
        name = Path(path).name
        before, stack = self._path, self.session.undo_stack
        self.session.load(doc.problem, doc.iteration, doc.history_by_iteration(), text=f"Open {name}")
        stack.setClean()
        self._set_path(Path(path))
        self._carry_files(before)
        self._status(f"Opened {name}")
        return True

    def save(self) -> bool:
        """File → Save: to the current file, or ask for one."""
        if self._path is None:
            return self.save_as()
        return self.save_path(self._path)

    def save_as(self) -> bool:
        """File → Save As…: choose a file name (``.netviz.json`` is added if no ``.json`` is given)."""
        start = self._path if self._path else self._start_folder() / ("network" + SUFFIX)
        path, _ = QFileDialog.getSaveFileName(self.window, "Save the network", str(start), FILE_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".json"):
            path += SUFFIX
        return self.save_path(path)

    def save_path(self, path: str | os.PathLike[str]) -> bool:
        """Write the session to ``path`` atomically; on failure the old file is untouched."""
        self.player.pause()
        target = Path(path)
        try:
            netviz.io.save_document(target, self.session)
        except (OSError, ValueError) as e:
            reason = getattr(e, "strerror", None) or str(e)
            self._show_error(f"Could not save {target.name}",
                             f"{target.name} could not be saved; the file on disk is unchanged.", reason, str(target))
            return False
        self.session.undo_stack.setClean()
        self._set_path(target)
        self._status(f"Saved {target.name}")
        return True

    def clear_recent(self) -> None:
        self._store.setValue(RECENT_KEY, [])
        self._store.sync()
        self._fill_recent_menu()

    # ---- intent: preferences and recovery -----------------------------------------------------
    def show_preferences(self) -> PreferencesDialog:
        if self.preferences_dialog is None:
            from netviz.ui.preferences_dialog import PreferencesDialog

            self.preferences_dialog = PreferencesDialog(self.settings, self.window)
        self.preferences_dialog.open()
        return self.preferences_dialog

    def offer_recovery(self) -> RecoveryPrompt | None:
        """Offer the newest autosave left by a session that did not exit cleanly (if any)."""
        own = self.autosave.path
        found = [r for r in find_recoverable(self.autosave.directory) if r.path != own]
        if not found or self.recovery_prompt is not None:
            return None
        from netviz.ui.recovery import RecoveryPrompt

        prompt = RecoveryPrompt(found[0], self.window)
        prompt.restoreChosen.connect(self._restore)
        prompt.discardChosen.connect(self._discard)
        prompt.laterChosen.connect(lambda r: self._next_recovery(skip=r))
        self.recovery_prompt = prompt
        prompt.open()
        return prompt

    def _restore(self, recoverable: Recoverable) -> None:
        self.recovery_prompt = None
        before = self._path
        try:
            restore(self.session, recoverable)
        except netviz.io.DocumentError as e:
            self._show_error("Could not restore your work", "The autosaved file is damaged; it was left in place.",
                             f"{e.field}: {e.reason}" if e.field else e.reason, str(e.path))
            return
        self._set_path(recoverable.origin)  # the work's own file, modified (the restore is unsaved)
        self._carry_files(before)  # undoing the restore shows the earlier file again, as for an Open
        self._status("Restored the autosaved work" + (f" of {recoverable.origin.name}" if recoverable.origin else ""))

    def _discard(self, recoverable: Recoverable) -> None:
        recoverable.discard()
        self._next_recovery()

    def _next_recovery(self, skip: Recoverable | None = None) -> None:
        self.recovery_prompt = None
        if skip is None:
            self.offer_recovery()

    # ---- closing: the clean exit ---------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            if not self.confirm_close():
                event.ignore()
                return True
            self.autosave.finish()
        return super().eventFilter(watched, event)

    def confirm_close(self) -> bool:
        """Ask to save unsaved changes (when a person can answer); False cancels the close."""
        if not self.ask_on_close:
            return True
        self.player.pause()  # a run in progress becomes an undo step, so it counts as unsaved
        if not self.dirty:
            return True
        name = self._path.name if self._path else "this network"
        answer = self.ask_to_save(f"Save the changes to {name} before closing?")
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def ask_to_save(self, question: str) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel. Save is the default; Alt+S and Alt+D choose from the keyboard
        (Qt's own buttons here have no mnemonics), and Escape cancels."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(QMessageBox.Icon.Question, "Save changes?", question,
                          buttons.Save | buttons.Discard | buttons.Cancel, self.window)
        for which, text in ((buttons.Save, "&Save"), (buttons.Discard, "&Discard"), (buttons.Cancel, "Cancel")):
            box.button(which).setText(text)
        box.setDefaultButton(buttons.Save)
        box.setEscapeButton(buttons.Cancel)
        try:
            return buttons(box.exec())
        finally:
            box.deleteLater()

    # ---- internals -----------------------------------------------------------------------------
    def _set_path(self, path: Path | None) -> None:
        self._show_path(path)
        if self._path is not None:
            self._remember(self._path)

    def _carry_files(self, before: Path | None) -> None:
        """The newest undo command (an Open or a Restore) carries the file shown before it and the
        one shown after it, for :meth:`_on_undo_index`."""
        stack = self.session.undo_stack
        if stack.index() > 0:
            setattr(stack.command(stack.index() - 1), OPENED, (before, self._path))

    def _on_undo_index(self, index: int) -> None:
        """Undoing an Open (or a Restore) takes the window back to the file it showed before;
        redoing it, forward.

        Otherwise Save after undoing an Open would write the earlier network over the opened file.
        The files ride on the Open commands themselves (``OPENED``), so the undo limit dropping
        old commands cannot confuse them.
        """
        stack = self.session.undo_stack
        if not (isValid(stack) and isValid(self.window)):
            return  # the window is being destroyed: its undo stack clears itself on the way out
        previous, self._undo_index = self._undo_index, index
        if index < previous:  # undone, newest first
            for i in range(previous - 1, index - 1, -1):
                files = getattr(stack.command(i), OPENED, None)
                if files is not None:
                    self._show_path(files[0])
        else:  # redone (or a new command: it carries no files yet)
            for i in range(previous, index):
                files = getattr(stack.command(i), OPENED, None)
                if files is not None:
                    self._show_path(files[1])

    def _show_path(self, path: Path | None) -> None:
        self._path = path.resolve() if path is not None else None
        self.autosave.set_origin(self._path)
        self.window.setWindowFilePath(str(self._path) if self._path else "")
        self._update_title()
        self.pathChanged.emit(str(self._path) if self._path else "")

    def _remember(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if p != str(path)]
        self._store.setValue(RECENT_KEY, [str(path), *recent][:MAX_RECENT])
        self._store.sync()
        self._fill_recent_menu()

    def _forget_recent(self, path: str | os.PathLike[str]) -> None:
        gone = str(Path(path).resolve())
        recent = self.recent_files()
        if gone in recent:
            self._store.setValue(RECENT_KEY, [p for p in recent if p != gone])
            self._store.sync()
            self._fill_recent_menu()

    def _on_clean_changed(self, clean: bool) -> None:
        if not (isValid(self.session.undo_stack) and isValid(self.window)):
            return  # the window is being destroyed: its undo stack clears itself on the way out
        self._update_title()
        self.dirtyChanged.emit(not clean)

    def _update_title(self) -> None:
        dirty = self.dirty
        if self._path is not None:  # Qt shows "[*]" as "*" while the window is modified
            title = f"{self._path.name}[*] — {APP_NAME}"
        elif dirty:
            title = f"Untitled[*] — {self._base_title}"
        else:
            title = self._base_title
        self.window.setWindowTitle(title)
        self.window.setWindowModified(dirty)

    def _show_error(self, title: str, text: str, detail: str, path: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("fileErrorBox")
        box.setInformativeText(detail)
        box.setDetailedText(path)
        if self.message_box is not None:
            self.message_box.close()
        self.message_box = box
        self.messageShown.emit(title, f"{text}\n{detail}")
        box.open()

    def _status(self, text: str) -> None:
        bar = self.window.statusBar()
        if bar is not None:
            bar.showMessage(text, 5000)

    def _on_autosave_failed(self, message: str) -> None:
        self._status(message)

    def _apply_startup_settings(self) -> None:
        s = self.settings
        if s.speed != self.player.speed:
            self.player.set_speed(s.speed)
        commands = getattr(self.window, "commands", None)
        log_action = getattr(commands, "log_y", None)
        if s.log_scale and log_action is not None and not log_action.isChecked():
            log_action.setChecked(True)
        self._apply_theme(s.theme)  # "system" too: it follows the desktop's colour scheme
        self._apply_tooltip_digits()

    def _remember_speed(self, index: int) -> None:
        if self.settings.speed != index:
            self.settings.speed = index

    def _remember_log_scale(self, on: bool) -> None:
        if self.settings.log_scale != on:
            self.settings.log_scale = on

    def _apply_setting(self, key: str) -> None:
        s = self.settings
        if key == "playback/speed" and not self.player.playing:
            self.player.set_speed(s.speed)
        elif key == "plot/log_scale":
            log_action = getattr(getattr(self.window, "commands", None), "log_y", None)
            if log_action is not None:
                log_action.setChecked(s.log_scale)
        elif key == "appearance/theme":
            self._apply_theme(s.theme)
        elif key == "display/tooltip_decimals":
            self._apply_tooltip_digits()

    def _apply_tooltip_digits(self) -> None:
        set_digits = getattr(self.window, "set_tooltip_digits", None)
        if set_digits is not None:
            set_digits(self.settings.tooltip_decimals)

    def _apply_theme(self, theme: str) -> None:
        """Style sheet, QPalette and the diagram's and plot's colours, all through style.apply_theme."""
        from netviz.ui.style import DEFAULT_STYLE, apply_theme

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        try:
            apply_theme(app, theme)
        except FileNotFoundError:
            apply_theme(app, DEFAULT_STYLE)
            self._status(f"The {theme} theme is not part of this build; using the default one")
