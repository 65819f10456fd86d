"""The value → stroke mapping: sign by colour, magnitude by width, small gradients still visible."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtGui import QColor

from netviz.ui import palette

# The lecture note's gradients (section 4), computed by hand from its numbers:
# δo = (ŷ − t)·ŷ(1 − ŷ) with ŷ = σ(1.10590596705977); ∂E/∂b3 = δo; ∂E/∂w1 = δh1·x1.
_Y = 1 / (1 + math.exp(-1.10590596705977))
_DELTA_O = (_Y - 0.5) * _Y * (1 - _Y)
_H1 = 1 / (1 + math.exp(-0.3775))
_DELTA_H1 = _DELTA_O * 0.40 * _H1 * (1 - _H1)
GRAD_B3 = _DELTA_O
GRAD_W1 = _DELTA_H1 * 0.05


def test_the_notes_gradients_are_what_the_issue_says() -> None:
    assert pytest.approx(2.27e-4, rel=0.01) == GRAD_W1
    assert pytest.approx(4.70e-2, rel=0.01) == GRAD_B3
    assert GRAD_B3 / GRAD_W1 > 200


def test_a_200x_smaller_gradient_still_reads_as_flowing() -> None:
    ref = GRAD_B3  # the largest gradient of the note's example
    w1 = palette.gradient_width(GRAD_W1, ref)
    b3 = palette.gradient_width(GRAD_B3, ref)
    assert b3 == pytest.approx(palette.MAX_WIDTH)
    # Clearly thicker than the minimum (not a hairline), clearly thinner than the largest.
    assert w1 >= palette.MIN_WIDTH + 0.3 * (palette.MAX_WIDTH - palette.MIN_WIDTH)
    assert w1 <= b3 - 2.0
    assert palette.gradient_alpha(GRAD_W1, ref) >= 0.7
    # A linear scale would have made it 200× thinner than b3's: invisible.
    assert b3 / w1 < 3


def test_width_is_a_log_scale_over_four_decades() -> None:
    ref = 1.0
    widths = [palette.gradient_width(10.0 ** -k, ref) for k in range(5)]
    steps = [a - b for a, b in itertools.pairwise(widths)]
    assert all(s == pytest.approx(steps[0]) for s in steps)  # equal steps per decade
    assert widths[-1] == pytest.approx(palette.MIN_WIDTH)
    assert palette.gradient_width(1e-9, ref) == pytest.approx(palette.MIN_WIDTH)  # floored, never 0
    assert palette.gradient_width(0.0, ref) == pytest.approx(palette.MIN_WIDTH)
    assert palette.gradient_width(-0.5, ref) == palette.gradient_width(0.5, ref)  # magnitude only


def test_sign_is_colour_from_a_colour_blind_safe_palette() -> None:
    light = palette.LIGHT
    assert palette.sign_colour(GRAD_W1, light) == palette.sign_colour(GRAD_B3, light) == "#D55E00"
    assert palette.sign_colour(-1e-6, light) == "#0072B2"
    assert palette.sign_colour(0.0, light) == light.zero
    assert palette.sign_colour(float("nan"), light) == light.zero


def test_degenerate_references_do_not_break_the_mapping() -> None:
    for ref in (0.0, float("nan"), float("inf")):
        w = palette.gradient_width(0.1, ref)
        assert palette.MIN_WIDTH <= w <= palette.MAX_WIDTH
    assert palette.gradient_width(float("nan"), 1.0) == pytest.approx(palette.MIN_WIDTH)
    assert palette.weight_width(0.6, 0.6) == pytest.approx(palette.WEIGHT_MAX_WIDTH)
    assert palette.weight_width(0.3, 0.6) < palette.weight_width(0.6, 0.6)
    assert palette.largest([0.1, -0.5, float("nan")]) == 0.5


@pytest.mark.parametrize("colours", [palette.LIGHT, palette.DARK], ids=lambda c: c.name)
def test_each_theme_keeps_text_and_signs_readable(colours: palette.Colours) -> None:
    """WCAG contrast: text ≥ 4.5 and the sign colours ≥ 3 on the page and inside labels."""
    for page in (colours.background, colours.fill):
        assert palette.contrast_ratio(colours.text, page) >= 4.5
        for sign in (colours.positive, colours.negative, colours.highlight, colours.error):
            assert palette.contrast_ratio(sign, page) >= 3.0, (sign, page)
    assert palette.contrast_ratio(colours.plot_line, colours.plot_background) >= 3.0
    assert palette.contrast_ratio(colours.plot_marker, colours.plot_background) >= 3.0
    for ink in (colours.row_text, colours.row_forward, colours.row_backward, colours.row_update):
        assert palette.contrast_ratio(ink, colours.row_current) >= 4.5


def test_contrast_ratio_is_the_wcag_formula() -> None:
    assert palette.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert palette.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert palette.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the usual AA grey


def test_the_dark_set_keeps_the_okabe_ito_hues_and_switching_is_explicit() -> None:
    dark = palette.DARK
    assert palette.sign_colour(1.0, dark) == dark.positive != palette.LIGHT.positive
    assert palette.sign_colour(-1.0, dark) == dark.negative == "#56B4E9"  # Okabe–Ito sky blue
    assert palette.sign_colour(0.0, dark) == dark.zero
    assert QColor(dark.positive).hueF() == pytest.approx(QColor(palette.LIGHT.positive).hueF(), abs=0.03)
    assert palette.active() is palette.LIGHT
    try:
        assert palette.set_active(dark) is True
        assert palette.sign_colour(1.0) == dark.positive
        assert palette.set_active(dark) is False  # nothing to repaint
    finally:
        palette.set_active(palette.LIGHT)
