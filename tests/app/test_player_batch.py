"""Full-speed play sizes its batches from the trainer's speed, not from how slow the views are."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from netviz.app.player import MAX_ITERATIONS_PER_FRAME, MIN_TRAIN_BUDGET_S, SPEEDS, Player
from netviz.app.session import Session
from netviz.model import Problem, train

SLOW_VIEW_S = 0.03
"""A view that takes this long to redraw each time the problem changes (longer than a frame)."""


def test_a_slow_view_does_not_shrink_the_batches(qtbot: QtBot) -> None:
    session = Session()
    batches: list[int] = []
    last = [session.iteration]

    def slow_view() -> None:  # a synchronous redraw that costs more than a whole frame
        batches.append(session.iteration - last[0])
        last[0] = session.iteration
        end = time.perf_counter() + SLOW_VIEW_S
        while time.perf_counter() < end:
            pass

    session.problemChanged.connect(slow_view)
    player = Player(session)
    player.set_speed(len(SPEEDS) - 1)
    player.play()
    qtbot.waitUntil(lambda: len(batches) >= 6, timeout=10_000)
    player.pause()
    # What the trainer alone does in the budget, measured here independently of the player.
    t0 = time.perf_counter()
    train(Problem.lecture_note(), 2000)
    least = min(MAX_ITERATIONS_PER_FRAME, 2000 / (time.perf_counter() - t0) * MIN_TRAIN_BUDGET_S)
    # Frames are slow here (the view takes 30 ms), so the player gives training its least budget,
    # but that much every frame (timing noise allowed for), never the handful of iterations that
    # timing the slow view as well would give (8 ms / 30 ms × the previous batch).
    assert min(batches[1:]) >= least / 3, (batches, least)
    assert player.batch >= least / 3
