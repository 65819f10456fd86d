"""Extreme but finite values in the real window: every number shown is finite, or the window says
"diverged" and will not play; NaN never reaches the plot; Reset and Undo always recover."""

from __future__ import annotations

import math

import numpy as np
import pytest

from netviz.app.player import SPEEDS
from netviz.model import Problem
from netviz.ui.values_table import VALUE
from tests.ui.conftest import Win

NON_FINITE_TEXT = ("nan", "inf", "∞")


def shown_values(w: Win) -> list[str]:
    model = w.window.values_table.values_model
    return [str(model.index(row, VALUE).data()) for row in range(model.rowCount())]


def check_window(w: Win) -> None:
    w.settle()
    s = w.session
    xs, ys = w.window.loss_plot.data()
    assert np.all(np.isfinite(ys)) and np.all(np.isfinite(xs))
    assert np.all(np.isfinite(s.history.values))
    status = w.window.status
    # NaN never reaches what is shown: the table, the nodes, the labels, the status bar.
    shown = [*shown_values(w), status.loss_label.text(), status.iteration_label.text()]
    diagram = w.diagram
    shown += [line for name in diagram.diagram.nodes for line in diagram.node(name).text().splitlines()]
    shown += [diagram.label(name).main.text for name in diagram.diagram.labels]
    for text in shown:
        assert "nan" not in text.lower(), text
    if s.diverged:
        assert not status.diverged_label.isHidden()
        assert "Reset" in status.diverged_label.text()
        assert not w.window.commands.play.isEnabled()
    else:
        assert status.diverged_label.isHidden()
        for text in shown_values(w):
            assert not any(bad in text.lower() for bad in NON_FINITE_TEXT), text


@pytest.mark.parametrize(("name", "typed"), [("w1", "1e300"), ("x1", "-1e308"), ("eta", "1e6"),
                                             ("b3", "1.7e308"), ("w5", "-1.7976931348623157e308")])
def test_extreme_values_in_the_window(win: Win, name: str, typed: str) -> None:
    s = win.session
    assert s.set_value(name, typed)
    check_window(win)
    s.train(500)
    check_window(win)
    win.window.commands.iteration.trigger()
    check_window(win)
    win.window.commands.reset.trigger()
    check_window(win)
    assert s.problem == Problem.lecture_note() and not s.diverged


def test_nan_shows_diverged_pauses_play_and_undo_recovers(win: Win) -> None:
    s = win.session
    w = win.window
    w.player.set_speed(len(SPEEDS) - 1)
    w.commands.play.trigger()
    win.qtbot.waitUntil(lambda: s.iteration > 10, timeout=5000)
    for name, typed in (("x1", "1e308"), ("x2", "1e308"), ("w1", "1e308"), ("w2", "-1e308")):
        s.set_value(name, typed)  # z_h1 = ∞ − ∞ = NaN, typed while playing
    assert s.diverged and math.isnan(s.trace.values["z_h1"])
    assert "—" in shown_values(win)  # a value that cannot be computed shows as a dash
    win.qtbot.waitUntil(lambda: not w.player.playing, timeout=3000)  # play paused itself
    check_window(win)
    w.commands.play.trigger()
    assert not w.player.playing
    for _ in range(4):
        w.undo_action.trigger()
    assert not s.diverged
    check_window(win)
    assert s.problem.value("x1") == 0.05


def test_a_diverged_iteration_can_be_stepped_through_but_never_starts_another(win: Win) -> None:
    s = win.session
    c = win.window.commands
    assert s.set_value("x1", "-1e308") and s.set_value("w1", "1e300")  # z_h1 = −∞: not finite
    assert s.diverged and s.cursor == 0 and s.iteration == 0
    history = s.history.values.copy()
    for _ in range(s.total_steps):  # every step of this iteration can still be looked at
        assert c.step.isEnabled()
        c.step.trigger()
    assert s.cursor == s.total_steps
    assert not c.step.isEnabled() and not c.next_phase.isEnabled()
    assert not c.iteration.isEnabled() and not c.play.isEnabled()
    for go in (s.step, s.next_phase, s.finish_iteration):  # the session refuses too
        go()
    assert s.iteration == 0 and s.cursor == s.total_steps
    assert np.array_equal(s.history.values, history)
    win.window.undo_action.trigger()
    assert not s.diverged and c.step.isEnabled() and c.next_phase.isEnabled()
