"""Step/Play timing: when the lesson advances, driven by elapsed time, never blocking.

Animated speeds advance one micro-step per ``step_ms``; the number of steps due is computed
from the elapsed time, so a slow frame does not slow the lesson, and at most one step is taken
per tick (a late tick skips ahead in time rather than piling work up). The fastest speed
trains whole iterations each frame with the fast trainer, sized to a time budget, while the
views refresh at the display rate. Nothing runs while paused: the timer is stopped.
"""

from __future__ import annotations

import time
from typing import NamedTuple

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from netviz.app.session import Session
from netviz.model import Architecture, train


class Speed(NamedTuple):
    label: str
    step_ms: int
    """Duration of one micro-step's animation; 0 means "as fast as possible"."""


SPEEDS: tuple[Speed, ...] = (
    Speed("Slow (1 s per step)", 1000),
    Speed("Relaxed", 600),
    Speed("Normal", 350),
    Speed("Quick", 150),
    Speed("Very quick", 60),
    Speed("As fast as possible", 0),
)
DEFAULT_SPEED = 2
FRAME_MS = 16
TRAIN_BUDGET_S = 0.004
"""Most time per frame given to training at full speed; the rest is left for drawing (4 ms
is about 4,000 iterations of the lecture-note network, some 200,000 a second at 60 fps). A frame
that trains, refreshes the loss plot and repaints took about 6 + 2 + 6 ms with 3 ms more of
signals and layout, at 5 ms: at the 16.7 ms limit on a slow run (benchmarks/RESULTS.md)."""
MIN_TRAIN_BUDGET_S = 0.0025
"""Least time per frame given to training (about 2,500 iterations of the lecture-note network,
still 150,000 a second at 60 fps)."""
FRAME_TARGET_S = 1 / 60
"""The frame rate play aims for: the training budget shrinks while frames take longer than this."""
MAX_ITERATIONS_PER_FRAME = 20_000
PROBE_ITERATIONS = 256
"""Iterations timed (on a copy of the problem) to size the full-speed batch to the budget."""


class Player(QObject):
    """Owns the play timer; asks the session to step or train."""

    playingChanged = Signal(bool)
    speedChanged = Signal(int)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._speed = DEFAULT_SPEED
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._clock = QElapsedTimer()
        self._steps_taken = 0
        self._rate = 0.0
        """Iterations per second of the trainer alone, for the current architecture."""
        self._budget = TRAIN_BUDGET_S
        self._last_tick: float | None = None
        self._batch_for: Architecture | None = None
        session.divergedChanged.connect(self._on_diverged)

    # ---- reading -------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def speed(self) -> int:
        return self._speed

    @property
    def step_ms(self) -> int:
        """How long views should take to animate one micro-step (0: don't animate)."""
        return SPEEDS[self._speed].step_ms

    @property
    def fast(self) -> bool:
        return self.step_ms == 0

    # ---- intent --------------------------------------------------------------------------
    def set_speed(self, index: int) -> None:
        index = max(0, min(len(SPEEDS) - 1, int(index)))
        if index == self._speed:
            return
        self._speed = index
        if self.playing:
            self._restart_clock()
        self.speedChanged.emit(index)

    def play(self) -> None:
        if self.playing or self._session.diverged or self._session.at_limit:
            return
        self._session.begin_run()
        self._restart_clock()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if not self.playing:
            return
        self._timer.stop()
        self._session.end_run()
        self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    # ---- internals -----------------------------------------------------------------------
    def _restart_clock(self) -> None:
        self._batch_for = None  # re-time the trainer each time play starts or the speed changes
        self._clock.start()
        self._steps_taken = 0
        self._timer.start(FRAME_MS if self.fast else max(FRAME_MS, self.step_ms // 4))

    def _tick(self) -> None:
        if self.fast:
            self._train_frame()
            return
        due = self._clock.elapsed() // self.step_ms
        if due > self._steps_taken:
            self._steps_taken = due  # skip missed steps' time rather than queueing them
            if not self._session.can_advance:  # at the last iteration there can be (MAX_ITERATION)
                self.pause()
                return
            self._session.step()

    def _train_frame(self) -> None:
        problem = self._session.problem
        if problem.architecture != self._batch_for:
            self._rate = self._measure_rate()
            self._budget = TRAIN_BUDGET_S
            self._last_tick = None
        # Adapt the budget to the frame rate actually reached: ticks come every FRAME_MS while
        # training plus drawing fit in a frame, later when they do not. So the views keep 60 fps
        # when they can, and training takes what the drawing leaves (never less than the minimum).
        now = time.perf_counter()
        if self._last_tick is not None:
            interval = now - self._last_tick
            if interval > FRAME_TARGET_S * 1.1:
                self._budget = max(MIN_TRAIN_BUDGET_S, self._budget * 0.8)
            elif interval < FRAME_TARGET_S * 1.02:
                self._budget = min(TRAIN_BUDGET_S, self._budget * 1.1)
        self._last_tick = now
        self._session.train(self.batch)
        if self._session.at_limit:
            self.pause()

    @property
    def batch(self) -> int:
        """Iterations trained per frame at full speed now."""
        return int(max(1, min(MAX_ITERATIONS_PER_FRAME, self._rate * self._budget)))

    def _measure_rate(self) -> float:
        """Iterations per second of the fast trainer on this problem, timed alone.

        Timing ``session.train`` itself would also time the views that redraw synchronously on
        its signals; a slow view would then shrink the batch towards one iteration per frame and
        play would crawl. The trainer is timed alone, on a copy (the model is pure), instead.
        """
        problem = self._session.problem
        self._batch_for = problem.architecture
        train(problem, 8)  # compile (once per architecture) and warm up
        t0 = time.perf_counter()
        done = train(problem, PROBE_ITERATIONS).steps_done
        elapsed = time.perf_counter() - t0
        return done / elapsed if done and elapsed > 0 else 1.0

    def _on_diverged(self, diverged: bool) -> None:
        if diverged:
            self.pause()
