"""Colours and the value → stroke mapping of the diagram (colour-blind safe: Okabe–Ito).

Colour encodes sign, width encodes magnitude. Gradients span several orders of magnitude (in
the lecture note ∂E/∂w1 ≈ 2.3e-4 and ∂E/∂b3 ≈ 4.7e-2 differ by 200×), so their widths use a
log scale over :data:`DECADES` decades relative to the largest one, with a visible minimum:
every non-zero gradient reads as "flowing". Weights use a linear scale.

Colours come in two sets, :data:`LIGHT` and :data:`DARK`; :func:`active` is the one in use and
:func:`set_active` switches it (``netviz.ui.style.apply_theme`` does, with the style sheet).
Items read ``active()`` when they paint or refresh, so no item knows which theme it is in.

The mapping functions are pure (floats in, floats/strings out) so they are testable without a
scene; :func:`qcolor` turns a palette entry into a ``QColor``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtGui import QColor


class Colours(NamedTuple):
    """One theme's colours for everything netviz paints itself (the diagram, plot, table, equations).

    Widgets drawn by Qt take their colours from the style sheet and the QPalette instead.
    """

    name: str
    # Okabe–Ito: sign of a value, and the quantity being computed.
    negative: str
    positive: str
    positive_soft: str
    highlight: str
    zero: str
    # The diagram.
    text: str
    dim: str
    """Values the lesson has not reached yet."""
    outline: str
    fill: str
    background: str
    bias_fill: str
    error: str
    error_fill: str
    selection: str
    """Selected text in the in-place editor."""
    # The loss plot.
    plot_background: str
    plot_axis: str
    plot_line: str
    plot_marker: str
    # The values table.
    row_current: str
    row_text: str
    row_dim: str
    row_forward: str
    row_backward: str
    row_update: str
    # The equations view.
    equation_forward: str
    equation_backward: str
    equation_update: str
    muted: str
    """Secondary text: the lecture-note section, hints."""
    icon_inks: tuple[tuple[str, str], ...] = ()
    """Toolbar icons: each (colour drawn in the SVG, colour to draw instead); none for light."""


LIGHT = Colours(
    name="light",
    negative="#0072B2",  # blue
    positive="#D55E00",  # vermillion
    positive_soft="#E69F00",  # orange
    highlight="#009E73",  # bluish green: the quantity being computed / reached last
    zero="#8C8C8C",
    text="#1B1B1B",
    dim="#9C9C9C",
    outline="#4A4A4A",
    fill="#FFFFFF",
    background="#FAFAF7",
    bias_fill="#F2F2F2",
    error="#C4001A",
    error_fill="#FFF0F0",
    selection="#9AD8C6",
    plot_background="#FFFFFF",
    plot_axis="#969696",  # pyqtgraph's default foreground
    plot_line="#0072B2",
    plot_marker="#D55E00",
    row_current="#FDE9D2",
    row_text="#0B1A2A",
    row_dim="#8A939E",
    row_forward="#0063A0",
    row_backward="#A65200",
    row_update="#16703F",
    equation_forward="#0072B2",
    equation_backward="#B35900",
    equation_update="#1B7F4C",
    muted="#5A6672",
)
"""Today's colours: dark ink on an off-white page."""

DARK = Colours(
    name="dark",
    negative="#56B4E9",  # Okabe–Ito sky blue: the blue that reads on a dark page
    positive="#F47A3C",  # vermillion, lightened
    positive_soft="#E69F00",
    highlight="#2FC79A",  # bluish green, lightened
    zero="#8C8C8C",
    text="#E6E8EB",
    dim="#7E8792",
    outline="#A3ABB5",
    fill="#2A2F36",
    background="#1E2227",
    bias_fill="#353B43",
    error="#FF6B6B",
    error_fill="#3B2326",
    selection="#1F6F5A",
    plot_background="#1E2227",
    plot_axis="#A3ABB5",
    plot_line="#56B4E9",
    plot_marker="#F47A3C",
    row_current="#4C3823",
    row_text="#E6E8EB",
    row_dim="#7E8792",
    row_forward="#56B4E9",
    row_backward="#F0A050",
    row_update="#4CC38A",
    equation_forward="#56B4E9",
    equation_backward="#F0A050",
    equation_update="#4CC38A",
    muted="#9AA4AF",
    icon_inks=(("#24476b", "#c9d6e3"), ("#0072b2", "#56b4e9"), ("#b35900", "#f0a050"), ("#1b7f4c", "#4cc38a")),
)
"""Light ink on a charcoal page; the sign colours keep Okabe–Ito's hues, lighter for contrast."""

THEMES = {LIGHT.name: LIGHT, DARK.name: DARK}

_active = LIGHT


def active() -> Colours:
    """The colour set in use: items read it when they paint."""
    return _active


def set_active(colours: Colours) -> bool:
    """Use ``colours`` from now on; True if that changed anything (items then need a repaint)."""
    global _active
    changed = colours != _active
    _active = colours
    return changed


DECADES = 4.0
"""Gradient magnitudes are shown over this many decades below the largest one."""
MIN_WIDTH = 1.6
"""Stroke width (scene units) of the smallest shown magnitude: always visible."""
MAX_WIDTH = 9.0
WEIGHT_MAX_WIDTH = 6.0


def sign_colour(value: float, colours: Colours | None = None) -> str:
    """Vermillion for positive, blue for negative, grey for zero (and NaN), from the active set."""
    c = colours or _active
    if math.isnan(value):
        return c.zero
    if value > 0:
        return c.positive
    if value < 0:
        return c.negative
    return c.zero


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
    """A palette entry as a QColor with opacity ``alpha`` (clamped to 0…1)."""
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


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of a colour (0 black … 1 white)."""
    c = QColor(hex_colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two colours (1 … 21); text wants ≥ 4.5, graphics ≥ 3."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
