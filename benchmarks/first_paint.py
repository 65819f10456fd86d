"""Report when the application's main window has been painted for the first time.

``install(mode)`` wraps ``QMainWindow.show`` so that showing a main window puts an event filter
on the application; a zero-time single shot after the first Paint event of any widget in that
window fires once that whole repaint (all its widgets) is done. Then, with mode ``start``, it
prints ``{"painted_monotonic": t}`` and ends the process at once; with mode ``idle`` it waits
``SETTLE_MS``, prints the active timers and animations as JSON, and leaves the app running.
Used by app_child.py (from source) and the frozen entry scripts (bundle.py).
"""

from __future__ import annotations

import json
import os
import sys
import time

from PySide6.QtCore import QAbstractAnimation, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

SETTLE_MS = 2000


def active_timers(root: QObject) -> list[str]:
    """QTimers that are running and animations that are not stopped, under ``root`` and the app."""
    found = []
    objs = [root, *root.findChildren(QObject)]
    app = QApplication.instance()
    if app is not None:
        objs += [app, *app.findChildren(QObject)]
    for obj in objs:
        if isinstance(obj, QTimer) and obj.isActive():
            found.append(f"QTimer {obj.objectName() or hex(id(obj))} (parent {type(obj.parent()).__name__}, "
                         f"{obj.interval()} ms)")
        elif isinstance(obj, QAbstractAnimation) and obj.state() != QAbstractAnimation.State.Stopped:
            found.append(f"{type(obj).__name__} (parent {type(obj.parent()).__name__})")
    return found


class _FirstPaint(QObject):
    def __init__(self, window: QMainWindow, mode: str) -> None:
        super().__init__(window)
        self._window = window
        self._mode = mode
        self._seen = False

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if not self._seen and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) \
                and obj.window() is self._window:
            self._seen = True
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        t = time.monotonic()
        if self._mode == "start":
            print(json.dumps({"painted_monotonic": t}), flush=True)
            if os.environ.get("BENCH_PROFILE"):  # let a profiler see a normal exit
                QApplication.quit()
                return
            os._exit(0)
        QTimer.singleShot(SETTLE_MS, self._report_idle)

    def _report_idle(self) -> None:
        print(json.dumps({"active_timers": active_timers(self._window), "platform": QApplication.platformName()}),
              flush=True)


def install(mode: str) -> None:
    show = QMainWindow.show

    def show_and_watch(self: QMainWindow) -> None:
        if not hasattr(self, "_bench_first_paint"):
            self._bench_first_paint = _FirstPaint(self, mode)
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self._bench_first_paint)
        show(self)

    QMainWindow.show = show_and_watch  # type: ignore[method-assign]


def bare_window() -> int:
    """The comparison application: a QMainWindow holding a pyqtgraph PlotWidget, 1280×800."""
    import pyqtgraph as pg

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.setCentralWidget(pg.PlotWidget())
    window.resize(1280, 800)
    window.show()
    return app.exec()
