"""The dependency trap from issue 2: paint the real main window 6,000 times.

PySide6-Essentials 6.12.0 aborts Python 3.11 ("Fatal Python error: none_dealloc") after a few
thousand Python-overridden paint calls; pyproject.toml pins PySide6-Essentials below 6.12 and
points here. Every grab paints every widget of the window, including the diagram's items and the
pyqtgraph plot, whose paint methods are Python overrides. Lift the pin only when this passes.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import make_window

PAINTS = 6000
SMALL = (640, 420)
"""Small enough to keep the soak quick; every widget of the window is still painted."""


@pytest.mark.slow
def test_the_real_window_survives_6000_paints(qtbot) -> None:  # type: ignore[no-untyped-def]
    win = make_window(qtbot, size=SMALL)
    window = win.window
    for _ in range(3):
        window.commands.step.trigger()  # some reached values, a highlighted row, a formula shown
    win.settle()
    null_grabs = 0
    for i in range(PAINTS):
        if window.grab().isNull():
            null_grabs += 1
        if i % 500 == 0:
            QApplication.processEvents()
    assert null_grabs == 0
    window.close()
