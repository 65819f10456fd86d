"""Undo and redo for every kind of change, with readable names; bad input keeps the state."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from netviz.app.player import SPEEDS, Player
from netviz.app.session import Session
from netviz.model import Problem
from netviz.model.display import fmt_count
from tests.model.closed_form import lecture_note_values

NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")


def state(s: Session) -> tuple[Any, ...]:
    """Everything a user can see change, as plain data."""
    return (s.problem.values(), s.problem.architecture, s.iteration, s.cursor, tuple(s.history.values.tolist()),
            s.diverged)


def closed_form_run(n: int, **start: float) -> tuple[dict[str, float], list[float]]:
    """n SGD iterations of the hand-written 2-2-1 network: final values and E at each start."""
    v = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, b1=0.35, b2=0.35, b3=0.60,
             x1=0.05, x2=0.10, t=0.50, eta=0.5)
    v.update(start)
    losses = []
    for _ in range(n):
        vals = lecture_note_values(**v)
        losses.append(vals["E"])
        v.update({p: vals[f"{p}_new"] for p in NAMES})
    losses.append(lecture_note_values(**v)["E"])
    return v, losses


def round_trip(s: Session, change: Any, text: str) -> None:
    """Apply a change; undo must give back the state before, redo the state after, exactly."""
    before = state(s)
    count = s.undo_stack.count()
    change()
    after = state(s)
    assert after != before
    assert s.undo_stack.count() == count + 1
    assert s.undo_stack.undoText() == text
    s.undo_stack.undo()
    assert state(s) == before
    assert s.undo_stack.redoText() == text
    s.undo_stack.redo()
    assert state(s) == after


@pytest.mark.parametrize(("name", "typed", "text"), [
    ("w5", "0.3", "Set w5 to 0.3"),
    ("b2", "-1.25", "Set b2 to −1.25"),
    ("x1", "1", "Set x1 to 1"),
    ("x2", "−2,5", "Set x2 to −2.5"),
    ("t", "0.9", "Set t to 0.9"),
    ("eta", "0.1", "Set η to 0.1"),
])
def test_each_edit_round_trips_with_a_readable_name(qtbot: QtBot, name: str, typed: str, text: str) -> None:
    s = Session()
    s.step()  # mid-iteration: the cursor is restored too
    round_trip(s, lambda: s.set_value(name, typed), text)
    want = float(typed.replace("−", "-").replace(",", "."))
    assert s.problem.value(name) == want
    v = dict(w1=0.15, w2=0.20, w3=0.25, w4=0.30, w5=0.40, w6=0.45, b1=0.35, b2=0.35, b3=0.60,
             x1=0.05, x2=0.10, t=0.50, eta=0.5)
    v[name] = want
    assert s.history.last() == pytest.approx(lecture_note_values(**v)["E"], rel=1e-14)  # the plot's last point
    s.undo_stack.undo()
    assert s.history.last() == pytest.approx(lecture_note_values()["E"], rel=1e-14)


def test_training_run_round_trips_parameters_and_loss_history(qtbot: QtBot) -> None:
    s = Session()
    s.set_value("w5", "0.3")
    round_trip(s, lambda: s.train(250), "Train 250 iterations")
    final, losses = closed_form_run(250, w5=0.3)
    assert s.iteration == 250
    for p in NAMES:
        assert s.problem.value(p) == pytest.approx(final[p], rel=1e-12)
    assert s.history.values.tolist() == pytest.approx(losses, rel=1e-12)
    s.undo_stack.undo()
    assert s.iteration == 0 and len(s.history) == 1
    assert s.problem.value("w5") == 0.3 and s.problem.value("w1") == 0.15


def test_one_iteration_is_named_and_round_trips(qtbot: QtBot) -> None:
    s = Session()
    s.train(1)
    round_trip(s, s.finish_iteration, "Iteration 2")
    assert s.iteration == 2 and s.cursor == 0


def test_stepping_through_an_iteration_commits_once(qtbot: QtBot) -> None:
    s = Session()
    for _ in range(s.total_steps):
        s.step()
    assert s.undo_stack.count() == 0  # moving the cursor is not a change
    round_trip(s, s.step, "Iteration 1")
    _, losses = closed_form_run(1)
    assert s.history.values.tolist() == pytest.approx(losses, rel=1e-14)


def test_reset_round_trips_after_training(qtbot: QtBot) -> None:
    s = Session()
    s.set_value("eta", "2")
    s.train(40)
    round_trip(s, s.reset, "Reset to the lecture note")
    assert s.problem == Problem.lecture_note() and s.iteration == 0
    assert s.history.values.tolist() == [lecture_note_values()["E"]]


def test_loading_round_trips(qtbot: QtBot) -> None:
    s = Session()
    s.train(10)
    other = Problem.lecture_note().with_value("w1", -3.0)
    round_trip(s, lambda: s.load(other, 7, [0.5, 0.4, 0.3]), "Open file")
    assert s.iteration == 7 and s.history.values.tolist() == [0.5, 0.4, 0.3]
    s.load(Problem.lecture_note(), text="Open lesson.netviz.json")
    assert s.undo_stack.undoText() == "Open lesson.netviz.json"


def test_loading_a_bad_history_changes_nothing(qtbot: QtBot) -> None:
    s = Session()
    s.train(5)
    before = state(s)
    count = s.undo_stack.count()
    with pytest.raises(ValueError):
        s.load(Problem.lecture_note(), 3, [0.1, math.nan])
    with pytest.raises(ValueError):
        s.load(Problem.lecture_note(), -1, [0.1])
    assert state(s) == before and s.undo_stack.count() == count


def test_a_play_run_is_one_undo_step(qtbot: QtBot) -> None:
    s = Session()
    player = Player(s)
    player.set_speed(len(SPEEDS) - 1)
    before = state(s)
    player.play()
    qtbot.waitUntil(lambda: s.iteration >= 300, timeout=10000)
    player.pause()
    n = s.iteration
    after = state(s)
    assert s.undo_stack.count() == 1 and s.undo_stack.undoText() == f"Train {fmt_count(n)} iterations"
    _, losses = closed_form_run(n)
    assert s.history.values.tolist() == pytest.approx(losses, rel=1e-10)
    s.undo_stack.undo()
    assert state(s) == before
    s.undo_stack.redo()
    assert state(s) == after


def test_an_edit_during_a_run_splits_it_so_undo_goes_back_in_order(qtbot: QtBot) -> None:
    s = Session()
    s.begin_run()
    s.step()
    for _ in range(s.total_steps):
        s.step()  # commits iteration 1 inside the run
    s.train(5)
    mid = state(s)
    s.set_value("w5", "0.3")
    edited = state(s)
    s.train(4)
    end = state(s)
    s.end_run()
    texts = [s.undo_stack.text(i) for i in range(s.undo_stack.count())]
    assert texts == ["Train 6 iterations", "Set w5 to 0.3", "Train 4 iterations"]
    s.undo_stack.undo()
    assert state(s) == edited
    s.undo_stack.undo()
    assert state(s)[:3] == mid[:3] and state(s)[4:] == mid[4:]
    s.undo_stack.undo()
    assert s.iteration == 0 and s.problem == Problem.lecture_note() and len(s.history) == 1
    for _ in range(3):
        s.undo_stack.redo()
    assert state(s) == end


def test_undo_during_a_run_keeps_the_history_consistent(qtbot: QtBot) -> None:
    s = Session()
    s.set_value("w1", "0.5")
    s.begin_run()
    s.train(20)
    s.undo_stack.undo()  # e.g. Ctrl+Z pressed while playing
    assert s.problem == Problem.lecture_note() and s.iteration == 0
    s.train(3)
    s.end_run()
    assert s.undo_stack.undoText() == "Train 3 iterations"
    s.undo_stack.undo()
    assert s.problem == Problem.lecture_note() and s.iteration == 0 and len(s.history) == 1


def test_random_sequences_undo_and_redo_exactly(qtbot: QtBot) -> None:
    rng = random.Random(5)
    s = Session()
    befores: list[tuple[Any, ...]] = []
    afters: list[tuple[Any, ...]] = []
    for _ in range(120):
        op = rng.choice(["set", "set", "train", "step", "finish", "reset", "load", "phase"])
        pre = state(s)
        count = s.undo_stack.count()
        if op == "set":
            name = rng.choice([*NAMES, "x1", "x2", "t", "eta"])
            s.set_value(name, f"{rng.uniform(-3, 3):.3f}")
        elif op == "train":
            s.train(rng.randint(1, 60))
        elif op == "step":
            s.step()
        elif op == "finish":
            s.finish_iteration()
        elif op == "phase":
            s.next_phase()
        elif op == "reset":
            s.reset()
        else:
            s.load(Problem.lecture_note().with_value("w2", rng.uniform(-1, 1)), rng.randint(0, 3), [0.25])
        if s.undo_stack.count() > count:
            befores.append(pre)
            afters.append(state(s))
    assert len(befores) == s.undo_stack.count() > 50
    for pre in reversed(befores):
        s.undo_stack.undo()
        assert state(s)[:3] == pre[:3] and state(s)[4:] == pre[4:]
    for post in afters:
        s.undo_stack.redo()
        # Moving the cursor is not a change: after "One phase" the cursor moved on past the commit.
        assert state(s)[:3] == post[:3] and state(s)[4:] == post[4:]


@pytest.mark.parametrize("typed", ["abc", "", "nan", "inf", "1e400", "1,000.5", "0x10"])
def test_bad_input_is_rejected_with_a_message_and_changes_nothing(qtbot: QtBot, typed: str) -> None:
    s = Session()
    s.train(3)
    before = state(s)
    with qtbot.waitSignal(s.editRejected) as sig:
        assert s.set_value("w1", typed) is False
    name, message = sig.args
    assert name == "w1" and message
    assert state(s) == before and s.undo_stack.count() == 1


def test_unknown_name_is_rejected(qtbot: QtBot) -> None:
    s = Session()
    with qtbot.waitSignal(s.editRejected) as sig:
        assert s.set_value("w9", "1") is False
    assert "'w9' is not a value" in sig.args[1]


def test_same_value_adds_no_undo_step(qtbot: QtBot) -> None:
    s = Session()
    assert s.set_value("w1", "0.150") is True
    assert s.undo_stack.count() == 0


# ---- locale ---------------------------------------------------------------------------------

@pytest.fixture
def german() -> Any:
    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(old)


@pytest.mark.usefixtures("german")
@pytest.mark.parametrize("typed", ["0,5", "0.5", " 0,5 ", "+0,50"])
def test_comma_and_point_both_mean_one_half_under_a_german_locale(qtbot: QtBot, typed: str) -> None:
    assert QLocale().decimalPoint() == ","
    s = Session()
    assert s.set_value("w1", typed)
    assert s.problem.value("w1") == 0.5
    assert s.undo_stack.undoText() == "Set w1 to 0.5"
    assert s.trace.values["z_h1"] == pytest.approx(lecture_note_values(w1=0.5)["z_h1"], rel=1e-15)


# ---- extreme values -------------------------------------------------------------------------

def _all_finite_or_diverged(s: Session) -> None:
    assert np.all(np.isfinite(s.history.values))
    assert all(math.isfinite(v) for v in s.problem.values().values())
    if not s.diverged:
        assert all(math.isfinite(st.value) for st in s.trace.steps)


@pytest.mark.parametrize(("name", "typed"), [("w1", "1e300"), ("x1", "-1e308"), ("eta", "1e6"),
                                             ("b3", "1.7e308"), ("w5", "-1.7976931348623157e308")])
def test_extreme_finite_values_stay_finite_or_diverge_and_undo_recovers(qtbot: QtBot, name: str,
                                                                        typed: str) -> None:
    s = Session()
    s.train(5)
    before = state(s)
    assert s.set_value(name, typed)
    _all_finite_or_diverged(s)
    s.train(200)
    _all_finite_or_diverged(s)
    for _ in range(s.total_steps + 1):
        s.step()
    _all_finite_or_diverged(s)
    while s.undo_stack.index() > 1:
        s.undo_stack.undo()
    assert state(s) == before


def test_nan_from_extremes_is_a_clear_diverged_state_that_pauses_play(qtbot: QtBot) -> None:
    s = Session()
    player = Player(s)
    player.set_speed(len(SPEEDS) - 1)
    for name, typed in (("x1", "1e308"), ("x2", "1e308")):
        s.set_value(name, typed)
    assert not s.diverged
    n_hist = len(s.history)
    with qtbot.waitSignal(s.divergedChanged) as sig:
        s.set_value("w1", "1e308")  # z_h1 = 1e308·1e308 + … = ∞
    assert sig.args == [True] and s.diverged
    assert s.trace.values["z_h1"] == math.inf
    s.set_value("w2", "-1e308")  # z_h1 = ∞ − ∞ = NaN
    assert s.diverged and math.isnan(s.trace.values["z_h1"])
    assert len(s.history) == n_hist and np.all(np.isfinite(s.history.values))
    player.play()
    assert not player.playing  # play refuses to start
    assert s.train(10) == 0
    s.step()
    s.finish_iteration()
    assert np.all(np.isfinite(s.history.values))
    assert all(math.isfinite(v) for v in s.problem.values().values())
    s.reset()
    assert not s.diverged and s.problem == Problem.lecture_note()
    s.undo_stack.undo()
    assert s.diverged
    while s.undo_stack.canUndo():
        s.undo_stack.undo()
    assert not s.diverged and s.problem == Problem.lecture_note()


def test_huge_learning_rate_while_playing_pauses_or_stays_finite(qtbot: QtBot) -> None:
    s = Session()
    player = Player(s)
    player.set_speed(len(SPEEDS) - 1)
    s.set_value("eta", "1e6")
    s.set_value("x1", "1e3")
    player.play()
    qtbot.waitUntil(lambda: s.iteration >= 2000 or not player.playing, timeout=10000)
    player.pause()
    _all_finite_or_diverged(s)
    s.reset()
    assert not s.diverged and s.problem == Problem.lecture_note()


def test_long_runs_across_packed_chunks_undo_and_redo_exactly(qtbot: QtBot) -> None:
    """Runs long enough that the history packs chunks of values (CHUNK each), with edits that
    change the last loss, a reset and a load between them; every state comes back bit for bit."""
    from netviz.model.history import CHUNK

    s = Session()
    s.set_value("eta", "0.05")  # a slow descent: no exact zeros, so every chunk holds real noise bits
    changes = [lambda: s.train(CHUNK + 5), lambda: s.set_value("w1", "0.9"), lambda: s.train(2 * CHUNK - 7),
               s.reset, lambda: s.train(CHUNK), lambda: s.set_value("t", "0.25"),
               lambda: s.load(Problem.lecture_note(), 3, np.linspace(0.3, 0.1, CHUNK + 17)), lambda: s.train(99)]
    states = [state(s)]
    for change in changes:
        change()
        states.append(state(s))
    assert len(s.history) == CHUNK + 17 + 99
    for want in reversed(states[:-1]):
        s.undo_stack.undo()
        assert state(s) == want
    for want in states[1:]:
        s.undo_stack.redo()
        assert state(s) == want


def test_redo_after_play_started_puts_back_exactly_the_undone_run(qtbot: QtBot) -> None:
    """Undo, start playing (iterations are added), redo: the redone run's losses replace the
    new ones instead of being spliced in after them."""
    s = Session()
    s.train(5)
    want = state(s)
    s.undo_stack.undo()
    s.begin_run()
    s.finish_iteration()  # one iteration of the new run, not yet an undo step
    assert s.undo_stack.canRedo()
    s.undo_stack.redo()
    s.end_run()
    assert state(s) == want
    assert len(s.history) == 6


GC_CHILD = """
import gc
from PySide6.QtWidgets import QApplication
app = QApplication([])
from netviz.app.session import Session
sessions = []
for _ in range(5):
    s = Session(); s.set_value("eta", "2"); s.train(40); s.reset(); s.undo_stack.undo(); s.step()
    sessions.append(s)
del s, sessions
gc.collect()
print("collected", flush=True)
"""


def test_sessions_with_undo_history_are_freed_without_a_crash() -> None:
    """Undo commands must not keep their session alive: that cycle was freed by the garbage
    collector in an order that crashed in QUndoStack's destructor (seen at interpreter exit)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-X", "dev", "-c", GC_CHILD], capture_output=True, text=True,
                            env=env, cwd=Path(__file__).resolve().parents[2], timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "collected"


def test_training_stops_at_the_last_iteration_a_file_can_hold(qtbot: QtBot, tmp_path: Any) -> None:
    """A lesson opened at the format's last iteration cannot go past it: the file saved then
    opens again (it used to be refused: "iteration: must be from 0 to 10^15")."""
    from netviz.io.document import load_document, save_document
    from netviz.model.network import MAX_ITERATION

    s = Session()
    s.load(Problem.lecture_note(), MAX_ITERATION - 3, [0.3])
    assert s.train(10) == 3
    assert s.iteration == MAX_ITERATION and s.at_limit
    assert s.train(10) == 0
    s.finish_iteration()
    for _ in range(s.total_steps + 2):
        s.step()
    assert s.iteration == MAX_ITERATION and not s.can_advance
    player = Player(s)
    player.set_speed(len(SPEEDS) - 1)
    player.play()
    assert not player.playing
    path = tmp_path / "last.netviz.json"
    save_document(path, s)
    assert load_document(path).iteration == MAX_ITERATION


def test_play_pauses_when_it_reaches_the_last_iteration(qtbot: QtBot) -> None:
    from netviz.model.network import MAX_ITERATION

    s = Session()
    s.load(Problem.lecture_note(), MAX_ITERATION - 50, [0.3])
    player = Player(s)
    player.set_speed(len(SPEEDS) - 1)
    player.play()
    assert player.playing
    qtbot.waitUntil(lambda: not player.playing, timeout=10_000)
    assert s.iteration == MAX_ITERATION
    s.undo_stack.undo()  # the run up to the limit is one undo step
    assert s.iteration == MAX_ITERATION - 50
