"""Run netviz's benchmarks against their comparisons and write a report.

    python3 benchmarks/run.py            # the full run (minutes): figures for RESULTS.md
    python3 benchmarks/run.py --quick    # every section, smaller and shorter (under a minute)

Each section runs in its own process (so a window's start-up or memory is not coloured by
another's), each figure beside its comparison in the same run. Writes ``benchmarks/out/
results.json`` (``--out`` to change the folder) and ``report.md``, and prints the report.
Nothing here is an assertion: a missed target is reported as missed, with its numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
MEMORY_KINDS = ("synthetic", "lecture", "narrow", "uniform")
"""The loss curves whose history memory is measured (plot.py --data), as the report names them."""
ROOT = HERE.parent
TORCH_PYTHON = HERE / ".venv-torch" / "bin" / "python"

TARGETS = {
    1: "Training engine",
    2: "Play at full speed with the window open",
    3: "Animated stepping",
    4: "Loss plot with millions of points",
    5: "Start-up time",
    6: "Idle",
    7: "Memory after a million iterations of play",
    8: "Bundle size",
}


# ---- running a section -----------------------------------------------------------------------


def run_json(args: list[str], env: dict[str, str] | None = None, timeout: float = 900) -> dict[str, Any]:
    """Run a benchmark script that prints one JSON object; return it (or raise with its stderr)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    proc = subprocess.run(args, capture_output=True, text=True, env=full_env, timeout=timeout, cwd=ROOT,
                          check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    data: dict[str, Any] = json.loads(proc.stdout)
    if proc.stderr.strip():
        data.setdefault("stderr", proc.stderr.strip()[-2000:])
    return data


def section(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    t0 = time.perf_counter()
    print(f"[{name}] ...", file=sys.stderr, flush=True)
    try:
        out = {"status": "ok", "data": fn()}
    except Exception as e:  # a broken section is reported, the others still run
        out = {"status": "error", "reason": f"{type(e).__name__}: {e}"}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    print(f"[{name}] {out['status']} in {out['seconds']} s", file=sys.stderr, flush=True)
    return out


def skipped(reason: str) -> dict[str, Any]:
    return {"status": "skipped", "reason": reason, "seconds": 0.0}


# ---- the machine ------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    versions: dict[str, str] = {}
    for mod in ("numpy", "pyqtgraph", "PySide6"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # a missing module is reported, not fatal
            versions[mod] = "missing"
    os_name = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = f"{line.split('=', 1)[1].strip(chr(34))}, Linux {platform.release()}"
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "os": os_name,
            "load_average_1_5_15": [round(v, 2) for v in os.getloadavg()],
            "python": platform.python_version(), **versions,
            "virtualised": Path("/sys/hypervisor").exists() or "hypervisor" in Path("/proc/cpuinfo").read_text()}


# ---- the sections ------------------------------------------------------------------------------


def engine_section(quick: bool) -> dict[str, Any]:
    python = str(TORCH_PYTHON) if TORCH_PYTHON.exists() else sys.executable
    args = [python, str(HERE / "engine.py")] + (["--quick"] if quick else [])
    return run_json(args)


def plot_section(quick: bool) -> dict[str, Any]:
    args = [sys.executable, str(HERE / "plot.py")] + (["--quick"] if quick else [])
    n = 1_000_000 if quick else 10_000_000
    return {"qt_default": run_json(args), "qt_no_gui_threadpool": run_json(args, {"QT_NO_GUI_THREADPOOL": "1"}),
            "memory": {kind: run_json([sys.executable, str(HERE / "plot.py"), "--memory", str(n), "--data", kind])
                       for kind in MEMORY_KINDS}}


def xvfb_prefix() -> list[str] | None:
    """Command prefix that runs a program on a fresh Xvfb server with Qt's xcb platform."""
    import shutil

    if not shutil.which("xvfb-run"):
        return None
    return ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", "env", "QT_QPA_PLATFORM=xcb"]


def platforms(quick: bool) -> list[tuple[str, list[str]]]:
    """(name, command prefix) of the display platforms to measure on."""
    out = [("offscreen", ["env", "QT_QPA_PLATFORM=offscreen"])]
    x = xvfb_prefix()
    if x and not quick:
        out.append(("xvfb", x))
    return out


def per_platform(quick: bool, args: list[str], timeout: float = 900) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, prefix in platforms(quick):
        try:
            out[name] = run_json([*prefix, sys.executable, *args], timeout=timeout)
        except Exception as e:  # one platform failing is reported, the other still counts
            out[name] = {"error": f"{type(e).__name__}: {e}"}
    if not quick and xvfb_prefix() is None:
        out["xvfb"] = {"error": "xvfb-run is not installed"}
    return out


def soak_section(quick: bool) -> dict[str, Any]:
    n = 200_000 if quick else 1_000_000
    return per_platform(quick, [str(HERE / "soak.py"), "--iterations", str(n)])


def step_section(quick: bool) -> dict[str, Any]:
    return per_platform(quick, [str(HERE / "window.py"), "step", "--seconds", "3" if quick else "10"])


def start_section(quick: bool) -> dict[str, Any]:
    return per_platform(quick, [str(HERE / "window.py"), "start", "--runs", "2" if quick else "25"])


def idle_section(quick: bool) -> dict[str, Any]:
    return per_platform(quick, [str(HERE / "window.py"), "idle", "--seconds", "3" if quick else "30"])


def size_section(quick: bool) -> dict[str, Any]:
    return run_json([sys.executable, str(HERE / "bundle.py")] + (["--quick"] if quick else []), timeout=3600)


# ---- targets: each figure beside its comparison ------------------------------------------------


def figure(what: str, value: float | None, unit: str, *, comparison: str | None = None,
           comparison_value: float | None = None, ratio: float | None = None, limit: str | None = None,
           met: bool | None = None) -> dict[str, Any]:
    return {"what": what, "value": value, "unit": unit, "comparison": comparison,
            "comparison_value": comparison_value, "ratio": ratio, "limit": limit, "met": met}


def overall(figures: list[dict[str, Any]]) -> bool | None:
    judged = [f["met"] for f in figures if f["met"] is not None]
    return all(judged) if judged else None


def engine_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    d = sec["data"]
    small, big = d["lecture_221"], d["net_2881"]
    k = small["netviz_kernel"]["median_s_per_step"]
    hand = small["hand_unrolled"]["median_s_per_step"]
    figs = [figure("netviz kernel, 2-2-1, steps per second", 1 / k, "steps/s"),
            figure("netviz kernel vs hand-unrolled plain Python (time per step)", k * 1e6, "µs/step",
                   comparison="hand-unrolled Python", comparison_value=hand * 1e6, ratio=k / hand,
                   limit="ratio ≤ 2", met=k / hand <= 2)]
    note = ""
    if d.get("torch"):
        for name in ("torch_eager_minimal", "torch_eager_nn_optim"):
            t = small[name]["median_s_per_step"]
            figs.append(figure(f"PyTorch eager ({name.removeprefix('torch_eager_')}) / netviz kernel", k * 1e6,
                               "µs/step", comparison=f"PyTorch {d['torch']} eager CPU, {name}",
                               comparison_value=t * 1e6, ratio=t / k, limit="ratio ≥ 100", met=t / k >= 100))
    else:
        figs.append(figure("PyTorch eager / netviz kernel", None, "", limit="ratio ≥ 100", met=None))
        note = d.get("torch_missing", "PyTorch missing")
    bk, bn = big["netviz_kernel"]["median_s_per_step"], big["numpy"]["median_s_per_step"]
    figs.append(figure("2-8-8-1: netviz kernel steps per second vs NumPy", 1 / bk, "steps/s",
                       comparison="NumPy implementation (per layer, vectorised)", comparison_value=1 / bn,
                       ratio=bn / bk))
    if "torch_eager_minimal" in big:
        bt = big["torch_eager_minimal"]["median_s_per_step"]
        figs.append(figure("2-8-8-1: netviz kernel steps per second vs PyTorch eager", 1 / bk, "steps/s",
                           comparison="PyTorch eager (minimal)", comparison_value=1 / bt, ratio=bt / bk))
    return figs, note


def plot_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    figs = []
    # netviz runs with QT_NO_GUI_THREADPOOL=1 (netviz.ui.launch sets it): that is what is judged.
    # Qt's default (threaded raster fills) is reported beside it, unjudged, to show why.
    for mode, label, judged in (("qt_no_gui_threadpool", "as netviz runs: QT_NO_GUI_THREADPOOL=1", True),
                                ("qt_default", "Qt default, for comparison", False)):
        for n, s in sec["data"][mode]["sizes"].items():
            figs.append(figure(f"refresh at {int(n):,} points ({label}): envelope + setData + paint, median",
                               s["netviz_refresh_ms"], "ms", comparison="pyqtgraph peak downsampling + clipToView",
                               comparison_value=s["pyqtgraph_refresh_ms"], ratio=s["speedup"],
                               limit="≤ 10 ms" if judged else None,
                               met=s["netviz_refresh_ms"] <= 10 if judged else None))
            for span, z in s.get("zoomed", {}).items():
                figs.append(figure(f"zoomed to {int(span):,} of {int(n):,} points, panning ({label}): "
                                   "cold read cache, median", z["netviz_cold_ms"], "ms",
                                   comparison="pyqtgraph peak downsampling + clipToView, same pan",
                                   comparison_value=z["pyqtgraph_ms"], ratio=z["pyqtgraph_ms"] / z["netviz_cold_ms"],
                                   limit="≤ 10 ms" if judged else None,
                                   met=z["netviz_cold_ms"] <= 10 if judged else None))
    for kind, mem in sec["data"]["memory"].items():
        per_it = mem["bytes_per_iteration"]
        figs.append(figure(f"history memory at {mem['iterations']:,} iterations of {kind} losses: packed values "
                           f"{mem['packed_bytes_per_iteration']:.2f} + pyramid {mem['pyramid_bytes_per_iteration']:.2f}"
                           " + raw buffer", per_it, "bytes/iteration", comparison="a float64 array of the same values",
                           comparison_value=8.0, ratio=8.0 / per_it, limit="≤ 8 bytes/iteration", met=per_it <= 8.0))
        figs.append(figure(f"history memory ({kind}): resident-set growth per added iteration (slope from n/2 to n)",
                           mem["rss_marginal_bytes_per_iteration"], "bytes/iteration",
                           comparison="whole growth of a fresh process, over n (includes constant start-up costs)",
                           comparison_value=mem["rss_growth_bytes_per_iteration"], limit="≤ 8 bytes/iteration",
                           met=mem["rss_marginal_bytes_per_iteration"] <= 8.0))
    kinds = "; ".join(f"{kind}: {mem['description']}" for kind, mem in sec["data"]["memory"].items())
    return figs, f"History memory is measured for these loss curves: {kinds}."


def _ok_platforms(sec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, d) for name, d in sec["data"].items() if "error" not in d]


def _errors(sec: dict[str, Any]) -> str:
    return "; ".join(f"{name}: {d['error']}" for name, d in sec["data"].items() if "error" in d)


def play_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    figs = []
    for name, d in _ok_platforms(sec):
        early, late = d["early"], d["late"]
        figs += [
            figure(f"{name}: iterations per second, full-speed play, window open", d["iterations_per_s"], "it/s",
                   limit="≥ 100,000", met=d["iterations_per_s"] >= 100_000),
            figure(f"{name}: frames per second while playing", d["all_frames"]["fps"], "fps", limit="60",
                   met=d["all_frames"]["fps"] >= 57),
            figure(f"{name}: p95 frame time, first {early.get('iterations_to', 0):,} iterations",
                   early["frame_ms_p95"], "ms", limit="≤ 16.7 ms", met=early["frame_ms_p95"] <= 16.7),
            figure(f"{name}: p95 frame time past {late.get('iterations_from', 0):,} iterations",
                   late["frame_ms_p95"], "ms", comparison="the same, early in the run",
                   comparison_value=early["frame_ms_p95"],
                   ratio=late["frame_ms_p95"] / early["frame_ms_p95"] if early["frame_ms_p95"] else None,
                   limit="≤ 16.7 ms; no growth", met=late["frame_ms_p95"] <= 16.7),
            figure(f"{name}: p95 GUI-thread CPU time per frame, early / late (not inflated by other programs)",
                   early["frame_cpu_ms_p95"], "ms", comparison="late", comparison_value=late["frame_cpu_ms_p95"],
                   ratio=late["frame_cpu_ms_p95"] / early["frame_cpu_ms_p95"] if early["frame_cpu_ms_p95"] else None),
            figure(f"{name}: median frame time early / late", early["frame_ms_median"], "ms",
                   comparison="median late", comparison_value=late["frame_ms_median"],
                   ratio=late["frame_ms_median"] / early["frame_ms_median"] if early["frame_ms_median"] else None),
        ]
    return figs, _errors(sec)


def memory_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    figs = []
    notes = []
    for name, d in _ok_platforms(sec):
        figs.append(figure(f"{name}: resident memory growth over {d['iterations_done']:,} iterations of play",
                           d["rss_growth_mb"], "MB", comparison="resident memory after start",
                           comparison_value=d["rss_start_mb"], limit="≤ 50 MB", met=d["rss_growth_mb"] <= 50))
        notes.append(f"{name}: {len(d['qt_warnings'])} Qt warnings" + (f" ({d['qt_warnings'][:3]})" if d["qt_warnings"]
                                                                       else ""))
    return figs, "; ".join(notes + ([_errors(sec)] if _errors(sec) else []))


def step_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    figs = []
    for name, d in _ok_platforms(sec):
        f = d["frames"]
        p95 = f.get("frame_ms_p95_without_stall", f["frame_ms_p95"])
        figs.append(figure(f"{name}: p95 frame time, Play at '{d['speed']}' ({f['frames']} frames)", p95, "ms",
                           limit="≤ 8 ms", met=p95 <= 8))
        figs.append(figure(f"{name}: p95 GUI-thread CPU time per frame (not inflated by other programs)",
                           f["frame_cpu_ms_p95"], "ms", limit="≤ 8 ms"))
        due = int(d["steps_expected"])
        figs.append(figure(f"{name}: micro-steps reached in {d['seconds']:.1f} s with one {d['stall_ms']} ms stall",
                           d["steps_taken"], "steps", comparison="steps due by the clock (elapsed / step time)",
                           comparison_value=due, met=d["steps_taken"] >= due - (d["stall_ms"] // d["step_ms"] + 1)))
    return figs, _errors(sec)


def start_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    figs = []
    for name, d in _ok_platforms(sec):
        lo, hi = d.get("ratio_95", (d["ratio"], d["ratio"]))
        figs.append(figure(f"{name}: launch → first painted window (median of {d['runs']}; the ratio's 95 % "
                           f"interval {lo:.2f}–{hi:.2f})", d["netviz_s"] * 1e3,
                           "ms", comparison="bare PySide6 + pyqtgraph window", comparison_value=d["bare_s"] * 1e3,
                           ratio=d["ratio"], limit="ratio ≤ 1.2", met=d["ratio"] <= 1.2))
        if "bare_paused_gc_s" in d:  # like for like: netviz pauses garbage collection while it starts
            lo, hi = d["ratio_paused_gc_95"]
            figs.append(figure(f"{name}: the same, against the bare window with garbage collection paused as "
                               f"netviz pauses it (the ratio's 95 % interval {lo:.2f}–{hi:.2f})",
                               d["netviz_s"] * 1e3, "ms", comparison="bare window, collection paused",
                               comparison_value=d["bare_paused_gc_s"] * 1e3, ratio=d["ratio_paused_gc"]))
    return figs, _errors(sec)


def _ticks(child: dict[str, Any], d: dict[str, Any]) -> int:
    """The clock ticks of CPU an idle child used (a whole number: 0.02 s less 0.0 s is not 2 ticks
    and a bit, which judging float seconds had once called a miss)."""
    return int(child["cpu_ticks"]) if "cpu_ticks" in child else round(child["cpu_s"] / d["clock_tick_s"])


def idle_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    figs = []
    notes = []
    for name, d in _ok_platforms(sec):
        n, b = d["netviz"], d["bare"]
        figs.append(figure(f"{name}: CPU over {n['seconds']:.0f} s idle", n["cpu_percent"], "% of a core",
                           comparison="bare window", comparison_value=b["cpu_percent"],
                           limit=f"≈ 0 (resolution {d['clock_tick_s'] * 100 / n['seconds']:.2g} %)",
                           met=_ticks(n, d) <= max(2, _ticks(b, d) + 1)))
        figs.append(figure(f"{name}: wake-ups (context switches) over the idle time", n["wakeups"], "",
                           comparison="bare window", comparison_value=b["wakeups"]))
        figs.append(figure(f"{name}: active timers and animations when idle", len(n["active_timers"]), "",
                           limit="0", met=not n["active_timers"]))
        if n["active_timers"]:
            notes.append(f"{name}: {n['active_timers']}")
    return figs, "; ".join(notes + ([_errors(sec)] if _errors(sec) else []))


def size_target(sec: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    if sec["status"] != "ok":
        return [], sec.get("reason", "")
    d = sec["data"]
    if d.get("skipped"):
        return [], d["skipped"]
    figs = [figure("one-folder bundle size", d["netviz_folder_mb"], "MB", comparison="bare window, same spec options",
                   comparison_value=d["bare_folder_mb"], ratio=d["folder_ratio"], limit="ratio ≤ 1.1",
                   met=d["folder_ratio"] <= 1.1)]
    if d.get("netviz_deb_mb"):
        figs.append(figure(".deb size", d["netviz_deb_mb"], "MB", comparison="bare window .deb, same packaging",
                           comparison_value=d["bare_deb_mb"], ratio=d["deb_ratio"], limit="ratio ≤ 1.1",
                           met=d["deb_ratio"] <= 1.1))
    if d.get("netviz_frozen_start_s"):
        lo, hi = d.get("frozen_start_ratio_95", (d["frozen_start_ratio"], d["frozen_start_ratio"]))
        runs = len(d.get("frozen_start_samples", {}).get("netviz", []))
        figs.append(figure(f"frozen bundle: launch → first painted window (median of {runs}; the ratio's 95 % "
                           f"interval {lo:.2f}–{hi:.2f})", d["netviz_frozen_start_s"] * 1e3, "ms",
                           comparison="frozen bare window", comparison_value=d["bare_frozen_start_s"] * 1e3,
                           ratio=d["frozen_start_ratio"], limit="ratio ≤ 1.2", met=d["frozen_start_ratio"] <= 1.2))
    return figs, d.get("note", "")


def build_targets(sections: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    builders: dict[int, tuple[str, Callable[[dict[str, Any]], tuple[list[dict[str, Any]], str]]]] = {
        1: ("engine", engine_target),
        2: ("soak", play_target),
        3: ("step", step_target),
        4: ("plot", plot_target),
        5: ("start", start_target),
        6: ("idle", idle_target),
        7: ("soak", memory_target),
        8: ("size", size_target),
    }
    targets = []
    for tid, name in TARGETS.items():
        figs: list[dict[str, Any]] = []
        note = ""
        if tid in builders:
            sec_name, build = builders[tid]
            sec = sections.get(sec_name, skipped("section not run"))
            figs, note = build(sec)
            if sec["status"] != "ok":
                note = f"{sec['status']}: {sec.get('reason', '')}"
        targets.append({"id": tid, "name": name, "figures": figs, "met": overall(figs), "note": note})
    return targets


# ---- the report ------------------------------------------------------------------------------------


def fmt_num(v: float | None) -> str:
    if v is None:
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


def markdown(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [f"# netviz benchmarks ({report['mode']} run, {report['started']})", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}; Python {m['python']}, "
             f"PySide6 {m['PySide6']}, pyqtgraph {m['pyqtgraph']}, NumPy {m['numpy']}"
             f"{' (virtual machine)' if m.get('virtualised') else ''}. Load average at the end of the run "
             f"(other work on the machine): {m.get('load_average_1_5_15')}.", ""]
    for t in report["targets"]:
        verdict = {True: "met", False: "MISSED", None: "not judged"}[t["met"]]
        lines += [f"## Target {t['id']}: {t['name']} — {verdict}", ""]
        if t["note"]:
            lines += [t["note"], ""]
        if t["figures"]:
            lines += ["| figure | netviz | comparison | comparison value | ratio | target | |",
                      "|---|---|---|---|---|---|---|"]
            for f in t["figures"]:
                ok = {True: "met", False: "**missed**", None: ""}[f["met"]]
                lines.append(f"| {f['what']} | {fmt_num(f['value'])} {f['unit']} | {f['comparison'] or ''} | "
                             f"{fmt_num(f['comparison_value'])} | {fmt_num(f['ratio'])}{'×' if f['ratio'] else ''} | "
                             f"{f['limit'] or ''} | {ok} |")
            lines.append("")
    lines += ["Sections: " + ", ".join(f"{k} {v['status']} ({v['seconds']} s)" for k, v in report["sections"].items()),
              ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller, shorter runs of every section (CI)")
    ap.add_argument("--out", type=Path, default=HERE / "out", help="folder for results.json and report.md")
    ap.add_argument("--only", action="append", default=[], help="run only these sections (repeatable)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    plan: dict[str, Callable[[], dict[str, Any]]] = {
        "engine": lambda: engine_section(args.quick),
        "plot": lambda: plot_section(args.quick),
        "soak": lambda: soak_section(args.quick),
        "step": lambda: step_section(args.quick),
        "start": lambda: start_section(args.quick),
        "idle": lambda: idle_section(args.quick),
        "size": lambda: size_section(args.quick),
    }
    sections = {}
    for name, fn in plan.items():
        sections[name] = section(name, fn) if not args.only or name in args.only else skipped("not selected")
    report = {"mode": "quick" if args.quick else "full", "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "machine": machine(), "sections": sections, "targets": build_targets(sections)}
    report["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(report, indent=1))
    text = markdown(report)
    (args.out / "report.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
