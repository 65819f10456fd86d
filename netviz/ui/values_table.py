"""The values table: every quantity of the iteration, in the lecture note's order.

Rows are the trace's micro-steps (forward, backward with the gradients, then the updated
parameters). The model is updated in place with ``dataChanged``; it is reset only if the
number of rows changes (another architecture). Reached rows read normally, the row of the
current micro-step is highlighted and scrolled into view, rows not reached yet are dimmed.
Hover a value for its full precision and formula.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from netviz.app.session import Session
from netviz.app.settings import tooltip_formatter
from netviz.model import symbols
from netviz.model.display import fmt, fmt_full
from netviz.model.symbols import escape
from netviz.model.trace import MicroStep, Phase
from netviz.ui import palette

COLUMNS = ("Quantity", "Value", "Phase")
VALUE_SAMPLE = "−0.000e307"
"""The widest value the column is sized for (fmt switches to scientific notation at 1e6)."""
PHASE_SAMPLE = "backward"
QUANTITY, VALUE, PHASE = range(3)
PHASE_NAMES = {Phase.FORWARD: "forward", Phase.BACKWARD: "backward", Phase.UPDATE: "update"}
SYMBOL_HTML_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""The quantity's symbol as rich text (subscripts), painted by :class:`SymbolDelegate`."""

Index = QModelIndex | QPersistentModelIndex


class RowBrushes(NamedTuple):
    """The table's brushes for one colour set, made once (``data`` is asked for them constantly)."""

    current: QBrush
    dimmed: QBrush
    normal: QBrush
    phase: dict[Phase, QBrush]

    @staticmethod
    def of(c: palette.Colours) -> RowBrushes:
        return RowBrushes(QBrush(QColor(c.row_current)), QBrush(QColor(c.row_dim)), QBrush(QColor(c.row_text)),
                          {Phase.FORWARD: QBrush(QColor(c.row_forward)),
                           Phase.BACKWARD: QBrush(QColor(c.row_backward)),
                           Phase.UPDATE: QBrush(QColor(c.row_update))})


class ValuesModel(QAbstractTableModel):
    """One row per micro-step of ``session.trace``; reads the session, never stores values."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._full: Callable[[float], str] = fmt_full
        self._rows = len(session.trace.steps)
        self._symbols: tuple[tuple[str, ...], list[tuple[str, str, Phase]]] = ((), [])
        self._cells = self._make_cells()
        self._cursor = session.cursor
        self._brushes = RowBrushes.of(palette.active())
        self._bold = QFont()
        self._bold.setBold(True)
        session.problemChanged.connect(self._on_problem_changed)
        session.cursorChanged.connect(self._on_cursor_changed)

    # ---- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= self._rows:
            return None
        row, col = index.row(), index.column()
        text, html, value, phase = self._cells[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if col == QUANTITY else value if col == VALUE else PHASE_NAMES[phase]
        if role == Qt.ItemDataRole.ForegroundRole:
            if row >= self._session.cursor:
                return self._brushes.dimmed
            return self._brushes.phase[phase] if col == PHASE else self._brushes.normal
        current = row == self._session.cursor - 1
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brushes.current if current else None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if current else None
        if role == SYMBOL_HTML_ROLE:
            return html
        if role == Qt.ItemDataRole.TextAlignmentRole and col == VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(self._session.trace.steps[row])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{text} = {value}"
        return None

    # ---- reading ---------------------------------------------------------------------------
    def step_at(self, row: int) -> MicroStep:
        return self._session.trace.steps[row]

    def row_of(self, key: str) -> int:
        return self._session.trace.index_of(key)

    # ---- internals -------------------------------------------------------------------------
    def apply_colours(self) -> None:
        """Re-read the active colour set (the theme changed) and repaint every row."""
        self._brushes = RowBrushes.of(palette.active())
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self._rows - 1, len(COLUMNS) - 1))

    def set_tooltip_digits(self, decimals: int) -> None:
        """Significant digits of the full-precision values in tooltips (17: every digit)."""
        self._full = tooltip_formatter(decimals)

    def _tooltip(self, step: MicroStep) -> str:
        full = self._full
        symbolic = step.render(symbols.html, None)
        numeric = step.render(symbols.html, full)
        return (f"<b>{symbols.html(step.key)} = {escape(full(step.value))}</b><br>"
                f"{symbolic}<br>= {numeric}<br><i>{escape(step.description)}</i>")

    def _make_cells(self) -> list[tuple[str, str, str, Phase]]:
        """Per row: plain symbol, rich-text symbol, displayed value, phase.

        Only the values are formatted anew for each problem; the symbols and phases depend on
        the architecture alone and are kept while it stays the same (as while training)."""
        steps = self._session.trace.steps
        keys = tuple(s.key for s in steps)
        if keys != self._symbols[0]:
            self._symbols = (keys, [(symbols.text(s.key), symbols.html(s.key), s.phase) for s in steps])
        return [(text, html, fmt(s.value), phase) for (text, html, phase), s in zip(self._symbols[1], steps,
                                                                                     strict=True)]

    def _on_problem_changed(self) -> None:
        old, keys = self._cells, self._symbols[0]
        self._cells = self._make_cells()
        rows = len(self._cells)
        if rows != self._rows or self._symbols[0] is not keys:  # other quantities: rebuild the rows
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()
            return
        # Same rows: repaint only the values whose three decimals changed (while training,
        # most of them stay put from one frame to the next). Tooltips are read on demand.
        changed = [i for i, (a, b) in enumerate(zip(old, self._cells, strict=True)) if a[2] != b[2]]
        if changed:
            self.dataChanged.emit(self.index(changed[0], VALUE), self.index(changed[-1], VALUE))

    def _on_cursor_changed(self, cursor: int) -> None:
        old, self._cursor = self._cursor, cursor
        if not self._rows or old == cursor:
            return
        lo = max(0, min(old, cursor) - 1)
        hi = min(self._rows - 1, max(old, cursor))
        self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(COLUMNS) - 1))


class SymbolDelegate(QStyledItemDelegate):
    """Paints the rich-text symbol (z<sub>h1</sub>, ∂E/∂w<sub>5</sub>) in the item's colours."""

    MAX_CACHED = 512

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: dict[tuple[str, str, str], QTextDocument] = {}

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = option.palette.color(role).name()
        font = option.font
        html = index.data(SYMBOL_HTML_ROLE) or ""
        key = (html, colour, font.key())
        doc = self._docs.get(key)
        if doc is None:
            if len(self._docs) >= self.MAX_CACHED:
                self._docs.clear()
            doc = QTextDocument(self)
            doc.setDocumentMargin(0)
            doc.setDefaultFont(font)
            doc.setHtml(f"<span style='color:{colour}'>{html}</span>")
            self._docs[key] = doc
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect
        painter.save()
        painter.setClipRect(rect)
        painter.translate(rect.left() + 6, rect.top() + (rect.height() - doc.size().height()) / 2)
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        size = self._document(opt, index).size()
        return QSize(int(size.width()) + 12, int(size.height()) + 6)


class ValuesTable(QTableView):
    """The table view: read-only, follows the current micro-step."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setObjectName("valuesTable")
        self.setAccessibleName("Values table")
        self.setAccessibleDescription("Every quantity of this iteration, in the order the lecture note computes them")
        self.values_model = ValuesModel(session, self)
        self.setModel(self.values_model)
        self.setItemDelegateForColumn(QUANTITY, SymbolDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        # Fixed sizes from the font, not ResizeToContents: that would ask every cell for its
        # size on every change, dozens of times a second while playing.
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QUANTITY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(PHASE, QHeaderView.ResizeMode.Fixed)
        header.setHighlightSections(False)
        self._size_sections()
        session.cursorChanged.connect(self._follow)
        self._follow(session.cursor)

    def _size_sections(self) -> None:
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        wide = QFontMetrics(bold)
        self.verticalHeader().setDefaultSectionSize(round(metrics.height() * 1.45) + 4)
        self.horizontalHeader().resizeSection(VALUE, wide.horizontalAdvance(VALUE_SAMPLE) + 16)
        self.horizontalHeader().resizeSection(PHASE, wide.horizontalAdvance(PHASE_SAMPLE) + 16)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_sections()

    def apply_colours(self) -> None:
        """The theme changed: rows take the active colour set (the rest follows the QPalette)."""
        self.values_model.apply_colours()
        self.viewport().update()

    def set_tooltip_digits(self, decimals: int) -> None:
        """Significant digits of the full-precision values in the rows' tooltips."""
        self.values_model.set_tooltip_digits(decimals)

    def current_row(self) -> int:
        """The highlighted row (the current micro-step), or -1 before the first step."""
        return self._session.cursor - 1

    def _follow(self, cursor: int) -> None:
        row = cursor - 1 if cursor > 0 else 0
        if self.values_model.rowCount():
            self.scrollTo(self.values_model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)
