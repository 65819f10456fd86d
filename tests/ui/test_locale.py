"""Under a comma-decimal locale, typing 0,5 and 0.5 on a label both mean one half; files keep '.'."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from netviz.io.document import load_document
from tests.model.closed_form import lecture_note_values
from tests.ui.conftest import Win, make_window


@pytest.fixture
def german_win(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Win]:
    monkeypatch.setenv("NETVIZ_AUTOSAVE_DIR", str(tmp_path / "autosave"))
    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    w = make_window(qtbot)
    yield w
    w.window.player.pause()
    w.window.close()
    QLocale.setDefault(old)


@pytest.mark.parametrize("typed", ["0,5", "0.5"])
def test_typing_a_decimal_comma_or_point_on_a_label(german_win: Win, typed: str) -> None:
    assert QLocale().decimalPoint() == ","
    w = german_win
    w.type_into_label("w1", typed)
    w.qtbot.waitUntil(lambda: w.session.problem.value("w1") == 0.5, timeout=3000)
    assert w.session.undo_stack.undoText() == "Set w1 to 0.5"
    w.settle()
    want = lecture_note_values(w1=0.5)
    assert w.session.trace.values["z_h1"] == pytest.approx(want["z_h1"], rel=1e-15)


def test_saved_files_use_a_point_under_a_comma_locale(german_win: Win, tmp_path: Path) -> None:
    w = german_win
    w.session.set_value("w1", "0,5")
    w.session.set_value("eta", "0,25")
    files = getattr(w.window, "files", None)
    if files is None:
        from netviz.ui.file_controller import FileController

        files = FileController(w.window, autosave_dir=tmp_path / "autosave", offer_recovery=False)
    files.ask_on_close = False
    path = tmp_path / "komma.netviz.json"
    assert files.save_path(path)
    text = path.read_text(encoding="utf-8")
    assert '"w1": 0.5,' in text and '"learning_rate": 0.25,' in text and "0,5" not in text
    assert load_document(path).problem.value("w1") == 0.5
