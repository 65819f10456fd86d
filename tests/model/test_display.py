"""The lecture note's rounding policy, as the formatter implements it."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netviz.model.display import fmt, fmt_ascii, fmt_full, round_display


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0, "0.000"), (-0.0, "0.000"), (0.0004999, "0.000"), (-0.0004999, "0.000"),
        (0.0005, "0.001"), (-0.0005, "−0.001"), (0.3775, "0.378"), (2.5e-4, "0.000"),
        (0.25 * 0.05 + 0.30 * 0.10 + 0.35, "0.393"), (1.0005, "1.001"), (-2.5, "−2.500"),
        (123456.7894, "123456.789"),
    ],
)
def test_three_decimals_half_away_from_zero(value: float, shown: str) -> None:
    assert fmt(value) == shown


def test_never_negative_zero() -> None:
    for v in (-1e-300, -0.0, -0.0001, -0.00049):
        assert fmt(v) == "0.000"


def test_extremes_stay_readable() -> None:
    assert fmt(1e300) == "1.000e300"
    assert fmt(-1e308) == "−1.000e308"
    assert fmt(math.inf) == "∞"
    assert fmt(math.nan) == "—"  # never "NaN" on display (issue 5); tooltips say it in full
    assert fmt_ascii(math.nan) == "nan"
    assert fmt_ascii(-1e308) == "-1.000e308"


def test_full_precision_round_trips() -> None:
    for v in (0.1, 0.39249999999999996, 1 / 3, -2.5e-4):
        assert float(fmt_full(v).replace("−", "-")) == v


@given(st.floats(min_value=-1e5, max_value=1e5, allow_nan=False))
def test_display_is_within_half_a_unit_of_the_value(v: float) -> None:
    shown = float(fmt_ascii(v))
    assert abs(shown - v) <= 0.0005 + 1e-9
    assert round_display(v) == shown


@given(st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False, allow_infinity=False))
def test_decimal_inputs_round_like_a_person(d: Decimal) -> None:
    # A value typed with four decimals is rounded exactly as decimal arithmetic says.
    expected = d.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    expected_text = f"{abs(expected) if expected == 0 else expected:f}"
    assert fmt_ascii(float(d)) == expected_text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_round_display_takes_every_finite_double(v: float) -> None:
    # Decimal's default 28 digits cannot hold 1e300 to three decimals; the hand-calculation
    # trace rounds whatever the network computes, so every finite double must round.
    r = round_display(v)
    assert math.isfinite(r)
    if abs(v) >= 1e15:  # no decimals left to round
        assert r == v
    else:
        # A person reads 15 significant digits (off by at most half a unit of the 15th, which is
        # at most 5e-15·|v|: 1e13 + 0.25 reads as 1e13 + 0.2), then rounds to three decimals
        # (0.0005), and the result is the nearest double (half an ulp).
        assert abs(r - v) <= 0.0005 + abs(v) * 5e-15 + math.ulp(v)


def test_round_display_at_the_extremes() -> None:
    assert round_display(1e300) == 1e300
    assert round_display(-1.7976931348623157e308) == -1.7976931348623157e308
    assert round_display(123456789.12345) == 123456789.123
    assert round_display(5e-324) == 0.0
    assert math.isnan(round_display(math.nan))
    assert round_display(-math.inf) == -math.inf


def test_counts_are_grouped_with_a_narrow_space_in_every_locale() -> None:
    from netviz.model.display import fmt_count

    assert fmt_count(0) == "0"
    assert fmt_count(999) == "999"
    assert fmt_count(12_345) == "12\u202f345"
    assert fmt_count(1_000_000) == "1\u202f000\u202f000"
    assert fmt_count(-4_000) == "\u22124\u202f000"
    assert "," not in fmt_count(10**15) and "." not in fmt_count(10**15)


def test_printable_escapes_what_would_break_a_line_or_command_a_terminal() -> None:
    from netviz.model.display import printable

    assert printable("\x1b[31mevil\nline") == "\\x1b[31mevil\\nline"
    assert printable("tab\there\u2028\x00") == "tab\\there\\u2028\\x00"
    for fine in ("η = −0.5 for w₁", "lesson 1.netviz.json", "", "∂E/∂w₅ ≈ 0.028"):
        assert printable(fine) == fine
