"""Follows the session's cursor and animates each newly reached micro-step.

One step forward (the cursor moved by one within the same trace) plays that step: pulses
travel along its edges, its node flashes or its label counts from the old to the new value,
and the value appears when the animation ends. Any other change (a jump, an edit, a new
iteration, undo) shows the new picture at once. The animation lasts ``player.step_ms ×
scale`` milliseconds, driven by elapsed time (QVariantAnimation); with a duration of 0 (the
fastest speed, or scale 0) nothing is animated. A new step finishes the previous one first,
so animations never pile up; with nothing to animate no timer runs.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QObject, QVariantAnimation

from netviz.app.player import Player
from netviz.app.session import Session
from netviz.ui.diagram.scene import DiagramScene


class DiagramAnimator(QObject):
    def __init__(self, scene: DiagramScene, session: Session, player: Player | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scene = scene
        self._session = session
        self._player = player
        self._scale = 1.0
        self._cursor = session.cursor
        self._jumped = False
        self._step: int | None = None
        self.started_steps: list[int] = []
        """Indices of the steps animated (or shown) one at a time, in order (for tests)."""
        self._anim = QVariantAnimation(self)
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setEasingCurve(QEasingCurve.Type.InOutSine)
        self._anim.valueChanged.connect(self._on_value)
        self._anim.finished.connect(self._on_finished)
        session.problemChanged.connect(self._on_problem_changed)
        session.cursorChanged.connect(self._on_cursor_changed)

    # ---- reading / settings ----------------------------------------------------------------
    @property
    def scale(self) -> float:
        return self._scale

    @scale.setter
    def scale(self, factor: float) -> None:
        self._scale = max(0.0, float(factor))
        if self._scale == 0:
            self.finish()

    @property
    def running(self) -> bool:
        return self._anim.state() == QVariantAnimation.State.Running

    @property
    def animation(self) -> QVariantAnimation:
        return self._anim

    def duration_ms(self) -> int:
        step_ms = self._player.step_ms if self._player is not None else 0
        return round(step_ms * self._scale)

    # ---- intent ------------------------------------------------------------------------------
    def finish(self) -> None:
        """Jump the running animation (if any) to its end."""
        if self._step is not None:
            self._anim.stop()
            self._step = None
            self._scene.end_step(self._session.cursor)

    def stop(self) -> None:
        """Stop everything now (the view is closing): no animation, no pending redraw."""
        self._anim.stop()
        self._step = None
        self._scene.stop()

    # ---- session signals ---------------------------------------------------------------------
    def _on_problem_changed(self) -> None:
        self._jumped = True

    def _on_cursor_changed(self, cursor: int) -> None:
        one_step = not self._jumped and cursor == self._cursor + 1
        self._jumped = False
        self._cursor = cursor
        self.finish()
        duration = self.duration_ms()
        if one_step:
            self.started_steps.append(cursor - 1)
        if one_step and duration > 0:
            self._step = cursor - 1
            self._scene.begin_step(cursor - 1)
            self._anim.setDuration(duration)
            self._anim.start()
        else:
            self._scene.show_cursor(cursor)

    def _on_value(self, value: object) -> None:
        if self._step is not None:
            self._scene.animate_step(float(value))  # type: ignore[arg-type]

    def _on_finished(self) -> None:
        if self._step is not None:
            self._step = None
            self._scene.end_step(self._session.cursor)
