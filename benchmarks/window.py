"""Targets 3, 5 and 6: animated stepping, start-up time, idle.

    python3 benchmarks/window.py start [--runs N]          launch → first painted window, netviz vs bare
    python3 benchmarks/window.py idle [--seconds S]        CPU and wake-ups while idle, netviz vs bare
    python3 benchmarks/window.py step [--seconds S]        frame times while Play steps with animation

Each prints one JSON object. The platform is whatever QT_QPA_PLATFORM says (offscreen when
unset); run under ``xvfb-run -a`` with QT_QPA_PLATFORM=xcb for a real X server.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHILD = HERE / "app_child.py"


def child_env(home: str) -> dict[str, str]:
    """A fresh settings/data folder per child: no remembered geometry, no crash-recovery offer."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"), ("XDG_CACHE_HOME", "cache"),
                     ("XDG_STATE_HOME", "state")):
        env[var] = os.path.join(home, sub)
    env["HOME"] = home
    # This machine sets PYTHONDONTWRITEBYTECODE=1: an editable netviz would then be compiled from
    # source at every launch, while site-packages (numpy, pyqtgraph) have their .pyc from pip.
    # Users' installs (wheel, .deb, bundle) are compiled, so measure with bytecode caching on.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# ---- start-up ---------------------------------------------------------------------------------


def start_once(which: str, command: list[str] | None = None) -> float:
    """Seconds from launching the process to its first painted window."""
    with tempfile.TemporaryDirectory() as home:
        args = command or [sys.executable, str(CHILD), which, "start"]
        t0 = time.monotonic()
        proc = subprocess.run(args, capture_output=True, text=True, env=child_env(home), timeout=120, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{which} start run failed ({proc.returncode}): {proc.stderr.strip()[-1500:]}")
    return float(json.loads(lines[-1])["painted_monotonic"]) - t0


def ratio_interval(netviz: list[float], bare: list[float], draws: int = 4000) -> tuple[float, float]:
    """A 95 % interval for median(netviz) / median(bare): the interleaved runs resampled as pairs
    (bootstrap). On this virtual machine the median of 15 starts moves by several per cent from
    one run to the next; the interval says how far one run's ratio can be trusted."""
    pairs = list(zip(netviz, bare, strict=True))
    rng = random.Random(6)
    ratios = []
    for _ in range(draws):
        sample = [rng.choice(pairs) for _ in pairs]
        ratios.append(statistics.median(a for a, _ in sample) / statistics.median(b for _, b in sample))
    ratios.sort()
    return ratios[int(0.025 * draws)], ratios[int(0.975 * draws) - 1]


START_CHILDREN = ("netviz", "bare", "bare-paused-gc")
"""netviz against the bare window (the target's comparison); the bare window with its garbage
collection paused as netviz's start pauses it is a like-for-like figure beside it."""


def start(runs: int) -> dict[str, Any]:
    for which in START_CHILDREN:  # warm the file-system cache (first runs are not what users see twice)
        start_once(which)
    times: dict[str, list[float]] = {which: [] for which in START_CHILDREN}
    order = random.Random(5)
    for _ in range(runs):  # interleaved, one of each per round; the order within a round is drawn, so
        # that none is always the one that follows another (this machine's speed drifts over seconds)
        for which in order.sample(START_CHILDREN, len(START_CHILDREN)):
            times[which].append(start_once(which))
    med = {k: statistics.median(v) for k, v in times.items()}
    paused = "bare-paused-gc"
    return {"platform": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "runs": runs,
            "netviz_s": med["netviz"], "bare_s": med["bare"], "ratio": med["netviz"] / med["bare"],
            "ratio_95": ratio_interval(times["netviz"], times["bare"]),
            "bare_paused_gc_s": med[paused], "ratio_paused_gc": med["netviz"] / med[paused],
            "ratio_paused_gc_95": ratio_interval(times["netviz"], times[paused]), "samples": times}


# ---- idle -----------------------------------------------------------------------------------------


def _proc_cpu(pid: int) -> tuple[int, int]:
    """(CPU clock ticks used so far, voluntary + involuntary context switches) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    switches = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.endswith("ctxt_switches") or "ctxt_switches:" in line:
            switches += int(line.split(":")[1])
    # Threads' switches too (Qt may have helper threads)
    for task in Path(f"/proc/{pid}/task").iterdir():
        if task.name == str(pid):
            continue
        for line in (task / "status").read_text().splitlines():
            if "ctxt_switches:" in line:
                switches += int(line.split(":")[1])
    return ticks, switches


REPORT_TAIL_S = 0.5
"""Wait this long after an idle child's report before counting: writing it, and dropping the
wrappers of every QObject that finding its timers made, is the probe's work, not the app's. (One
run counted 2 ticks and one context switch for netviz, where a child asleep all along has none:
most likely it was still finishing its report when the count began.)"""


def idle_once(which: str, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as home:
        proc = subprocess.Popen([sys.executable, str(CHILD), which, "idle"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=child_env(home))
        try:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line.startswith("{"):
                raise RuntimeError(f"{which} idle child said {line!r}: {proc.stderr.read() if proc.stderr else ''}")
            report = json.loads(line)
            time.sleep(REPORT_TAIL_S)
            cpu0, sw0 = _proc_cpu(proc.pid)
            t0 = time.monotonic()
            time.sleep(seconds)  # the parent waits; the child is the one measured
            cpu1, sw1 = _proc_cpu(proc.pid)
            wall = time.monotonic() - t0
        finally:
            proc.kill()
            proc.communicate()
    ticks = cpu1 - cpu0  # whole clock ticks: judged as a count, not as a difference of float seconds
    cpu_s = ticks / os.sysconf("SC_CLK_TCK")
    return {"cpu_ticks": ticks, "cpu_s": cpu_s, "cpu_percent": 100 * cpu_s / wall, "wakeups": sw1 - sw0,
            "wakeups_per_s": (sw1 - sw0) / wall, "seconds": wall, "active_timers": report["active_timers"],
            "platform": report["platform"]}


def idle(seconds: float) -> dict[str, Any]:
    return {"seconds": seconds, "netviz": idle_once("netviz", seconds), "bare": idle_once("bare", seconds),
            "clock_tick_s": 1 / os.sysconf("SC_CLK_TCK")}


# ---- animated stepping -------------------------------------------------------------------------


def step(seconds: float, speed_label: str, stall_ms: int) -> dict[str, Any]:
    """Play at an animated speed; frame times, and whether the lesson keeps its pace after a stall."""
    sys.path.insert(0, str(HERE))
    from frames import Messages, make_app, make_window, run_for
    from PySide6.QtCore import QTimer

    from netviz.app.player import SPEEDS

    app = make_app()
    messages = Messages()
    window = make_window(app)
    session, player = window.session, window.player
    index = next(i for i, s in enumerate(SPEEDS) if s.label.startswith(speed_label))
    player.set_speed(index)
    step_ms = SPEEDS[index].step_ms
    steps = [0]
    session.cursorChanged.connect(lambda _c: steps.__setitem__(0, steps[0] + 1))
    app.start_recording()
    t0 = time.perf_counter()
    player.play()
    if stall_ms:  # one frame that blocks the event loop, half way through
        def stall() -> None:
            end = time.perf_counter() + stall_ms / 1000
            while time.perf_counter() < end:
                pass

        QTimer.singleShot(int(seconds * 500), stall)
    run_for(app, seconds)
    elapsed = time.perf_counter() - t0
    player.pause()
    stats = app.stop_recording()
    frames = sorted(app.frames)
    if stall_ms and frames:
        frames = frames[:-1]  # the stalled frame is ours, not the app's
        from frames import percentile

        stats["frame_ms_p95_without_stall"] = percentile([f * 1e3 for f in frames], 95)
    result = {"platform": app.platformName(), "speed": SPEEDS[index].label, "step_ms": step_ms, "seconds": elapsed,
              "steps_taken": steps[0], "steps_expected": elapsed * 1000 / step_ms, "stall_ms": stall_ms,
              "frames": stats, "animating": window.diagram.scene() is not None, "qt_warnings": messages.warnings}
    window.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("start")
    s.add_argument("--runs", type=int, default=7)
    i = sub.add_parser("idle")
    i.add_argument("--seconds", type=float, default=30.0)
    p = sub.add_parser("step")
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--speed", default="Normal", help="label prefix of a speed in netviz.app.player.SPEEDS")
    p.add_argument("--stall-ms", type=int, default=300)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.what == "start":
        out = start(args.runs)
    elif args.what == "idle":
        out = idle(args.seconds)
    else:
        out = step(args.seconds, args.speed, args.stall_ms)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
