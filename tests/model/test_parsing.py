"""parse_number: what a person may type, and the message for what they may not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netviz.model.parsing import parse_number


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0.5", 0.5),
        (" 0.5 ", 0.5),
        ("\u22120.5", -0.5),  # Unicode minus
        ("0,5", 0.5),  # decimal comma
        ("0,125", 0.125),  # a leading zero is never a thousands group
        ("-1,25", -1.25),
        ("1e-3", 0.001),
        ("0.12345", 0.12345),
        ("0", 0.0),
        ("-0.0", -0.0),
        ("0e-400", 0.0),  # zero written with a tiny exponent is still zero
        ("5e-324", 5e-324),  # the smallest subnormal is representable
    ],
)
def test_accepted(typed: str, value: float) -> None:
    assert parse_number(typed) == value


@pytest.mark.parametrize(
    ("typed", "fragment"),
    [
        ("", "enter a number"),
        ("abc", "not a number: 'abc'"),
        ("-", "not a number"),
        (".", "not a number"),
        ("nan", "finite"),
        ("-inf", "finite"),
        ("1e400", "too large"),
        ("1e-400", "too small"),
        ("-2.5e-999", "too small"),
        ("1,000", "ambiguous: '1,000' — write 1000 or 1.0"),
        ("12,345,678", "write 12345678 (without thousands separators)"),
        ("1,000.5", "use a point for decimals"),
        ("1_000", "not a number"),
        ("x" * 10_000, "too long"),
    ],
)
def test_refused_with_a_message(typed: str, fragment: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_number(typed)
    assert fragment in str(err.value)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_repr_round_trips(x: float) -> None:
    # Whatever netviz writes (repr) reads back as the same float.
    assert parse_number(repr(x)) == x
