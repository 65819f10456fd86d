"""Help › About (icon, version single-sourced from :data:`netviz.__version__`) and Help › Keyboard shortcuts."""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from netviz import __version__
from netviz.model.symbols import escape
from netviz.ui import palette
from netviz.ui.style import icon

ICON_PX = 96


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About netviz")
        self.setAccessibleName("About netviz")
        picture = QLabel()
        picture.setPixmap(icon("netviz").pixmap(ICON_PX, ICON_PX))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)
        picture.setAccessibleName("netviz icon")
        self.text = QLabel(self._html())
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(False)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        row = QHBoxLayout()
        row.addWidget(picture)
        row.addSpacing(12)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)


    @staticmethod
    def _html() -> str:
        return (
            f"<h2>netviz {__version__}</h2>"
            "<p><b>Backpropagation, step by step.</b></p>"
            "<p>A 2-2-1 sigmoid network from the lecture note, drawn with every number on it.<br>"
            "Type on a label to change a value; Step or Play to watch the forward pass,<br>"
            "the gradients flowing back and the SGD update.</p>"
            "<p>Three decimals on display, full precision inside (hover any number).</p>"
            f"<p style='color:{palette.active().muted}'>Qt {qVersion()} · PySide6 {pyside_version} · MIT licence</p>"
        )

    def showEvent(self, event: QShowEvent) -> None:
        """The theme may have changed since the dialog was made: its grey line follows it."""
        self.text.setText(self._html())
        super().showEvent(event)


class ShortcutsDialog(QDialog):
    """Help › Keyboard shortcuts: every command with its keys, built from the window's actions."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        body = "".join(f"<tr><td style='padding:2px 16px 2px 0'><b>{escape(keys)}</b></td>"
                       f"<td style='padding:2px 0'>{escape(what)}</td></tr>" for what, keys in rows)
        extra = ("<p>On the diagram: <b>Tab</b> moves between the numbers you can edit, <b>Enter</b> or "
                 "<b>F2</b> edits one (or double-click it), <b>Enter</b> applies, <b>Escape</b> cancels.</p>")
        self.text = QLabel(f"<table>{body}</table>{extra}")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
