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
from dataclasses import dataclass
from functools import lru_cache

from netviz.model.network import Architecture, Problem

TrainFn = Callable[
    [list[float], tuple[float, ...], tuple[float, ...], float, int, "array[float]"], tuple[list[float], int, bool]
]


@dataclass(frozen=True)
class TrainResult:
    """Where a run of SGD steps ended."""

    problem: Problem
    losses: array[float]
    """E after each completed step (typecode ``d``, 8 bytes per iteration)."""
    steps_done: int
    diverged: bool


def train(problem: Problem, steps: int, losses: array[float] | None = None) -> TrainResult:
    """Run ``steps`` SGD steps; stops early if the loss stops being finite.

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
    # Step ``done`` made the loss non-finite: end at the parameters just before it. Re-running
    # the (deterministic) loop is cheaper than copying the parameters on every step.
    good = max(done - 1, 0)
    del out[start:]
    params, _, _ = fn(list(problem.params), *args, good, out)
    return TrainResult(problem.with_params(tuple(params)), out, good, True)


@lru_cache(maxsize=16)
def compile_trainer(arch: Architecture) -> TrainFn:
    """Generate and compile the unrolled training loop for ``arch``."""
    if arch.activation != "sigmoid" or arch.loss != "half_squared_error":
        raise NotImplementedError(f"no fast trainer for {arch.activation}/{arch.loss}")
    source = trainer_source(arch)
    namespace: dict[str, object] = {"exp": math.exp, "inf": math.inf}
    exec(compile(source, f"<netviz trainer {arch.label}>", "exec"), namespace)
    return namespace["run"]  # type: ignore[return-value]


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
    unpack = ", ".join(f"p{i}" for i in range(n)) + ("," if n == 1 else "")
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
        f"            return [{', '.join(f'p{i}' for i in range(n))}], done, False",
        "        append(E)",
        f"    return [{', '.join(f'p{i}' for i in range(n))}], steps, True",
    ]
    return "\n".join(lines) + "\n"
