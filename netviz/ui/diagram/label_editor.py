"""The in-place editor: a line edit laid over a :class:`ValueLabel` while the user types.

Enter (or keypad Enter) commits, Escape cancels; losing focus, a click anywhere else (also on a
button that takes no focus) and Tab commit the same way (Tab then moves to the next label). The text
opens at full precision so committing untouched text changes nothing. Commits go through
``session.set_value``; a refused value leaves the editor open (after Enter) with the session's
message shown under the label, so the user can keep typing or press Escape.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from netviz.app.session import Session
from netviz.model.display import fmt_full
from netviz.ui import palette
from netviz.ui.diagram.value_label import ValueLabel

COMMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_STYLE = (
    "QLineEdit {{ border: 2px solid {border}; border-radius: 4px; background: {fill}; color: {text};"
    " padding: 0px 4px; selection-background-color: {selection}; selection-color: {text}; }}"
)


class LabelEditor(QLineEdit):
    """One editor per view, shown on the label being edited."""

    closed = Signal(str, bool)
    """Editing of a label ended: (name, whether focus should go back to the label)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._label: ValueLabel | None = None
        self._original = ""
        self._busy = False
        self._error_look: bool | None = None
        self.setVisible(False)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._set_error_look(False)
        self.textEdited.connect(lambda _t: self._set_error_look(False))

    # ---- reading -------------------------------------------------------------------------
    @property
    def label(self) -> ValueLabel | None:
        """The label being edited, or None."""
        return self._label

    @property
    def is_open(self) -> bool:
        return self._label is not None

    # ---- intent --------------------------------------------------------------------------
    def open(self, label: ValueLabel) -> None:
        if self._label is label:
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if self._label is not None:
            self.commit(keep_open=False)
        self._label = label
        self._original = fmt_full(self._session.problem.value(label.name)).replace("\u2212", "-")
        label.set_error("")
        label.set_editing(True)
        self.setAccessibleName(f"Edit {label.kind.lower()} {label.name}")
        self.setToolTip(f"Type a new value for {label.name}: Enter to apply, Escape to cancel")
        self.setText(self._original)
        self._set_error_look(False)
        # All selected (typing replaces it), with the cursor at the start so that a long value
        # shows its leading digits: selectAll() leaves it at the end, scrolled to "…07287452581923".
        self.end(False)
        self.home(True)
        self.setVisible(True)
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        app = QApplication.instance()
        if app is not None:
            # A click anywhere else commits, also on widgets that take no focus (toolbar buttons).
            app.installEventFilter(self)

    def commit(self, keep_open: bool = True) -> bool:
        """Apply the typed text; True if the value is now what was typed (or unchanged)."""
        label = self._label
        if label is None or self._busy:
            return False
        text = self.text()
        if text.strip() == self._original.strip():
            self._close(refocus=keep_open)
            return True
        self._busy = True
        try:
            ok = self._session.set_value(label.name, text)
        finally:
            self._busy = False
        if ok:
            label.set_error("")
            self._close(refocus=keep_open)
            return True
        # The session reported why through editRejected; the label shows it.
        if keep_open:
            self._set_error_look(True)
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._close(refocus=False)
        return False

    def cancel(self) -> None:
        if self._label is not None:
            self._label.set_error("")
            self._close(refocus=True)

    def discard(self) -> None:
        """Close without committing or touching the label (it is about to be deleted)."""
        self._remove_filter()
        self._label = None
        self._busy = True
        try:
            self.setVisible(False)
        finally:
            self._busy = False

    # ---- Qt events -----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in COMMIT_KEYS:
            event.accept()
            self.commit(keep_open=True)
            return
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.cancel()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._label is not None and not self._busy:
            self.commit(keep_open=False)

    # ---- internals -----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.MouseButtonPress and self._label is not None and not self._busy
                and isinstance(watched, QWidget) and watched is not self and not self.isAncestorOf(watched)
                and QApplication.activePopupWidget() is None):
            self.commit(keep_open=False)
        return False

    def _remove_filter(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def _close(self, refocus: bool) -> None:
        self._remove_filter()
        label, self._label = self._label, None
        if label is not None:
            label.set_editing(False)
        self._busy = True  # hiding moves focus: that is not a commit
        try:
            self.setVisible(False)
        finally:
            self._busy = False
        if label is not None:
            self.closed.emit(label.name, refocus)

    def apply_colours(self) -> None:
        """Re-read the active colour set (the theme changed)."""
        error, self._error_look = bool(self._error_look), None
        self._set_error_look(error)

    def _set_error_look(self, error: bool) -> None:
        if error == self._error_look:
            return
        self._error_look = error
        c = palette.active()
        self.setStyleSheet(_STYLE.format(border=c.error if error else c.highlight, fill=c.fill, text=c.text,
                                         selection=c.selection))
