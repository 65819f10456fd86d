"""End to end on a virtual X screen: `netviz FILE` with a good and a bad file, and a window that is
killed (SIGKILL) after a change is offered for restoring at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_xvfb import TIMEOUT, wait_for, xdotool, xvfb  # noqa: F401 - xvfb is a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DATA = Path(__file__).resolve().parents[1] / "data" / "files"


def find_window(env: dict[str, str], name: str) -> str:
    """The id of a visible window whose title matches ``name`` (a regular expression)."""
    found: list[str] = []

    def visible() -> bool:
        r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], env=env, capture_output=True,
                           text=True, timeout=60)
        found[:] = r.stdout.split()
        return bool(found)

    wait_for(visible, f"a window named {name!r}")
    return found[0]


def autosaves(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["XDG_DATA_HOME"]).rglob("autosave-*.netviz.json"))


@pytest.fixture
def start(xvfb: dict[str, str], tmp_path: Path) -> Iterator:  # type: ignore[type-arg]  # noqa: F811
    procs: list[subprocess.Popen[str]] = []

    def run(*args: str) -> subprocess.Popen[str]:
        p = subprocess.Popen([sys.executable, "-m", "netviz", *args], env=xvfb, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(p)
        return p

    yield run
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.communicate()


def is_shown(env: dict[str, str], window: str) -> bool:
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "."], env=env, capture_output=True,
                       text=True, timeout=60)
    return window in r.stdout.split()


def press(env: dict[str, str], window: str, key: str, proc: subprocess.Popen[str]) -> None:
    """Press ``key`` in ``window`` until the window goes away: a key sent in the instant a window
    takes focus can be lost, and a test should wait for the app, not race it."""
    def gone() -> bool:
        if proc.poll() is not None or not is_shown(env, window):
            return True
        for args in (["windowfocus", "--sync", window], ["key", "--clearmodifiers", key]):
            # not checked: it fails only if the window went away since the look above
            subprocess.run(["xdotool", *args], env=env, capture_output=True, timeout=60)
        time.sleep(1.0)
        return proc.poll() is not None or not is_shown(env, window)

    wait_for(gone, f"window {window} to close after {key}")


def quit_cleanly(env: dict[str, str], window: str, proc: subprocess.Popen[str]) -> str:
    press(env, window, "ctrl+q", proc)
    _out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return err


def test_netviz_file_opens_it_and_names_it_in_the_title(xvfb: dict[str, str], start) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    proc = start(str(DATA / "good" / "edited.netviz.json"))
    window = find_window(xvfb, r"^edited\.netviz\.json — netviz$")
    assert proc.poll() is None
    quit_cleanly(xvfb, window, proc)
    assert autosaves(xvfb) == []


def test_netviz_bad_file_shows_the_reason_and_keeps_the_window(xvfb: dict[str, str], start) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    proc = start(str(DATA / "bad" / "nan.netviz.json"))
    box = find_window(xvfb, r"^Could not open nan\.netviz\.json$")
    press(xvfb, box, "Return", proc)  # OK
    assert proc.poll() is None
    window = find_window(xvfb, r"^netviz — Backpropagation")  # the lecture note's network, untitled
    quit_cleanly(xvfb, window, proc)


def test_a_killed_window_is_offered_for_restoring_at_the_next_start(xvfb: dict[str, str], start) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first = start()
    window = find_window(xvfb, r"^netviz — Backpropagation")
    xdotool(xvfb, "windowfocus", "--sync", window)
    xdotool(xvfb, "key", "--clearmodifiers", "ctrl+Right")  # One iteration: a change, autosaved at once
    wait_for(lambda: bool(autosaves(xvfb)), "the autosave file")
    find_window(xvfb, r"^Untitled\* — netviz")
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=TIMEOUT)
    assert first.returncode == -signal.SIGKILL
    assert len(autosaves(xvfb)) == 1

    second = start()
    prompt = find_window(xvfb, r"^Restore unsaved work\?$")
    press(xvfb, prompt, "Return", second)  # Restore (the default button)
    find_window(xvfb, r"^Untitled\* — netviz")  # iteration 1 is back, unsaved
    wait_for(lambda: len(autosaves(xvfb)) == 1, "the old autosave to be replaced by the new session's")
    second.kill()
    second.communicate(timeout=TIMEOUT)
