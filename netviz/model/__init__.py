"""The maths of netviz, in plain Python with no Qt: usable headless, from tests and the CLI.

- :mod:`~netviz.model.network`: layer sizes, named parameters, the problem (example and η).
- :mod:`~netviz.model.backprop`: the traced forward/backward/update engine.
- :mod:`~netviz.model.trace`: the immutable snapshots views render from.
- :mod:`~netviz.model.kernel`: a fast trainer compiled per architecture.
- :mod:`~netviz.model.display`: the lecture note's rounding policy.
- :mod:`~netviz.model.gradcheck`, :mod:`~netviz.model.walkthrough`, :mod:`~netviz.model.parsing`.

The gradient check loads on first use of its names from here: the window never runs it, and each
module imported is time before the first painted window (benchmarks/RESULTS.md).
"""

from typing import TYPE_CHECKING

from netviz.model.backprop import diverged, forward, iterate, loss
from netviz.model.display import fmt, fmt_full, round_display
from netviz.model.kernel import TrainResult, train
from netviz.model.network import Architecture, Param, Problem, Unit
from netviz.model.parsing import parse_number
from netviz.model.trace import ForwardTrace, MicroStep, Phase, Trace

if TYPE_CHECKING:
    from netviz.model.gradcheck import GradCheck, gradient_check

__all__ = [
    "Architecture", "ForwardTrace", "GradCheck", "MicroStep", "Param", "Phase", "Problem", "Trace",
    "TrainResult", "Unit", "diverged", "fmt", "fmt_full", "forward", "gradient_check", "iterate",
    "loss", "parse_number", "round_display", "train",
]


def __getattr__(name: str) -> object:
    if name in ("GradCheck", "gradient_check"):
        from netviz.model import gradcheck

        return getattr(gradcheck, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
