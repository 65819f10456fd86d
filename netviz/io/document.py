"""The ``.netviz.json`` file: what it holds, how it is written safely and read strictly.

A document is plain JSON (UTF-8, ``.`` as the decimal point, never NaN or Infinity)::

    {
      "format": "netviz",
      "format_version": 1,
      "architecture": {"layer_sizes": [2, 2, 1], "activation": "sigmoid", "loss": "half_squared_error"},
      "parameters": {"w1": 0.15, ..., "b3": 0.6},
      "inputs": {"x1": 0.05, "x2": 0.1},
      "targets": {"t": 0.5},
      "learning_rate": 0.5,
      "iteration": 0,
      "loss_history": [0.2983711087600027],
      "loss_history_stride": 1
    }

Writing is atomic: a temporary file in the same folder is written, flushed and fsynced, then
moved over the target with :func:`os.replace`, so a crash or a full disk mid-save leaves the
previous file intact. Reading checks the size before reading, decodes strict UTF-8, parses with
:mod:`json` only (no code ever runs), and validates every field before anything is built; every
problem raises :class:`DocumentError`, whose message names the file and the field.

This module imports no Qt: the command line uses it too.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from netviz import __version__
from netviz.io.atomic import missing_file, write_atomic
from netviz.model.display import printable
from netviz.model.history import Floats
from netviz.model.network import MAX_ITERATION, MAX_LAYERS, MAX_UNITS_PER_LAYER, Architecture, Problem

FORMAT = "netviz"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 4 * 1024 * 1024
"""Files larger than this are refused before being read (a full history is about 2 MB)."""
MAX_HISTORY_POINTS = 100_000
"""Longer loss histories are saved thinned to every k-th point (``loss_history_stride``)."""
MAX_EXPANDED_HISTORY = 20_000_000
"""Reopened thinned histories are expanded back to one point per iteration up to this length
(160 MB); longer ones stay thinned (one point per saved point)."""

REQUIRED_KEYS = ("format", "format_version", "architecture", "parameters", "inputs", "targets",
                 "learning_rate", "iteration", "loss_history")
OPTIONAL_KEYS = ("loss_history_stride", "app_version")
ARCH_KEYS = ("layer_sizes", "activation", "loss")


class DocumentError(ValueError):
    """A file that cannot be read as a netviz document; the message names the file and the field."""

    def __init__(self, path: str | os.PathLike[str], field: str, reason: str) -> None:
        self.path = Path(path)
        self.field = field
        self.reason = reason
        name = printable(os.fspath(path))
        where = f"{name}: {printable(field)}: " if field else f"{name}: "
        super().__init__(where + reason)


@dataclass(frozen=True)
class Document:
    """Everything a file holds: the problem, the iteration count and the loss history.

    ``loss_history[i]`` is E at the start of iteration ``i * loss_history_stride``.
    """

    problem: Problem
    iteration: int = 0
    loss_history: tuple[float, ...] = ()
    loss_history_stride: int = 1
    app_version: str = field(default=__version__, compare=False)

    @property
    def history(self) -> tuple[float, ...]:
        """The loss history (an alias of :attr:`loss_history`)."""
        return self.loss_history

    def history_by_iteration(self, limit: int | None = None) -> Floats:
        """One loss per iteration again, as the session holds it (index = iteration).

        A thinned history (stride k) gives each saved point its k iterations, so the plot's
        iteration axis and the iteration count agree after reopening. A history that would
        grow past ``limit`` points (default :data:`MAX_EXPANDED_HISTORY`) stays thinned.
        """
        values = np.asarray(self.loss_history, dtype=np.float64)
        k = self.loss_history_stride
        if k == 1 or values.size == 0:
            return values
        n = min(values.size * k, self.iteration + 1)
        if n > (MAX_EXPANDED_HISTORY if limit is None else limit):
            return values
        return np.repeat(values, k)[:n]


class SessionLike(Protocol):
    """What :func:`save_document` reads from a session (kept Qt-free on purpose)."""

    @property
    def problem(self) -> Problem: ...
    @property
    def iteration(self) -> int: ...
    @property
    def history(self) -> Any: ...


def document_from_state(problem: Problem, iteration: int, history: Sequence[float] | Any = ()) -> Document:
    """A document for a state, thinning a history longer than :data:`MAX_HISTORY_POINTS`.

    Non-finite losses are never written (the session never holds them; this is a second guard).
    """
    values = np.asarray(_history_values(history), dtype=np.float64).ravel()
    stride = 1
    if values.size > MAX_HISTORY_POINTS:
        stride = -(-values.size // MAX_HISTORY_POINTS)
        values = values[::stride]
    values = values[np.isfinite(values)]
    return Document(problem, int(iteration), tuple(values.tolist()), stride)


def _history_values(history: Any) -> Any:
    values = getattr(history, "values", history)
    return values() if callable(values) else values


def to_json_object(doc: Document) -> dict[str, Any]:
    """The document as a JSON-ready dict, keys in the documented order."""
    p = doc.problem
    arch = p.architecture
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": doc.app_version,
        "architecture": {"layer_sizes": list(arch.layer_sizes), "activation": arch.activation, "loss": arch.loss},
        "parameters": dict(zip(arch.param_names, p.params, strict=True)),
        "inputs": dict(zip(arch.input_names, p.inputs, strict=True)),
        "targets": dict(zip(arch.target_names, p.targets, strict=True)),
        "learning_rate": p.learning_rate,
        "iteration": doc.iteration,
        "loss_history": list(doc.loss_history),
        "loss_history_stride": doc.loss_history_stride,
    }


def dumps(doc: Document) -> str:
    """Strict JSON text (``allow_nan=False``): one key a line, short lists and the history inline."""
    lines = []
    for key, value in to_json_object(doc).items():
        if isinstance(value, dict) and key != "architecture":
            text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False).replace("\n", "\n  ")
        else:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        lines.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def save_document(path: str | os.PathLike[str], source: Document | SessionLike) -> None:
    """Write atomically: temp file in the same folder, flush + fsync, os.replace, fsync the folder.

    On any failure (full disk, permission, interruption) the previous file is left untouched,
    the temporary file is removed and the error is raised (an :class:`OSError`).
    """
    doc = source if isinstance(source, Document) else document_from_state(
        source.problem, source.iteration, source.history)
    write_atomic(path, dumps(doc).encode("utf-8"))


# ---- reading ----------------------------------------------------------------------------------

def load_document(path: str | os.PathLike[str]) -> Document:
    """Read and validate a document; raises :class:`DocumentError` naming the file and field."""
    text = _read_text(path)
    obj = _parse(path, text)
    return _validate(path, obj)


def load_problem(path: str | os.PathLike[str]) -> Problem:
    """Just the problem of a document (what ``netviz walkthrough --state FILE`` needs)."""
    return load_document(path).problem


def _read_text(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DocumentError(path, "", missing_file(path)) from None
    except OSError as e:
        raise DocumentError(path, "", f"cannot be read ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(path, "", "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):  # a pipe or a device could block or never end
        raise DocumentError(path, "", "is not a regular file")
    if st.st_size > MAX_FILE_BYTES:
        raise DocumentError(path, "", f"too large ({st.st_size:,} bytes; netviz files are at most "
                                      f"{MAX_FILE_BYTES:,} bytes)")
    try:
        with open(p, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise DocumentError(path, "", f"cannot be read ({e.strerror or e})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise DocumentError(path, "", f"too large (more than {MAX_FILE_BYTES:,} bytes)")
    if not raw.strip():
        raise DocumentError(path, "", "the file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DocumentError(path, "", f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})") from None


class _RejectError(ValueError):
    pass


@dataclass(frozen=True)
class _NonFinite:
    """A NaN/Infinity token or an overflowing number, kept so validation can name its field."""

    token: str


def _no_constant(token: str) -> _NonFinite:
    return _NonFinite(token)


@dataclass(frozen=True)
class _TooSmall(_NonFinite):
    """A number that is not 0 but closer to 0 than any float: read as 0, it would change silently."""


def _parse_float(text: str) -> float | _NonFinite:
    v = float(text)
    token = text if len(text) <= 24 else text[:21] + "..."
    if v == 0.0 and any(ch in "123456789" for ch in text.lower().split("e")[0]):
        return _TooSmall(token)
    return v if math.isfinite(v) else _NonFinite(token)


def _parse_int(text: str) -> int | _NonFinite:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= 400 else _NonFinite(f"a {digits:,}-digit number")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _RejectError(f"the key {k!r} appears twice")
        out[k] = v
    return out


def _parse(path: str | os.PathLike[str], text: str) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_parse_float, parse_int=_parse_int,
                          object_pairs_hook=_pairs)
    except _RejectError as e:
        raise DocumentError(path, "", f"not valid netviz JSON: {e}") from None
    except json.JSONDecodeError as e:
        ends_early = e.pos >= len(text.rstrip()) or e.msg.startswith("Unterminated string")
        what = "truncated JSON (the file ends too early)" if ends_early else "not valid JSON"
        where = "" if e.msg.endswith(" at") else " at"  # "Unterminated string starting at" line …
        raise DocumentError(path, "", f"{what}: {e.msg}{where} line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise DocumentError(path, "", "not valid netviz JSON: nested too deeply") from None
    except ValueError as e:  # e.g. an integer with thousands of digits
        raise DocumentError(path, "", f"not valid JSON: {e}") from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, str):
        shown = value if len(value) <= 24 else value[:21] + "..."
        return f"a string ({shown!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, _NonFinite):
        return value.token
    return repr(value)


class _Checker:
    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = path

    def fail(self, where: str, reason: str) -> DocumentError:
        return DocumentError(self.path, where, reason)

    def obj(self, where: str, value: Any, required: Sequence[str], optional: Sequence[str] = ()) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where or "(top level)", f"expected an object {{...}}, got {_kind(value)}")
        for key in required:
            if key not in value:
                raise self.fail(_join(where, key), "missing")
        for key in value:
            if key not in required and key not in optional:
                raise self.fail(_join(where, key), "unknown key (not part of the netviz format)")
        return value

    def number(self, where: str, value: Any) -> float:
        if isinstance(value, _TooSmall):
            raise self.fail(where, f"too small: {value.token} is closer to 0 than the smallest number (about 5e-324)")
        if isinstance(value, _NonFinite):
            raise self.fail(where, f"expected a finite number, got {value.token}")
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, f"expected a number, got {_kind(value)}")
        try:
            v = float(value)
        except OverflowError:
            raise self.fail(where, "the number is too large") from None
        if not math.isfinite(v):
            raise self.fail(where, "expected a finite number")
        return v

    def integer(self, where: str, value: Any, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            else:
                raise self.fail(where, f"expected a whole number, got {_kind(value)}")
        if not low <= value <= high:
            shown = str(value) if len(str(value)) <= 24 else f"a {len(str(value))}-digit number"
            raise self.fail(where, f"must be from {low:,} to {high:,}, not {shown}")
        return int(value)

    def string(self, where: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(where, f"expected text, got {_kind(value)}")
        return value

    def values(self, where: str, value: Any, names: Sequence[str]) -> list[float]:
        mapping = self.obj(where, value, names)
        return [self.number(_join(where, n), mapping[n]) for n in names]


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _loss(c: _Checker, where: str, value: Any) -> float:
    """A loss: a finite number, never negative (every netviz loss is a sum of squares).

    The history's length is only bounded above: legitimate states hold fewer points than
    iterations (a start loss that was not finite is not recorded; a reopened history too long
    to expand back stays thinned and is saved so).
    """
    v = c.number(where, value)
    if v < 0:
        raise c.fail(where, f"a loss is never negative, got {repr(v).removesuffix('.0')}")
    return v


def _validate(path: str | os.PathLike[str], obj: Any) -> Document:
    c = _Checker(path)
    if isinstance(obj, dict) and "format" in obj and obj["format"] != FORMAT:
        raise c.fail("format", f"not a netviz file (format is {_kind(obj['format'])}, expected {FORMAT!r})")
    if isinstance(obj, dict) and "format_version" in obj:
        version = obj["format_version"]
        if isinstance(version, float) and version.is_integer():
            version = int(version)  # 1.0 is 1, as for every other whole number in the format
        if isinstance(version, bool) or not isinstance(version, int):
            raise c.fail("format_version", f"expected a whole number, got {_kind(version)}")
        if version > FORMAT_VERSION:
            raise c.fail("format_version", f"written by a newer netviz (format {version}); "
                                           f"this version reads format {FORMAT_VERSION}")
        if version < 1:
            raise c.fail("format_version", f"unknown format version {version}")
    top = c.obj("", obj, REQUIRED_KEYS, OPTIONAL_KEYS)
    if "app_version" in top:
        c.string("app_version", top["app_version"])

    a = c.obj("architecture", top["architecture"], ARCH_KEYS)
    sizes_raw = a["layer_sizes"]
    if not isinstance(sizes_raw, list):
        raise c.fail("architecture.layer_sizes", f"expected a list of whole numbers, got {_kind(sizes_raw)}")
    if not 2 <= len(sizes_raw) <= MAX_LAYERS:
        raise c.fail("architecture.layer_sizes", f"a network has 2 to {MAX_LAYERS} layers, not {len(sizes_raw)}")
    sizes = tuple(c.integer(f"architecture.layer_sizes[{i}]", n, 1, MAX_UNITS_PER_LAYER)
                  for i, n in enumerate(sizes_raw))
    activation = c.string("architecture.activation", a["activation"])
    loss = c.string("architecture.loss", a["loss"])
    try:
        arch = Architecture(sizes, activation, loss)
    except ValueError as e:
        which = "activation" if "activation" in str(e) else "loss" if "loss" in str(e) else "layer_sizes"
        raise c.fail(f"architecture.{which}", str(e)) from None

    params = c.values("parameters", top["parameters"], arch.param_names)
    inputs = c.values("inputs", top["inputs"], arch.input_names)
    targets = c.values("targets", top["targets"], arch.target_names)
    eta = c.number("learning_rate", top["learning_rate"])
    iteration = c.integer("iteration", top["iteration"], 0, MAX_ITERATION)
    stride = c.integer("loss_history_stride", top.get("loss_history_stride", 1), 1, MAX_ITERATION)

    hist = top["loss_history"]
    if not isinstance(hist, list):
        raise c.fail("loss_history", f"expected a list of numbers, got {_kind(hist)}")
    most = min(MAX_HISTORY_POINTS, iteration // stride + 1)
    if len(hist) > most:
        raise c.fail("loss_history", f"has {len(hist):,} points; at iteration {iteration:,} "
                                     f"(every {stride}) there can be at most {most:,}")
    history = tuple(_loss(c, f"loss_history[{i}]", v) for i, v in enumerate(hist))
    try:
        problem = Problem(arch, tuple(params), tuple(inputs), tuple(targets), eta)
    except ValueError as e:  # pragma: no cover - every field was checked above
        raise c.fail("", str(e)) from None
    app_version = top.get("app_version", "")
    return Document(problem, iteration, history, stride, app_version)
