"""The status bar: iteration, phase (with the step count), current loss, and divergence."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from netviz.app.session import Session
from netviz.model.backprop import first_overflow
from netviz.model.display import fmt, fmt_count
from netviz.model.symbols import text
from netviz.model.trace import Phase

PHASE_WORDS = {Phase.FORWARD: "forward", Phase.BACKWARD: "backward", Phase.UPDATE: "update"}
DIVERGED_TEXT = "Overflow: {what} {why} — press Undo or Reset"
"""Names the first value of the iteration that overflowed: true whether training diverged or a
typed value is too large to compute with (t = 1e300 makes E overflow; w₅ = 1e308 makes zₒ)."""
DIVERGED_TIP = ("A value grew too large to compute: training diverged (η may be too large) or a number "
                "you typed overflows. Play stops here; Undo or Reset brings back a network that computes.")


class StatusBar(QStatusBar):
    """Permanent labels that follow the session."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.iteration_label = QLabel()
        self.iteration_label.setObjectName("iterationLabel")
        self.phase_label = QLabel()
        self.phase_label.setObjectName("phaseLabel")
        self.loss_label = QLabel()
        self.loss_label.setObjectName("lossLabel")
        self.diverged_label = QLabel()
        self.diverged_label.setObjectName("divergedLabel")
        self.diverged_label.setToolTip(DIVERGED_TIP)
        for label in (self.iteration_label, self.phase_label, self.loss_label, self.diverged_label):
            self.addPermanentWidget(label)
        session.cursorChanged.connect(self._refresh)
        session.problemChanged.connect(self._refresh)
        session.historyChanged.connect(self._refresh)
        session.divergedChanged.connect(self._refresh)
        self._refresh()

    @property
    def phase_text(self) -> str:
        return self.phase_label.text()

    def _refresh(self, *_: object) -> None:
        s = self._session
        self.iteration_label.setText(f"Iteration {fmt_count(s.iteration)}")
        if s.cursor == 0:
            phase = "ready"
        elif s.cursor == s.total_steps:
            phase = f"{PHASE_WORDS[s.phase]} · complete"
        else:
            phase = PHASE_WORDS[s.phase]
        self.phase_label.setText(f"Phase: {phase} · step {s.cursor}/{s.total_steps}")
        self.loss_label.setText(f"E = {fmt(s.trace.loss)}")
        self.diverged_label.setVisible(s.diverged)
        if s.diverged:
            key = first_overflow(s.trace)
            what = "a value" if key is None else "E′" if key == "E_after" else text(key)
            value = s.trace.loss_after if key == "E_after" else s.trace.values.get(key or "", math.inf)
            why = "is not a number (∞ − ∞ or 0 · ∞)" if math.isnan(value) else "is too large to compute"
            self.diverged_label.setText(DIVERGED_TEXT.format(what=what, why=why))
            self.diverged_label.setAccessibleName(f"Overflow: {what} {why}")
        self.loss_label.setAccessibleName(f"Loss {fmt(s.trace.loss)}")
