"""The commands that start Qt, run as a user runs them: `netviz screenshot`, `--self-test`, no display."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netviz.ui.launch import parse_size

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run(args: list[str], tmp_path: Path, **env_changes: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # never the user's settings
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run([sys.executable, "-m", "netviz", *args], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_writes_a_png_of_the_requested_size(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    # No platform chosen and no display: the command picks the offscreen platform itself.
    result = run(["screenshot", str(out), "--size", "900x640", "--iterations", "3", "--phase", "backward"],
                 tmp_path, QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None, QT_SCALE_FACTOR=None)
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (900, 640)
    assert "iteration 3" in result.stdout
    assert result.stderr == ""


def test_a_screenshot_smaller_than_the_window_can_be_is_refused(tmp_path: Path) -> None:
    """--size 320x320 wrote a 566x422 PNG: Qt kept the window at its minimum without a word."""
    out = tmp_path / "tiny.png"
    result = run(["screenshot", str(out), "--size", "400x330"], tmp_path, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    m = re.fullmatch(r"netviz: error: --size: the window cannot be smaller than (\d+)x(\d+) pixels, not 400x330\n",
                     result.stderr)
    assert m is not None, result.stderr
    least = int(m.group(1)), int(m.group(2))
    assert least[0] > 400 or least[1] > 330
    assert not out.exists()
    result = run(["screenshot", str(out), "--size", f"{least[0]}x{least[1]}"], tmp_path, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert png_size(out) == least  # the smallest it can be is a size it can be


def test_screenshot_at_150_percent_scale_is_larger(tmp_path: Path) -> None:
    out = tmp_path / "big.png"
    result = run(["screenshot", str(out), "--size", "800x600"], tmp_path, QT_SCALE_FACTOR="1.5")
    assert result.returncode == 0, result.stderr
    assert png_size(out) == (1200, 900)


def test_screenshot_in_the_dark_theme(tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    from netviz.ui.palette import DARK, LIGHT

    shots = {}
    for theme in ("dark", "light"):
        out = tmp_path / f"{theme}.png"
        result = run(["screenshot", str(out), "--size", "800x600", "--theme", theme], tmp_path)
        assert result.returncode == 0, result.stderr
        shots[theme] = QImage(str(out))
    # Just under the toolbar, at the left edge: empty diagram, the theme's page colour.
    assert QColor(shots["dark"].pixel(6, 90)) == QColor(DARK.background)
    assert QColor(shots["light"].pixel(6, 90)) == QColor(LIGHT.background)


@pytest.mark.parametrize("theme", ["blue", "system", ""])
def test_screenshot_bad_theme_is_one_line_and_status_2(tmp_path: Path, theme: str) -> None:
    result = run(["screenshot", str(tmp_path / "x.png"), "--theme", theme], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--theme" in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("size", ["12", "axb", "0x0", "100000x5", "800x"])
def test_screenshot_bad_size_is_one_line_and_status_2(tmp_path: Path, size: str) -> None:
    result = run(["screenshot", str(tmp_path / "x.png"), "--size", size], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--size" in lines[0] and "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_unwritable_path_is_one_line_and_status_2(tmp_path: Path) -> None:
    result = run(["screenshot", str(tmp_path / "no" / "such" / "folder" / "x.png")], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0]
    result = run(["screenshot", str(tmp_path)], tmp_path)  # a folder, not a file
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1


def test_no_display_says_so_in_one_line(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs DISPLAY or WAYLAND_DISPLAY")
    result = run([], tmp_path, QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no display" in lines[0] and "netviz walkthrough" in lines[0] and "netviz screenshot" in lines[0]


@pytest.mark.parametrize("args", [[], ["--self-test"], ["screenshot", "shot.png"]])
def test_a_platform_whose_display_is_not_set_says_so_in_one_line(args: list[str], tmp_path: Path) -> None:
    """QT_QPA_PLATFORM=xcb with no DISPLAY: Qt printed several lines and aborted with status 134."""
    if not sys.platform.startswith("linux"):
        pytest.skip("only Linux needs DISPLAY or WAYLAND_DISPLAY")
    result = run(args, tmp_path, QT_QPA_PLATFORM="xcb", DISPLAY=None, WAYLAND_DISPLAY=None)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("netviz: QT_QPA_PLATFORM=xcb needs a display, but DISPLAY is not set; ")
    assert not (tmp_path / "shot.png").exists()


@pytest.mark.parametrize(("value", "env", "unset"), [
    ("xcb", {}, "DISPLAY is not set"),
    ("wayland;xcb", {}, "WAYLAND_DISPLAY and DISPLAY are not set"),
    ("wayland-egl", {}, "WAYLAND_DISPLAY is not set"),
    ("xcb", {"DISPLAY": ":9"}, None),
    ("wayland;xcb", {"DISPLAY": ":9"}, None),  # Qt falls back to the one that can start
    ("xcb;offscreen", {}, None),
    ("offscreen", {}, None),
    ("minimal:enable_fonts", {}, None),
])
def test_which_platform_lists_cannot_start(value: str, env: dict[str, str], unset: str | None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from netviz.ui import launch

    monkeypatch.setattr(launch.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, v in env.items():
        monkeypatch.setenv(name, v)
    monkeypatch.setenv("QT_QPA_PLATFORM", value)
    message = launch.unreachable_platform()
    if unset is None:
        assert message is None
    else:
        assert message is not None and f"QT_QPA_PLATFORM={value} needs a display, but {unset};" in message


def test_self_test_from_another_folder(tmp_path: Path) -> None:
    result = run(["--self-test"], tmp_path, QT_QPA_PLATFORM=None, DISPLAY=None, WAYLAND_DISPLAY=None)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netviz self-test: OK (")
    assert result.stderr == ""


WHAT_OUTLIVES = r"""
import gc, json, sys
if sys.argv[2] == "frozen":
    sys.modules["PySide6.QtTest"] = None  # left out of the bundle: pyqtgraph keeps the ImportError
from PySide6.QtCore import QTimer
from netviz.cli import main
from netviz.ui import launch
if sys.argv[1] == "window":  # the user closes the window as soon as it shows
    app = launch._application()
    from netviz.ui.main_window import MainWindow
    QTimer.singleShot(300, lambda: [w.close() for w in app.topLevelWidgets() if isinstance(w, MainWindow)])
status = main({"window": [], "self-test": ["--self-test"], "screenshot": ["screenshot", "shot.png"]}[sys.argv[1]])
gc.collect()
import pyqtgraph as pg
from netviz.app.session import Session
from netviz.ui.main_window import MainWindow
error = getattr(pg.Qt.QtTest, "err", None)
alive = [type(o).__name__ for o in gc.get_objects() if isinstance(o, (MainWindow, Session))]
print(json.dumps({"status": status, "alive": alive, "error": str(error),
                  "frames": error is not None and error.__traceback__ is not None}))
"""


@pytest.mark.parametrize("bundle", ["source", "frozen"])
@pytest.mark.parametrize("command", ["window", "self-test", "screenshot"])
def test_the_window_is_gone_before_the_interpreter_shuts_down(tmp_path: Path, command: str, bundle: str) -> None:
    """A window left to the interpreter's shutdown is freed after Qt's application, in no fixed
    order: the frozen --self-test crashed about one run in forty after printing OK. Its signal
    lambdas keep it out of the collector's reach, and in the bundle (no QtTest) pyqtgraph's kept
    ImportError held the frames that held it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", WHAT_OUTLIVES, command, bundle], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["status"] == 0
    assert seen["alive"] == []
    assert seen["frames"] is False
    if bundle == "frozen":
        assert "QtTest" in seen["error"]  # the error itself, and what it says, are kept


def test_parse_size() -> None:
    assert parse_size("1280x800") == (1280, 800)
    assert parse_size(" 640 × 480 ") == (640, 480)
    for bad in ("", "1280", "x800", "-5x10", "1280x800x2"):
        with pytest.raises(ValueError, match="--size"):
            parse_size(bad)


def test_self_test_fails_with_the_reason_when_a_number_is_off(qapp, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from netviz.ui import launch

    honest = launch.lecture_note_closed_form

    def off_by_a_little() -> dict[str, float]:
        ref = honest()
        ref["delta_o"] *= 1 + 1e-9
        return ref

    monkeypatch.setattr(launch, "lecture_note_closed_form", off_by_a_little)
    assert launch.self_test() == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netviz self-test: FAILED") and "delta_o" in lines[0]


def test_gui_main_is_the_netviz_command(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from netviz.ui.launch import gui_main

    monkeypatch.setattr(sys, "argv", ["netviz-gui", "walkthrough", "--json"])
    assert gui_main() == 0
    assert "forward" in json.loads(capsys.readouterr().out)


def test_screenshot_of_a_saved_state_shows_its_iteration_and_goes_on_from_it(tmp_path: Path) -> None:
    from netviz.app.session import Session
    from netviz.io.document import save_document

    session = Session()
    session.train(7)
    state = tmp_path / "seven.netviz.json"
    save_document(state, session)
    later = Session()
    later.train(9)  # what two more iterations from the saved state give, computed here
    result = run(["screenshot", str(tmp_path / "s.png"), "--state", str(state), "--iterations", "2"], tmp_path,
                 QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert f"iteration 9, E = {later.trace.loss:.6g}" in result.stdout


def run_python(code: str, tmp_path: Path) -> Any:
    """Run ``code`` in a fresh offscreen interpreter with its own settings; its last line, as JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "NETVIZ_AUTOSAVE_DIR": str(tmp_path / "autosave")}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


NOT_AT_START = ("netviz.io.document", "netviz.model.gradcheck", "html", "difflib")
"""Loaded when first needed, not to show the window: each was time before its first paint (issue 6)."""


def test_starting_the_window_leaves_the_file_format_and_unused_helpers_unloaded(tmp_path: Path) -> None:
    """And NumPy is loaded before Qt: PySide6 reads the source of every module imported after it
    (launch._import_before_qt), which cost about 12 ms of every start for NumPy's own modules."""
    code = ("import json, sys\n"
            "from netviz.ui import launch\n"
            "app = launch._application()\n"
            "from netviz.ui.main_window import MainWindow\n"
            "window = MainWindow()\n"
            "controller = launch._file_controller(window)\n"
            "window.show()\n"
            "for _ in range(20): app.processEvents()\n"  # painted, and the recovery check has run
            "import os\n"
            "icon = window.windowIcon()\n"
            "print(json.dumps({'controller': controller is not None, 'modules': list(sys.modules),\n"
            "                  'icon': not icon.isNull() and icon.cacheKey() == app.windowIcon().cacheKey(),\n"
            "                  'blas': [os.environ.get(n) for n in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')],\n"
            "                  'threads': len(os.listdir('/proc/self/task'))}))\n"
            "launch.tear_down(app, window)\n")
    seen = run_python(code, tmp_path)
    loaded = set(seen["modules"])
    assert seen["controller"]
    assert seen["icon"]  # the window shows the application's icon (one icon, drawn once per size)
    assert seen["blas"] == ["1", "1"]  # no BLAS thread per core: netviz does no matrix algebra
    assert {"netviz.ui.diagram.view", "netviz.ui.file_controller", "netviz.app.autosave"} <= loaded
    assert loaded.isdisjoint(NOT_AT_START), sorted(loaded & set(NOT_AT_START))
    order = seen["modules"]  # sys.modules keeps the order modules were loaded in
    assert order.index("numpy") < order.index("shiboken6") < order.index("PySide6.QtCore")
    assert "numpy.linalg" in loaded and order.index("numpy.linalg") < order.index("shiboken6")


def test_the_window_starts_with_no_garbage_collection_and_sets_what_it_made_aside(tmp_path: Path) -> None:
    """run_window pauses Python's collector while it builds the window (some 140 collections,
    about 30 ms of each start: benchmarks/RESULTS.md), then freezes what start-up made and turns
    the collector back on; tear_down unfreezes it so that the window's cycles are collected."""
    code = ("import gc, json\n"
            "from netviz.ui import launch\n"
            "seen = {'before': sum(s['collections'] for s in gc.get_stats())}\n"
            "resume, tear_down = launch._resume_collector, launch.tear_down\n"
            "def resumed():\n"
            "    seen['during'] = sum(s['collections'] for s in gc.get_stats()) - seen['before']\n"
            "    seen['enabled_during'] = gc.isenabled()\n"
            "    resume()\n"
            "    seen['enabled'], seen['frozen'] = gc.isenabled(), gc.get_freeze_count()\n"
            "    from PySide6.QtCore import QCoreApplication, QTimer\n"
            "    QTimer.singleShot(0, QCoreApplication.quit)\n"
            "def torn_down(app, window):\n"
            "    tear_down(app, window)\n"
            "    seen['frozen_after'] = gc.get_freeze_count()\n"
            "launch._resume_collector, launch.tear_down = resumed, torn_down\n"
            "seen['status'] = launch.run_window(None)\n"
            "print(json.dumps(seen))\n")
    seen = run_python(code, tmp_path)
    assert seen["status"] == 0
    assert seen["during"] == 0 and seen["enabled_during"] is False  # not one collection while starting
    assert seen["enabled"] is True and seen["frozen"] > 20_000  # modules, classes, the window's wrappers
    assert seen["frozen_after"] == 0


@pytest.mark.skipif(not Path("/proc/self").is_dir() or os.geteuid() != 0, reason="needs Linux /proc, as root")
def test_a_screenshot_that_cannot_be_written_after_all_exits_with_1(tmp_path: Path) -> None:
    """/proc passes the up-front checks (a folder root may write to) and refuses the file itself."""
    out = Path("/proc/netviz-screenshot.png")
    result = run(["screenshot", str(out), "--size", "640x480"], tmp_path, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"netviz: error: could not write {out}: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_one_blas_thread_unless_the_user_chose_another_count(tmp_path: Path) -> None:
    """OpenBLAS starts a thread per core when NumPy loads; netviz needs none of them."""
    code = ("import os, json\n"
            "from netviz.ui import launch\n"
            "launch._import_before_qt()\n"
            "names = [os.environ.get(n) for n in launch.BLAS_THREADS]\n"
            "print(json.dumps(names + [len(os.listdir('/proc/self/task'))]))\n")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                           "MKL_NUM_THREADS")}
    for preset, expected in ((None, ["1", "1", "1"]), ("3", ["3", "1", "1"])):
        run_env = env if preset is None else {**env, "OPENBLAS_NUM_THREADS": preset}
        result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=run_env, capture_output=True,
                                text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        *names, threads = json.loads(result.stdout)
        assert names == expected
        if preset is None and Path("/proc/self/task").is_dir():
            assert threads == 1  # the interpreter's own thread alone
