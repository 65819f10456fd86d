"""A fast trainer: the same maths as :mod:`netviz.model.backprop`, compiled for one architecture.

Play at full speed and ``netviz train`` run many thousands of iterations and record only the
loss. Python's loops, lists and attribute look-ups would dominate such a run, so this module
writes the training loop out as straight-line Python for the given layer sizes (one local
variable per parameter and activation) and compiles it once per architecture. The traced
engine stays the reference; ``tests/model/test_engine.py`` checks the two agree.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

from netviz.model.network import Architecture, Problem

TrainFn = Callable[
    [list[float], tuple[float, ...], tuple[float, ...], float, int, "array[float]"], tuple[list[float], int, bool]
]


class TrainResult(NamedTuple):
    """Where a run of SGD steps ended."""

    problem: Problem
    losses: array[float]
    """E after each completed step (typecode ``d``, 8 bytes per iteration)."""
    steps_done: int
    diverged: bool


def train(problem: Problem, steps: int, losses: array[float] | None = None) -> TrainResult:
    """Run ``steps`` SGD steps; stops early if the loss or a parameter stops being finite.

    Appends E after each step to ``losses`` (a new ``array('d')`` if none is given).
    Parameters whose values went non-finite are never returned: a diverged run ends
    at the last finite parameters.
    """
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, not {steps}")
    out = array("d") if losses is None else losses
    fn = compile_trainer(problem.architecture)
    args = (problem.inputs, problem.targets, problem.learning_rate)
    start = len(out)
    params, done, ok = fn(list(problem.params), *args, steps, out)
    if ok:
        return TrainResult(problem.with_params(tuple(params)), out, done, False)
    # Step ``done`` made the loss or a parameter non-finite: end at the parameters just before it. Re-running
    # the (deterministic) loop is cheaper than copying the parameters on every step.
    good = max(done - 1, 0)
    del out[start:]
    params, _, _ = fn(list(problem.params), *args, good, out)
    return TrainResult(problem.with_params(tuple(params)), out, good, True)


CHUNK_STEPS = 1_000_000
"""Steps per piece in :func:`train_in_pieces`: about a second of training, 8 MB of losses."""


def train_in_pieces(problem: Problem, steps: int, *, keep_losses: bool = True, chunk: int = CHUNK_STEPS,
                    progress: Callable[[int], None] | None = None) -> TrainResult:
    """:func:`train`, ``chunk`` steps at a time, with ``progress(steps_done)`` after each piece.

    The result is :func:`train`'s bit for bit: SGD carries nothing from one step to the next but
    the parameters. With ``keep_losses=False`` the losses are not kept (the result's are empty),
    so memory does not grow with ``steps``: a hundred million steps would need 800 MB.
    """
    if chunk < 1:
        raise ValueError(f"chunk must be 1 or more, not {chunk}")
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, not {steps}")
    losses: array[float] = array("d")
    done = 0
    while True:
        piece = train(problem, min(chunk, steps - done), losses if keep_losses else array("d"))
        problem, done = piece.problem, done + piece.steps_done
        if progress is not None:
            progress(done)
        if piece.diverged or done >= steps:
            return TrainResult(problem, losses, done, piece.diverged)


@lru_cache(maxsize=16)
def compile_trainer(arch: Architecture) -> TrainFn:
    """Generate and compile the unrolled training loop for ``arch``."""
    if arch.activation != "sigmoid" or arch.loss != "half_squared_error":
        raise NotImplementedError(f"no fast trainer for {arch.activation}/{arch.loss}")
    source = trainer_source(arch)
    namespace: dict[str, object] = {"exp": math.exp, "inf": math.inf, "all_finite": _all_finite}
    exec(compile(source, f"<netviz trainer {arch.label}>", "exec"), namespace)
    return namespace["run"]  # type: ignore[return-value]


def _all_finite(*values: float) -> bool:
    return all(map(math.isfinite, values))


def trainer_source(arch: Architecture) -> str:
    """The Python source of the trainer for ``arch`` (readable, for inspection and tests)."""
    sizes = arch.layer_sizes
    last = len(sizes) - 1
    p = {prm.name: f"p{prm.index}" for prm in arch.params}
    a = {(0, i): f"x{i}" for i in range(sizes[0])}
    for layer in range(1, last + 1):
        for j in range(sizes[layer]):
            a[(layer, j)] = f"a{layer}_{j}"

    def forward(ind: str) -> list[str]:
        lines = []
        for layer in range(1, last + 1):
            for j in range(sizes[layer]):
                terms = [f"{p[arch.weight(layer, j, i).name]} * {a[(layer - 1, i)]}" for i in range(sizes[layer - 1])]
                terms.append(p[arch.bias(layer, j).name])
                lines += [
                    f"z = {' + '.join(terms)}",
                    "if z >= 0.0:",
                    f"    {a[(layer, j)]} = 1.0 / (1.0 + exp(-z))",
                    "else:",
                    "    e = exp(z)",
                    f"    {a[(layer, j)]} = e / (1.0 + e)",
                ]
        errs = [f"(a{last}_{k} - t{k}) * (a{last}_{k} - t{k})" for k in range(sizes[last])]
        lines.append(f"E = 0.5 * ({' + '.join(errs)})")
        return [ind + line for line in lines]

    body: list[str] = []
    for layer in range(last, 0, -1):
        for j in range(sizes[layer]):
            aj = a[(layer, j)]
            if layer == last:
                grad = f"({aj} - t{j})"
            else:
                grad = "(" + " + ".join(
                    f"d{layer + 1}_{k} * {p[arch.weight(layer + 1, k, j).name]}" for k in range(sizes[layer + 1])
                ) + ")"
            body.append(f"d{layer}_{j} = {grad} * {aj} * (1.0 - {aj})")
    for prm in arch.params:  # update after every delta is known: gradients use the old weights
        src = "" if prm.is_bias else f" * {a[(prm.layer - 1, prm.source)]}"  # type: ignore[index]
        body.append(f"{p[prm.name]} -= lr * d{prm.layer}_{prm.unit}{src}")
    n = len(arch.params)
    names = ", ".join(f"p{i}" for i in range(n))
    # An update can overflow a parameter to ±inf while E stays finite (a saturated sigmoid gives
    # 1.0 for z = inf): that step diverged too. The sum of the parameters is finite whenever all
    # of them are, unless it overflows; only then are they looked at one by one.
    body += [
        f"s = {names.replace(', ', ' + ')}",
        f"if not -inf < s < inf and not all_finite({names}):",
        f"    return [{names}], done, False",
    ]

    unpack = names + ("," if n == 1 else "")
    xs = ", ".join(f"x{i}" for i in range(sizes[0])) + ("," if sizes[0] == 1 else "")
    ts = ", ".join(f"t{k}" for k in range(sizes[last])) + ("," if sizes[last] == 1 else "")
    lines = [
        "def run(params, inputs, targets, lr, steps, out):",
        f"    {unpack} = params",
        f"    {xs} = inputs",
        f"    {ts} = targets",
        "    append = out.append",
        *forward("    "),
        "    if not E < inf:",
        "        return params, 0, False",
        # A for loop over range(): ~30 % faster per step than `while done < steps: done += 1`
        # on CPython 3.11 (measured in benchmarks/engine.py; see benchmarks/RESULTS.md).
        "    for done in range(1, steps + 1):",
        *["        " + line for line in body],
        *forward("        "),
        "        if not E < inf:",
        f"            return [{names}], done, False",
        "        append(E)",
        f"    return [{names}], steps, True",
    ]
    return "\n".join(lines) + "\n"
