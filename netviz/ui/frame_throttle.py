"""At most one redraw per frame, however many changes ask for one.

A view that redraws on every signal would redraw many times a frame while playing. Each view
asks its :class:`FrameThrottle` instead; the throttle runs the redraw once the rest of the frame
since the last one has passed (at once if a whole frame has), so a request every frame redraws
every frame, and a burst of requests within a frame redraws once. Nothing runs while idle.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QObject, QTimer

FRAME_MS = 16
"""One frame at 60 Hz, rounded down to whole milliseconds."""


class FrameThrottle(QObject):
    """Runs ``redraw`` at most once per :data:`FRAME_MS`; the view calls :meth:`done` when it redraws."""

    def __init__(self, redraw: Callable[[], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(redraw)
        self._since = QElapsedTimer()

    @property
    def pending(self) -> bool:
        """A redraw has been asked for and has not run yet."""
        return self._timer.isActive()

    @property
    def wait_ms(self) -> int:
        """How long the pending redraw was set to wait when it was asked for."""
        return self._timer.interval()

    def request(self) -> None:
        """Redraw soon: now if a whole frame has passed since the last redraw, else at its end."""
        if self._timer.isActive():
            return
        wait = 0
        if self._since.isValid():
            wait = max(0, FRAME_MS - int(self._since.elapsed()))
        self._timer.start(wait)

    def done(self) -> None:
        """The view has just redrawn (from the timer or directly): nothing is pending, a frame starts."""
        self._timer.stop()
        self._since.start()

    def stop(self) -> None:
        """Forget a pending redraw (the view is closing)."""
        self._timer.stop()
