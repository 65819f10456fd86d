"""Preferences persist through QSettings, survive garbage in the store, and restore to defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from netviz.app.player import DEFAULT_SPEED, SPEEDS
from netviz.app.settings import Settings, format_tooltip_number


def store(path: Path) -> QSettings:
    return QSettings(str(path / "netviz.ini"), QSettings.Format.IniFormat)


def test_defaults(qtbot: QtBot, tmp_path: Path) -> None:
    s = Settings(store(tmp_path))
    assert s.values() == {"speed": DEFAULT_SPEED, "tooltip_decimals": 17, "log_scale": False, "theme": "system"}


def test_values_persist_across_instances(qtbot: QtBot, tmp_path: Path) -> None:
    s = Settings(store(tmp_path))
    s.speed = len(SPEEDS) - 1
    s.tooltip_decimals = 6
    s.log_scale = True
    s.theme = "dark"
    text = (tmp_path / "netviz.ini").read_text()
    assert "log_scale=true" in text and "theme=dark" in text
    again = Settings(store(tmp_path))
    assert again.values() == {"speed": len(SPEEDS) - 1, "tooltip_decimals": 6, "log_scale": True, "theme": "dark"}


def test_changed_signal_names_the_key_and_is_quiet_when_nothing_changes(qtbot: QtBot, tmp_path: Path) -> None:
    s = Settings(store(tmp_path))
    keys: list[str] = []
    s.changed.connect(keys.append)
    s.log_scale = True
    s.log_scale = True
    s.theme = "light"
    assert keys == ["plot/log_scale", "appearance/theme"]


@pytest.mark.parametrize(("attr", "bad"), [("speed", 99), ("speed", -1), ("speed", "fast"), ("tooltip_decimals", 2),
                                           ("tooltip_decimals", 18), ("theme", "purple")])
def test_bad_values_are_refused_and_keep_the_old_one(qtbot: QtBot, tmp_path: Path, attr: str, bad: object) -> None:
    s = Settings(store(tmp_path))
    before = s.values()
    with pytest.raises(ValueError, match=attr.replace("_", " ")):
        setattr(s, attr, bad)
    assert s.values() == before


def test_garbage_in_the_store_reads_as_defaults(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "netviz.ini").write_text(
        "[playback]\nspeed=lots\n[display]\ntooltip_decimals=1000\n[plot]\nlog_scale=maybe\n[appearance]\ntheme=neon\n")
    s = Settings(store(tmp_path))
    assert s.values() == {"speed": DEFAULT_SPEED, "tooltip_decimals": 17, "log_scale": False, "theme": "system"}


def test_restore_defaults(qtbot: QtBot, tmp_path: Path) -> None:
    s = Settings(store(tmp_path))
    s.speed = 0
    s.log_scale = True
    keys: list[str] = []
    s.changed.connect(keys.append)
    s.restore_defaults()
    assert s.values()["speed"] == DEFAULT_SPEED and s.log_scale is False
    assert sorted(keys) == ["playback/speed", "plot/log_scale"]
    assert Settings(store(tmp_path)).values()["log_scale"] is False


def test_tooltip_number_format() -> None:
    assert format_tooltip_number(0.1 + 0.2, 17) == "0.30000000000000004"
    assert format_tooltip_number(-0.123456789, 4) == "\u22120.1235"
