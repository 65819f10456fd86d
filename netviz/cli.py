"""The ``netviz`` command: the window by default, headless subcommands otherwise.

Headless subcommands import only :mod:`netviz.model`, never Qt, so they start fast and run on
machines with no display. Every bad argument ends with one line naming the problem and exit
status 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
from collections.abc import Sequence
from typing import IO, Any, NoReturn

from netviz import __version__
from netviz.model.display import fmt_ascii, printable
from netviz.model.network import Problem
from netviz.model.parsing import parse_number

EXIT_USAGE = 2
MAX_TRAIN_STEPS = 100_000_000
SCREENSHOT_THEMES = ("light", "dark")


class UsageError(Exception):
    """A bad argument: reported as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse takes only -5 and -0.5 for negative numbers, so `--x1 -1e5` or `--x1 -0,5`
        # ended in "expected one argument"; no option of netviz looks like a number.
        if hasattr(self, "_negative_number_matcher"):
            self._negative_number_matcher = re.compile(r"^-(?:\d|[.,]\d|inf|nan|∞)", re.IGNORECASE)

    def error(self, message: str) -> NoReturn:  # one line, not usage + message
        raise UsageError(message)

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        """As argparse's, but a failed write is not dropped: ``--help`` to a full disk said nothing
        and exited 0."""
        if message:
            (file or sys.stderr).write(message)


class _Once(argparse.Action):
    """Store an option's value, refusing a second one: ``--lr 0.3 --lr 0.4`` ran with 0.4 and
    said nothing, where ``--lr 0.3 --set eta=0.4`` was refused."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        given = namespace.__dict__.setdefault("_given_once", {})
        shown = f"{option_string} {printable(values) if isinstance(values, str) else repr(values)}"
        if self.dest in given:
            raise UsageError(f"{self.option_strings[0]} is given twice ({given[self.dest]} and {shown}); give it once")
        given[self.dest] = shown
        setattr(namespace, self.dest, values)


def _number(text: str) -> float:
    try:
        return parse_number(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _steps(text: str) -> int:
    """A count of steps: ``1000``, also ``1e3``; read by the same rules as every other number."""
    if re.fullmatch(r"\d{1,3}(,\d{3})+", text.strip()):  # 1,000: grouped digits, as a count is written
        plain = text.strip().replace(",", "")
        raise argparse.ArgumentTypeError(f"write {plain} without the comma, not {text.strip()!r} "
                                         "(a comma is read as a decimal point)")
    try:
        value = parse_number(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    if value != math.floor(value):
        raise argparse.ArgumentTypeError(f"not a whole number: {text.strip()!r}")
    if not 0 <= value <= MAX_TRAIN_STEPS:
        raise argparse.ArgumentTypeError(f"must be from 0 to {MAX_TRAIN_STEPS:,}, not {text.strip()}")
    return int(value)


def _add_problem_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("the network (defaults: the lecture note's example)")
    g.add_argument("--lr", "--eta", dest="lr", type=_number, action=_Once, metavar="η", help="learning rate η")
    g.add_argument("--x1", type=_number, action=_Once, metavar="V", help="first input")
    g.add_argument("--x2", type=_number, action=_Once, metavar="V", help="second input")
    g.add_argument("--target", "-t", type=_number, action=_Once, metavar="V", help="target t")
    g.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                   help="set any value by name (w1..w6, b1..b3, x1, x2, t, eta); repeatable")
    g.add_argument("--state", action=_Once, metavar="FILE", help="start from a saved .netviz.json file")


COMMANDS = ("walkthrough", "train", "gradcheck", "screenshot")


def build_parser(window_file: bool = True) -> argparse.ArgumentParser:
    """The parser; ``window_file=False`` leaves out the optional FILE positional.

    argparse would otherwise give a subcommand's first word to FILE when the subcommand has a
    positional of its own (``netviz screenshot OUT.png``), so :func:`_run` drops FILE whenever
    the first word is a subcommand.
    """
    parser = _Parser(prog="netviz", description="See backpropagation, one number at a time.")
    parser.add_argument("--version", action="version", version=f"netviz {__version__}")
    parser.add_argument("--self-test", action="store_true",
                        help="build the window offscreen, train a few iterations, check the numbers, exit")
    if window_file:
        parser.add_argument("file", nargs="?", help="a .netviz.json file to open in the window")
    else:
        parser.set_defaults(file=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    w = sub.add_parser("walkthrough", help="print the lecture note's worked example for the network")
    _add_problem_options(w)
    w.add_argument("--json", action="store_true", help="full precision, as one JSON object")

    t = sub.add_parser("train", help="run SGD steps and print where they end")
    _add_problem_options(t)
    t.add_argument("--steps", type=_steps, action=_Once, required=True, metavar="N", help="number of SGD steps")
    t.add_argument("--json", action="store_true", help="as JSON, with the loss history")

    g = sub.add_parser("gradcheck", help="compare backprop with finite differences")
    _add_problem_options(g)

    s = sub.add_parser("screenshot", help="render the window offscreen to a PNG")
    s.add_argument("out", metavar="OUT.png", help="the PNG file to write")
    s.add_argument("--iterations", type=_steps, action=_Once, default=0, metavar="N",
                   help="train N iterations first (default: 0, the network as given)")
    s.add_argument("--phase", choices=("forward", "backward", "update"), action=_Once, default=None,
                   help="stop at the end of this phase of the next iteration (default: before it starts)")
    s.add_argument("--size", action=_Once, default="1280x800", metavar="WxH",
                   help="the window's size in pixels (default: 1280x800)")
    s.add_argument("--theme", choices=SCREENSHOT_THEMES, action=_Once, default="light",
                   help="the colours to render in (default: light, regardless of the desktop's theme)")
    _add_problem_options(s)
    return parser


def problem_from_args(args: argparse.Namespace) -> Problem:
    """The lecture note's problem (or a saved one) with the command line's changes applied."""
    problem = Problem.lecture_note()
    if getattr(args, "state", None) is not None:
        if not args.state.strip():
            raise UsageError("--state: the file name is empty")
        from netviz.io.document import load_problem  # imported only when asked for

        try:
            problem = load_problem(args.state)
        except ValueError as e:  # DocumentError: names the file and the field
            raise UsageError(str(e)) from None
    changes: list[tuple[str, float, str]] = []  # (name, value, the option that names it)
    given: dict[str, str] = {}  # name -> the option that set it, so a value is never given twice

    def add(name: str, value: float, option: str, flag: str) -> None:
        if name in given:
            raise UsageError(f"{name} is given twice ({given[name]} and {option}); give it once")
        given[name] = option
        changes.append((name, value, flag))

    for name, option, value in (("eta", "--lr", args.lr), ("x1", "--x1", args.x1), ("x2", "--x2", args.x2),
                                ("t", "--target", args.target)):
        if value is not None:
            add(name, value, f"{option} {value!r}", option)
    for item in args.set:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise UsageError(f"--set {item!r}: expected NAME=VALUE, like w1=0.15")
        try:
            value = parse_number(text)
        except ValueError as e:
            raise UsageError(f"--set {name}: {e}") from None
        add(name, value, f"--set {name}={text.strip()}", f"--set {name}")
    for name, value, flag in changes:
        try:
            problem = problem.with_value(name, value)
        except ValueError as e:
            raise UsageError(f"{flag}: {e}") from None
    return problem


def _print_json(obj: object) -> None:
    print(json.dumps(obj, indent=2, allow_nan=False))


def cmd_walkthrough(args: argparse.Namespace) -> int:
    from netviz.model.walkthrough import walkthrough_json, walkthrough_text

    problem = problem_from_args(args)
    if args.json:
        _print_json(walkthrough_json(problem))
    else:
        sys.stdout.write(walkthrough_text(problem))
    return 0


class _Progress:
    """``train``'s progress on one terminal line of stderr, only when stderr is a terminal and the
    run is long enough to wait for; the line is cleared when the run ends."""

    def __init__(self, steps: int, chunk: int) -> None:
        self.steps = steps
        self.shown = False
        self.on = steps > 2 * chunk and sys.stderr.isatty()

    def __call__(self, done: int) -> None:
        if self.on and done < self.steps:
            sys.stderr.write(f"\rtraining: {done:,} of {self.steps:,} steps ({100 * done // self.steps} %)")
            sys.stderr.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _print_train_json(head: dict[str, object], blocks: Sequence[Sequence[float]]) -> None:
    """``head`` and then ``loss_history`` (``blocks`` one after another), as ``json.dumps(...,
    indent=2)`` would write them, but a block at a time: a hundred million losses as one Python
    list would need gigabytes."""
    text = json.dumps({**head, "loss_history": []}, indent=2, allow_nan=False)
    assert text.endswith('"loss_history": []\n}')
    out = sys.stdout
    out.write(text[: -len("[]\n}")] + "[")
    step, written = 65_536, 0
    for history in blocks:
        for start in range(0, len(history), step):
            values = history[start : start + step]
            if not all(map(math.isfinite, values)):
                raise ValueError("a loss in the history is not finite")  # never: the trainer stops first
            # repr is what json writes for a finite float
            out.write((",\n    " if written else "\n    ") + ",\n    ".join(map(repr, values)))
            written += len(values)
    out.write("\n  ]\n}\n" if written else "]\n}\n")


def cmd_train(args: argparse.Namespace) -> int:
    from netviz.model import kernel
    from netviz.model.backprop import loss

    problem = problem_from_args(args)
    start = loss(problem)
    chunk = kernel.CHUNK_STEPS  # a progress report after each piece
    progress = _Progress(args.steps, chunk)
    try:
        result = kernel.train_in_pieces(problem, args.steps, keep_losses=args.json, chunk=chunk, progress=progress)
    finally:
        progress.clear()
    end = loss(result.problem)
    names = problem.architecture.param_names
    if args.json:
        _print_train_json({
            "steps": result.steps_done,
            "diverged": result.diverged,
            "loss_start": start if math.isfinite(start) else None,
            "loss_end": end if math.isfinite(end) else None,
            "parameters": dict(zip(names, result.problem.params, strict=True)),
        }, ([start] if math.isfinite(start) else [], result.losses))
        return 0
    steps = f"{result.steps_done:,} step{'s' if result.steps_done != 1 else ''}"
    print(f"Trained {steps} with learning rate η = {fmt_ascii(problem.learning_rate)}")
    if not math.isfinite(start):
        print("Not started: the loss is already too large to compute with these values, before any "
              "step; what follows is the network as given.")
    elif result.diverged:
        print(f"Stopped early: step {result.steps_done + 1} made the loss or a parameter too large to compute; "
              f"what follows is where step {result.steps_done} left it.")
    print(f"Loss at start: {fmt_ascii(start)}  (full precision {start!r})")
    print(f"Loss at end:   {fmt_ascii(end)}  (full precision {end!r})")
    print("Final parameters:")
    for name, value in zip(names, result.problem.params, strict=True):
        print(f"  {name} = {fmt_ascii(value)}  ({value!r})")
    return 0


def cmd_gradcheck(args: argparse.Namespace) -> int:
    from netviz.model.gradcheck import gradient_check

    problem = problem_from_args(args)
    checks = gradient_check(problem)
    print(f"{'param':>6}  {'backprop':>24}  {'finite difference':>24}  {'rel. error':>10}")
    for c in checks:
        print(f"{c.name:>6}  {c.analytic:>24.17g}  {c.numeric:>24.17g}  {c.rel_error:>10.2e}")
    bad = [c.name for c in checks if not c.ok(rel_tol=1e-5, abs_tol=1e-9)]
    print("gradient check: " + ("FAILED for " + ", ".join(bad) if bad else "all parameters agree"))
    return 1 if bad else 0


def _is_a_word(text: str) -> bool:
    """Neither an existing file nor anything like a path: a mistyped command, not a file."""
    return not os.path.exists(text) and os.sep not in text and "." not in text


def _check_window_file(file: str) -> None:
    """``netviz FILE``: a mistyped command or a missing file is one line, before any window opens."""
    if os.path.exists(file):
        return
    if not file.strip():
        raise UsageError("FILE: the file name is empty")
    if _is_a_word(file):
        import difflib  # only for this message: not loaded when the window starts

        close = difflib.get_close_matches(file, COMMANDS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UsageError(f"unknown command '{file}' ({hint}commands: {', '.join(COMMANDS)}; "
                         "or give a .netviz.json file to open)")
    from netviz.io.atomic import missing_file  # only for this message

    raise UsageError(f"{file}: {missing_file(file)}")


OUTPUT_COMMANDS = ("walkthrough", "train", "gradcheck")
"""Commands whose output is the point: with standard output closed they stop and say so."""


def _run(argv: Sequence[str] | None, stdout_closed: bool = False) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    first, file = None, None
    if words[:1] == ["--"] and len(words) <= 2:  # `netviz -- -odd-name.netviz.json`: only a file follows
        file, words = (words[1] if len(words) == 2 else None), []
        if file is not None:
            _check_window_file(file)
    else:
        first = next((w for w in words if not w.startswith("-")), None)
    if first is not None and first not in COMMANDS:
        file = first  # `netviz FILE`: argparse would give FILE to COMMAND, so take it out first
        words.remove(first)
        command = next((w for w in words if w in COMMANDS), None)
        if command is not None and not _is_a_word(file):  # `netviz FILE walkthrough` walked through
            # the lecture note, not the file
            raise UsageError(f"a file before a command is not read: give it with --state, "
                             f"as in `netviz {command} --state {printable(file)}`")
        _check_window_file(file)
    if not words:  # `netviz` or `netviz FILE`: the window, with no option to read (argparse's
        # parser takes about 5 ms to build, a tenth of what netviz adds to start-up)
        from netviz.ui.launch import run_window

        return run_window(file)
    parser = build_parser(window_file=first is None)
    args = parser.parse_args(words)
    if file is not None:
        args.file = file
    if args.self_test and (args.command or args.file is not None):
        other = f"`netviz {args.command}`" if args.command else f"a file ({printable(args.file)})"
        raise UsageError(f"--self-test runs on its own, not with {other}: run `netviz --self-test` by itself")
    if stdout_closed and args.command in OUTPUT_COMMANDS:
        print(f"netviz: error: could not write the output: standard output is closed "
              f"(`netviz {args.command}` writes its results there)", file=sys.stderr)
        return 1
    if args.command == "walkthrough":
        return cmd_walkthrough(args)
    if args.command == "train":
        return cmd_train(args)
    if args.command == "gradcheck":
        return cmd_gradcheck(args)
    if args.command == "screenshot":
        from netviz.ui.launch import screenshot

        return screenshot(args, problem_from_args(args))
    if args.self_test:
        from netviz.ui.launch import self_test

        return self_test()
    from netviz.ui.launch import run_window

    return run_window(args.file)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")  # a non-UTF-8 terminal gets '?' rather than a traceback
    closed = sys.stdout is None  # started with standard output closed (`>&-`, some launchers)
    if closed:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process's life
    try:
        try:
            return _run(argv, stdout_closed=closed)
        finally:
            sys.stdout.flush()  # a full disk shows here, as one line, not at exit or not at all
    except UsageError as e:
        print(f"netviz: error: {printable(str(e))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("netviz: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # writing the output failed (a file's own errors are reported where it is read)
        where = f" ({e.filename})" if e.filename else ""
        print(f"netviz: error: could not write the output: {e.strerror or e}{where}", file=sys.stderr)
        _drop_unwritten_output()
        return 1


def _drop_unwritten_output() -> None:
    """Send what is still buffered for stdout to the null device: the exit would try it again."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
