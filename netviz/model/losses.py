"""Loss functions for one output unit; the network sums them over its outputs."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple


class Loss(NamedTuple):
    """A per-output loss ℓ(ŷ, t) and its derivative ∂ℓ/∂ŷ, with how each is written."""

    name: str
    value: Callable[[float, float], float]
    grad: Callable[[float, float], float]
    formula: str
    """Template over ``{y}`` and ``{t}``, e.g. ``½({y} − {t})²``."""
    grad_formula: str


def _half_squared(y: float, t: float) -> float:
    d = y - t
    return 0.5 * (d * d)  # d*d, not d**2: float ** raises OverflowError, * gives inf


HALF_SQUARED_ERROR = Loss(
    name="half_squared_error",
    value=_half_squared,
    grad=lambda y, t: y - t,
    formula="½({y} − {t})²",
    grad_formula="{y} − {t}",
)

LOSSES: dict[str, Loss] = {HALF_SQUARED_ERROR.name: HALF_SQUARED_ERROR}


def get_loss(name: str) -> Loss:
    """Look a loss up by name, with a message that lists the known ones."""
    try:
        return LOSSES[name]
    except KeyError:
        known = ", ".join(sorted(LOSSES))
        raise ValueError(f"unknown loss {name!r} (known: {known})") from None
