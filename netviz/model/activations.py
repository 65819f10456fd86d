"""Activation functions, each with the slope form that backprop uses.

The slope is written in terms of the unit's *output* a = f(z), as the lecture note does
(σ'(z) = a(1 − a)), because at backprop time the activation is already known.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple


def sigmoid(z: float) -> float:
    """Logistic function that never overflows: σ(±1000) is exactly 1.0 / 0.0, with no warning.

    For z ≥ 0 it uses 1/(1+e^−z); for z < 0 the algebraically equal e^z/(1+e^z), so the
    argument of ``exp`` is never positive.
    """
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    if z < 0.0:
        e = math.exp(z)
        return e / (1.0 + e)
    return math.nan  # z is NaN


class Activation(NamedTuple):
    """A unit's nonlinearity: its function, its slope from the output, and how both are written."""

    name: str
    fn: Callable[[float], float]
    slope_from_output: Callable[[float], float]
    symbol: str
    """How the function is written, e.g. ``σ``."""
    slope_formula: str
    """Slope template over the output key ``{a}``, e.g. ``{a}(1 − {a})``."""


SIGMOID = Activation(
    name="sigmoid",
    fn=sigmoid,
    slope_from_output=lambda a: a * (1.0 - a),
    symbol="σ",
    slope_formula="{a}(1 − {a})",
)

ACTIVATIONS: dict[str, Activation] = {SIGMOID.name: SIGMOID}


def get_activation(name: str) -> Activation:
    """Look an activation up by name, with a message that lists the known ones."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(sorted(ACTIVATIONS))
        raise ValueError(f"unknown activation {name!r} (known: {known})") from None
