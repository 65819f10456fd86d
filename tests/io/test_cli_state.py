"""`netviz walkthrough --state FILE` through a real subprocess, and `--set` under a comma locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.model.closed_form import lecture_note_values

DATA = Path(__file__).resolve().parents[1] / "data" / "files"
EXPECTED: dict[str, str] = json.loads((DATA / "bad" / "_expected.json").read_text(encoding="utf-8"))


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ, PYTHONIOENCODING="utf-8", **env)
    return subprocess.run([sys.executable, "-m", "netviz", *args], capture_output=True, text=True,
                          timeout=120, env=full_env)


def test_walkthrough_from_a_good_file() -> None:
    r = run("walkthrough", "--json", "--state", str(DATA / "good" / "edited.netviz.json"))
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    want = lecture_note_values(w5=0.3, x1=1.0, x2=-2.0, t=0.9, eta=0.1)
    for key in ("z_h1", "h1", "z_o", "y_hat", "E"):
        assert got["forward"][key] == pytest.approx(want[key], rel=1e-14)


def test_state_then_set_applies_the_change_on_top() -> None:
    r = run("walkthrough", "--json", "--state", str(DATA / "good" / "edited.netviz.json"), "--set", "w1=-1")
    assert r.returncode == 0, r.stderr
    want = lecture_note_values(w1=-1.0, w5=0.3, x1=1.0, x2=-2.0, t=0.9, eta=0.1)
    assert json.loads(r.stdout)["forward"]["E"] == pytest.approx(want["E"], rel=1e-14)


@pytest.mark.parametrize("name", ["truncated.netviz.json", "nan.netviz.json", "string_weight.netviz.json",
                                  "list.netviz.json", "not_utf8.netviz.json", "newer_version.netviz.json",
                                  "negative_size.netviz.json", "empty.netviz.json"])
def test_walkthrough_from_a_bad_file_is_one_line_and_exit_2(name: str) -> None:
    path = DATA / "bad" / name
    r = run("walkthrough", "--state", str(path))
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == f"netviz: error: {path}: {EXPECTED[name]}\n"
    assert "Traceback" not in r.stderr


def test_missing_state_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.netviz.json"
    r = run("train", "--steps", "3", "--state", str(path))
    assert (r.returncode, r.stderr) == (2, f"netviz: error: {path}: no such file\n")


@pytest.mark.parametrize("lang", ["de_DE.UTF-8", "C.UTF-8"])
@pytest.mark.parametrize("typed", ["0,5", "0.5"])
def test_decimal_comma_and_point_mean_the_same_under_any_locale(lang: str, typed: str) -> None:
    r = run("walkthrough", "--json", "--set", f"w1={typed}", "--lr", typed.replace("5", "25"),
            LANG=lang, LC_ALL=lang)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    want = lecture_note_values(w1=0.5, eta=0.25)
    assert got["forward"]["z_h1"] == pytest.approx(want["z_h1"], rel=1e-15)
    assert got["updated"]["w1"] == pytest.approx(want["w1_new"], rel=1e-15)


def test_ambiguous_comma_is_explained() -> None:
    r = run("walkthrough", "--set", "w1=1,000.5")
    assert r.returncode == 2
    assert "use a point for decimals" in r.stderr and r.stderr.count("\n") == 1


def test_netviz_file_goes_to_the_window_not_to_a_subcommand() -> None:
    """`netviz FILE` reaches the window launcher (here: no display, so it says so and exits 2)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    r = subprocess.run([sys.executable, "-m", "netviz", str(DATA / "good" / "edited.netviz.json")],
                       capture_output=True, text=True, timeout=120, env=dict(env, PYTHONIOENCODING="utf-8"))
    if not sys.platform.startswith("linux"):
        pytest.skip("the no-display message is Linux-only")
    assert r.returncode == 2
    assert "invalid choice" not in r.stderr and "no display to open the window on" in r.stderr
