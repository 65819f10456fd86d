"""The loss plot's iteration axis: whole numbers in one readable style at every scale.

pyqtgraph's default mixes styles as the history grows ("500000", "1e+06", "1.5e+06"); this
axis writes 12 345, then 500k, 1.5M, 2B: the way a person reads iteration counts (grouped with a
narrow space, which no locale reads as a decimal sign).
"""

from __future__ import annotations

import math

from netviz.model.display import fmt_count
from netviz.ui.pyqtgraph_setup import pg

_UNITS = ((1e12, 1e12, "T"), (1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e5, 1e3, "k"))
"""(from, unit size, suffix): from 100 000 on, counts are written in thousands, millions,
billions and trillions."""


def tick_texts(values: list[float], spacing: float) -> list[str]:
    """Labels for one row of ticks ``spacing`` apart, all in one unit (the largest tick's) and with
    the decimals that spacing needs, so no two ticks read alike: 171.0k 171.2k, not 171k 171k;
    0 50k 100k 150k, not 0 50 000 100k 150k."""
    counts = [round(v) for v in values]
    biggest = max((abs(c) for c in counts), default=0)
    for start, size, suffix in _UNITS:
        if biggest >= start:
            step = spacing / size if spacing > 0 else 1.0
            decimals = 0  # as many as the spacing has: 0.2 → 1, 0.25 → 2, 50 → 0
            while decimals < 6 and not math.isclose(step * 10**decimals, round(step * 10**decimals), abs_tol=1e-6):
                decimals += 1
            return ["0" if c == 0 else f"{c / size:.{decimals}f}{suffix}".replace("-", "\u2212") for c in counts]
    return [fmt_count(c) for c in counts]


class IterationAxis(pg.AxisItem):
    """A bottom axis whose ticks are iteration counts (:func:`tick_texts`)."""

    def __init__(self, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return tick_texts([v * scale for v in values], spacing * scale)
