"""Reading a number a person typed: one parser for the window, the command line and files."""

from __future__ import annotations

import math
import re

MAX_LENGTH = 64
_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+")
"""``1,000`` or ``12,345,678``: thousands separators, or a decimal comma before three decimals?
(``0,125`` is not matched: nobody groups thousands after a leading zero.)"""


def parse_number(text: str) -> float:
    """Parse typed text to a finite float, or raise ValueError with a message a user can act on.

    Accepts surrounding spaces, a Unicode minus (−), and a decimal comma (``0,5``) when the
    text has no point; rejects empty text, words, NaN, infinities, overflow (``1e400``),
    underflow of a non-zero number to 0 (``1e-400``) and thousands separators (``1,000``: is
    it 1000 or 1.0?).
    """
    if not isinstance(text, str):
        raise ValueError(f"expected text, not {type(text).__name__}")
    s = text.strip()
    if not s:
        raise ValueError("enter a number")
    if len(s) > MAX_LENGTH:
        raise ValueError(f"too long to be a number ({len(s)} characters)")
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\uff0d", "-")
    if _THOUSANDS.fullmatch(s):
        grouped = s.replace(",", "")
        if s.count(",") > 1:
            raise ValueError(f"not a number: {_show(text)} — write {grouped} (without thousands separators)")
        decimal = repr(float(s.replace(",", ".")))
        raise ValueError(f"ambiguous: {_show(text)} — write {grouped} or {decimal} "
                         "(a comma is read as a decimal point)")
    if "," in s:
        if "." in s or s.count(",") > 1:
            raise ValueError(f"not a number: {_show(text)} (use a point for decimals, like 0.5)")
        s = s.replace(",", ".")
    lowered = s.lower().lstrip("+-")
    if lowered in ("nan", "inf", "infinity"):
        raise ValueError(f"must be a finite number, not {_show(text)}")
    if "_" in s:  # float() would accept 1_000; a person would not write it
        raise ValueError(f"not a number: {_show(text)}")
    try:
        value = float(s)
    except ValueError:
        raise ValueError(f"not a number: {_show(text)}") from None
    if not math.isfinite(value):
        raise ValueError(f"too large: {_show(text)} is beyond the largest number (about 1.8e308)")
    mantissa = s.lower().partition("e")[0]
    if value == 0 and any(c.isdecimal() and int(c) != 0 for c in mantissa):  # 1e-400 is not 0
        raise ValueError(f"too small: {_show(text)} is closer to 0 than the smallest number (about 5e-324)")
    return value


def _show(text: str) -> str:
    t = text.strip()
    return repr(t if len(t) <= 24 else t[:21] + "...")
