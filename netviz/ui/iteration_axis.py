"""The loss plot's iteration axis: whole numbers in one readable style at every scale.

pyqtgraph's default mixes styles as the history grows ("500000", "1e+06", "1.5e+06"); this
axis writes 12 345, then 500k, 1.5M, 2B: the way a person reads iteration counts (grouped with a
narrow space, which no locale reads as a decimal sign).
"""

from __future__ import annotations

import pyqtgraph as pg

from netviz.model.display import fmt_count

_UNITS = ((1e12, 1e12, "T"), (1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e5, 1e3, "k"))
"""(from, unit size, suffix): from 100 000 on, counts are written in thousands, millions,
billions and trillions."""


def iteration_text(value: float) -> str:
    """One tick's label: ``12 345``, ``500k``, ``1.5M``; never a fraction or an exponent."""
    v = round(value)
    magnitude = abs(v)
    for start, size, suffix in _UNITS:
        if magnitude >= start:
            return f"{v / size:.3g}{suffix}".replace("-", "\u2212")
    return fmt_count(v)


class IterationAxis(pg.AxisItem):
    """A bottom axis whose ticks are iteration counts (:func:`iteration_text`)."""

    def __init__(self, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [iteration_text(v * scale) for v in values]
