"""Gradient check: backprop's ∂E/∂θ against central finite differences, parameter by parameter."""

from __future__ import annotations

from typing import NamedTuple

from netviz.model.backprop import iterate, loss
from netviz.model.network import Problem


class GradCheck(NamedTuple):
    """One parameter's analytic and numeric gradient and how far apart they are."""

    name: str
    analytic: float
    numeric: float

    @property
    def abs_error(self) -> float:
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        """|a − n| / max(|a|, |n|); 0 when both are 0."""
        scale = max(abs(self.analytic), abs(self.numeric))
        return 0.0 if scale == 0.0 else self.abs_error / scale

    def ok(self, rel_tol: float = 1e-6, abs_tol: float = 1e-10) -> bool:
        return self.abs_error <= abs_tol or self.rel_error <= rel_tol


def numeric_gradient(problem: Problem, name: str, h: float = 1e-6) -> float:
    """(E(θ + h) − E(θ − h)) / 2h, with h scaled to the parameter's size."""
    theta = problem.param(name)
    step = h * max(1.0, abs(theta))
    plus = loss(problem.with_value(name, theta + step))
    minus = loss(problem.with_value(name, theta - step))
    return (plus - minus) / (2.0 * step)


def gradient_check(problem: Problem, h: float = 1e-6) -> list[GradCheck]:
    """Every parameter's backprop gradient beside its finite-difference estimate."""
    grads = iterate(problem).gradients
    return [GradCheck(n, grads[n], numeric_gradient(problem, n, h)) for n in problem.architecture.param_names]
