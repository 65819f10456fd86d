"""Edit → Preferences…: play speed, tooltip precision, loss-plot scale and theme, with Restore Defaults.

The dialog edits a copy; OK writes it to :class:`~netviz.app.settings.Settings` (which persists
it), Cancel forgets it, Restore Defaults puts the defaults in the fields.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from netviz.app.player import DEFAULT_SPEED, SPEEDS
from netviz.app.settings import LOG_SCALE, THEME, THEMES, TOOLTIP_DECIMALS, TOOLTIP_DECIMALS_RANGE, Settings


def available_themes() -> list[str]:
    """"system" plus every theme whose style sheet ships in this build."""
    from netviz.ui.style import resource_bytes

    found = ["system"]
    for name in THEMES[1:]:
        try:
            resource_bytes("styles", f"{name}.qss")
        except FileNotFoundError:
            continue
        found.append(name)
    return found


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")

        self.speed = QComboBox()
        self.speed.setObjectName("speedPreference")
        for speed in SPEEDS:
            self.speed.addItem(speed.label)
        self.speed.setToolTip("The speed Play starts at when netviz opens")
        self.decimals = QSpinBox()
        self.decimals.setObjectName("tooltipDecimals")
        self.decimals.setRange(*TOOLTIP_DECIMALS_RANGE)
        self.decimals.setSuffix(" significant digits")
        self.decimals.setToolTip("How many digits tooltips show (17 shows every number exactly)")
        self.log_scale = QCheckBox("Start the loss plot on a logarithmic axis")
        self.log_scale.setObjectName("logScalePreference")
        self.theme = QComboBox()
        self.theme.setObjectName("themePreference")
        for name in available_themes():
            self.theme.addItem(name.capitalize(), name)

        form = QFormLayout()
        form.addRow("Play &speed:", self.speed)
        form.addRow("&Tooltips show:", self.decimals)
        form.addRow("Loss &plot:", self.log_scale)
        form.addRow("T&heme:", self.theme)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.RestoreDefaults)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        restore = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(self.show_defaults)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.load()

    def load(self) -> None:
        """Fill the fields from the stored preferences."""
        s = self._settings
        self._show(s.speed, s.tooltip_decimals, s.log_scale, s.theme)

    def show_defaults(self) -> None:
        """Restore Defaults: the fields show the defaults (stored only on OK)."""
        self._show(DEFAULT_SPEED, TOOLTIP_DECIMALS.default, LOG_SCALE.default, THEME.default)

    def _show(self, speed: int, decimals: int, log_scale: bool, theme: str) -> None:
        self.speed.setCurrentIndex(speed)
        self.decimals.setValue(decimals)
        self.log_scale.setChecked(log_scale)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))

    def accept(self) -> None:
        s = self._settings
        s.speed = self.speed.currentIndex()
        s.tooltip_decimals = self.decimals.value()
        s.log_scale = self.log_scale.isChecked()
        s.theme = str(self.theme.currentData())
        super().accept()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.load()
        super().showEvent(event)
