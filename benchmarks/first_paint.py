"""Report when the application's main window has been painted for the first time.

``install(mode)`` arranges for ``QMainWindow.show`` to be wrapped as soon as the application
itself imports ``PySide6.QtWidgets`` (an import hook; nothing of Qt is imported here before the
application does: the order of imports is part of what start-up costs, see RESULTS.md). Showing
a main window then puts an event filter on the application; a zero-time single shot after the
first Paint event of any widget in that window fires once that whole repaint (all its widgets)
is done. Then, with mode ``start``, it prints ``{"painted_monotonic": t}`` and ends the process
at once; with mode ``idle`` it waits ``SETTLE_MS``, prints the active timers and animations as
JSON, and leaves the app running. Used by app_child.py (from source) and the frozen entry
scripts (bundle.py).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import time
from types import ModuleType
from typing import Any

SETTLE_MS = 2000
WIDGETS = "PySide6.QtWidgets"


def active_timers(root: Any) -> list[str]:
    """QTimers that are running and animations that are not stopped, under ``root`` and the app."""
    from PySide6.QtCore import QAbstractAnimation, QObject, QTimer
    from PySide6.QtWidgets import QApplication

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


def _watch_first_paint(mode: str) -> None:
    """Wrap ``QMainWindow.show`` (called once PySide6.QtWidgets has been loaded)."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    class FirstPaint(QObject):
        def __init__(self, window: Any) -> None:
            super().__init__(window)
            self._window = window
            self._seen = False

        def eventFilter(self, obj: Any, event: Any) -> bool:
            if not self._seen and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) \
                    and obj.window() is self._window:
                self._seen = True
                QTimer.singleShot(0, self._painted)
            return False

        def _painted(self) -> None:
            t = time.monotonic()
            if mode == "start":
                print(json.dumps({"painted_monotonic": t}), flush=True)
                if os.environ.get("BENCH_PROFILE"):  # let a profiler see a normal exit
                    QApplication.quit()
                    return
                os._exit(0)
            QTimer.singleShot(SETTLE_MS, self._report_idle)

        def _report_idle(self) -> None:
            print(json.dumps({"active_timers": active_timers(self._window),
                              "platform": QApplication.platformName()}), flush=True)

    show = QMainWindow.show

    def show_and_watch(self: Any) -> None:
        if not hasattr(self, "_bench_first_paint"):
            self._bench_first_paint = FirstPaint(self)
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self._bench_first_paint)
        show(self)

    QMainWindow.show = show_and_watch


class _OnWidgetsImport(importlib.abc.MetaPathFinder):
    """Finds PySide6.QtWidgets as the other finders do, and watches for the first paint once
    it has been loaded."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if name != WIDGETS:
            return None
        sys.meta_path.remove(self)  # one module, once; the other finders find it
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        loader, mode = spec.loader, self.mode
        exec_module = loader.exec_module

        def exec_and_watch(module: ModuleType) -> None:
            exec_module(module)
            _watch_first_paint(mode)

        loader.exec_module = exec_and_watch  # type: ignore[method-assign]
        return spec


def install(mode: str) -> None:
    if WIDGETS in sys.modules:
        _watch_first_paint(mode)
    else:
        sys.meta_path.insert(0, _OnWidgetsImport(mode))


def bare_window(pause_collector: bool = False) -> int:
    """The comparison application: a QMainWindow holding a pyqtgraph PlotWidget, 1280×800.

    ``pause_collector`` gives it what netviz's own start does (``netviz.ui.launch.run_window``:
    no cyclic garbage collection until the window is shown, then freeze and resume), for a
    like-for-like figure beside the target's comparison, which is the bare window as written.
    """
    import gc

    if pause_collector:
        gc.disable()
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.setCentralWidget(pg.PlotWidget())
    window.resize(1280, 800)
    window.show()
    if pause_collector:
        gc.freeze()
        gc.enable()
    return app.exec()
