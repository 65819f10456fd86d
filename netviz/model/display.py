"""The lecture note's rounding policy: full precision inside, three decimals on display.

Rounding is the decimal rounding a person does, half away from zero, of the value as a
person would compute it. Binary floats carry noise past the 15th significant digit
(0.25·0.05 + 0.30·0.10 + 0.35 is stored as 0.39249999999999996), so the value is first
read at 15 significant digits (the precision a double guarantees), then rounded.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

DECIMALS = 3
SIGNIFICANT = 15
NOT_A_NUMBER = "—"
"""What a value that cannot be computed (NaN, after an overflow) shows as: a dash, never "NaN"
(the status bar says why; tooltips and files say it in full)."""
SCIENTIFIC_FROM = 1e6
"""Magnitudes at or above this are shown in scientific notation, to stay readable."""


def _as_person_computes(value: float) -> Decimal:
    return Decimal(f"{value:.{SIGNIFICANT}g}")


def round_display(value: float, decimals: int = DECIMALS) -> float:
    """The value a person writes down at ``decimals`` places (half away from zero)."""
    if not math.isfinite(value) or abs(value) >= 10.0**SIGNIFICANT:
        return value  # no decimals left at 15 significant digits (and 1.8e308 read so is ∞)
    q = Decimal(1).scaleb(-decimals)
    return float(_as_person_computes(value).quantize(q, rounding=ROUND_HALF_UP))


def fmt(value: float, decimals: int = DECIMALS) -> str:
    """Format for display: ``0.393``; |v| < 0.0005 shows as ``0.000``, never ``-0.000``."""
    if math.isnan(value):
        return NOT_A_NUMBER
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if abs(value) >= SCIENTIFIC_FROM:
        return _scientific(value, decimals)
    q = Decimal(1).scaleb(-decimals)
    d = _as_person_computes(value).quantize(q, rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)
    text = f"{d:f}"
    return text.replace("-", "−") if text.startswith("-") else text


GROUP_SEPARATOR = "\u202f"
"""Between groups of three digits in a count (12 345): a narrow no-break space, as SI writes it,
never a comma or a point, which read as a decimal sign in one locale or another."""


def fmt_count(n: int) -> str:
    """A whole count for display: ``12 345``, ``1 000 000``; a minus sign, never a hyphen."""
    return f"{n:,}".replace(",", GROUP_SEPARATOR).replace("-", "\u2212")


def fmt_ascii(value: float, decimals: int = DECIMALS) -> str:
    """As :func:`fmt` but with an ASCII minus and ``inf``, for terminals and files."""
    return fmt(value, decimals).replace("−", "-").replace("∞", "inf").replace(NOT_A_NUMBER, "nan")


def _scientific(value: float, decimals: int) -> str:
    mantissa, exponent = f"{value:.{decimals}e}".split("e")
    text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "−")


def fmt_full(value: float) -> str:
    """Full precision: the shortest text that reads back as exactly this float."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    return repr(value).replace("-", "−")


def printable(text: str) -> str:
    """``text`` with each character that is not printable written as its escape (``\\n``,
    ``\\x1b``): a key from a file or a file name in a message cannot break the message's one
    line or send a terminal a command."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)
