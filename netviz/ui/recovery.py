"""The prompt shown at start-up when a previous session did not exit cleanly."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from netviz.app.autosave import Recoverable


class RecoveryPrompt(QMessageBox):
    """"Restore unsaved work?" with Restore, Discard and Not now (keeps the file for next time).

    Non-blocking: call :meth:`open`; the answer arrives as :attr:`restoreChosen`,
    :attr:`discardChosen` or :attr:`laterChosen`.
    """

    restoreChosen = Signal(object)
    discardChosen = Signal(object)
    laterChosen = Signal(object)

    def __init__(self, recoverable: Recoverable, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recoverable = recoverable
        saved = recoverable.saved_at
        clock = QLocale().toString(saved.time(), "HH:mm")
        day = saved.date()
        if day == QDate.currentDate():
            when = f"today at {clock}"
        else:
            when = f"{QLocale().toString(day, QLocale.FormatType.LongFormat)} at {clock}"
        self.setObjectName("recoveryPrompt")
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle("Restore unsaved work?")
        self.setText("netviz did not close properly last time.")
        origin = recoverable.origin
        if origin is not None:
            question = f"Your unsaved changes to {origin.name} were kept automatically {when}. Restore them?"
        else:
            question = f"Your work, not yet saved to a file, was kept automatically {when}. Restore it?"
        self.setInformativeText(f"{question}\n\nRestoring is a step you can undo (Edit → Undo).")
        self.setDetailedText((f"File: {origin}\n" if origin is not None else "")
                             + f"Autosave: {recoverable.path}")
        self.restore_button: QPushButton = self.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
        self.discard_button: QPushButton = self.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
        self.later_button: QPushButton = self.addButton("&Not now", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button)
        self.setEscapeButton(self.later_button)
        self.buttonClicked.connect(self._on_clicked)

    def _on_clicked(self, button: object) -> None:
        if button is self.restore_button:
            self.restoreChosen.emit(self.recoverable)
        elif button is self.discard_button:
            self.discardChosen.emit(self.recoverable)
        else:
            self.laterChosen.emit(self.recoverable)
