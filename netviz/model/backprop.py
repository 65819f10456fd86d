"""The traced engine: forward pass, backward pass and SGD update, recorded micro-step by micro-step.

This is the readable reference implementation; every number the app shows comes from here.
The fast trainer in :mod:`netviz.model.kernel` is checked against it.

A ``rounding`` function, if given, is applied to every computed value before later steps use
it: this is how a student computing by hand at three decimals would proceed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

from netviz.model import symbols
from netviz.model.network import LEARNING_RATE, Architecture, Problem
from netviz.model.trace import ForwardTrace, MicroStep, Phase, Trace, freeze, placeholders

Rounding = Callable[[float], float] | None


class _Recorder:
    """Collects values and micro-steps; computations read their inputs back from it."""

    def __init__(self, problem: Problem, rounding: Rounding) -> None:
        self.values: dict[str, float] = problem.values()
        self.steps: list[MicroStep] = []
        self.rounding = rounding

    def __getitem__(self, key: str) -> float:
        return self.values[key]

    def record(
        self,
        key: str,
        phase: Phase,
        formula: str,
        value: float,
        element: str,
        via: tuple[str, ...] = (),
        description: str = "",
    ) -> float:
        if self.rounding is not None:
            value = self.rounding(value)
        inputs = tuple((k, self.values[k]) for k in placeholders(formula))
        self.values[key] = value
        self.steps.append(MicroStep(key, phase, formula, inputs, value, element, via, description))
        return value


@cache
def _named(name: str) -> str:
    """A name as a description shows it (h₁, w₆, ŷ): the note's symbols, never internal keys."""
    return symbols.text(name)


def _unit(arch: Architecture, layer: int, name: str, a_key: str) -> str:
    """A unit in a description: h₁ for a hidden unit, "the output ŷ" for the output."""
    return f"the output {_named(a_key)}" if layer == len(arch.layer_sizes) - 1 else _named(name)


def _forward(rec: _Recorder, arch: Architecture) -> None:
    act = arch.act
    for layer in range(1, len(arch.layer_sizes)):
        prev = arch.layers[layer - 1]
        for unit in arch.layers[layer]:
            terms: list[str] = []
            total = 0.0
            via: list[str] = []
            for src in prev:
                w = arch.weight(layer, unit.index, src.index)
                terms.append(f"{{{w.name}}}·{{{src.a_key}}}")
                total += rec[w.name] * rec[src.a_key]
                via.append(w.name)
            b = arch.bias(layer, unit.index)
            terms.append(f"{{{b.name}}}")
            total += rec[b.name]
            via.append(b.name)
            rec.record(unit.z_key, Phase.FORWARD, " + ".join(terms), total, unit.name,
                       tuple(via), f"pre-activation of {_unit(arch, layer, unit.name, unit.a_key)}")
            rec.record(unit.a_key, Phase.FORWARD, f"{act.symbol}({{{unit.z_key}}})",
                       act.fn(rec[unit.z_key]), unit.name, (),
                       f"activation of {_unit(arch, layer, unit.name, unit.a_key)}")
    loss = arch.loss_fn
    outputs = arch.layers[-1]
    parts = [loss.formula.format(y=f"{{{u.a_key}}}", t=f"{{{t}}}")
             for u, t in zip(outputs, arch.target_names, strict=True)]
    total = 0.0
    for u, t in zip(outputs, arch.target_names, strict=True):
        total += loss.value(rec[u.a_key], rec[t])
    rec.record("E", Phase.FORWARD, " + ".join(parts), total, "E", (), "loss")


def _backward(rec: _Recorder, arch: Architecture) -> None:
    act = arch.act
    loss = arch.loss_fn
    last = len(arch.layer_sizes) - 1
    for layer in range(last, 0, -1):
        units = arch.layers[layer]
        prev = arch.layers[layer - 1]
        for unit in units:
            if layer == last:
                t = arch.target_names[unit.index]
                formula = loss.grad_formula.format(y=f"{{{unit.a_key}}}", t=f"{{{t}}}")
                value = loss.grad(rec[unit.a_key], rec[t])
                via: tuple[str, ...] = ()
                desc = f"how E changes with {_named(unit.a_key)}"
            else:
                nxt = arch.layers[layer + 1]
                ws = [arch.weight(layer + 1, k.index, unit.index) for k in nxt]
                formula = " + ".join(f"{{{k.delta_key}}}·{{{w.name}}}" for k, w in zip(nxt, ws, strict=True))
                value = 0.0
                for k, w in zip(nxt, ws, strict=True):
                    value += rec[k.delta_key] * rec[w.name]
                via = tuple(w.name for w in ws)
                desc = f"error sent back to {_named(unit.name)}"
            rec.record(unit.dE_da_key, Phase.BACKWARD, formula, value, unit.name, via, desc)
        for unit in units:
            rec.record(unit.slope_key, Phase.BACKWARD, act.slope_formula.format(a=f"{{{unit.a_key}}}"),
                       act.slope_from_output(rec[unit.a_key]), unit.name, (),
                       f"local slope of {act.symbol} at {_unit(arch, layer, unit.name, unit.a_key)}")
        for unit in units:
            rec.record(unit.delta_key, Phase.BACKWARD, f"{{{unit.dE_da_key}}}·{{{unit.slope_key}}}",
                       rec[unit.dE_da_key] * rec[unit.slope_key], unit.name, (),
                       f"sensitivity δ of {_unit(arch, layer, unit.name, unit.a_key)}")
        for unit in units:
            for src in prev:
                w = arch.weight(layer, unit.index, src.index)
                rec.record(w.grad_key, Phase.BACKWARD, f"{{{unit.delta_key}}}·{{{src.a_key}}}",
                           rec[unit.delta_key] * rec[src.a_key], w.name, (w.name,),
                           f"gradient of {_named(w.name)}")
            b = arch.bias(layer, unit.index)
            rec.record(b.grad_key, Phase.BACKWARD, f"{{{unit.delta_key}}}",
                       rec[unit.delta_key], b.name, (b.name,), f"gradient of {_named(b.name)}")


def _update(rec: _Recorder, arch: Architecture) -> tuple[float, ...]:
    new: list[float] = []
    for p in arch.params:
        new.append(rec.record(p.new_key, Phase.UPDATE, f"{{{p.name}}} − {{{LEARNING_RATE}}}·{{{p.grad_key}}}",
                              rec[p.name] - rec[LEARNING_RATE] * rec[p.grad_key], p.name, (p.name,),
                              f"SGD update of {_named(p.name)}"))
    return tuple(new)


def forward(problem: Problem, rounding: Rounding = None) -> ForwardTrace:
    """The forward pass: every z and a, ŷ and E, as recorded micro-steps."""
    rec = _Recorder(problem, rounding)
    _forward(rec, problem.architecture)
    return ForwardTrace(problem, tuple(rec.steps), freeze(rec.values))


def iterate(problem: Problem, rounding: Rounding = None) -> Trace:
    """One full iteration: forward, backward, SGD update, and the post-update forward pass.

    Non-finite intermediate values (from extreme parameters) are recorded as they are; the
    updated problem then keeps the old value of any parameter whose update is not finite,
    and :func:`diverged` reports it.
    """
    arch = problem.architecture
    rec = _Recorder(problem, rounding)
    _forward(rec, arch)
    _backward(rec, arch)
    new = _update(rec, arch)
    safe = tuple(n if math.isfinite(n) else old for n, old in zip(new, problem.params, strict=True))
    updated = problem.with_params(safe)
    return Trace(problem, tuple(rec.steps), freeze(rec.values), updated, forward(updated, rounding))


def diverged(trace: Trace) -> bool:
    """True when any recorded value of the iteration is not finite."""
    return first_overflow(trace) is not None


def first_overflow(trace: Trace) -> str | None:
    """The key of the first recorded value that is not finite (``E_after`` for the loss after
    the update), or None: what a message about an overflow should name."""
    for step in trace.steps:
        if not math.isfinite(step.value):
            return step.key
    return None if math.isfinite(trace.loss_after) else "E_after"


def loss(problem: Problem) -> float:
    """E for the problem as it stands (forward pass only)."""
    return forward(problem).loss
