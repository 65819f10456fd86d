"""Target 8 (size) and the frozen half of target 5 (start): netviz's bundle against a bare one.

Builds two one-folder bundles with PyInstaller from ``packaging/netviz.spec``:

- netviz: the spec as it is, its entry script wrapped by ``frozen_entry.py`` (which adds the
  first-paint detection of ``app_child.py`` only when NETVIZ_BENCH_FIRST_PAINT=1 and otherwise
  runs packaging/netviz_entry.py unchanged);
- bare: the same spec text with only the application swapped: the entry is the bare
  PySide6 + pyqtgraph window of ``app_child.py``, and netviz's own data files and hidden imports
  are gone. Every other option (excludes, dropped Qt plugins and libraries, system libraries
  left out, selective strip, optimize) is the spec's own, so the comparison follows the spec.

Then stages each bundle as build.sh stages the .deb (bundle in /opt, a launcher in /usr/bin)
and packs it with the same ``dpkg-deb -Zxz -z3``; the real netviz .deb of build.sh, when
present in dist/, is reported too. Frozen start: launch → first painted window, medians.

    python3 benchmarks/bundle.py            # prints JSON; several minutes (two PyInstaller builds)
    python3 benchmarks/bundle.py --quick    # says it is skipped (too long for the quick run)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "bundles"
SPEC = ROOT / "packaging" / "netviz.spec"


def build_python() -> str:
    """A Python with PyInstaller: NETVIZ_BUILD_PYTHON, else benchmarks/.venv-pack (made if missing)."""
    if os.environ.get("NETVIZ_BUILD_PYTHON"):
        return os.environ["NETVIZ_BUILD_PYTHON"]
    py = HERE / ".venv-pack" / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(py.parent.parent)], check=True)
    if subprocess.run([str(py), "-c", "import PyInstaller, pyqtgraph, PySide6.QtSvg"], capture_output=True,
                      check=False).returncode:
        subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[packaging]"], check=True)
    return str(py)


def _sub(text: str, pattern: str, replacement: str) -> str:
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.M | re.S)
    if n != 1:
        raise RuntimeError(f"packaging/netviz.spec changed: no match for {pattern!r}; update benchmarks/bundle.py")
    return new


def write_specs(work: Path) -> tuple[Path, Path]:
    """The netviz spec (entry wrapped) and the bare spec, next to each other in ``work``."""
    text = SPEC.read_text(encoding="utf-8")
    # The spec finds ROOT from SPECPATH (its folder's parent): keep that pointing at the repository.
    text = text.replace("ROOT = Path(SPECPATH).resolve().parent", f"ROOT = Path({str(ROOT)!r})")
    entry = 'str(ROOT / "packaging" / "netviz_entry.py")'
    if entry not in text:
        raise RuntimeError("packaging/netviz.spec changed: entry script not found; update benchmarks/bundle.py")
    netviz = text.replace(entry, repr(str(HERE / "frozen_entry.py")))
    netviz = netviz.replace('pathex=[str(ROOT), str(ROOT / "packaging")]',
                            f'pathex=[str(ROOT), str(ROOT / "packaging"), {str(HERE)!r}]')
    bare = text.replace(entry, repr(str(HERE / "frozen_bare_entry.py")))
    bare = bare.replace('pathex=[str(ROOT), str(ROOT / "packaging")]', f"pathex=[{str(HERE)!r}]")
    bare = _sub(bare, r"^datas = \[.*?\]$", "datas = []")
    bare = _sub(bare, r'^hiddenimports = collect_submodules\("netviz"\) \+ \["frozen_check", ',
                "hiddenimports = [")
    bare = bare.replace('name="netviz"', 'name="bare"')
    (work / "netviz.spec").write_text(netviz, encoding="utf-8")
    (work / "bare.spec").write_text(bare, encoding="utf-8")
    return work / "netviz.spec", work / "bare.spec"


def pyinstaller(py: str, spec: Path, dist: Path, work: Path) -> float:
    t0 = time.perf_counter()
    env = {**os.environ, "NETVIZ_ICON_DIR": str(work / "icons")}
    proc = subprocess.run([py, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", str(dist),
                           "--workpath", str(work / spec.stem), str(spec)], capture_output=True, text=True, env=env,
                          check=False)
    if proc.returncode:
        raise RuntimeError(f"PyInstaller {spec.name} failed: {proc.stderr[-2000:]}")
    return time.perf_counter() - t0


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def make_deb(bundle: Path, name: str, out: Path) -> int:
    """The bundle staged as build.sh stages netviz (/opt/NAME, /usr/bin/NAME), packed the same way."""
    stage = out / f"{name}-deb"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "DEBIAN").mkdir(parents=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "opt").mkdir()
    shutil.copytree(bundle, stage / "opt" / name, symlinks=True)
    launcher = stage / "usr" / "bin" / name
    launcher.write_text(f'#!/bin/sh\nexec /opt/{name}/{name} "$@"\n')
    launcher.chmod(0o755)
    (stage / "DEBIAN" / "control").write_text(
        f"Package: {name}\nVersion: 0.0.1\nArchitecture: amd64\nMaintainer: benchmark <b@example.org>\n"
        f"Description: size benchmark\n benchmark\n")
    deb = out / f"{name}.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z3", "--build", str(stage), str(deb)],
                   check=True, capture_output=True)
    shutil.rmtree(stage)
    return deb.stat().st_size


def frozen_start(exe: Path, runs: int, first_paint_env: bool) -> list[float]:
    sys.path.insert(0, str(HERE))
    from window import child_env

    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = child_env(home)
            env["QT_QPA_PLATFORM"] = "offscreen"
            if first_paint_env:
                env["NETVIZ_BENCH_FIRST_PAINT"] = "1"
            t0 = time.monotonic()
            proc = subprocess.run([str(exe)], capture_output=True, text=True, env=env, timeout=120, check=False)
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise RuntimeError(f"{exe} did not report its first paint ({proc.returncode}): {proc.stderr[-1500:]}")
        times.append(json.loads(lines[-1])["painted_monotonic"] - t0)
    return times


def measure(runs: int) -> dict[str, Any]:
    if not shutil.which("dpkg-deb"):
        return {"skipped": "dpkg-deb is not installed"}
    py = build_python()
    OUT.mkdir(parents=True, exist_ok=True)
    work = OUT / "work"
    dist = OUT / "dist"
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(dist, ignore_errors=True)
    work.mkdir(parents=True)
    netviz_spec, bare_spec = write_specs(work)
    t_netviz = pyinstaller(py, netviz_spec, dist, work)
    t_bare = pyinstaller(py, bare_spec, dist, work)
    nv, bare = dist / "netviz", dist / "bare"
    result: dict[str, Any] = {
        "pyinstaller_python": py,
        "build_seconds": {"netviz": t_netviz, "bare": t_bare},
        "netviz_folder_mb": folder_bytes(nv) / 1e6,
        "bare_folder_mb": folder_bytes(bare) / 1e6,
    }
    result["folder_ratio"] = result["netviz_folder_mb"] / result["bare_folder_mb"]
    result["netviz_deb_mb"] = make_deb(nv, "netviz", OUT) / 1e6
    result["bare_deb_mb"] = make_deb(bare, "bare", OUT) / 1e6
    result["deb_ratio"] = result["netviz_deb_mb"] / result["bare_deb_mb"]
    real = sorted((ROOT / "dist").glob("netviz_*.deb"))
    if real:
        result["build_sh_deb"] = {"file": real[-1].name, "mb": real[-1].stat().st_size / 1e6,
                                  "ratio_to_bare": real[-1].stat().st_size / 1e6 / result["bare_deb_mb"]}
    # Biggest differences, to say where netviz's extra bytes are.
    def sizes(root: Path) -> dict[str, int]:
        return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}

    a, b = sizes(nv), sizes(bare)
    b["netviz"] = b.pop("bare")  # the executables (Python's bootloader + each app's archive) compared
    extra = sorted(((a[k] - b.get(k, 0), k) for k in a if a[k] != b.get(k, 0)), reverse=True)[:12]
    result["largest_extra_files"] = [{"file": k, "mb": d / 1e6} for d, k in extra]
    frozen_start(nv / "netviz", 1, True)  # warm the file-system cache
    frozen_start(bare / "bare", 1, True)
    nv_t: list[float] = []
    bare_t: list[float] = []
    order = random.Random(5)
    for _ in range(runs):  # in pairs, which one first drawn (as window.start does)
        for exe, times in order.sample([(nv / "netviz", nv_t), (bare / "bare", bare_t)], 2):
            times += frozen_start(exe, 1, True)
    result["netviz_frozen_start_s"] = statistics.median(nv_t)
    result["bare_frozen_start_s"] = statistics.median(bare_t)
    result["frozen_start_ratio"] = result["netviz_frozen_start_s"] / result["bare_frozen_start_s"]
    from window import ratio_interval

    result["frozen_start_ratio_95"] = ratio_interval(nv_t, bare_t)
    result["frozen_start_samples"] = {"netviz": nv_t, "bare": bare_t}
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    if args.quick:
        out: dict[str, Any] = {"skipped": "not in the quick run (two PyInstaller builds take minutes)"}
    else:
        out = measure(args.runs)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
