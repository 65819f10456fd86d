"""Reading a number a person typed: one parser for the window, the command line and files."""

from __future__ import annotations

import math

MAX_LENGTH = 64


def parse_number(text: str) -> float:
    """Parse typed text to a finite float, or raise ValueError with a message a user can act on.

    Accepts surrounding spaces, a Unicode minus (−), and a decimal comma (``0,5``) when the
    text has no point; rejects empty text, words, NaN, infinities and overflow (``1e400``).
    """
    if not isinstance(text, str):
        raise ValueError(f"expected text, not {type(text).__name__}")
    s = text.strip()
    if not s:
        raise ValueError("enter a number")
    if len(s) > MAX_LENGTH:
        raise ValueError(f"too long to be a number ({len(s)} characters)")
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\uff0d", "-")
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
    return value


def _show(text: str) -> str:
    t = text.strip()
    return repr(t if len(t) <= 24 else t[:21] + "...")
