"""Frame timing for a real Qt event loop, used by the window benchmarks and the soak test.

A frame ends with the event during which the top-level window handled an ``UpdateRequest``
(Qt's "paint everything that is dirty now", at most once per display refresh; Qt may send it
from within another event's handling). A frame's *time* is
the work the event loop did since the previous frame ended: the sum of the time spent handling
every event in between (timer ticks that train or animate, signal deliveries, layout, the
paint itself), idle waiting excluded. Measured by overriding ``QApplication.notify`` for
top-level (non-nested) events; its own cost is a few microseconds per event and is included.
Qt messages (warnings) are collected with ``qInstallMessageHandler``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

from first_paint import active_timers  # noqa: F401 (re-exported for the benchmarks)
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QWidget

IGNORED_MESSAGES = ("This plugin does not support",)
"""Offscreen-platform chatter (also ignored by the test suite's pytest configuration)."""


class TimingApp(QApplication):
    """A QApplication that records frame times (see the module docstring)."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__(argv)
        self._depth = 0
        self._busy = 0.0
        self._paint = 0.0
        self._cpu = 0.0
        self._painted = False
        self.recording = False
        self.frames_cpu: list[float] = []
        """CPU seconds of the GUI thread per frame (what the frame costs, whatever else runs)."""
        self.frames: list[float] = []
        """Busy seconds per frame while recording."""
        self.frame_ends: list[float] = []
        self.paints: list[float] = []
        """Seconds spent in the UpdateRequest (paint) itself, per frame."""
        self.frame_info: list[Any] = []
        self.on_frame: Any = None
        """Called at the end of each recorded frame; what it returns goes to ``frame_info``."""

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        if self._depth:
            if event.type() != QEvent.Type.UpdateRequest or not _top_level(receiver):
                return super().notify(receiver, event)
            # The window repaints everything dirty (sent from within another event's handling).
            t0 = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                self._paint += time.perf_counter() - t0
                self._painted = True
        self._depth = 1
        t0 = time.perf_counter()
        c0 = time.thread_time()
        try:
            return super().notify(receiver, event)
        finally:
            t1 = time.perf_counter()
            self._cpu += time.thread_time() - c0
            self._depth = 0
            self._busy += t1 - t0
            if event.type() == QEvent.Type.UpdateRequest and _top_level(receiver):
                self._paint += t1 - t0
                self._painted = True
            if self._painted:  # a frame ends with the event in which the window was painted
                if self.recording:
                    self.frames.append(self._busy)
                    self.frames_cpu.append(self._cpu)
                    self.frame_ends.append(t1)
                    self.paints.append(self._paint)
                    self.frame_info.append(self.on_frame() if self.on_frame is not None else None)
                self._busy = self._paint = self._cpu = 0.0
                self._painted = False

    def start_recording(self) -> None:
        self.frames, self.frame_ends, self.paints, self.frame_info, self.frames_cpu = [], [], [], [], []
        self._busy = self._paint = self._cpu = 0.0
        self.recording = True

    def stop_recording(self) -> dict[str, Any]:
        self.recording = False
        return frame_stats(self.frames, self.frame_ends, self.paints, self.frames_cpu)


def _top_level(obj: QObject) -> bool:
    return isinstance(obj, QWindow) or (isinstance(obj, QWidget) and obj.isWindow())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def frame_stats(frames: list[float], ends: list[float], paints: list[float],
                cpu: list[float] | None = None) -> dict[str, Any]:
    intervals = [b - a for a, b in itertools.pairwise(ends)]
    ms = [f * 1e3 for f in frames]
    cpu_ms = [c * 1e3 for c in cpu or []]
    return {
        "frames": len(frames),
        "frame_ms_median": statistics.median(ms) if ms else float("nan"),
        "frame_ms_p95": percentile(ms, 95),
        "frame_ms_max": max(ms) if ms else float("nan"),
        "frame_cpu_ms_median": statistics.median(cpu_ms) if cpu_ms else float("nan"),
        "frame_cpu_ms_p95": percentile(cpu_ms, 95),
        "paint_ms_median": statistics.median(paints) * 1e3 if paints else float("nan"),
        "paint_ms_p95": percentile([p * 1e3 for p in paints], 95),
        "fps": (len(intervals) / (ends[-1] - ends[0])) if len(ends) > 1 and ends[-1] > ends[0] else 0.0,
        "interval_ms_p95": percentile([i * 1e3 for i in intervals], 95),
    }


class Messages:
    """Every Qt message while installed (warnings and worse kept apart)."""

    def __init__(self) -> None:
        self.all: list[str] = []
        self.warnings: list[str] = []
        qInstallMessageHandler(self._handle)

    def _handle(self, mode: QtMsgType, context: object, message: str) -> None:
        self.all.append(message)
        if mode != QtMsgType.QtDebugMsg and mode != QtMsgType.QtInfoMsg and not message.startswith(IGNORED_MESSAGES):
            self.warnings.append(f"{mode.name}: {message}")


def run_for(app: QApplication, seconds: float, until: Any = None) -> None:
    """Run the real event loop for ``seconds``, or until ``until()`` is true (checked every 50 ms)."""
    deadline = time.perf_counter() + seconds
    loop = QEventLoop()
    if until is None:
        QTimer.singleShot(max(1, int(seconds * 1000)), loop.quit)
        loop.exec()
        return
    while time.perf_counter() < deadline and not until():
        QTimer.singleShot(50, loop.quit)
        loop.exec()


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def private_settings() -> None:
    """Settings, autosaves and caches of this run go to a temporary folder, not the user's."""
    import atexit
    import shutil
    import tempfile

    home = tempfile.mkdtemp(prefix="netviz-bench-")
    atexit.register(shutil.rmtree, home, True)
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_STATE_HOME", "state")):
        os.environ[var] = os.path.join(home, sub)


def make_app() -> TimingApp:
    """The application exactly as ``netviz`` makes it (netviz.ui.launch._application), as a TimingApp."""
    from PySide6 import QtWidgets

    from netviz.ui import launch

    private_settings()
    original = QtWidgets.QApplication
    QtWidgets.QApplication = TimingApp  # type: ignore[misc]  # launch imports the name when called
    try:
        app = launch._application()
    finally:
        QtWidgets.QApplication = original  # type: ignore[misc]
    assert isinstance(app, TimingApp)
    return app


def make_window(app: QApplication, size: tuple[int, int] = (1280, 800)):  # type: ignore[no-untyped-def]
    """The real main window as ``netviz`` opens it (with its file controller and autosave), shown."""
    from netviz.ui import launch
    from netviz.ui.main_window import MainWindow

    window = MainWindow()
    files = launch._file_controller(window)
    if files is not None and hasattr(files, "ask_on_close"):
        files.ask_on_close = False  # nobody is there to answer "Save changes?" when the benchmark closes it
    window.resize(*size)
    window.show()
    for _ in range(5):
        app.processEvents()
    run_for(app, 0.3)
    return window
