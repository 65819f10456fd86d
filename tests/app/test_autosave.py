"""Autosave and recovery, including a real process killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from netviz.app.autosave import Autosave, find_recoverable, restore
from netviz.app.player import SPEEDS, Player
from netviz.app.session import Session
from netviz.io.document import DocumentError, load_document
from netviz.model import Problem
from tests.model.closed_form import lecture_note_values

CHILD = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QCoreApplication, QTimer
    from netviz.app.autosave import Autosave
    from netviz.app.session import Session

    app = QCoreApplication([])
    folder, mode = sys.argv[1], sys.argv[2]
    session = Session()
    autosave = Autosave(session, folder, edit_delay_ms=50, training_interval_ms=50)

    def saved(path):
        print("saved", path, flush=True)
        if mode == "clean":
            autosave.finish()
            print("finished", flush=True)
            app.quit()

    session.set_value("w5", "0.3")  # saved at once
    session.train(7)  # these two follow within the delay: saved together a moment later
    session.set_value("x1", "-1,25")
    assert autosave.pending
    autosave.saved.connect(saved)
    app.exec()
""")


def start_child(folder: Path, mode: str) -> tuple[subprocess.Popen[str], Path]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), mode], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the child has written its autosave (or died)
    if not line.startswith("saved "):
        proc.kill()
        raise AssertionError(f"child did not autosave: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    path = Path(line.split(" ", 1)[1].strip())
    assert path.parent == folder
    assert mode == "clean" or path.exists()
    return proc, path


def expected_values() -> tuple[dict[str, float], list[float]]:
    """The child's state, computed independently: w5 = 0.3, 7 iterations, then x1 = −1.25."""
    names = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
    v = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.3, w6=0.45, b1=0.35, b2=0.35, b3=0.60,
             x1=0.05, x2=0.10, t=0.50, eta=0.5)
    losses = []
    for _ in range(7):
        vals = lecture_note_values(**v)
        losses.append(vals["E"])
        v.update({p: vals[f"{p}_new"] for p in names})
    v["x1"] = -1.25
    losses.append(lecture_note_values(**v)["E"])  # the edit updates the current point
    return v, losses


def test_a_killed_process_is_recovered_with_exact_values(qtbot: QtBot, tmp_path: Path) -> None:
    proc, path = start_child(tmp_path, "wait")
    try:
        assert find_recoverable(tmp_path) == []  # its owner is still running: not offered
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    found = find_recoverable(tmp_path)
    assert [r.path for r in found] == [path]

    want, losses = expected_values()
    session = Session()
    restore(session, found[0])
    for name, value in want.items():
        assert session.problem.value(name) == pytest.approx(value, rel=1e-13), name
    assert session.problem.value("x1") == -1.25 and session.problem.value("w1") != 0.15
    assert session.iteration == 7
    assert session.history.values.tolist() == pytest.approx(losses, rel=1e-13)
    assert session.undo_stack.undoText() == "Restore autosaved work"
    assert find_recoverable(tmp_path) == [] and not path.exists()
    session.undo_stack.undo()
    assert session.problem == Problem.lecture_note()


def test_after_a_clean_exit_nothing_is_offered(tmp_path: Path) -> None:
    proc, path = start_child(tmp_path, "clean")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out.strip() == "finished"
    assert not path.exists()
    assert find_recoverable(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == []


def test_changes_are_saved_once_after_the_delay(qtbot: QtBot, tmp_path: Path) -> None:
    session = Session()
    autosave = Autosave(session, tmp_path, edit_delay_ms=100)
    saves: list[str] = []
    autosave.saved.connect(saves.append)
    assert autosave.path is None and list(tmp_path.iterdir()) == []  # nothing changed yet
    session.set_value("w1", "1")
    assert len(saves) == 1 and not autosave.pending  # the first change is saved at once
    assert load_document(saves[0]).problem.value("w1") == 1.0
    with qtbot.waitSignal(autosave.saved, timeout=5000):
        session.set_value("w2", "2")  # changes in quick succession are saved together
        session.set_value("eta", "0,25")
        assert autosave.pending and len(saves) == 1
    assert len(saves) == 2
    doc = load_document(saves[-1])
    assert (doc.problem.value("w1"), doc.problem.value("w2"), doc.problem.learning_rate) == (1.0, 2.0, 0.25)
    with qtbot.waitSignal(autosave.saved, timeout=5000):
        session.undo_stack.undo()  # an undo is a change too
    assert load_document(saves[-1]).problem.learning_rate == 0.5
    autosave.finish()


def test_training_is_saved_every_few_seconds_while_it_runs(qtbot: QtBot, tmp_path: Path) -> None:
    session = Session()
    player = Player(session)
    player.set_speed(len(SPEEDS) - 1)
    autosave = Autosave(session, tmp_path, edit_delay_ms=50, training_interval_ms=150)
    player.play()
    with qtbot.waitSignal(autosave.saved, timeout=5000) as first:
        pass
    assert player.playing  # saved while still training
    doc = load_document(first.args[0])
    assert doc.iteration > 0 and len(doc.loss_history) == doc.iteration + 1
    player.pause()
    qtbot.waitUntil(lambda: not autosave.pending, timeout=5000)
    assert load_document(first.args[0]).iteration == session.iteration
    autosave.finish()


def test_finish_removes_the_file_and_stops_saving(qtbot: QtBot, tmp_path: Path) -> None:
    session = Session()
    autosave = Autosave(session, tmp_path, edit_delay_ms=10)
    with qtbot.waitSignal(autosave.saved):
        session.set_value("w1", "3")
    autosave.finish()
    assert list(tmp_path.iterdir()) == []
    session.set_value("w1", "4")
    assert autosave.save_now() is True  # finished: nothing to do
    assert list(tmp_path.iterdir()) == []


def test_two_running_sessions_use_separate_slots_and_are_not_offered(qtbot: QtBot, tmp_path: Path) -> None:
    a, b = Session(), Session()
    sa, sb = Autosave(a, tmp_path, edit_delay_ms=10), Autosave(b, tmp_path, edit_delay_ms=10)
    a.set_value("w1", "1")
    b.set_value("w1", "2")
    assert sa.save_now() and sb.save_now()
    assert sa.path != sb.path
    assert load_document(sa.path).problem.value("w1") == 1.0  # type: ignore[arg-type]
    assert load_document(sb.path).problem.value("w1") == 2.0  # type: ignore[arg-type]
    assert find_recoverable(tmp_path) == []
    sa.finish()
    sb.finish()


def test_unwritable_folder_reports_once(qtbot: QtBot, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    session = Session()
    autosave = Autosave(session, blocker / "autosave", edit_delay_ms=10)
    messages: list[str] = []
    autosave.failed.connect(messages.append)
    session.set_value("w1", "1")
    assert autosave.save_now() is False
    session.set_value("w1", "2")
    assert autosave.save_now() is False
    assert messages == [f"Could not autosave to {blocker}/autosave: {blocker} is a file, not a folder"]


def test_an_autosave_folder_that_is_a_file_is_named_so(qtbot: QtBot, tmp_path: Path) -> None:
    """NETVIZ_AUTOSAVE_DIR naming a file said only "File exists"."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    session = Session()
    autosave = Autosave(session, blocker, edit_delay_ms=10)
    messages: list[str] = []
    autosave.failed.connect(messages.append)
    session.set_value("w1", "1")
    assert autosave.save_now() is False
    assert messages == [f"Could not autosave to {blocker}: {blocker} is a file, not a folder"]
    assert blocker.read_text() == "x"


def test_a_damaged_autosave_is_reported_and_the_session_kept(qtbot: QtBot, tmp_path: Path) -> None:
    damaged = tmp_path / "autosave-1.netviz.json"
    damaged.write_text('{"format": "netviz", "format_version": 1, "parame')
    found = find_recoverable(tmp_path)
    assert [r.path for r in found] == [damaged]
    session = Session()
    session.set_value("w1", "5")
    with pytest.raises(DocumentError, match=r"autosave-1\.netviz\.json: truncated JSON"):
        restore(session, found[0])
    assert session.problem.value("w1") == 5.0 and session.undo_stack.count() == 1
    assert damaged.exists()
    found[0].discard()
    assert find_recoverable(tmp_path) == [] and list(tmp_path.iterdir()) == []


def test_a_new_session_does_not_overwrite_an_unrecovered_autosave(qtbot: QtBot, tmp_path: Path) -> None:
    proc, path = start_child(tmp_path, "wait")
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    before = path.read_bytes()
    session = Session()
    autosave = Autosave(session, tmp_path, edit_delay_ms=10)
    session.set_value("w1", "9")
    assert autosave.save_now()
    assert autosave.path != path and path.read_bytes() == before
    assert [r.path for r in find_recoverable(tmp_path)] == [path]
    autosave.finish()
