"""Soak test (issue 5) and targets 2 and 7: play at full speed with the window open.

Opens the real main window at 1280×800, presses Play at the fastest speed and lets the real
event loop run until a million iterations are done (``--iterations``), recording every frame
(see ``frames.py``) and the iteration count at each. Reports:

- iterations per second, frames per second, and frame times (busy time per frame, median and
  p95) early in the run and again past the last iteration, to show that per-frame work does
  not grow with the history;
- resident memory after start and after the run (paused, collected);
- every Qt warning seen (qInstallMessageHandler).

    QT_QPA_PLATFORM=offscreen python3 benchmarks/soak.py            # prints JSON
    xvfb-run -a python3 benchmarks/soak.py --iterations 1000000      # under X
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from frames import Messages, frame_stats, make_app, make_window, rss_bytes, run_for

WINDOW_S = 1.0
"""Seconds of frames measured at the start and again at the end."""


def soak(iterations: int, size: tuple[int, int]) -> dict:  # type: ignore[type-arg]
    from netviz.app.player import SPEEDS

    app = make_app()
    messages = Messages()
    window = make_window(app, size)
    session, player = window.session, window.player
    gc.collect()
    rss_start = rss_bytes()

    player.set_speed(len(SPEEDS) - 1)
    app.on_frame = lambda: session.iteration
    app.start_recording()

    t0 = time.perf_counter()
    player.play()
    deadline = t0 + max(60.0, iterations / 20_000)
    while session.iteration < iterations and time.perf_counter() < deadline and player.playing:
        run_for(app, 0.05)
    reached = time.perf_counter()
    iterations_at_target = session.iteration
    # Keep playing a little longer, to measure frames once the history is that long.
    run_for(app, WINDOW_S)
    t_end = time.perf_counter()
    player.pause()
    data = app.stop_recording()
    frames, ends, paints, frame_iters, cpu = app.frames, app.frame_ends, app.paints, app.frame_info, app.frames_cpu
    early = [i for i, e in enumerate(ends) if e - t0 <= WINDOW_S]
    late = [i for i, e in enumerate(ends) if e >= reached]

    def part(idx: list[int]) -> dict:  # type: ignore[type-arg]
        out = frame_stats([frames[i] for i in idx], [ends[i] for i in idx], [paints[i] for i in idx],
                          [cpu[i] for i in idx])
        if idx:
            out["iterations_from"] = frame_iters[idx[0]]
            out["iterations_to"] = frame_iters[idx[-1]]
            span = ends[idx[-1]] - ends[idx[0]]
            out["iterations_per_s"] = (frame_iters[idx[-1]] - frame_iters[idx[0]]) / span if span > 0 else 0.0
        return out

    run_for(app, 0.3)
    gc.collect()
    rss_end = rss_bytes()
    result = {
        "platform": app.platformName(),
        "size": list(size),
        "target_iterations": iterations,
        "iterations_done": session.iteration,
        "reached_target": iterations_at_target >= iterations,
        "seconds_to_target": reached - t0,
        "iterations_per_s": iterations_at_target / (reached - t0),
        "seconds_total": t_end - t0,
        "all_frames": data,
        "early": part(early),
        "late": part(late),
        "rss_start_mb": rss_start / 2**20,
        "rss_end_mb": rss_end / 2**20,
        "rss_growth_mb": (rss_end - rss_start) / 2**20,
        "history_mb": session.history.nbytes / 2**20,
        "undo_steps": session.undo_stack.count(),
        "qt_warnings": messages.warnings,
        "qt_messages": len(messages.all),
        "qt_gui_threadpool": not os.environ.get("QT_NO_GUI_THREADPOOL"),
        "diverged": session.diverged,
    }
    window.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--iterations", type=int, default=1_000_000)
    ap.add_argument("--size", default="1280x800")
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    w, h = (int(v) for v in args.size.lower().split("x"))
    json.dump(soak(args.iterations, (w, h)), sys.stdout)


if __name__ == "__main__":
    main()
