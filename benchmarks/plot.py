"""Target 4: refreshing a loss plot of millions of points, against pyqtgraph's own downsampling.

One refresh = what a live plot does each frame while training appends points: new points
arrive (not timed: the same for both), the curve is handed its data (``setData``) and the
plot widget is painted (``grab()``, which runs the view's full paint, axes included).

- netviz: ``LossHistory.envelope(0, n, width)`` (the min/max pyramid) → ``setData`` of at most a
  few thousand points, downsampling off (as ``netviz/ui/loss_plot.py`` sets it up).
- pyqtgraph: the whole history handed to ``setData`` with ``setDownsampling(auto=True,
  method='peak')`` and ``setClipToView(True)``, pyqtgraph's recommended way for large data.

Both curves use the loss plot's pen and grid, the same widget size and data; refreshes are
interleaved. ``run.py`` runs this twice: as Qt starts by default, and with
``QT_NO_GUI_THREADPOOL=1`` (Qt's raster engine then fills large areas on the GUI thread instead
of handing them to a thread pool, which on a 2-core machine costs more in waking threads than
it saves: see RESULTS.md). Also measured:
memory per iteration of history, for several kinds of loss curve (the history packs its values
losslessly, so what they hold matters): bytes held, tracemalloc and resident-set growth.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np

from netviz.model.history import LossHistory

WIDTH, HEIGHT = 800, 300
APPEND_PER_REFRESH = 2_000
"""Points that arrive between two refreshes (about one frame of play at full speed)."""


def synthetic_losses(n: int, seed: int = 1) -> np.ndarray:
    """A training-like loss curve: decay, noise, and rare spikes that a plot must not lose."""
    rng = np.random.default_rng(seed)
    i = np.arange(n, dtype=np.float64)
    y = 0.3 * np.exp(-i / max(1.0, n / 8)) + 1e-3 * np.abs(1.0 + 0.2 * rng.standard_normal(n))
    spikes = rng.integers(0, n, size=max(1, n // 200_000))
    y[spikes] += 0.2
    return y


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


MEMORY_DATA = {
    "synthetic": "the synthetic training curve above (decay, noise, spikes)",
    "lecture": "the lecture note's network trained by the engine (reaches E = 0 exactly)",
    "narrow": "a plateau: 0.1 + 0.001 × uniform noise",
    "uniform": "uniform noise in [0, 1): noise in every mantissa bit, the hardest of these to pack",
}
"""The histories whose memory is measured: what they are, for the report."""


def memory_data(kind: str, n: int) -> np.ndarray:
    rng = np.random.default_rng(3)
    if kind == "synthetic":
        return synthetic_losses(n)
    if kind == "lecture":
        from netviz.model.kernel import train
        from netviz.model.network import Problem

        return np.array(train(Problem.lecture_note(), n).losses)
    if kind == "narrow":
        return 0.1 + 1e-3 * rng.random(n)
    if kind == "uniform":
        return rng.random(n)
    raise SystemExit(f"unknown history kind {kind!r}; one of {', '.join(MEMORY_DATA)}")


def history_memory(n: int, kind: str, chunk: int = 3_300) -> dict[str, float]:
    """Bytes per iteration of a LossHistory filled ``chunk`` points at a time, as play does
    (about one frame's worth at full speed).

    Run in a fresh process (``--memory N --data KIND``). Two fills: the first reads only the
    resident set (at n/2 and at n: the slope between them is the cost of one more iteration,
    free of the constant cost of the first allocations); the second, under tracemalloc, counts
    the allocations (which include the pyramid's spare capacity: address space, not memory,
    until written). The data are made before either fill, outside both measurements.
    """
    data = memory_data(kind, n)

    def fill(h: LossHistory, upto: int, start: int = 0) -> None:
        for s in range(start, upto, chunk):
            h.extend(data[s : min(s + chunk, upto)])

    gc.collect()
    rss0 = rss_bytes()
    h = LossHistory()
    fill(h, n // 2)
    gc.collect()
    rss_half = rss_bytes()
    t0 = time.perf_counter()
    fill(h, n, n // 2)
    fill_s = time.perf_counter() - t0
    gc.collect()
    rss1 = rss_bytes()
    assert np.array_equal(h.values, data), "the history did not give back its values exactly"
    used = h.nbytes
    packed = sum(c.nbytes for c in h._chunks)
    del h
    gc.collect()

    tracemalloc.start()
    h = LossHistory()
    fill(h, n)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    pyramid = sum(16 * filled for _, _, filled in h._levels)
    return {
        "iterations": n,
        "data": kind,
        "description": MEMORY_DATA[kind],
        "bytes_per_iteration": used / n,
        "rss_growth_bytes_per_iteration": (rss1 - rss0) / n,
        "rss_marginal_bytes_per_iteration": (rss1 - rss_half) / (n - n // 2),
        "packed_bytes_per_iteration": packed / n,
        "pyramid_bytes_per_iteration": pyramid / n,
        "allocated_bytes_per_iteration": current / n,
        "peak_allocated_bytes_per_iteration": peak / n,
        "extend_ns_per_iteration": fill_s / (n - n // 2) * 1e9,
    }


ZOOM_SPANS = (60_000, 400_000)
"""Zoomed views: shorter than ``WIDTH × BASE`` points (the envelope reads the values themselves,
unpacking chunks) and longer (it reads the pyramid's finest levels)."""


def zoomed_refreshes(history: LossHistory, ours_w: object, ours: object, theirs_w: object, theirs: object,
                     span: int, refreshes: int) -> dict[str, float]:
    """Panning a zoomed view across the middle of the history, one step per refresh.

    netviz: the envelope of the visible range → setData → paint, measured twice: "cold" with the
    history's read cache emptied before every refresh (each one unpacks its chunks, as a jump to a
    new place does) and "warm" (panning, as a user drags). pyqtgraph: the view range moved with
    ``setXRange`` → paint (with clipToView it re-clips and re-downsamples the whole curve).
    """
    n = len(history)
    step = span // 10
    t_cold: list[float] = []
    t_warm: list[float] = []
    t_theirs: list[float] = []
    for r in range(refreshes + 1):
        start = n // 2 - span // 2 + r * step
        for times, cold in ((t_cold, True), (t_warm, False)):
            if cold:
                history._cache.clear()
            t0 = time.perf_counter()
            x, y = history.envelope(start, start + span, WIDTH)
            ours.setData(x, y, skipFiniteCheck=True)  # type: ignore[attr-defined]
            ours_w.grab()  # type: ignore[attr-defined]
            if r:
                times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        theirs_w.getPlotItem().setXRange(start, start + span, padding=0)  # type: ignore[attr-defined]
        theirs_w.grab()  # type: ignore[attr-defined]
        if r:
            t_theirs.append(time.perf_counter() - t0)
    return {
        "netviz_cold_ms": statistics.median(t_cold) * 1e3,
        "netviz_cold_p95_ms": float(np.percentile(t_cold, 95)) * 1e3,
        "netviz_warm_ms": statistics.median(t_warm) * 1e3,
        "pyqtgraph_ms": statistics.median(t_theirs) * 1e3,
    }


def measure(quick: bool) -> dict:  # type: ignore[type-arg]
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    sizes = [1_000_000] if quick else [1_000_000, 10_000_000]
    refreshes = 8 if quick else 25
    pen = pg.mkPen("#0072b2", width=2)

    def make_widget() -> tuple[pg.PlotWidget, pg.PlotDataItem]:
        w = pg.PlotWidget(background="w")
        w.resize(WIDTH, HEIGHT)
        w.show()
        item = w.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        curve = item.plot(pen=pen, antialias=False)
        return w, curve

    results: dict[str, object] = {"widget_size": [WIDTH, HEIGHT], "append_per_refresh": APPEND_PER_REFRESH,
                                  "qt_gui_threadpool": not os.environ.get("QT_NO_GUI_THREADPOOL"), "sizes": {}}
    for n in sizes:
        total = n + refreshes * APPEND_PER_REFRESH
        data = synthetic_losses(total)
        xs_all = np.arange(total, dtype=np.float64)
        history = LossHistory(data[:n])

        ours_w, ours = make_widget()
        ours_w.getPlotItem().setClipToView(False)
        ours_w.getPlotItem().setDownsampling(auto=False)
        ours.setDynamicRangeLimit(None)
        theirs_w, theirs = make_widget()
        theirs_w.getPlotItem().setDownsampling(auto=True, mode="peak")
        theirs_w.getPlotItem().setClipToView(True)
        theirs.setDownsampling(auto=True, method="peak")
        theirs.setClipToView(True)
        app.processEvents()

        t_ours: list[float] = []
        t_ours_envelope: list[float] = []
        t_theirs: list[float] = []
        points_ours = 0
        m = n
        for r in range(refreshes + 1):
            # new points arrive (not timed)
            if r:
                history.extend(data[m : m + APPEND_PER_REFRESH])
                m += APPEND_PER_REFRESH
            t0 = time.perf_counter()
            x, y = history.envelope(0, len(history), WIDTH)
            t1 = time.perf_counter()
            ours.setData(x, y, skipFiniteCheck=True)
            ours_w.grab()
            t2 = time.perf_counter()
            theirs.setData(xs_all[:m], data[:m], skipFiniteCheck=True)
            theirs_w.grab()
            t3 = time.perf_counter()
            if r:  # the first refresh of each is a warm-up
                t_ours.append(t2 - t0)
                t_ours_envelope.append(t1 - t0)
                t_theirs.append(t3 - t2)
                points_ours = max(points_ours, x.size)
        # Do both show the same thing? Compare the y range each view settled on.
        ours_range = ours_w.getPlotItem().getViewBox().viewRange()[1]
        theirs_range = theirs_w.getPlotItem().getViewBox().viewRange()[1]
        zoomed = {str(span): zoomed_refreshes(history, ours_w, ours, theirs_w, theirs, span, refreshes)
                  for span in ZOOM_SPANS}
        ours_w.close()
        theirs_w.close()
        results["sizes"][str(n)] = {  # type: ignore[index]
            "netviz_refresh_ms": statistics.median(t_ours) * 1e3,
            "netviz_refresh_p95_ms": float(np.percentile(t_ours, 95)) * 1e3,
            "netviz_envelope_ms": statistics.median(t_ours_envelope) * 1e3,
            "netviz_points_to_plot": points_ours,
            "pyqtgraph_refresh_ms": statistics.median(t_theirs) * 1e3,
            "pyqtgraph_refresh_p95_ms": float(np.percentile(t_theirs, 95)) * 1e3,
            "speedup": statistics.median(t_theirs) / statistics.median(t_ours),
            "refreshes": refreshes,
            "y_range_netviz": ours_range,
            "y_range_pyqtgraph": theirs_range,
            "zoomed": zoomed,
        }
        del history, data, xs_all
        gc.collect()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--memory", type=int, metavar="N", help="only measure the memory of N iterations of history")
    ap.add_argument("--data", choices=list(MEMORY_DATA), default="synthetic", help="which history --memory fills")
    args = ap.parse_args()
    json.dump(history_memory(args.memory, args.data) if args.memory else measure(args.quick), sys.stdout)


if __name__ == "__main__":
    main()
