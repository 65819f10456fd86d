"""File menu, recent files, error dialogs, the clean exit, crash recovery and preferences, in the real window."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from netviz.app.autosave import find_recoverable
from netviz.app.player import DEFAULT_SPEED, SPEEDS
from netviz.io import document
from netviz.io.document import document_from_state, load_document, save_document
from netviz.model import Problem
from netviz.ui.file_controller import FileController
from netviz.ui.main_window import MainWindow
from tests.model.closed_form import lecture_note_values

DATA = Path(__file__).resolve().parents[1] / "data" / "files"
EXPECTED: dict[str, str] = json.loads((DATA / "bad" / "_expected.json").read_text(encoding="utf-8"))


@dataclass
class App:
    window: MainWindow
    files: FileController
    autosave_dir: Path

    @property
    def session(self):  # type: ignore[no-untyped-def]
        return self.window.session

    def state(self) -> tuple[object, ...]:
        s = self.session
        return s.problem.values(), s.iteration, tuple(s.history.values.tolist()), s.undo_stack.count()


def make_app(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> App:
    folder = tmp_path / "autosave"
    monkeypatch.setenv("NETVIZ_AUTOSAVE_DIR", str(folder))
    window = MainWindow(remember_geometry=False)
    qtbot.addWidget(window)
    files = getattr(window, "files", None) or FileController(window)
    files.ask_on_close = False
    window.show()
    qtbot.waitExposed(window)
    return App(window, files, folder)


@pytest.fixture
def app(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    a = make_app(qtbot, tmp_path, monkeypatch)
    yield a
    a.window.close()


def choose(monkeypatch: pytest.MonkeyPatch, which: str, path: Path | str) -> None:
    """The file dialog answers with ``path`` (as if the user picked it)."""
    monkeypatch.setattr(QFileDialog, which, staticmethod(lambda *a, **k: (str(path), "")))


# ---- menus --------------------------------------------------------------------------------------

def test_file_menu_has_open_recent_save_save_as_with_standard_shortcuts(app: App) -> None:
    texts = [a.text() for a in app.window.file_menu.actions()]
    assert texts[:4] == ["&Open…", "Open &Recent", "&Save", "Save &As…"]
    assert texts[-1] == "&Quit"
    f = app.files
    assert f.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert f.save_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert f.save_as_action.shortcut() == QKeySequence(QKeySequence.StandardKey.SaveAs)
    assert f.preferences_action in app.window.edit_menu.actions()


# ---- save and open ------------------------------------------------------------------------------

def test_save_as_then_open_round_trip_through_the_menus(app: App, qtbot: QtBot, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    s = app.session
    s.set_value("w5", "0,3")
    s.train(20)
    assert app.window.windowTitle().startswith("Untitled[*]") and app.window.isWindowModified()
    choose(monkeypatch, "getSaveFileName", tmp_path / "lesson")  # no suffix typed: .netviz.json is added
    app.files.save_as_action.trigger()
    saved = tmp_path / "lesson.netviz.json"
    doc = load_document(saved)
    assert doc.problem == s.problem and doc.iteration == 20 and len(doc.loss_history) == 21
    assert app.window.windowTitle() == "lesson.netviz.json[*] — netviz"
    assert not app.files.dirty and not app.window.isWindowModified()

    s.set_value("w1", "2")
    assert app.window.windowTitle() == "lesson.netviz.json[*] — netviz" and app.window.isWindowModified()
    s.reset()
    choose(monkeypatch, "getOpenFileName", saved)
    app.files.open_action.trigger()
    assert s.problem.value("w5") != 0.4 and s.iteration == 20
    assert s.history.values.tolist() == list(doc.loss_history)
    assert s.undo_stack.undoText() == "Open lesson.netviz.json"
    assert app.window.windowTitle() == "lesson.netviz.json[*] — netviz" and not app.window.isWindowModified()
    s.undo_stack.undo()  # opening is undoable
    assert s.problem == Problem.lecture_note() and s.iteration == 0


def test_a_long_run_reopens_with_one_loss_per_iteration(app: App, tmp_path: Path) -> None:
    s = app.session
    s.train(document.MAX_HISTORY_POINTS + 10)  # saved thinned, every 2nd iteration
    before = s.history.values.copy()
    path = tmp_path / "long.netviz.json"
    assert app.files.save_path(path)
    assert load_document(path).loss_history_stride == 2
    s.reset()
    assert app.files.open_path(path)
    after = s.history.values
    assert len(after) == len(before) == s.iteration + 1
    assert (after[::2] == before[::2]).all() and (after[1::2] == before[:-1:2]).all()


def test_save_writes_to_the_current_file_without_asking(app: App, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.netviz.json"
    assert app.files.save_path(path)

    def no_dialog(*args: object, **kwargs: object) -> tuple[str, str]:
        raise AssertionError("Save asked for a file name although there is one")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(no_dialog))
    app.session.set_value("x2", "-0.5")
    app.files.save_action.trigger()
    assert load_document(path).problem.value("x2") == -0.5


def test_undoing_an_open_goes_back_to_the_file_shown_before(app: App, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    s = app.session
    mine, lesson = tmp_path / "mine.netviz.json", tmp_path / "lesson.netviz.json"
    s.set_value("w1", "2")
    assert app.files.save_path(mine)
    other = Problem.lecture_note().with_value("w5", -1.0)
    save_document(lesson, document_from_state(other, 0, [0.1]))
    lesson_bytes = lesson.read_bytes()
    assert app.files.open_path(lesson)
    assert app.files.path == lesson.resolve() and s.problem.value("w5") == -1.0

    s.undo_stack.undo()  # back to mine's network, and to mine
    assert s.problem.value("w1") == 2.0 and s.problem.value("w5") == 0.4
    assert app.files.path == mine.resolve()
    assert app.window.windowTitle() == "mine.netviz.json[*] — netviz"
    s.set_value("w2", "3")
    app.files.save_action.trigger()  # saves into mine, never over the lesson
    assert lesson.read_bytes() == lesson_bytes
    assert load_document(mine).problem.value("w2") == 3.0

    s.undo_stack.undo()
    s.undo_stack.redo()  # w2 = 3 again
    s.undo_stack.redo()  # nothing left to redo: pushing w2 = 3 dropped the Open
    assert app.files.path == mine.resolve()
    s.undo_stack.undo()
    s.undo_stack.undo()  # before the first save: no Open was undone, the file stays
    assert app.files.path == mine.resolve()


def test_redoing_an_open_shows_its_file_again(app: App, tmp_path: Path) -> None:
    s = app.session
    lesson = tmp_path / "lesson.netviz.json"
    save_document(lesson, document_from_state(Problem.lecture_note().with_value("w5", -1.0), 0, [0.1]))
    assert app.files.open_path(lesson)
    s.undo_stack.undo()
    assert app.files.path is None and app.window.windowTitle().startswith("Untitled[*]")
    s.undo_stack.redo()
    assert app.files.path == lesson.resolve() and s.problem.value("w5") == -1.0
    assert app.window.windowTitle() == "lesson.netviz.json[*] — netviz"


def test_a_cancelled_dialog_changes_nothing(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    choose(monkeypatch, "getOpenFileName", "")
    before = app.state()
    app.files.open_action.trigger()
    assert app.state() == before and app.files.path is None


@pytest.mark.parametrize("name", ["truncated.netviz.json", "nan.netviz.json", "string_weight.netviz.json",
                                  "list.netviz.json", "not_utf8.netviz.json", "unknown_key.netviz.json",
                                  "huge_size.netviz.json", "newer_version.netviz.json"])
def test_a_bad_file_shows_a_dialog_naming_file_and_field_and_keeps_the_network(
        app: App, qtbot: QtBot, name: str) -> None:
    app.session.set_value("w1", "1.5")
    app.session.train(3)
    before = app.state()
    with qtbot.waitSignal(app.files.messageShown) as shown:
        assert app.files.open_path(DATA / "bad" / name) is False
    box = app.files.message_box
    assert box is not None and box.isVisible()
    assert box.windowTitle() == f"Could not open {name}"
    assert name in box.text() and "unchanged" in box.text()
    assert box.informativeText() == EXPECTED[name]  # the field and the reason
    assert shown.args[0] == f"Could not open {name}"
    assert app.state() == before
    assert app.files.path is None
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_failed_save_shows_why_and_leaves_the_old_file(app: App, qtbot: QtBot, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "keep.netviz.json"
    shutil.copy(DATA / "good" / "trained_1000.netviz.json", path)
    before = path.read_bytes()
    app.session.set_value("w1", "7")

    def full_disk(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(document.os, "replace", full_disk)
    assert app.files.save_path(path) is False
    box = app.files.message_box
    assert box is not None and box.isVisible()
    assert "keep.netviz.json" in box.text() and box.informativeText() == "No space left on device"
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["keep.netviz.json"]
    assert app.files.dirty and app.files.path is None


def test_a_save_into_a_missing_folder_says_which_folder(app: App, qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "gone" / "lesson.netviz.json"
    app.session.set_value("w1", "7")
    assert app.files.save_path(target) is False
    box = app.files.message_box
    assert box is not None and box.isVisible()
    assert box.informativeText() == f"the folder {tmp_path / 'gone'} does not exist"
    assert not (tmp_path / "gone").exists() and app.files.dirty
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible())


def test_a_bad_file_named_on_the_command_line_is_reported_in_the_terminal_too(
        app: App, qtbot: QtBot, capsys: pytest.CaptureFixture[str]) -> None:
    """`netviz bad.netviz.json`: the window says why (and keeps the lecture note), and so does a
    line on stderr, for whoever started it from a terminal."""
    from netviz.ui.launch import _open_from_command_line

    before = app.state()
    bad = DATA / "bad" / "truncated.netviz.json"
    _open_from_command_line(app.files, str(bad))
    err = capsys.readouterr().err
    assert err == (f"netviz: could not open {bad}: {EXPECTED['truncated.netviz.json']}; "
                   "the window shows the lecture note's network\n")
    assert app.state() == before and app.files.path is None
    box = app.files.message_box
    assert box is not None and box.isVisible()
    # no network of the user's is open yet: the dialog says what the window shows instead
    assert box.text() == "truncated.netviz.json could not be opened; the window shows the lecture note's network."
    box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not box.isVisible())
    _open_from_command_line(app.files, str(DATA / "good" / "edited.netviz.json"))
    assert capsys.readouterr().err == "" and app.files.open_error is None


# ---- recent files -------------------------------------------------------------------------------

def test_open_recent_lists_newest_first_and_opens(app: App, qtbot: QtBot, tmp_path: Path) -> None:
    names = ["lecture_note.netviz.json", "edited.netviz.json", "net_2_3_2_after_5.netviz.json"]
    for name in names:
        shutil.copy(DATA / "good" / name, tmp_path / name)
        assert app.files.open_path(tmp_path / name)
    menu = app.files.recent_menu
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if a.data()]
    assert [a.text() for a in entries] == [f"&{i} {n}" for i, n in enumerate(reversed(names), start=1)]
    entries[1].trigger()  # edited.netviz.json
    assert app.session.problem.value("w5") == 0.3 and app.session.problem.value("x2") == -2.0
    assert app.files.recent_files()[0].endswith("edited.netviz.json")
    # The list survives a restart (it is stored with the settings).
    again = FileController(app.window, store=app.files.settings.store, offer_recovery=False)
    assert again.recent_files() == app.files.recent_files()


def test_a_recent_file_that_is_gone_is_reported_and_forgotten(app: App, tmp_path: Path) -> None:
    path = tmp_path / "gone.netviz.json"
    shutil.copy(DATA / "good" / "edited.netviz.json", path)
    app.files.open_path(path)
    path.unlink()
    assert app.files.open_path(path) is False
    assert app.files.message_box is not None and app.files.message_box.informativeText() == "no such file"
    assert app.files.recent_files() == []
    app.files.clear_recent()
    assert app.files.recent_files() == [] and not app.files.clear_recent_action.isEnabled()


def test_a_recent_file_whose_folder_is_gone_is_forgotten_too(app: App, tmp_path: Path) -> None:
    """The message names the missing folder ("no such file (the folder … does not exist)")."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    path = folder / "gone.netviz.json"
    shutil.copy(DATA / "good" / "edited.netviz.json", path)
    app.files.open_path(path)
    assert app.files.recent_files() == [str(path)]
    shutil.rmtree(folder)
    assert app.files.open_path(path) is False
    box = app.files.message_box
    assert box is not None and box.informativeText() == f"no such file (the folder {folder} does not exist)"
    assert app.files.recent_files() == []


# ---- clean exit and recovery ---------------------------------------------------------------------

def test_closing_the_window_is_a_clean_exit(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = make_app(qtbot, tmp_path, monkeypatch)
    a.files.autosave._edit_delay = 10
    with qtbot.waitSignal(a.files.autosave.saved, timeout=5000):
        a.session.set_value("w1", "3")
    assert list(a.autosave_dir.glob("autosave-*.netviz.json"))
    a.window.close()
    assert not a.window.isVisible()
    assert list(a.autosave_dir.glob("autosave-*")) == []
    assert find_recoverable(a.autosave_dir) == []


def _orphan(folder: Path, **values: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    problem = Problem.lecture_note()
    for name, v in values.items():
        problem = problem.with_value(name, v)
    path = folder / "autosave-7.netviz.json"
    save_document(path, document_from_state(problem, 4, [0.3, 0.29, 0.28, 0.27, 0.26]))
    return path


def test_recovery_prompt_restores_the_autosave(app: App, qtbot: QtBot) -> None:
    orphan = _orphan(app.autosave_dir, w6=-0.75, t=0.1)
    prompt = app.files.offer_recovery()
    assert prompt is not None and prompt.isVisible()
    assert prompt.windowTitle() == "Restore unsaved work?"
    assert "not yet saved to a file" in prompt.informativeText()  # an orphan with no origin note
    app.window.grab().save(str(app.autosave_dir.parent / "window.png"))
    prompt.grab().save(str(app.autosave_dir.parent / "recovery.png"))
    qtbot.mouseClick(prompt.restore_button, Qt.MouseButton.LeftButton)
    s = app.session
    assert s.problem.value("w6") == -0.75 and s.problem.value("t") == 0.1 and s.iteration == 4
    assert s.history.values.tolist() == [0.3, 0.29, 0.28, 0.27, 0.26]
    assert s.trace.values["E"] == pytest.approx(lecture_note_values(w6=-0.75, t=0.1)["E"], rel=1e-14)
    assert not orphan.exists()
    assert app.files.dirty and app.window.windowTitle().startswith("Untitled[*]")



def test_undoing_a_restore_goes_back_to_the_file_shown_before(app: App, qtbot: QtBot, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A restore names the work's own file; undone, Save wrote the lecture note over that file."""
    lesson = tmp_path / "lesson.netviz.json"
    save_document(lesson, document_from_state(Problem.lecture_note().with_value("w5", 0.3), 0, []))
    orphan = _orphan(app.autosave_dir, w5=0.77)
    orphan.with_name("autosave-7.origin.json").write_text(json.dumps({"file": str(lesson)}))
    prompt = app.files.offer_recovery()
    assert prompt is not None
    qtbot.mouseClick(prompt.restore_button, Qt.MouseButton.LeftButton)
    s = app.session
    assert s.problem.value("w5") == 0.77 and app.files.path == lesson
    s.undo_stack.undo()
    assert s.problem.value("w5") == Problem.lecture_note().value("w5")
    assert app.files.path is None and "lesson" not in app.window.windowTitle()
    choose(monkeypatch, "getSaveFileName", "")  # Save now asks for a name; the user cancels
    assert app.files.save() is False
    assert load_document(lesson).problem.value("w5") == 0.3  # the file is untouched
    s.undo_stack.redo()
    assert s.problem.value("w5") == 0.77 and app.files.path == lesson

def test_recovery_prompt_discard_and_not_now(app: App, qtbot: QtBot) -> None:
    orphan = _orphan(app.autosave_dir, w1=9.0)
    before = app.state()
    prompt = app.files.offer_recovery()
    assert prompt is not None
    qtbot.mouseClick(prompt.later_button, Qt.MouseButton.LeftButton)
    assert orphan.exists() and app.state() == before  # asked again next time
    prompt = app.files.offer_recovery()
    assert prompt is not None
    qtbot.mouseClick(prompt.discard_button, Qt.MouseButton.LeftButton)
    assert not orphan.exists() and app.state() == before
    assert app.files.offer_recovery() is None


def test_nothing_is_offered_when_nothing_was_left(app: App) -> None:
    assert app.files.offer_recovery() is None and app.files.recovery_prompt is None


def test_unsaved_changes_ask_before_closing(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = make_app(qtbot, tmp_path, monkeypatch)
    a.files.ask_on_close = True
    a.session.set_value("w1", "3")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(FileController, "ask_to_save", lambda self, question: answers.pop(0))
    choose(monkeypatch, "getSaveFileName", tmp_path / "closing.netviz.json")
    a.window.close()
    assert a.window.isVisible()  # Cancel keeps the window
    a.window.close()
    assert not a.window.isVisible()
    assert load_document(tmp_path / "closing.netviz.json").problem.value("w1") == 3.0



def test_the_save_changes_question_answers_from_the_keyboard(qtbot: QtBot, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    a = make_app(qtbot, tmp_path, monkeypatch)
    a.files.ask_on_close = True
    a.session.set_value("w1", "3")
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)  # not shown yet
            return
        seen["texts"] = sorted(b.text() for b in box.buttons())
        seen["default"] = box.defaultButton() is box.button(QMessageBox.StandardButton.Save)
        seen["escape"] = box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
        box.activateWindow()
        try:
            qtbot.waitUntil(box.isActiveWindow, timeout=2000)
            qtbot.keyClick(box, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Alt+D: Discard
            qtbot.waitUntil(lambda: not box.isVisible(), timeout=2000)  # a mnemonic clicks after a moment
        finally:
            if box.isVisible():  # the key did nothing: end the question (as Cancel) so the test fails, not hangs
                seen["key ignored"] = True
                box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    closing = a.files.confirm_close()
    a.files.ask_on_close = False  # the work is still unsaved: closing the window at teardown must not ask
    assert closing is True
    assert seen == {"texts": ["&Discard", "&Save", "Cancel"], "default": True, "escape": True}

# ---- preferences -------------------------------------------------------------------------------

def test_preferences_dialog_applies_persists_and_restores_defaults(app: App, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = app.files.show_preferences()
    qtbot.waitExposed(dialog)
    dialog.speed.setCurrentIndex(len(SPEEDS) - 1)
    dialog.decimals.setValue(6)
    dialog.log_scale.setChecked(True)
    dialog.grab().save(str(tmp_path / "preferences.png"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert app.window.player.speed == len(SPEEDS) - 1
    assert app.window.commands.log_y.isChecked()
    store = app.files.settings.store
    assert isinstance(store, QSettings)
    from netviz.app.settings import Settings

    stored = Settings(QSettings(store.fileName(), store.format())).values()
    assert stored["speed"] == len(SPEEDS) - 1 and stored["tooltip_decimals"] == 6 and stored["log_scale"] is True

    # A new window starts with them.
    second = MainWindow(remember_geometry=False)
    qtbot.addWidget(second)
    files2 = getattr(second, "files", None) or FileController(second, offer_recovery=False)
    assert second.player.speed == len(SPEEDS) - 1 and second.commands.log_y.isChecked()
    files2.ask_on_close = False
    second.close()

    dialog = app.files.show_preferences()
    dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    assert dialog.speed.currentIndex() == DEFAULT_SPEED and not dialog.log_scale.isChecked()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert app.files.settings.values() == {"speed": DEFAULT_SPEED, "tooltip_decimals": 17, "log_scale": False,
                                           "theme": "system"}
    assert app.window.player.speed == DEFAULT_SPEED and not app.window.commands.log_y.isChecked()


def test_preferences_cancel_changes_nothing(app: App, qtbot: QtBot) -> None:
    before = app.files.settings.values()
    dialog = app.files.show_preferences()
    dialog.speed.setCurrentIndex(0)
    dialog.log_scale.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert app.files.settings.values() == before
    assert app.window.player.speed == DEFAULT_SPEED


WINDOW_CHILD = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from netviz.ui.file_controller import FileController
from netviz.ui.main_window import MainWindow

window = MainWindow(remember_geometry=False)
files = getattr(window, "files", None) or FileController(window)
window.show()
window.session.set_value("w3", "-0,625")
window.session.train(12)
window.session.set_value("t", "0.125")
files.autosave.saved.connect(lambda path: print("saved", path, flush=True))
app.exec()
"""


def test_a_killed_window_is_offered_and_restored_in_the_next_one(qtbot: QtBot, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal
    import subprocess
    import sys

    folder = tmp_path / "autosave"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NETVIZ_AUTOSAVE_DIR=str(folder),
               XDG_CONFIG_HOME=str(tmp_path / "config"), PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", WINDOW_CHILD], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout is not None
    line = proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    assert line.startswith("saved "), err

    a = make_app(qtbot, tmp_path, monkeypatch)  # the next start, same autosave folder
    prompt = a.files.offer_recovery()
    assert prompt is not None and prompt.isVisible()
    qtbot.mouseClick(prompt.restore_button, Qt.MouseButton.LeftButton)
    s = a.session
    assert s.problem.value("t") == 0.125 and s.iteration == 12 and len(s.history) == 13
    names = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
    v = dict(w1=0.15, w2=0.20, w3=-0.625, w4=0.30, w5=0.40, w6=0.45, b1=0.35, b2=0.35, b3=0.60,
             x1=0.05, x2=0.10, t=0.50, eta=0.5)
    for _ in range(12):
        vals = lecture_note_values(**v)
        v.update({p: vals[f"{p}_new"] for p in names})
    for p in names:
        assert s.problem.value(p) == pytest.approx(v[p], rel=1e-13), p
    assert find_recoverable(folder) == []
    a.window.close()
    assert list(folder.glob("autosave-*")) == []  # and this clean exit leaves nothing to offer


def test_closing_while_training_asks_to_save_the_run(qtbot: QtBot, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    a = make_app(qtbot, tmp_path, monkeypatch)
    a.files.ask_on_close = True
    asked: list[str] = []

    def question(self: FileController, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(FileController, "ask_to_save", question)
    a.window.player.set_speed(len(SPEEDS) - 1)
    a.window.player.play()
    qtbot.waitUntil(lambda: a.session.iteration > 20, timeout=5000)
    a.window.close()
    assert asked == ["Save the changes to this network before closing?"]
    assert not a.window.isVisible() and not a.window.player.playing
    assert list(a.autosave_dir.glob("autosave-*")) == []  # discarded on purpose: a clean exit


def test_closing_without_changes_does_not_ask(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a = make_app(qtbot, tmp_path, monkeypatch)
    a.files.ask_on_close = True

    def question(self: FileController, text: str) -> QMessageBox.StandardButton:
        raise AssertionError("asked although nothing changed")

    monkeypatch.setattr(FileController, "ask_to_save", question)
    a.session.step()  # moving through the lesson is not a change
    a.window.close()
    assert not a.window.isVisible()


def test_tooltip_digits_preference_reaches_the_diagram_and_the_table(app: App, qtbot: QtBot) -> None:
    h1 = lecture_note_values()["h1"]
    node = app.window.diagram.node("h1")
    table = app.window.values_table
    row = table.values_model.row_of("h1")
    index = table.values_model.index(row, 0)

    def tips() -> tuple[str, str]:
        app.window.diagram.diagram.refresh_tooltips()
        return node.toolTip(), str(table.values_model.data(index, Qt.ItemDataRole.ToolTipRole))

    assert all(repr(h1) in tip for tip in tips())  # the default: every digit
    dialog = app.files.show_preferences()
    dialog.decimals.setValue(5)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    short = f"{h1:.5g}"
    assert short != repr(h1) and len(short) == 7  # 0.59327
    for tip in tips():
        assert short in tip and repr(h1) not in tip
    dialog = app.files.show_preferences()
    dialog.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).click()
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert all(repr(h1) in tip for tip in tips())


def test_saved_work_leaves_no_autosave_and_a_restore_keeps_its_file_name(app: App, qtbot: QtBot,
                                                                         tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.netviz.json"
    s = app.session
    s.set_value("w5", "0.3")  # untitled work: autosaved, belonging to no file
    assert app.files.autosave.save_now() or not app.files.autosave.pending
    slot = app.files.autosave.path
    assert slot is not None and slot.exists()
    note = slot.with_name(slot.name.replace(".netviz.json", ".origin.json"))
    assert json.loads(note.read_text()) == {"file": None}

    assert app.files.save_path(lesson)
    assert not slot.exists() and not note.exists()  # the file holds this work: a crash loses nothing
    assert find_recoverable(app.autosave_dir) == []

    s.set_value("w6", "-0.5")  # a change after saving is autosaved again, naming its file
    app.files.autosave.save_now()
    assert slot.exists() and json.loads(note.read_text()) == {"file": str(lesson.resolve())}

    # As if this window had been killed: its slot left behind without a running owner.
    orphan = app.autosave_dir / "autosave-9.netviz.json"
    shutil.copy(slot, orphan)
    shutil.copy(note, orphan.with_name("autosave-9.origin.json"))
    found = [r for r in find_recoverable(app.autosave_dir) if r.path == orphan]
    assert found and found[0].origin == lesson.resolve()

    s.undo_stack.setIndex(0)  # back to the lecture note, so the restore visibly changes things
    prompt = app.files.offer_recovery()
    assert prompt is not None
    assert "Your unsaved changes to lesson.netviz.json were kept automatically" in prompt.informativeText()
    assert f"File: {lesson.resolve()}" in prompt.detailedText()
    qtbot.mouseClick(prompt.restore_button, Qt.MouseButton.LeftButton)
    assert s.problem.value("w5") == 0.3 and s.problem.value("w6") == -0.5
    assert app.files.path == lesson.resolve() and app.files.dirty  # its own file, with unsaved changes
    assert app.window.windowTitle().startswith("lesson.netviz.json[*]")
    assert not orphan.exists() and not orphan.with_name("autosave-9.origin.json").exists()
    saved = load_document(lesson).problem  # the file itself still holds what was saved
    assert (saved.value("w5"), saved.value("w6")) == (0.3, 0.45)


def test_the_toolbars_speed_and_log_axis_are_remembered(app: App, qtbot: QtBot) -> None:
    w = app.window
    w.speed_combo.setCurrentIndex(1)  # as a user picks it on the toolbar
    w.commands.log_y.trigger()
    assert app.files.settings.speed == 1 and app.files.settings.log_scale is True
    second = MainWindow(remember_geometry=False)  # the next start
    qtbot.addWidget(second)
    files2 = getattr(second, "files", None) or FileController(second, offer_recovery=False)
    files2.ask_on_close = False
    assert second.player.speed == 1 and second.speed_combo.currentIndex() == 1
    assert second.commands.log_y.isChecked() and second.loss_plot.log_y
    second.close()


def test_open_and_save_as_start_where_the_work_is(app: App, qtbot: QtBot, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Not in the folder netviz happened to be started from: the current file's folder, else the
    last file's, else Documents (or home)."""
    from PySide6.QtCore import QStandardPaths

    asked: list[str] = []

    def answer(result: Path | str):  # type: ignore[no-untyped-def]
        def dialog(parent, caption, start, *rest, **options):  # type: ignore[no-untyped-def]
            asked.append(start)
            return str(result), ""
        return staticmethod(dialog)

    app.files.clear_recent()
    started_in = tmp_path / "started here"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer(lessons / "one"))
    assert app.files.save_as()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert Path(asked[-1]).parent in {Path(documents), Path.home()}
    assert Path(asked[-1]).name == "network.netviz.json"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer(""))
    app.files.open()
    assert asked[-1] == str(lessons)  # the current file's folder
    second = make_app(qtbot, tmp_path, monkeypatch)  # a new window: no file yet, the recent list kept
    second.files.open()
    assert asked[-1] == str(lessons)  # the last file's folder
    second.window.close()
