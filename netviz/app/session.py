"""The one object that owns the state of a lesson and tells views what changed.

Views hold a reference to the :class:`Session`, connect to its signals in their constructor,
read its immutable snapshots (:class:`~netviz.model.trace.Trace`) to draw, and send user intent
back through its methods. No maths happens here: everything is asked of :mod:`netviz.model`.

State:
- ``problem``: parameters, example and η; ``trace``: the current iteration computed in full.
- ``cursor``: how many of the trace's micro-steps have been *reached* (0 … len(trace.steps)).
  Every value is always known; the cursor says which ones the lesson has arrived at, so the
  diagram can highlight, animate and colour them in order.
- ``iteration`` and ``history`` (E at the start of each iteration, index = iteration).
"""

from __future__ import annotations

import contextlib
import math
import weakref
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from netviz.model import Phase, Problem, Trace, diverged, iterate, train
from netviz.model.display import fmt_count, round_display
from netviz.model.history import Floats, HistoryImage, LossHistory
from netviz.model.network import LEARNING_RATE, MAX_ITERATION
from netviz.model.parsing import parse_number
from netviz.model.trace import MicroStep


class Snapshot(NamedTuple):
    """Everything undo needs to put the session back (the history is restored by length)."""

    problem: Problem
    iteration: int
    cursor: int
    history_len: int
    history_last: float
    history: HistoryImage | None = None
    """A frozen copy of the history, kept only around changes that replace it (reset, load);
    it shares the history's packed chunks, so it costs little however long the history is."""


UNDO_LIMIT = 500
"""Oldest changes are forgotten past this many (each training run keeps its loss values)."""


def _short(value: float) -> str:
    """A number for an undo name: shortest exact form, ``1`` not ``1.0``, ``1e300``, minus sign."""
    text = repr(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace("e+", "e").replace("-", "\u2212")


class _SnapshotCommand(QUndoCommand):
    """Undo/redo between two snapshots; pushing it does not re-apply the change."""

    def __init__(self, session: Session, text: str, before: Snapshot, after: Snapshot) -> None:
        super().__init__(text)
        # Weak: the session owns the undo stack, which owns this command. A strong reference
        # would make a cycle that only the garbage collector frees, in an order where the
        # stack's destructor deletes commands whose Python side is already gone (a crash at exit).
        self._session_ref = weakref.ref(session)
        self._before = before
        self._after = after
        # The history values past before.history_len, as they were at `after`: taken when undo
        # drops them, so a training run's losses are not held twice while it can only be undone.
        self._tail: Floats | None = None
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        session = self._session_ref()
        if session is not None:
            session._restore(self._after, self._tail, self._before.history_len)
            session._restart_run()

    def undo(self) -> None:
        session = self._session_ref()
        if session is None:
            return
        dropped = session._restore(self._before, None)
        if self._after.history is None:
            self._tail = dropped
        session._restart_run()


class Session(QObject):
    """State, undo history and change signals for one lesson."""

    problemChanged = Signal()
    """The problem (and so the trace) was replaced: every value may have changed."""
    cursorChanged = Signal(int)
    """The lesson moved to a new micro-step position (argument: the new cursor)."""
    historyChanged = Signal()
    """Loss points were added, removed or changed; the iteration may have changed too."""
    editRejected = Signal(str, str)
    """A typed value was refused: (name, message). Nothing changed."""
    divergedChanged = Signal(bool)
    """The numbers stopped (or started again) being finite."""

    def __init__(self, problem: Problem | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._problem = problem or Problem.lecture_note()
        self._trace = iterate(self._problem)
        self._hand: Trace | None = None
        self._cursor = 0
        self._iteration = 0
        self._history = LossHistory([self._trace.loss] if math.isfinite(self._trace.loss) else [])
        self._diverged = diverged(self._trace)
        self._run_start: Snapshot | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)

    def __del__(self) -> None:
        # Python frees this object's attributes before Qt destroys the QObject and, with it, the
        # undo stack, whose clear() then signals slots that may already be gone (a crash when the
        # collector frees a session together with its views). Silence the stack while all is alive.
        with contextlib.suppress(AttributeError, RuntimeError):  # never built, or Qt deleted it
            self.undo_stack.blockSignals(True)

    # ---- reading -------------------------------------------------------------------------
    @property
    def problem(self) -> Problem:
        return self._problem

    @property
    def trace(self) -> Trace:
        return self._trace

    @property
    def hand_trace(self) -> Trace:
        """This iteration as a student computes it by hand: every value rounded to three
        decimals before it is used again, as the lecture note does (made on first use)."""
        if self._hand is None or self._hand.problem is not self._trace.problem:
            self._hand = iterate(self._trace.problem, rounding=round_display)
        return self._hand

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def total_steps(self) -> int:
        return len(self._trace.steps)

    @property
    def iteration(self) -> int:
        return self._iteration

    @property
    def history(self) -> LossHistory:
        return self._history

    @property
    def diverged(self) -> bool:
        return self._diverged

    @property
    def current_step(self) -> MicroStep | None:
        """The micro-step reached most recently (``None`` before the first)."""
        return self._trace.steps[self._cursor - 1] if self._cursor else None

    @property
    def next_step(self) -> MicroStep | None:
        return self._trace.steps[self._cursor] if self._cursor < self.total_steps else None

    @property
    def phase(self) -> Phase:
        """The phase the lesson is in: that of the current step (forward before the first)."""
        step = self.current_step
        return step.phase if step is not None else Phase.FORWARD

    def reached(self, key: str) -> bool:
        """Has the lesson arrived at this quantity yet in the current iteration?"""
        try:
            return self._trace.index_of(key) < self._cursor
        except KeyError:
            return True  # given values (parameters, inputs) are always known

    # ---- editing ---------------------------------------------------------------------------
    def set_value(self, name: str, value: str | float) -> bool:
        """Set a parameter, input, target or η from typed text (or a number).

        Returns False, emits :attr:`editRejected` and changes nothing when the value is bad.
        Setting a value to what it already is changes nothing and adds no undo step.
        """
        try:
            number = parse_number(value) if isinstance(value, str) else float(value)
            problem = self._problem.with_value(name, number)
        except ValueError as e:
            self.editRejected.emit(name, str(e))
            return False
        if problem.value(name) == self._problem.value(name):
            return True
        label = "η" if name == LEARNING_RATE else name
        self._change(f"Set {label} to {_short(problem.value(name))}",
                     lambda: self._replace(problem, keep_cursor=True))
        return True

    def reset(self) -> None:
        """Back to the lecture note's network, iteration 0 (undoable)."""
        self._change("Reset to the lecture note", lambda: self._load(Problem.lecture_note(), 0, None),
                     replaces_history=True)

    def load(self, problem: Problem, iteration: int = 0, history: Floats | list[float] | None = None,
             text: str = "Open file") -> None:
        """Replace everything, e.g. from a file (undoable).

        Raises ValueError (and changes nothing) for a negative iteration or a non-finite loss.
        """
        if isinstance(iteration, bool) or not isinstance(iteration, int) or iteration < 0:
            raise ValueError(f"iteration must be a whole number, 0 or more, not {iteration!r}")
        if history is not None:
            history = np.array(history, dtype=np.float64).ravel()
            if not np.all(np.isfinite(history)):
                raise ValueError("the loss history holds a value that is not a finite number")
        self._change(text, lambda: self._load(problem, iteration, history), replaces_history=True)

    # ---- stepping --------------------------------------------------------------------------
    @property
    def can_advance(self) -> bool:
        """Is there a next micro-step? A diverged iteration can be stepped through to its end
        (to see where the numbers stop being finite) but never starts another one."""
        return self._cursor < self.total_steps or not (self._diverged or self.at_limit)

    @property
    def at_limit(self) -> bool:
        """At :data:`~netviz.model.network.MAX_ITERATION`: no further iteration can start (a
        file could not hold it), so stepping stops at this iteration's end and play pauses."""
        return self._iteration >= MAX_ITERATION

    def step(self) -> None:
        """Reach the next micro-step; after the last update step, start the next iteration."""
        if self._cursor < self.total_steps:
            self._set_cursor(self._cursor + 1)
        elif not (self._diverged or self.at_limit):
            self._commit_recorded()

    def next_phase(self) -> None:
        """Reach the end of the current phase (or of the next one, if at a phase's end)."""
        if self._cursor >= self.total_steps:
            if self._diverged or self.at_limit:
                return
            self._commit_recorded()
        steps = self._trace.steps
        phase = steps[self._cursor].phase
        end = self._cursor
        while end < len(steps) and steps[end].phase is phase:
            end += 1
        self._set_cursor(end)

    def finish_iteration(self) -> None:
        """Complete the current iteration and start the next one ("One iteration")."""
        if not (self._diverged or self.at_limit):
            self._commit_recorded()

    def train(self, iterations: int) -> int:
        """Run whole iterations with the fast trainer; returns how many ran (fewer if diverged).

        The view then shows the whole picture of the new iteration (cursor at the end).
        """
        iterations = min(iterations, MAX_ITERATION - self._iteration)
        if iterations <= 0 or self._diverged:
            return 0
        result = train(self._problem, iterations)
        if result.steps_done:
            recorded = self._run_start is None
            before = self._snapshot() if recorded else None
            self._history.extend(result.losses)
            self._iteration += result.steps_done
            self._replace(result.problem, keep_cursor=False, cursor=None, history_changed=True)
            if recorded and before is not None:
                self._push(f"Train {fmt_count(result.steps_done)} iteration{'s' if result.steps_done != 1 else ''}",
                           before)
        if result.diverged:
            self._set_diverged(True)
        return result.steps_done

    # ---- grouping a play run into one undo step ------------------------------------------
    def begin_run(self) -> None:
        """Start collecting iterations into one undoable training run (the player calls this)."""
        if self._run_start is None:
            self._run_start = self._snapshot()

    def end_run(self) -> None:
        start, self._run_start = self._run_start, None
        if start is not None and self._iteration != start.iteration:
            n = self._iteration - start.iteration
            self._push(f"Train {fmt_count(n)} iteration{'s' if n != 1 else ''}", start)

    # ---- internals -------------------------------------------------------------------------
    def _snapshot(self, full: bool = False) -> Snapshot:
        image = self._history.image() if full else None
        return Snapshot(self._problem, self._iteration, self._cursor, len(self._history), self._history.last(), image)

    def _change(self, text: str, apply: Callable[[], None], replaces_history: bool = False) -> None:
        running = self._run_start is not None
        if running:  # an edit during a play run: close the run so far, record the edit, go on
            self.end_run()
        before = self._snapshot(full=replaces_history)
        apply()
        self._push(text, before, full=replaces_history)
        if running:
            self.begin_run()

    def _restart_run(self) -> None:
        """After an undo or redo during a play run, the run continues from the restored state."""
        if self._run_start is not None:
            self._run_start = self._snapshot()

    def _push(self, text: str, before: Snapshot, full: bool = False) -> None:
        after = self._snapshot(full=full)
        self.undo_stack.push(_SnapshotCommand(self, text, before, after))

    def _restore(self, snap: Snapshot, tail: Floats | None, tail_start: int = 0) -> Floats | None:
        """Put the session back to ``snap``; returns the history values this dropped, if any.

        ``tail`` holds the values from ``tail_start`` on that redo puts back. Values added since
        the undo (a play run started and then redo pressed) are replaced, not kept before them.
        """
        n = len(self._history)
        dropped = None
        if snap.history is not None:
            self._history.restore(snap.history)
        elif tail is not None and n >= tail_start:  # a redo that puts a run's losses back
            if n > tail_start:
                self._history.truncate(tail_start)
            self._history.extend(tail[: snap.history_len - tail_start])
        elif n > snap.history_len:
            dropped = self._history.truncate(snap.history_len)
        self._set_last(snap.history_last)
        self._iteration = snap.iteration
        self._replace(snap.problem, keep_cursor=False, cursor=snap.cursor, history_changed=True)
        return dropped

    def _commit_recorded(self) -> None:
        before = self._snapshot()
        self._commit()
        if self._run_start is None:
            self._push(f"Iteration {self._iteration}", before)

    def _commit(self) -> None:
        """Apply the current iteration's update: the next iteration starts at cursor 0."""
        trace = self._trace
        self._iteration += 1
        if math.isfinite(trace.loss_after):
            self._history.append(trace.loss_after)
        self._replace(trace.updated, keep_cursor=False, cursor=0, history_changed=True)

    def _load(self, problem: Problem, iteration: int, history: Floats | list[float] | None) -> None:
        self._history.clear()
        trace = iterate(problem)
        if history is not None and len(history):
            self._history.extend(history)
        elif math.isfinite(trace.loss):
            self._history.append(trace.loss)
        self._iteration = iteration
        self._replace(problem, keep_cursor=False, cursor=0, history_changed=True)

    def _set_last(self, value: float) -> None:
        n = len(self._history)
        if n and math.isfinite(value) and self._history.last() != value:
            self._history.truncate(n - 1)
            self._history.append(value)

    def _replace(self, problem: Problem, keep_cursor: bool, cursor: int | None = 0,
                 history_changed: bool = False) -> None:
        self._problem = problem
        self._trace = iterate(problem)
        if not keep_cursor:
            self._cursor = self.total_steps if cursor is None else min(cursor, self.total_steps)
        if not history_changed and math.isfinite(self._trace.loss):
            # An edit changes the loss of the iteration we are at: keep the plot truthful.
            self._set_last(self._trace.loss)
            history_changed = True
        self._set_diverged(diverged(self._trace))
        self.problemChanged.emit()
        self.cursorChanged.emit(self._cursor)
        if history_changed:
            self.historyChanged.emit()

    def _set_cursor(self, cursor: int) -> None:
        if cursor != self._cursor:
            self._cursor = cursor
            self.cursorChanged.emit(cursor)

    def _set_diverged(self, value: bool) -> None:
        if value != self._diverged:
            self._diverged = value
            self.divergedChanged.emit(value)
