"""Preferences that persist between runs, through Qt's settings store (:class:`QSettings`).

Each preference is validated on the way in and on the way out: a value a person (or another
version) wrote into the store by hand that is out of range or of the wrong type reads as the
default, never as an error. Views connect to :attr:`Settings.changed` and read the properties.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

from PySide6.QtCore import QObject, QSettings, Signal

from netviz.app.player import DEFAULT_SPEED, SPEEDS

THEMES = ("system", "light", "dark")
TOOLTIP_DECIMALS_RANGE = (3, 17)


class Preference(NamedTuple):
    key: str
    default: Any
    label: str


SPEED = Preference("playback/speed", DEFAULT_SPEED, "Play speed")
TOOLTIP_DECIMALS = Preference("display/tooltip_decimals", 17, "Decimals in tooltips")
"""17 significant digits show every float exactly (full precision)."""
LOG_SCALE = Preference("plot/log_scale", False, "Loss plot on a log scale")
THEME = Preference("appearance/theme", "system", "Theme")
ALL = (SPEED, TOOLTIP_DECIMALS, LOG_SCALE, THEME)


def _as_int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        n = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        return None
    return n if low <= n <= high else None


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    return None


class Settings(QObject):
    """The app's preferences, stored in ``store`` (the platform's settings by default)."""

    changed = Signal(str)
    """A preference changed (argument: its key, e.g. ``"plot/log_scale"``)."""

    def __init__(self, store: QSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store if store is not None else QSettings("netviz", "netviz")
        if self._store.parent() is None:
            self._store.setParent(self)

    @property
    def store(self) -> QSettings:
        return self._store

    # ---- the preferences -------------------------------------------------------------------
    @property
    def speed(self) -> int:
        """Index into :data:`netviz.app.player.SPEEDS`."""
        n = _as_int(self._store.value(SPEED.key, SPEED.default), 0, len(SPEEDS) - 1)
        return SPEED.default if n is None else n

    @speed.setter
    def speed(self, index: int) -> None:
        if _as_int(index, 0, len(SPEEDS) - 1) is None:
            raise ValueError(f"speed must be from 0 to {len(SPEEDS) - 1}, not {index!r}")
        self._set(SPEED, int(index))

    @property
    def tooltip_decimals(self) -> int:
        """Significant digits shown for full-precision values in tooltips (3 … 17)."""
        n = _as_int(self._store.value(TOOLTIP_DECIMALS.key, TOOLTIP_DECIMALS.default), *TOOLTIP_DECIMALS_RANGE)
        return TOOLTIP_DECIMALS.default if n is None else n

    @tooltip_decimals.setter
    def tooltip_decimals(self, n: int) -> None:
        low, high = TOOLTIP_DECIMALS_RANGE
        if _as_int(n, low, high) is None:
            raise ValueError(f"tooltip decimals must be from {low} to {high}, not {n!r}")
        self._set(TOOLTIP_DECIMALS, int(n))

    @property
    def log_scale(self) -> bool:
        b = _as_bool(self._store.value(LOG_SCALE.key, LOG_SCALE.default))
        return LOG_SCALE.default if b is None else b

    @log_scale.setter
    def log_scale(self, on: bool) -> None:
        self._set(LOG_SCALE, bool(on))

    @property
    def theme(self) -> str:
        """``"system"``, ``"light"`` or ``"dark"``."""
        value = self._store.value(THEME.key, THEME.default)
        return value if isinstance(value, str) and value in THEMES else THEME.default

    @theme.setter
    def theme(self, name: str) -> None:
        if name not in THEMES:
            raise ValueError(f"theme must be one of {', '.join(THEMES)}, not {name!r}")
        self._set(THEME, name)

    # ---- as a whole ------------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {"speed": self.speed, "tooltip_decimals": self.tooltip_decimals, "log_scale": self.log_scale,
                "theme": self.theme}

    def restore_defaults(self) -> None:
        """Every preference back to its default (and forgotten by the store)."""
        before = self.values()
        for pref in ALL:
            self._store.remove(pref.key)
        self._store.sync()
        after = self.values()
        for pref, name in zip(ALL, before, strict=True):
            if before[name] != after[name]:
                self.changed.emit(pref.key)

    def _set(self, pref: Preference, value: Any) -> None:
        old = self.values()
        self._store.setValue(pref.key, value)
        self._store.sync()
        if old != self.values():
            self.changed.emit(pref.key)


def tooltip_formatter(decimals: int) -> Callable[[float], str]:
    """The number formatter views use in tooltips for the "Decimals in tooltips" preference."""
    from netviz.model.display import fmt_full

    return fmt_full if decimals >= 17 else partial(format_tooltip_number, decimals=decimals)


def format_tooltip_number(value: float, decimals: int) -> str:
    """A full-precision value for a tooltip at ``decimals`` significant digits (17 = exact)."""
    from netviz.model.display import fmt_full

    if decimals >= 17 or not math.isfinite(value):
        return fmt_full(value)
    text = f"{value:.{decimals}g}"
    return text.replace("-", "\u2212")
