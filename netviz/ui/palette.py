"""Colours and the value → stroke mapping of the diagram (colour-blind safe: Okabe–Ito).

Colour encodes sign, width encodes magnitude. Gradients span several orders of magnitude (in
the lecture note ∂E/∂w1 ≈ 2.3e-4 and ∂E/∂b3 ≈ 4.7e-2 differ by 200×), so their widths use a
log scale over :data:`DECADES` decades relative to the largest one, with a visible minimum:
every non-zero gradient reads as "flowing". Weights use a linear scale.

The mapping functions are pure (floats in, floats/strings out) so they are testable without a
scene; :func:`qcolor` turns a palette entry into a ``QColor``.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QColor

# Okabe–Ito colours.
NEGATIVE = "#0072B2"  # blue
POSITIVE = "#D55E00"  # vermillion
POSITIVE_SOFT = "#E69F00"  # orange
HIGHLIGHT = "#009E73"  # bluish green: the quantity being computed / reached last
ZERO = "#8C8C8C"

TEXT = "#1B1B1B"
DIM = "#9C9C9C"  # values the lesson has not reached yet
OUTLINE = "#4A4A4A"
FILL = "#FFFFFF"
BACKGROUND = "#FAFAF7"
ERROR = "#C4001A"
ERROR_FILL = "#FFF0F0"

DECADES = 4.0
"""Gradient magnitudes are shown over this many decades below the largest one."""
MIN_WIDTH = 1.6
"""Stroke width (scene units) of the smallest shown magnitude: always visible."""
MAX_WIDTH = 9.0
WEIGHT_MAX_WIDTH = 6.0


def sign_colour(value: float) -> str:
    """Vermillion for positive, blue for negative, grey for zero (and NaN)."""
    if math.isnan(value):
        return ZERO
    if value > 0:
        return POSITIVE
    if value < 0:
        return NEGATIVE
    return ZERO


def log_strength(value: float, reference: float, decades: float = DECADES) -> float:
    """Where |value| sits on a log scale from ``reference``·10^-decades (0) to ``reference`` (1).

    ``reference`` is the largest magnitude in view. Zero and non-finite values give 0; values at
    or above the reference give 1.
    """
    v = abs(value)
    if v == 0 or not math.isfinite(v):
        return 0.0
    ref = abs(reference)
    if ref == 0 or not math.isfinite(ref):
        return 1.0
    s = (math.log10(v / ref) + decades) / decades
    return min(1.0, max(0.0, s))


def gradient_width(value: float, reference: float) -> float:
    """Stroke width for a gradient: log scale, never below :data:`MIN_WIDTH`."""
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * log_strength(value, reference)


def gradient_alpha(value: float, reference: float) -> float:
    """Opacity for a gradient stroke: faint only for the very smallest, never invisible."""
    if value == 0 or not math.isfinite(value):
        return 0.45
    return 0.55 + 0.45 * log_strength(value, reference)


def weight_width(value: float, reference: float) -> float:
    """Stroke width for a weight: linear in |value| relative to the largest |weight|."""
    v, ref = abs(value), abs(reference)
    if not math.isfinite(v) or not math.isfinite(ref) or ref == 0:
        return MIN_WIDTH
    return MIN_WIDTH + (WEIGHT_MAX_WIDTH - MIN_WIDTH) * min(1.0, v / ref)


def largest(values: list[float] | tuple[float, ...]) -> float:
    """The largest finite magnitude (0 if there is none): the reference for the scales."""
    finite = [abs(v) for v in values if math.isfinite(v)]
    return max(finite, default=0.0)


def qcolor(hex_colour: str, alpha: float = 1.0) -> QColor:
    c = QColor(hex_colour)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


def mix(a: str, b: str, t: float) -> QColor:
    """Linear blend of two palette colours (t = 0 gives a, 1 gives b)."""
    ca, cb = QColor(a), QColor(b)
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(
        ca.redF() + (cb.redF() - ca.redF()) * t,
        ca.greenF() + (cb.greenF() - ca.greenF()) * t,
        ca.blueF() + (cb.blueF() - ca.blueF()) * t,
    )
