"""Immutable snapshots of one iteration: every micro-step with its formula, inputs and value.

Views render from these and never recompute: the diagram animates :attr:`Trace.steps` in
order, the equations view shows a step's formula with its inputs substituted, the table lists
them. A formula is a template whose ``{key}`` placeholders name the step's inputs, so the
same step can be written in symbols or in numbers (see :mod:`netviz.model.symbols`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple

from netviz.model.network import Problem

_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class Phase(StrEnum):
    """The three phases of one iteration, in the order they happen."""

    FORWARD = "forward"
    BACKWARD = "backward"
    UPDATE = "update"


class MicroStep(NamedTuple):
    """One elementary computation: ``key = formula(inputs)``, as a student would write it."""

    key: str
    phase: Phase
    formula: str
    """Template, e.g. ``{w1}·{x1} + {w2}·{x2} + {b1}``."""
    inputs: tuple[tuple[str, float], ...]
    """The values substituted into the formula, in order of first appearance."""
    value: float
    element: str
    """The diagram element it belongs to: a unit (``h1``), a parameter (``w5``) or ``E``."""
    via: tuple[str, ...] = ()
    """Parameters whose edges the computation flows along (pulses travel on these)."""
    description: str = ""

    def render(self, name: Callable[[str], str], number: Callable[[float], str] | None) -> str:
        """The formula with each placeholder written by ``name`` (symbols), or by ``number`` (numbers).

        With ``number=None`` every placeholder is written as a symbol. A negative number after the
        start of a formula is written in parentheses, as by hand: ``0.150 − 0.5·(−0.049)``."""
        vals = dict(self.inputs)
        alone = _PLACEHOLDER.fullmatch(self.formula) is not None

        def sub(m: re.Match[str]) -> str:
            key = m.group(1)
            if number is None or key not in vals:
                return name(key)
            text = number(vals[key])
            enclosed = self.formula[m.start() - 1 : m.start()] == "(" and self.formula[m.end() : m.end() + 1] == ")"
            negative = text[:1] in ("-", "\u2212")
            return f"({text})" if negative and not (alone or enclosed or m.start() == 0) else text

        return _PLACEHOLDER.sub(sub, self.formula)


def placeholders(formula: str) -> list[str]:
    """Keys named in a formula template, in order of first appearance."""
    seen: list[str] = []
    for key in _PLACEHOLDER.findall(formula):
        if key not in seen:
            seen.append(key)
    return seen


class Trace(NamedTuple):
    """One full iteration on ``problem``: forward, backward and update micro-steps.

    ``values`` maps every key (given scalars and computed quantities) to its value.
    ``updated`` is the problem after the SGD step, ``after`` the forward pass on it.
    """

    problem: Problem
    steps: tuple[MicroStep, ...]
    values: Mapping[str, float]
    updated: Problem
    after: ForwardTrace

    @property
    def loss(self) -> float:
        return self.values["E"]

    @property
    def loss_after(self) -> float:
        return self.after.values["E"]

    @property
    def gradients(self) -> dict[str, float]:
        """∂E/∂θ for every parameter θ, by parameter name."""
        return {p.name: self.values[p.grad_key] for p in self.problem.architecture.params}

    def phase_steps(self, phase: Phase) -> tuple[MicroStep, ...]:
        return tuple(s for s in self.steps if s.phase is phase)

    def index_of(self, key: str) -> int:
        for i, s in enumerate(self.steps):
            if s.key == key:
                return i
        raise KeyError(key)

    def step(self, key: str) -> MicroStep:
        return self.steps[self.index_of(key)]


class ForwardTrace(NamedTuple):
    """The forward pass alone (used for the post-update pass)."""

    problem: Problem
    steps: tuple[MicroStep, ...]
    values: Mapping[str, float]

    @property
    def loss(self) -> float:
        return self.values["E"]


def freeze(values: dict[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(values))
