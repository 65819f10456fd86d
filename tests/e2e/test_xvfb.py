"""End to end: the real app on a virtual X screen with Qt's xcb platform, driven by xdotool.

This is the test that notices a missing system library (libxcb-cursor0 and friends): the
offscreen tests never load the xcb platform. It starts its own Xvfb on a free display (Xvfb
picks it, -displayfd), launches ``python -m netviz``, waits for the window, presses Space
(Play), checks that the screen changes, then quits with Ctrl+Q and checks a clean exit.
Screens are captured by a tiny PySide6 helper process on the same display (QScreen.grabWindow).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TOOLS = ("Xvfb", "xdotool")
GRAB = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\n"
    "ok = app.primaryScreen().grabWindow(0).save(sys.argv[1], 'PNG')\n"
    "sys.exit(0 if ok else 1)\n"
)
TIMEOUT = 30.0


def _missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    """Poll a condition (each poll is a real action: a screen grab, a process check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def xvfb(tmp_path: Path) -> Iterator[dict[str, str]]:
    missing = _missing_tools()
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (apt-get install xvfb xauth xdotool)")
    read_fd, write_fd = os.pipe()
    log = tmp_path / "xvfb.log"
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=log_file,
        )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number.isdigit():
            pytest.fail(f"Xvfb did not start: {log.read_text(errors='replace')}")
        # Each test gets its own folders; NETVIZ_AUTOSAVE_DIR (set session-wide by tests/conftest.py)
        # is dropped so the app finds its autosaves under this test's XDG_DATA_HOME, as installed.
        env = {k: v for k, v in os.environ.items()
               if k not in ("WAYLAND_DISPLAY", "QT_SCALE_FACTOR", "NETVIZ_AUTOSAVE_DIR")}
        env.update(DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=str(tmp_path / "config"),
                   XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"),
                   XDG_RUNTIME_DIR=str(tmp_path / "runtime"))  # none of the user's settings or autosaves
        (tmp_path / "runtime").mkdir(mode=0o700)
        yield env
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def grab(env: dict[str, str], out: Path) -> bytes:
    result = subprocess.run([sys.executable, "-c", GRAB, str(out)], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, f"screen grab failed: {result.stderr}"
    return out.read_bytes()


def xdotool(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"xdotool {' '.join(args)} failed: {result.stderr}"
    return result.stdout.strip()


def test_play_changes_the_screen_and_quit_exits_cleanly(xvfb: dict[str, str], tmp_path: Path) -> None:
    env = xvfb
    app = subprocess.Popen([sys.executable, "-m", "netviz"], env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    try:
        window = xdotool(env, "search", "--sync", "--onlyvisible", "--name", "netviz").splitlines()[0]
        xdotool(env, "windowfocus", "--sync", window)
        # The window is up and drawn when two grabs in a row agree.
        shots = [grab(env, tmp_path / "a.png")]

        def stable() -> bool:
            shots.append(grab(env, tmp_path / "a.png"))
            return shots[-1] == shots[-2]

        wait_for(stable, "the window to finish drawing")
        before = shots[-1]
        xdotool(env, "key", "--clearmodifiers", "space")  # Play
        wait_for(lambda: grab(env, tmp_path / "b.png") != before, "the screen to change after Play")
        assert app.poll() is None, "the app ended while playing"
        xdotool(env, "key", "--clearmodifiers", "ctrl+q")  # Quit
        _out, err = app.communicate(timeout=TIMEOUT)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, err
    assert "Traceback" not in err and "Fatal" not in err, err
