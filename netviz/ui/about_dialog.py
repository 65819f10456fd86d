"""Help › About: the icon, the version (single-sourced from :data:`netviz.__version__`), credits."""

from __future__ import annotations

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from netviz import __version__
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
        self.text = QLabel(
            f"<h2>netviz {__version__}</h2>"
            "<p><b>Backpropagation, step by step.</b></p>"
            "<p>A 2-2-1 sigmoid network from the lecture note, drawn with every number on it.<br>"
            "Type on a label to change a value; Step or Play to watch the forward pass,<br>"
            "the gradients flowing back and the SGD update.</p>"
            "<p>Three decimals on display, full precision inside (hover any number).</p>"
            f"<p style='color:#5a6672'>Qt {qVersion()} · PySide6 {pyside_version} · MIT licence</p>"
        )
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
