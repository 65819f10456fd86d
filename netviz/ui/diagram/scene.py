"""The diagram's scene: items built once per architecture, redrawn in place from the trace.

Everything shown comes from ``session.trace``; which values count as reached comes from the
cursor the scene is *showing* (:attr:`DiagramScene.shown`), which the animator holds one step
behind the session's while a step's pulse is travelling. Redraws requested by the session's
signals are coalesced to at most one per frame.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, Signal
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneHelpEvent

from netviz.app.session import Session
from netviz.app.settings import tooltip_formatter
from netviz.model import Architecture, MicroStep, Phase, Trace, symbols
from netviz.model.display import fmt, fmt_full
from netviz.model.network import LEARNING_RATE
from netviz.model.symbols import escape
from netviz.ui import palette
from netviz.ui.diagram import layout
from netviz.ui.diagram.bias_item import BiasNodeItem
from netviz.ui.diagram.edge_item import EdgeItem
from netviz.ui.diagram.node_item import NodeItem
from netviz.ui.diagram.pulse_item import PulseItem
from netviz.ui.diagram.text_line import CURRENT, GIVEN, PENDING, REACHED, UNREACHED, TextLine
from netviz.ui.diagram.value_label import ValueLabel
from netviz.ui.frame_throttle import FrameThrottle

MARGIN = 14.0
DENSE_FROM = 3
"""Layers wider than this make the diagram dense: weight labels show only while in play."""
LOSS = "E"
PENDING_TEXT = "…"


def _point(p: layout.Point) -> QPointF:
    return QPointF(p[0], p[1])


class DiagramScene(QGraphicsScene):
    """Nodes, edges, editable labels and pulses of one network."""

    editRequested = Signal(str)
    typedOnLabel = Signal(str, str)
    labelFocusChanged = Signal(str, bool)
    aboutToRebuild = Signal()
    """The architecture changed: every item is about to be replaced."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._arch: Architecture | None = None
        self.nodes: dict[str, NodeItem] = {}
        self.bias_nodes: dict[str, BiasNodeItem] = {}
        self.edges: dict[str, EdgeItem] = {}
        """Parameter edges by parameter name."""
        self.loss_edges: dict[str, EdgeItem] = {}
        """Output unit → E edges, by unit name."""
        self.labels: dict[str, ValueLabel] = {}
        self.label_order: list[str] = []
        self._pulses: list[PulseItem] = []
        self._trace: Trace | None = None
        self._index: dict[str, int] = {}
        self._shown = session.cursor
        self._pending: int | None = None
        self._pending_step: MicroStep | None = None
        self._tooltips_for: Trace | None = None
        self._full: Callable[[float], str] = fmt_full
        self._fitted = False
        self._dense = False
        self.refresh_count = 0
        self._throttle = FrameThrottle(self.refresh_now, self)
        session.problemChanged.connect(self._on_problem_changed)
        session.editRejected.connect(self._on_edit_rejected)
        self._build(session.problem.architecture)
        self.refresh_now()

    # ---- reading -------------------------------------------------------------------------
    @property
    def shown(self) -> int:
        """The cursor the picture shows (the session's, or one behind while animating)."""
        return self._shown

    @property
    def refresh_pending(self) -> bool:
        return self._throttle.pending

    def state(self, key: str) -> str:
        """How a quantity is drawn now: given, reached, current, pending or unreached."""
        i = self._index.get(key)
        if i is None:
            return GIVEN
        if self._pending is not None and i == self._pending:
            return PENDING
        if i < self._shown:
            return CURRENT if (self._pending is None and i == self._shown - 1) else REACHED
        return UNREACHED

    def active_step(self) -> MicroStep | None:
        """The step being animated, else the one reached last."""
        if self._pending_step is not None:
            return self._pending_step
        trace = self._session.trace
        return trace.steps[self._shown - 1] if 0 < self._shown <= len(trace.steps) else None

    # ---- driving (the animator calls these) -----------------------------------------------
    def show_cursor(self, cursor: int) -> None:
        self._pending = None
        self._pending_step = None
        self._shown = cursor
        self.schedule_refresh()

    def begin_step(self, index: int) -> MicroStep:
        """Show the picture just before step ``index`` with that step marked as being computed."""
        step = self._session.trace.steps[index]
        self._shown = index
        self._pending = index
        self._pending_step = step
        self.refresh_now()
        self._start_pulses(step)
        return step

    def animate_step(self, progress: float) -> None:
        step = self._pending_step
        if step is None:
            return
        for pulse in self._pulses:
            if pulse.isVisible():
                pulse.place(progress)
        flash = math.sin(math.pi * progress)
        node = self.nodes.get(step.element)
        if node is not None and not step.via and not self._loss_pulse(step):
            node.set_flash(progress)
        if step.phase is Phase.UPDATE and step.element in self.labels:
            old = self._session.trace.values.get(step.element, step.value)
            value = old + (step.value - old) * progress
            label = self.labels[step.element]
            line = TextLine(f"{symbols.text(step.key)} = {fmt(value)}", PENDING, key=step.key)
            label.set_content(line, label.sub, label.accessible_name)
            label.set_flash(flash)

    def end_step(self, cursor: int) -> None:
        for pulse in self._pulses:
            pulse.setVisible(False)
        for node in self.nodes.values():
            node.set_flash(None)
        for label in self.labels.values():
            label.set_flash(None)
        self._pending = None
        self._pending_step = None
        self._shown = cursor
        self.refresh_now()

    def apply_colours(self) -> None:
        """The colour set changed: re-style every item from it and repaint the whole picture.

        Colours the refresh derives (signs, outlines) are recomputed; pens items hold are re-read.
        """
        for edge in (*self.edges.values(), *self.loss_edges.values()):
            edge.apply_colours()
        for pulse in self._pulses:
            pulse.apply_colours()
        self.refresh_now()
        self.update()

    def schedule_refresh(self) -> None:
        """Redraw soon: at most once per frame however many changes arrive."""
        self._throttle.request()

    def stop(self) -> None:
        """Stop the pending redraw (the view is closing)."""
        self._throttle.stop()

    # ---- building --------------------------------------------------------------------------
    def _build(self, arch: Architecture) -> None:
        if self._arch is not None:
            self.aboutToRebuild.emit()
        self.clear()
        self.nodes.clear()
        self.bias_nodes.clear()
        self.edges.clear()
        self.loss_edges.clear()
        self.labels.clear()
        self.label_order.clear()
        self._pulses.clear()
        self._arch = arch
        self._dense = max(arch.layer_sizes) > DENSE_FROM
        geo = layout.compute(arch)
        last = len(arch.layer_sizes) - 1
        for layer, units in enumerate(arch.layers):
            for u in units:
                node = NodeItem(u.name, symbols.text(u.a_key), layout.NODE_RADIUS)
                node.setPos(_point(geo.units[u.name]))
                if layer == 0:
                    node.set_title_offset(-0.4 * layout.NODE_RADIUS)
                node.set_badge_above(geo.units[u.name][1] <= 0)
                self.addItem(node)
                self.nodes[u.name] = node
        for name, pos in geo.bias_nodes.items():
            bias = BiasNodeItem(name, layout.BIAS_RADIUS)
            bias.setPos(_point(pos))
            self.addItem(bias)
            self.bias_nodes[name] = bias
        loss = NodeItem(LOSS, "E", layout.LOSS_RADIUS)
        loss.set_title_offset(-0.36 * layout.LOSS_RADIUS)
        loss.set_badge_above(True)
        loss.setPos(_point(geo.loss))
        self.addItem(loss)
        self.nodes[LOSS] = loss

        for p in arch.params:
            target = arch.layers[p.layer][p.unit]
            if p.is_bias:
                src_pos = geo.bias_nodes[layout.bias_node_name(p.layer)]
                src_r, at, kind = layout.BIAS_RADIUS, layout.bias_label_at(p.layer), "Bias"
            else:
                src_pos = geo.units[arch.layers[p.layer - 1][p.source or 0].name]
                src_r, at, kind = layout.NODE_RADIUS, layout.WEIGHT_LABEL_AT, "Weight"
            dst_pos = geo.units[target.name]
            edge = EdgeItem(p.name, _point(src_pos), _point(dst_pos), src_r, layout.NODE_RADIUS)
            self.addItem(edge)
            self.edges[p.name] = edge
            self._add_label(p.name, kind, _point(layout.along(src_pos, dst_pos, at)))
        for u in arch.layers[last]:
            edge = EdgeItem(f"{u.name}->E", _point(geo.units[u.name]), _point(geo.loss), layout.NODE_RADIUS,
                            layout.LOSS_RADIUS)
            self.addItem(edge)
            self.loss_edges[u.name] = edge

        for u in arch.layers[0]:
            x, y = geo.units[u.name]
            self._add_label(u.a_key, "Input", QPointF(x, y + 14))
        lx, ly = geo.loss
        y = ly + layout.LOSS_RADIUS + 26
        for name in arch.target_names:
            self._add_label(name, "Target", QPointF(lx, y))
            y += 34
        self._add_label(LEARNING_RATE, "Learning rate", QPointF(lx, y + 8))

        # Tab order: inputs, then parameters as the note lists them, then targets and η.
        order = list(arch.input_names) + list(arch.param_names) + list(arch.target_names) + [LEARNING_RATE]
        self.label_order.extend(order)
        self._trace = None
        self._tooltips_for = None
        self._fitted = False

    def _add_label(self, name: str, kind: str, pos: QPointF) -> None:
        label = ValueLabel(name, kind)
        label.setPos(pos)
        label.editRequested.connect(self.editRequested)
        label.typedOn.connect(self.typedOnLabel)
        label.focusChanged.connect(self.labelFocusChanged)
        self.addItem(label)
        self.labels[name] = label

    def _pulse(self, i: int) -> PulseItem:
        while len(self._pulses) <= i:
            pulse = PulseItem()
            self.addItem(pulse)
            self._pulses.append(pulse)
        return self._pulses[i]

    # ---- session signals -----------------------------------------------------------------
    def _on_problem_changed(self) -> None:
        arch = self._session.problem.architecture
        if arch is not self._arch and arch != self._arch:
            self._build(arch)
        for label in self.labels.values():
            if label.error and not label.editing:
                label.set_error("")  # a value changed: an old complaint no longer applies
        self.schedule_refresh()

    def _on_edit_rejected(self, name: str, message: str) -> None:
        label = self.labels.get(name)
        if label is not None:
            label.set_error(f"{message} — {name} stays {fmt(self._session.problem.value(name))}")

    # ---- redrawing -------------------------------------------------------------------------
    def refresh_now(self) -> None:
        """Redraw every value from the session's trace, in place."""
        self._throttle.done()
        self.refresh_count += 1
        trace = self._session.trace
        if trace is not self._trace:
            self._trace = trace
            self._index = {s.key: i for i, s in enumerate(trace.steps)}
        self._shown = min(self._shown, len(trace.steps))
        arch = trace.problem.architecture
        if arch != self._arch:
            self._build(arch)
            self._trace = trace
            self._index = {s.key: i for i, s in enumerate(trace.steps)}
        active = self.active_step()
        self._refresh_nodes(trace, active)
        self._refresh_edges(trace, active)
        self._refresh_labels(trace)
        if not self._fitted:
            # Once per architecture, from what is drawn (labels and badges have their sizes now).
            self._fitted = True
            self.setSceneRect(self._content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))

    def _content_rect(self) -> QRectF:
        """What is drawn at rest (node circles and badges, not the room kept for flashes)."""
        rect = QRectF()
        for node in self.nodes.values():
            rect = rect.united(node.mapRectToScene(node.content_rect()))
        for item in (*self.bias_nodes.values(), *self.edges.values(), *self.loss_edges.values(),
                     *self.labels.values()):
            rect = rect.united(item.sceneBoundingRect())
        return rect

    def _value_line(self, key: str, text: str, value: float, colour: str | None = None) -> TextLine:
        st = self.state(key)
        shown = PENDING_TEXT if st == PENDING else fmt(value)
        return TextLine(f"{text} = {shown}", st, colour, key)

    def _refresh_nodes(self, trace: Trace, active: MicroStep | None) -> None:
        values = trace.values
        arch = trace.problem.architecture
        backward: dict[str, list[MicroStep]] = {}
        for s in trace.steps:
            if s.phase is Phase.BACKWARD and s.element in self.nodes:
                backward.setdefault(s.element, []).append(s)
        for layer, units in enumerate(arch.layers):
            for u in units:
                node = self.nodes[u.name]
                if layer == 0:
                    node.set_content((), (), highlight=False)
                    continue
                lines = (
                    self._value_line(u.z_key, "z", values[u.z_key]),
                    self._value_line(u.a_key, "a", values[u.a_key]),
                )
                badge = tuple(
                    self._value_line(s.key, symbols.text(s.key), s.value,
                                     palette.sign_colour(s.value) if s.key == u.delta_key else None)
                    for s in backward.get(u.name, ())
                    if not self._dense or s.key == u.delta_key
                )
                outline = None
                delta_state = self.state(u.delta_key)
                if delta_state in (REACHED, CURRENT):
                    outline = palette.sign_colour(values[u.delta_key])
                hl = active is not None and active.element == u.name and active.phase is not Phase.UPDATE
                node.set_content(lines, badge, highlight=hl, outline=outline)
        loss = self.nodes[LOSS]
        hl = active is not None and active.element == LOSS
        st = self.state(LOSS)
        formula = self._loss_formula(trace)
        loss.set_content((TextLine(PENDING_TEXT if st == PENDING else fmt(values[LOSS]), st, key=LOSS),),
                         (TextLine(f"E = {formula}", GIVEN),) if formula else (), highlight=hl)

    def _loss_formula(self, trace: Trace) -> str:
        """The loss written in symbols (from the trace, so it follows the architecture's loss)."""
        if self._index.get(LOSS) is None:
            return ""
        return trace.steps[self._index[LOSS]].render(symbols.text, None)

    def _refresh_edges(self, trace: Trace, active: MicroStep | None) -> None:
        problem = trace.problem
        arch = problem.architecture
        grads = trace.gradients
        grad_ref = palette.largest(list(grads.values()))
        weight_ref = palette.largest([problem.value(p.name) for p in arch.params])
        via = set(active.via) if active is not None else set()
        for p in arch.params:
            edge = self.edges[p.name]
            st = self.state(p.grad_key)
            if st in (REACHED, CURRENT):
                g = grads[p.name]
                edge.set_style(palette.sign_colour(g), palette.gradient_width(g, grad_ref),
                               palette.gradient_alpha(g, grad_ref), highlight=p.name in via)
            else:
                w = problem.value(p.name)
                edge.set_style(palette.sign_colour(w), palette.weight_width(w, weight_ref), 0.55,
                               highlight=p.name in via)
        for name, edge in self.loss_edges.items():
            hl = active is not None and self._loss_pulse(active) and (active.element in (LOSS, name))
            edge.set_style(palette.active().outline, 2.2, 0.8, highlight=hl)

    def _refresh_labels(self, trace: Trace) -> None:
        problem = trace.problem
        arch = problem.architecture
        values = trace.values
        for p in arch.params:
            label = self.labels[p.name]
            st_new = self.state(p.new_key)
            if st_new in (REACHED, CURRENT):
                main = TextLine(f"{symbols.text(p.new_key)} = {fmt(values[p.new_key])}", st_new, key=p.new_key)
            else:
                main = TextLine(f"{symbols.text(p.name)} = {fmt(problem.value(p.name))}",
                                PENDING if st_new == PENDING else GIVEN,
                                key=p.new_key if st_new == PENDING else p.name)
            g = values[p.grad_key]
            sub = None if self._dense else self._value_line(p.grad_key, symbols.text(p.grad_key), g,
                                                            palette.sign_colour(g))
            kind = "Bias" if p.is_bias else "Weight"
            label.set_content(main, sub, self._accessible(kind, p.name, problem.value(p.name)))
            # A dense network shows a weight's label only while its edge is in play (or it is
            # focused, edited or complaining); the edge's colour, width and tooltip still tell.
            label.set_collapsed(self._dense and not self.edges[p.name].highlighted)
        for name in arch.input_names:
            v = problem.value(name)
            self.labels[name].set_content(TextLine(fmt(v), GIVEN, key=name), None, self._accessible("Input", name, v))
        for name in arch.target_names:
            v = problem.value(name)
            self.labels[name].set_content(TextLine(f"{symbols.text(name)} = {fmt(v)}", GIVEN, key=name), None,
                                          self._accessible("Target", name, v))
        v = problem.learning_rate
        self.labels[LEARNING_RATE].set_content(TextLine(f"η = {fmt(v)}", GIVEN, key=LEARNING_RATE), None,
                                               self._accessible("Learning rate", "η", v))

    @staticmethod
    def _accessible(kind: str, name: str, value: float) -> str:
        return f"{kind} {name} = {fmt(value)}, double-click or press Enter to edit"

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:
        """Tooltips are written when someone hovers, not on every redraw (they cost more than it)."""
        self.refresh_tooltips()
        super().helpEvent(event)

    def set_tooltip_digits(self, decimals: int) -> None:
        """Significant digits of the full-precision values in tooltips (17: every digit)."""
        self._full = tooltip_formatter(decimals)
        self._tooltips_for = None

    def refresh_tooltips(self) -> None:
        """Bring every item's tooltip up to date with the session's trace (cheap if it is)."""
        trace = self._session.trace
        if self._tooltips_for is not trace:
            self._tooltips_for = trace
            self._refresh_tooltips(trace)

    def _refresh_tooltips(self, trace: Trace) -> None:
        full = self._full
        by_element: dict[str, list[MicroStep]] = {}
        for s in trace.steps:
            by_element.setdefault(s.element, []).append(s)
        arch = trace.problem.architecture
        for u in arch.layers[0]:
            self.nodes[u.name].setToolTip(
                f"<b>{symbols.html(u.a_key)}</b> input = {full(trace.values[u.a_key])}")
        for name, node in self.nodes.items():
            steps = by_element.get(name)
            if steps:
                node.setToolTip(_tooltip(symbols.html(_a_key(arch, name)), steps, full))
        for p in arch.params:
            steps = by_element.get(p.name, [])
            head = f"<b>{symbols.html(p.name)}</b> = {full(trace.problem.value(p.name))}"
            self.edges[p.name].setToolTip(_tooltip(head, steps, full, bold=False))
            label = self.labels[p.name]
            label.setToolTip(_tooltip(f"{escape(label.accessible_name)}<br>{head}", steps, full, bold=False))
        for name in (*arch.input_names, *arch.target_names, LEARNING_RATE):
            label = self.labels[name]
            exact = f"{symbols.html(name)} = {full(trace.problem.value(name))}"
            label.setToolTip(_tooltip(f"{escape(label.accessible_name)}<br>{exact}", [], full, bold=False))

    # ---- pulses ---------------------------------------------------------------------------
    def _loss_pulse(self, step: MicroStep) -> bool:
        """Does this step flow along an output → E edge (E itself, or ∂E/∂ŷ)?"""
        arch = self._session.trace.problem.architecture
        if step.element == LOSS:
            return True
        outputs = {u.name: u for u in arch.layers[-1]}
        u = outputs.get(step.element)
        return u is not None and step.key == u.dE_da_key

    def _start_pulses(self, step: MicroStep) -> None:
        paths: list[tuple[QPointF, QPointF, str]] = []
        backward = step.phase is Phase.BACKWARD
        colour = palette.sign_colour(step.value) if backward else palette.active().highlight
        if step.phase is not Phase.UPDATE:
            for name in step.via:
                edge = self.edges.get(name)
                if edge is not None:
                    a, b = edge.point_at(0), edge.point_at(1)
                    paths.append((b, a, colour) if backward else (a, b, colour))
            if not step.via and self._loss_pulse(step):
                for name, edge in self.loss_edges.items():
                    if step.element in (LOSS, name):
                        a, b = edge.point_at(0), edge.point_at(1)
                        paths.append((b, a, colour) if backward else (a, b, colour))
        for i, (a, b, c) in enumerate(paths):
            self._pulse(i).travel(a, b, c)
        for pulse in self._pulses[len(paths):]:
            pulse.setVisible(False)


def _a_key(arch: Architecture, name: str) -> str:
    if name == LOSS:
        return LOSS
    for units in arch.layers:
        for u in units:
            if u.name == name:
                return u.a_key
    return name


def _tooltip(head: str, steps: list[MicroStep], full: Callable[[float], str], bold: bool = True) -> str:
    rows = [f"<b>{head}</b>" if bold else head]
    for s in steps:
        symbolic = s.render(symbols.html, None)
        numeric = s.render(symbols.html, full)
        rows.append(f"{symbols.html(s.key)} = {symbolic} = {numeric} = <b>{full(s.value)}</b>")
    return "<p style='white-space:pre'>" + "<br>".join(rows) + "</p>"
