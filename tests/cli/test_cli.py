"""The command line through a real subprocess: outputs, exit codes and error lines."""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.model.closed_form import lecture_note_values

README = Path(__file__).resolve().parents[2] / "README.md"
"""A file that exists wherever the tests run (for a path that goes through a file)."""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "netviz", *args], capture_output=True, text=True, timeout=120, env=env
    )


def test_version_is_single_sourced() -> None:
    from netviz import __version__

    r = run("--version")
    assert r.returncode == 0
    assert r.stdout.strip() == f"netviz {__version__}"


def test_walkthrough_reads_like_the_note() -> None:
    r = run("walkthrough")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    sections = ["1. Forward pass", "2. Backward pass", "3. Gradient summary", "4. One SGD update",
                "5. Post-update forward pass", "6. Loss"]
    positions = [out.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "zₕ₂ = w₃·x₁ + w₄·x₂ + b₂ = 0.250·0.050 + 0.300·0.100 + 0.350 = 0.393" in out
    assert "ŷ = σ(zₒ) = σ(1.106) = 0.751" in out
    assert "δₒ = ∂E/∂ŷ·∂ŷ/∂zₒ = 0.251·0.187 = 0.047" in out
    assert "w₅′ = w₅ − η·∂E/∂w₅ = 0.400 − 0.500·0.028 = 0.386" in out
    v = lecture_note_values()
    assert repr(v["E"]) in out  # both losses at full precision at the end
    after = lecture_note_values(**{n: v[f"{n}_new"] for n in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")})
    assert repr(after["E"])[:12] in out
    assert "-0.000" not in out and "−0.000" not in out


def test_walkthrough_json_full_precision() -> None:
    r = run("walkthrough", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data) == ["forward", "backward", "gradients", "updated", "after"]
    assert list(data["forward"]) == ["z_h1", "h1", "z_h2", "h2", "z_o", "y_hat", "E"]
    assert list(data["backward"]) == ["dE_dyhat", "dyhat_dzo", "delta_o", "dE_dh1", "dE_dh2", "delta_h1", "delta_h2"]
    names = ["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"]
    assert list(data["gradients"]) == names and list(data["updated"]) == names
    v = lecture_note_values()
    for k, got in data["forward"].items():
        assert got == pytest.approx(v[k], rel=1e-14)
    for k, got in data["backward"].items():
        assert got == pytest.approx(v[k], rel=1e-14)
    for n in names:
        assert data["gradients"][n] == pytest.approx(v[f"dE_d{n}"], rel=1e-13)
        assert data["updated"][n] == pytest.approx(v[f"{n}_new"], rel=1e-14)
    after = lecture_note_values(**data["updated"])
    for k, got in data["after"].items():
        assert got == pytest.approx(after[k], rel=1e-14)


def test_options_change_the_problem() -> None:
    r = run("walkthrough", "--json", "--lr", "0.1", "--x1", "1", "--x2", "−2", "--target", "0.9", "--set", "w5=0.3")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    v = lecture_note_values(x1=1.0, x2=-2.0, t=0.9, w5=0.3, eta=0.1)
    assert data["forward"]["E"] == pytest.approx(v["E"], rel=1e-14)
    assert data["updated"]["w5"] == pytest.approx(v["w5_new"], rel=1e-14)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--set", "w1=abc"], "w1"),
        (["--set", "w9=1"], "w9"),
        (["--lr", "nan"], "nan"),
        (["--set", "w1"], "NAME=VALUE"),
        (["--x1", "1e400"], "too large"),
        (["--target", ""], "enter a number"),
        (["--bogus"], "--bogus"),
    ],
)
def test_bad_values_exit_2_with_one_line(args: list[str], needle: str) -> None:
    r = run("walkthrough", *args)
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("netviz: error:")
    assert needle in lines[0]
    assert "Traceback" not in r.stderr


def test_train_json() -> None:
    r = run("train", "--steps", "25", "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    hist = data["loss_history"]
    assert len(hist) == 26 and data["steps"] == 25
    assert hist[0] == data["loss_start"] and hist[-1] == data["loss_end"]
    assert all(b < a for a, b in itertools.pairwise(hist))
    # the first step is the walkthrough's single SGD update
    v = lecture_note_values()
    after = lecture_note_values(**{n: v[f"{n}_new"] for n in data["parameters"]})
    assert hist[1] == pytest.approx(after["E"], rel=1e-14)


def test_train_text_and_bad_steps() -> None:
    r = run("train", "--steps", "10")
    assert r.returncode == 0
    assert "Loss at start: 0.032" in r.stdout and "w5 = " in r.stdout
    bad = run("train", "--steps", "-3")
    assert bad.returncode == 2 and "steps" in bad.stderr and "Traceback" not in bad.stderr
    missing = run("train")
    assert missing.returncode == 2 and "--steps" in missing.stderr


def test_train_that_overflows_a_weight_stops_with_a_message() -> None:
    for extra in ([], ["--json"]):
        r = run("train", "--steps", "200", "--set", "t=1e150", "--lr", "1e200", *extra)
        assert r.returncode == 0, r.stderr
        assert "Traceback" not in r.stderr
    assert json.loads(r.stdout)["diverged"] is True
    text = run("train", "--steps", "200", "--set", "t=1e150", "--lr", "1e200").stdout
    assert "Stopped early: step 1 made the loss or a parameter too large to compute" in text
    assert "w1 = 0.150" in text  # where it started: step 1 is not taken


def test_train_from_a_loss_that_is_already_infinite_says_it_never_started() -> None:
    """½(ŷ − 1e308)² overflows before any step: no step "made" it too large."""
    r = run("train", "--steps", "3", "--target", "1e308")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "Not started: the loss is already too large to compute with these values, before any step" in r.stdout
    assert "Stopped early" not in r.stdout and "Loss at start: inf" in r.stdout


def test_train_shows_progress_on_a_terminal_and_clears_it(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import io

    from netviz import cli
    from netviz.model import Problem, train

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from netviz.model import kernel

    monkeypatch.setattr(kernel, "CHUNK_STEPS", 10)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["train", "--steps", "35", "--json"]) == 0
    shown = terminal.getvalue()
    assert shown == ("\rtraining: 10 of 35 steps (28 %)\rtraining: 20 of 35 steps (57 %)"
                     "\rtraining: 30 of 35 steps (85 %)\r\x1b[K")
    data = json.loads(capsys.readouterr().out)  # the result itself is unchanged by the pieces
    whole = train(Problem.lecture_note(), 35)
    assert data["loss_history"][1:] == list(whole.losses)
    assert list(data["parameters"].values()) == list(whole.problem.params)
    # Not a terminal (a pipe, a file): no progress at all.
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli.main(["train", "--steps", "35"]) == 0
    assert sys.stderr.getvalue() == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (a device that is always full)")
@pytest.mark.parametrize("args", [["walkthrough"], ["walkthrough", "--json"], ["train", "--steps", "10", "--json"],
                                  ["gradcheck"], ["--help"], ["--version"], ["train", "--help"]])
def test_a_full_disk_is_one_line_not_a_traceback(args: list[str]) -> None:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    for buffering in ("1", ""):  # written at once (any non-empty value but "0"), or when flushed
        env["PYTHONUNBUFFERED"] = buffering
        with open("/dev/full", "w") as full:
            r = subprocess.run([sys.executable, "-m", "netviz", *args], stdout=full, stderr=subprocess.PIPE,
                               text=True, timeout=120, env=env)
        assert r.returncode == 1
        assert r.stderr == "netviz: error: could not write the output: No space left on device\n"


@pytest.mark.parametrize(("typed", "x1"), [("-1e5", -1e5), ("-0,5", -0.5), ("-.25", -0.25), ("-2", -2.0)])
def test_negative_numbers_in_every_spelling_are_values_not_options(typed: str, x1: float) -> None:
    r = run("walkthrough", "--x1", typed, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["forward"]["z_h1"] == 0.15 * x1 + 0.20 * 0.10 + 0.35
    bad = run("walkthrough", "--lr", "-inf")
    assert bad.returncode == 2
    assert bad.stderr == "netviz: error: argument --lr/--eta: must be a finite number, not '-inf'\n"


def test_gradcheck_command_agrees() -> None:
    r = run("gradcheck")
    assert r.returncode == 0
    assert "all parameters agree" in r.stdout


def test_headless_commands_do_not_import_qt() -> None:
    code = (
        "import sys; from netviz.cli import main; main(['walkthrough', '--json']); "
        "import netviz.model.walkthrough, netviz.model.gradcheck; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))]; "
        "sys.stderr.write(repr(bad)); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def _one_error_line(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 2, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netviz: error:") and "Traceback" not in r.stderr, r.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["walkthru"], "unknown command 'walkthru' (did you mean 'walkthrough'?"),
        (["trian", "--steps", "3"], "did you mean 'train'?"),
        (["frobnicate"], "unknown command 'frobnicate' (commands: walkthrough, train"),
        (["nope.netviz.json"], "nope.netviz.json: no such file"),
        (["missing-folder/nope.netviz.json"], "missing-folder/nope.netviz.json: no such file "
                                              "(the folder missing-folder does not exist)"),
        ([f"{README}/nope.netviz.json"], f"{README}/nope.netviz.json: no such file ({README} is a file, not a folder)"),
        (["walkthrough", "--state", ""], "--state: the file name is empty"),
        (["walkthrough", "--lr", "0.3", "--set", "eta=0.1"], "eta is given twice (--lr 0.3 and --set eta=0.1)"),
        (["train", "--steps", "2", "--set", "w1=1", "--set", "w1=2"], "w1 is given twice (--set w1=1 and --set w1=2)"),
        (["walkthrough", "--lr", "0.3", "--lr", "0.4"], "--lr is given twice (--lr 0.3 and --lr 0.4); give it once"),
        (["walkthrough", "--lr", "0.3", "--eta", "0.4"], "--lr is given twice (--lr 0.3 and --eta 0.4)"),
        (["gradcheck", "--x1", "1", "--x1", "2"], "--x1 is given twice (--x1 1.0 and --x1 2.0)"),
        (["walkthrough", "--target", "1", "-t", "2"], "--target is given twice (--target 1.0 and -t 2.0)"),
        (["train", "--steps", "5", "--steps", "6"], "--steps is given twice (--steps 5 and --steps 6)"),
        (["walkthrough", "--state", "a.json", "--state", "b.json"],
         "--state is given twice (--state a.json and --state b.json)"),
        (["screenshot", "x.png", "--theme", "dark", "--theme", "light"], "--theme is given twice"),
        (["screenshot", "x.png", "--iterations", "3", "--iterations", "4"], "--iterations is given twice"),
        (["--self-test", "walkthrough"], "--self-test runs on its own, not with `netviz walkthrough`"),
        (["--self-test", "train", "--steps", "3"], "--self-test runs on its own, not with `netviz train`"),
        (["--self-test", str(Path(__file__).parents[1] / "data" / "files" / "good" / "edited.netviz.json")],
         "--self-test runs on its own, not with a file ("),
        (["train", "--steps", "1e99"], "must be from 0 to 100,000,000, not 1e99"),
        (["train", "--steps", "2.5"], "not a whole number: '2.5'"),
        (["train", "--steps", "1_000"], "not a number: '1_000'"),
        (["train", "--steps", "1,000"], "write 1000 without the comma, not '1,000'"),
        (["train", "--steps", "1,5"], "not a whole number: '1,5'"),
        (["walkthrough", "--state", str(Path(__file__).parents[1] / "data" / "files" / "good" /
                                        "net_2_3_2_after_5.netviz.json"), "--target", "0.3"],
         "--target: 't' is not a value of this 2-3-2 network (known: "),
        (["screenshot", ""], "the file name is empty"),
        ([str(Path(__file__).parents[1] / "data" / "files" / "good" / "edited.netviz.json"), "walkthrough"],
         "a file before a command is not read: give it with --state, as in `netviz walkthrough --state "),
        (["lesson.netviz.json", "train", "--steps", "3"], "as in `netviz train --state lesson.netviz.json`"),
        (["screenshot", "shot.jpg"], "shot.jpg: a screenshot is a PNG"),
        (["screenshot", f"{README}/a/shot.png"], f"cannot write {README}/a/shot.png: {README} is a file, not a folder"),
        (["screenshot", "missing-folder/shot.png"], "the folder missing-folder does not exist"),
        (["screenshot", "x.png", "--size", "100000x100000"], "from 320 to 8192 pixels, not 100000x100000"),
    ],
)
def test_mistakes_on_the_command_line_are_one_line(args: list[str], needle: str) -> None:
    assert needle in _one_error_line(run(*args))


def test_steps_accept_scientific_notation() -> None:
    r = run("train", "--steps", "1e1", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["steps"] == 10


@pytest.mark.parametrize(
    ("lr", "verdict"),
    [("0.5", "The loss decreased by"), ("-1", "The loss increased by"), ("0", "The loss did not change")],
)
def test_walkthrough_says_truly_what_the_update_did(lr: str, verdict: str) -> None:
    r = run("walkthrough", "--lr", lr)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1].strip()
    assert last.startswith(verdict)
    if lr != "0":  # the amount is |E′ − E| at full precision, computed here independently
        v = lecture_note_values(eta=float(lr))
        names = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
        after = lecture_note_values(**{n: v[f"{n}_new"] for n in names})
        amount = float(last.split(" by ")[1].split(" ")[0].rstrip("."))
        assert amount == pytest.approx(abs(after["E"] - v["E"]), rel=1e-12)


def test_a_walkthrough_from_a_loss_too_large_to_compute_blames_the_values_not_eta() -> None:
    """E = ½(ŷ − 1e308)² is infinite before any update: η cannot be the cause (it said "try a smaller η")."""
    r = run("walkthrough", "--target", "1e308")
    assert r.returncode == 0, r.stderr
    assert r.stdout.rstrip().endswith("The loss is not a finite number before any update: the values given are too "
                                      "large to compute with (η is not the cause).")


@pytest.mark.parametrize(("before", "after", "verdict"), [
    (0.03, math.inf, "not a finite number after the update: the network has diverged (try a smaller η)."),
    (0.03, math.nan, "not a finite number after the update: the network has diverged (try a smaller η)."),
    (math.inf, math.inf, "not a finite number before any update: the values given are too large"),
    (0.5, 0.25, "The loss decreased by 0.25."),
])
def test_the_loss_verdict_names_what_went_wrong(before: float, after: float, verdict: str) -> None:
    from netviz.model.walkthrough import loss_verdict

    assert verdict in loss_verdict(before, after)


def test_walkthrough_says_where_a_hand_calculation_gets_other_decimals() -> None:
    from netviz.model.display import fmt
    from netviz.model.walkthrough import HAND_NOTE
    from tests.model.closed_form import hand_calculation_values

    r = run("walkthrough")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    exact = lecture_note_values()
    names = ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")
    exact_after = lecture_note_values(**{n: exact[f"{n}_new"] for n in names})
    hand, hand_after = hand_calculation_values()
    differs = sum(fmt(hand[k]) != fmt(exact[k]) for k in hand if k in exact)
    differs += sum(fmt(hand_after[k]) != fmt(exact_after[k]) for k in hand_after)
    notes = [i for i, line in enumerate(lines) if HAND_NOTE in line]
    assert differs >= 3 and len(notes) == differs  # a note under each step that differs, no other
    # ∂E/∂w2 is one: the exact δ_h1·x2 = 0.000453 shows 0.000; by hand 0.005·0.100 = 0.0005 → 0.001.
    w2 = next(i for i, line in enumerate(lines) if line.strip().startswith("∂E/∂w₂ ="))
    assert lines[w2].endswith(f"= {fmt(exact['dE_dw2'])}") and fmt(exact["dE_dw2"]) == "0.000"
    assert lines[w2 + 1].strip() == (f"({HAND_NOTE} {fmt(hand['dE_dw2'])}; at full precision it is "
                                     f"{exact['dE_dw2']:.6g})")
    assert fmt(hand["dE_dw2"]) == "0.001" and exact["dE_dw2"] < 0.0005


@pytest.mark.parametrize("words", [[], ["lesson.netviz.json"]])
def test_the_window_starts_without_building_the_option_parser(words: list[str], monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`netviz` and `netviz FILE` go straight to the window: argparse's parser, about 5 ms of
    every start, is built only when there are options or a command to read."""
    import netviz.cli
    import netviz.ui.launch

    opened: list[str | None] = []
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lesson.netviz.json").write_text("{}", encoding="utf-8")

    def no_parser(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser was built")

    monkeypatch.setattr(netviz.cli, "build_parser", no_parser)
    monkeypatch.setattr(netviz.ui.launch, "run_window", lambda file: opened.append(file) or 0)
    assert netviz.cli.main(words) == 0
    assert opened == [words[0] if words else None]
    with pytest.raises(AssertionError, match="the parser was built"):
        netviz.cli.main([*words, "--self-test"])


@pytest.mark.parametrize("words", [["--"], ["--", "-odd name.netviz.json"]])
def test_two_dashes_end_the_options_so_a_file_may_start_with_a_dash(words: list[str], monkeypatch,  # type: ignore[no-untyped-def]
                                                                     tmp_path) -> None:
    import netviz.cli
    import netviz.ui.launch

    opened: list[str | None] = []
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-odd name.netviz.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(netviz.ui.launch, "run_window", lambda file: opened.append(file) or 0)
    assert netviz.cli.main(words) == 0
    assert opened == [words[1] if len(words) == 2 else None]


def test_two_dashes_before_a_missing_file_is_one_line(tmp_path: Path) -> None:
    assert _one_error_line(run("--", str(tmp_path / "-gone.netviz.json"))).endswith("-gone.netviz.json: no such file")


@pytest.mark.parametrize("args", [["walkthrough"], ["train", "--steps", "3"], ["gradcheck"]])
def test_a_closed_standard_output_is_one_line_not_a_traceback(args: list[str]) -> None:
    """`netviz walkthrough >&-`: Python starts with no sys.stdout at all (it used to end in
    AttributeError: 'NoneType' object has no attribute 'write')."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-m", "netviz", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True, timeout=120, env=env, preexec_fn=lambda: os.close(1))
    assert r.returncode == 1
    assert r.stderr == (f"netviz: error: could not write the output: standard output is closed "
                        f"(`netviz {args[0]}` writes its results there)\n")
