"""The player: elapsed-time stepping, full-speed training in frame-sized batches, nothing when paused."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from netviz.app.player import SPEEDS, Player
from netviz.app.session import Session
from netviz.model import Problem
from netviz.model.display import fmt_count


def _fastest_animated() -> int:
    return min((i for i, s in enumerate(SPEEDS) if s.step_ms), key=lambda i: SPEEDS[i].step_ms)


def test_play_steps_micro_steps_then_pause_stops_everything(qtbot: QtBot) -> None:
    session = Session()
    player = Player(session)
    player.set_speed(_fastest_animated())
    with qtbot.waitSignal(player.playingChanged):
        player.play()
    qtbot.waitUntil(lambda: session.cursor >= 3, timeout=5000)
    player.pause()
    assert not player.playing
    assert not any(t.isActive() for t in player.findChildren(QTimer))
    at = session.cursor
    qtbot.wait(3 * SPEEDS[player.speed].step_ms)
    assert session.cursor == at  # nothing moves while paused


def test_full_speed_trains_whole_iterations_as_one_undo_step(qtbot: QtBot) -> None:
    session = Session()
    player = Player(session)
    player.set_speed(len(SPEEDS) - 1)
    assert player.fast and player.step_ms == 0
    player.play()
    qtbot.waitUntil(lambda: session.iteration >= 2000, timeout=10000)
    player.pause()
    n = session.iteration
    assert len(session.history) == n + 1
    assert session.history.last() < session.history.values[0]
    assert session.undo_stack.count() == 1
    assert session.undo_stack.undoText() == f"Train {fmt_count(n)} iterations"
    session.undo_stack.undo()
    assert session.iteration == 0 and len(session.history) == 1
    assert session.problem == Problem.lecture_note()


def test_diverged_session_pauses_play(qtbot: QtBot) -> None:
    session = Session(Problem.lecture_note().with_value("t", 1e300))
    player = Player(session)
    assert session.diverged
    player.play()
    assert not player.playing  # refuses to start while the numbers are not finite
    session.reset()
    assert not session.diverged
    player.set_speed(len(SPEEDS) - 1)
    player.play()
    assert player.playing
    with qtbot.waitSignal(session.divergedChanged, timeout=5000):
        session.set_value("t", 1e300)
    assert not player.playing
