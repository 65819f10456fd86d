"""A line of text on the diagram and the state that decides how it is drawn.

States follow the lesson's cursor: ``given`` (parameters, inputs: always known), ``reached``,
``current`` (the quantity reached last, highlighted), ``pending`` (being computed right now:
highlighted, its value appears when the pulse arrives) and ``unreached`` (dimmed but shown).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from PySide6.QtGui import QColor, QFont

from netviz.ui import palette

GIVEN = "given"
REACHED = "reached"
CURRENT = "current"
PENDING = "pending"
UNREACHED = "unreached"


class TextLine(NamedTuple):
    text: str
    state: str = REACHED
    colour: str | None = None
    """Overrides the state's colour (e.g. a gradient's sign) when the value is reached."""
    key: str = ""
    """The trace key (or value name) the line shows, e.g. ``z_h1``, ``dE_dw5``, ``w5``."""


def colour(line: TextLine) -> QColor:
    """The line's ink in the active colour set (its state decides, then its own colour)."""
    c = palette.active()
    if line.state == UNREACHED:
        return QColor(c.dim)
    if line.state in (CURRENT, PENDING):
        return QColor(c.highlight)
    return QColor(line.colour or c.text)


def is_emphasised(line: TextLine) -> bool:
    return line.state in (CURRENT, PENDING)


@cache
def font(pixel_size: int, bold: bool = False) -> QFont:
    """Fonts in scene units (pixels at 100 % zoom); the view scales them as vectors."""
    f = QFont()
    f.setPixelSize(pixel_size)
    f.setBold(bold)
    f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return f
