"""The equations view: the current micro-step written as the lecture note writes it.

Three lines of rich text: the formula in symbols (subscripts, ∂, δ, σ, ŷ), the same formula
with the numbers substituted, and the result, under the step's phase and description. Before
the first step of an iteration it shows what Step will compute next.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from netviz.app.session import Session
from netviz.model import symbols
from netviz.model.display import fmt, fmt_full
from netviz.model.symbols import escape
from netviz.model.trace import MicroStep, Phase
from netviz.ui import palette

PHASE_TITLES = {
    Phase.FORWARD: "Forward pass",
    Phase.BACKWARD: "Backward pass",
    Phase.UPDATE: "SGD update",
}
NOTE_SECTIONS = {
    Phase.FORWARD: "lecture note § 2",
    Phase.BACKWARD: "lecture note §§ 3–4",
    Phase.UPDATE: "lecture note § 6",
}
MATH_FONTS = "'DejaVu Serif', 'Cambria Math', 'STIX Two Math', serif"  # inside a "…" attribute
MATH_SCALE = 1.35
_LAYOUT_CHANGES = frozenset({QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.ContentsRectChange,
                             QEvent.Type.Polish})
"""Events after which the same text may take another height (another font, style or margin)."""


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def phase_colour(phase: Phase, colours: palette.Colours) -> str:
    """The heading colour of a phase in a colour set."""
    return {Phase.FORWARD: colours.equation_forward, Phase.BACKWARD: colours.equation_backward,
            Phase.UPDATE: colours.equation_update}[phase]


def hand_note(step: MicroStep, hand: MicroStep | None) -> str:
    """A sentence when rounding by hand (as the lecture note does) gives another three decimals.

    The substituted numbers are rounded, the result is not: 0.005·0.100 shows "= 0.000" because
    δ is really 0.00453. Saying so keeps a student from thinking the app (or they) got it wrong.
    """
    if hand is None or hand.key != step.key or fmt(hand.value) == fmt(step.value):
        return ""
    return (f"By hand, rounding every value to three decimals before using it again (as the lecture "
            f"note often does), this comes out as {fmt(hand.value)}. netviz keeps full precision: "
            f"{fmt_full(step.value)}, shown as {fmt(step.value)}.")


def step_html(step: MicroStep, index: int, total: int, upcoming: bool = False, math_pt: float = 13.0,
              hand: MicroStep | None = None) -> str:
    """The rich text for one step (``index`` counts from 1), in the active colour set.

    ``hand`` is the same step computed by hand (rounding as it goes), for :func:`hand_note`."""
    c = palette.active()
    colour = phase_colour(step.phase, c)
    lhs = symbols.html(step.key)
    symbolic = step.render(symbols.html, None)
    numeric = step.render(symbols.html, fmt)
    lines = [f"{lhs} = {symbolic}"]
    if numeric not in (symbolic, fmt(step.value)):
        lines.append(f"{'&nbsp;' * 4}= {numeric}")
    lines.append(f"{'&nbsp;' * 4}= <b>{escape(fmt(step.value))}</b>")
    status = "Next: " if upcoming else ""
    description = step.description if upcoming else _sentence(step.description)
    head = (f"<span style='color:{colour}; font-weight:bold'>{PHASE_TITLES[step.phase]}</span>"
            f" · step {index} of {total} · <span style='color:{c.muted}'>{NOTE_SECTIONS[step.phase]}</span>")
    body = "<br>".join(lines)
    note = "" if upcoming else hand_note(step, hand)
    return (f"<div>{head}</div>"
            f"<div style='margin-top:4px'>{status}{escape(description)}</div>"
            f'<div style="margin-top:6px; font-family:{MATH_FONTS}; font-size:{math_pt:.0f}pt">{body}</div>'
            + (f"<div style='margin-top:6px; color:{c.muted}'>{escape(note)}</div>" if note else ""))


class EquationsView(QLabel):
    """Rich-text label following ``session.cursor``."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setObjectName("equationsView")
        self.setAccessibleName("Equations")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(60)
        self._heights: dict[int, int] = {}
        """heightForWidth's answers for the current text: the dock and scroll-area layouts ask
        for the same few widths again and again, and each answer lays the rich text out anew."""
        self._shown: tuple[object, int, float, bool] | None = None
        """What the text was made from: (trace, cursor, math size); the session emits
        problemChanged and cursorChanged together, and one render serves both."""
        session.cursorChanged.connect(self._refresh)
        session.problemChanged.connect(self._refresh)
        session.divergedChanged.connect(self._refresh)
        self._refresh()

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def setText(self, text: str) -> None:
        self._heights.clear()
        super().setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _LAYOUT_CHANGES:
            self._heights.clear()
        super().changeEvent(event)

    def apply_colours(self) -> None:
        """The theme changed: rewrite the text in the active colour set."""
        self._shown = None
        self._refresh()

    def _refresh(self, *_: object) -> None:
        session = self._session
        shown = (session.trace, session.cursor, self._math_pt(), session.diverged)
        if self._shown is not None and shown[0] is self._shown[0] and shown[1:] == self._shown[1:]:
            return
        self._shown = shown
        muted = palette.active().muted
        total = session.total_steps
        step = session.current_step
        if step is not None:
            hand = session.hand_trace.steps[session.cursor - 1]
            text = step_html(step, session.cursor, total, math_pt=self._math_pt(), hand=hand)
            if session.cursor == total:
                after = ("a value overflowed, so no iteration can follow: Undo or Reset brings back a "
                         "network that computes." if session.diverged else
                         "Step applies the update and starts the next iteration.")
                text += f"<div style='margin-top:6px; color:{muted}'>Iteration complete: {after}</div>"
        elif session.next_step is not None:
            text = step_html(session.next_step, 1, total, upcoming=True, math_pt=self._math_pt())
            play = "" if session.diverged else ", or Play (Space) to watch the whole iteration"
            text += f"<div style='margin-top:6px; color:{muted}'>Press Step (→) to compute it{play}.</div>"
        else:
            text = "<i>Nothing to compute.</i>"
        self.setText(text)
        self.setAccessibleDescription(self._plain(step or session.next_step))

    def _math_pt(self) -> float:
        size = self.font().pointSizeF()
        return (size if size > 0 else 10.0) * MATH_SCALE

    @staticmethod
    def _plain(step: MicroStep | None) -> str:
        if step is None:
            return ""
        return f"{symbols.text(step.key)} = {step.render(symbols.text, fmt)} = {fmt(step.value)}"
