"""The diagram follows the lesson: each micro-step highlighted in order, pulses, no leftovers."""

from __future__ import annotations

import math
import time

import pytest
from PySide6.QtCore import QAbstractAnimation, QTimer
from PySide6.QtWidgets import QApplication

from netviz.app.player import SPEEDS, Player
from netviz.app.session import Session
from netviz.model import Phase
from netviz.ui import palette
from netviz.ui.diagram import DiagramView
from netviz.ui.diagram.text_line import CURRENT, PENDING, REACHED, UNREACHED, TextLine
from netviz.ui.frame_throttle import FRAME_MS
from tests.ui.diagram.conftest import Diagram


def _all_lines(view: DiagramView) -> list[TextLine]:
    lines: list[TextLine] = []
    for node in view.diagram.nodes.values():
        lines += [*node.lines, *node.badge]
    for label in view.diagram.labels.values():
        lines.append(label.main)
        if label.sub is not None:
            lines.append(label.sub)
    return lines


def _line(view: DiagramView, key: str) -> TextLine:
    found = [ln for ln in _all_lines(view) if ln.key == key]
    assert len(found) == 1, f"{key} is shown {len(found)} times"
    return found[0]


def test_stepping_highlights_each_micro_step_in_order(diagram: Diagram) -> None:
    d = diagram
    view, session = d.view, d.session
    steps = session.trace.steps
    assert len(steps) == 34  # 7 forward, 18 backward, 9 updates for the 2-2-1 network
    # Before the first step every computed value is shown, dimmed.
    for s in steps:
        assert _line(view, s.key if s.phase is not Phase.UPDATE else s.element).state != CURRENT
    assert _line(view, "z_h1").state == UNREACHED
    assert _line(view, "z_h1").text == "z = 0.378"

    for i, s in enumerate(steps):
        session.step()
        d.settle()
        assert view.diagram.shown == i + 1
        current = [ln for ln in _all_lines(view) if ln.state == CURRENT]
        assert [ln.key for ln in current] == [s.key], f"step {i}"
        later = [t.key for t in steps[i + 1:] if t.phase is not Phase.UPDATE]
        assert all(_line(view, k).state == UNREACHED for k in later), f"step {i}"
        earlier = [t.key for t in steps[:i] if t.phase is not Phase.UPDATE]
        assert all(_line(view, k).state == REACHED for k in earlier), f"step {i}"
        # The element computed is marked: its node, or its parameter's edge.
        if s.element in view.diagram.nodes and s.phase is not Phase.UPDATE:
            assert view.node(s.element).highlighted  # type: ignore[union-attr]
        highlighted = {name for name, e in view.diagram.edges.items() if e.highlighted}
        assert highlighted == set(s.via), f"step {s.key}"
    # w5 shows its new value (w5 − η·∂E/∂w5 = 0.400 − 0.5·0.02786 = 0.386), and after the last
    # update step the next iteration starts with nothing reached yet.
    assert view.label("w5").main.text == "w₅′ = 0.386"
    session.step()
    d.settle()
    assert session.iteration == 1
    assert _line(view, "z_h1").state == UNREACHED
    assert view.label("w5").main.text == "w₅ = 0.386"


def test_edges_show_gradient_sign_and_size_once_reached(diagram: Diagram) -> None:
    d = diagram
    session, view = d.session, d.view
    # Hand-computed gradients of the note's example (section 4).
    y = 1 / (1 + math.exp(-1.10590596705977))
    delta_o = (y - 0.5) * y * (1 - y)
    h1 = 1 / (1 + math.exp(-0.3775))
    grad_w1 = delta_o * 0.40 * h1 * (1 - h1) * 0.05
    grad_b3 = delta_o  # the largest gradient
    edge_w1 = view.edge("w1")
    before = edge_w1.width
    session.next_phase()  # forward
    session.next_phase()  # backward
    d.settle()
    for name, g in (("w1", grad_w1), ("b3", grad_b3)):
        edge = view.edge(name)
        assert edge.colour == palette.active().positive
        assert edge.width == pytest.approx(palette.gradient_width(g, grad_b3))
    assert view.edge("w1").width > palette.MIN_WIDTH + 2  # visibly flowing
    assert view.edge("w1").width != before
    assert view.label("w1").sub is not None and view.label("w1").sub.text == "∂E/∂w₁ = 0.000"


def test_a_step_animates_a_pulse_and_shows_the_value_when_it_arrives(qtbot, diagram: Diagram) -> None:
    d = diagram
    session, view, player = d.session, d.view, d.player
    player.set_speed(0)  # slowest: 1 s per step
    view.set_animation_scale(0.4)
    anim = view.animator.animation
    session.step()  # z_h1 = w1·x1 + w2·x2 + b1, along w1, w2, b1
    assert view.animator.running
    line = _line(view, "z_h1")
    assert line.state == PENDING and line.text == "z = …"
    pulses = [p for p in view.diagram.items() if type(p).__name__ == "PulseItem" and p.isVisible()]
    assert len(pulses) == 3
    start = [p.pos() for p in pulses]
    qtbot.waitUntil(lambda: anim.currentTime() > anim.duration() / 2, timeout=3000)
    assert all(p.pos() != s for p, s in zip(pulses, start, strict=True))
    qtbot.waitUntil(lambda: not view.animator.running, timeout=3000)
    assert _line(view, "z_h1").state == CURRENT and _line(view, "z_h1").text == "z = 0.378"
    assert not any(p.isVisible() for p in pulses)


def test_a_new_step_finishes_the_previous_animation(diagram: Diagram) -> None:
    d = diagram
    d.player.set_speed(0)
    d.view.set_animation_scale(5)  # 5 s: would still be running
    d.session.step()
    d.session.step()
    assert d.view.animator.started_steps == [0, 1]
    assert _line(d.view, "z_h1").state == REACHED  # finished, not pending any more
    assert _line(d.view, "h1").state == PENDING
    d.view.set_animation_scale(0)  # turning animation off finishes it too
    assert not d.view.animator.running
    assert _line(d.view, "h1").state == CURRENT


def test_jumps_are_shown_at_once(diagram: Diagram) -> None:
    d = diagram
    d.player.set_speed(0)
    d.view.set_animation_scale(1)
    d.session.next_phase()
    assert not d.view.animator.running
    d.settle()
    assert d.view.diagram.shown == 7
    assert _line(d.view, "E").state == CURRENT


def test_update_step_counts_the_label_to_its_new_value(qtbot, diagram: Diagram) -> None:
    d = diagram
    session, view = d.session, d.view
    session.next_phase()
    session.next_phase()  # forward and backward reached
    d.settle()
    d.player.set_speed(0)
    view.set_animation_scale(0.3)
    seen: set[str] = set()
    view.animator.animation.valueChanged.connect(lambda _v: seen.add(view.label("w1").main.text))
    session.step()  # w1′ = w1 − η·∂E/∂w1
    assert view.label("w1").main.state == PENDING
    qtbot.waitUntil(lambda: not view.animator.running, timeout=3000)
    assert view.label("w1").main.text == "w₁′ = 0.150"  # 0.14988…
    assert view.label("w1").main.state == CURRENT
    assert all(t.startswith("w₁′ = ") for t in seen) and seen


def _running_timers(view: DiagramView) -> list[QTimer]:
    return [t for t in view.findChildren(QTimer) if t.isActive()]


def test_nothing_runs_when_nothing_happens(diagram: Diagram) -> None:
    d = diagram
    d.session.step()
    d.settle()
    assert not _running_timers(d.view)
    assert d.view.animator.animation.state() == QAbstractAnimation.State.Stopped


def test_closing_mid_animation_leaves_nothing_running(qtbot, capfd) -> None:
    session = Session()
    player = Player(session)
    player.set_speed(0)
    view = DiagramView(session, player)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    session.step()
    assert view.animator.running
    view.close()
    assert not view.animator.running
    assert not _running_timers(view)
    # The session lives on; the closed view must not mind.
    session.step()
    session.next_phase()
    with qtbot.waitSignal(view.destroyed):
        view.deleteLater()
    for _ in range(3):
        session.step()  # signals to a deleted view: must be silently dropped
        QApplication.processEvents()
    session.set_value("w1", "0.2")
    QApplication.processEvents()
    assert capfd.readouterr().err == ""


def test_redraws_are_coalesced_at_full_speed(qtbot, diagram: Diagram) -> None:
    d = diagram
    changes = []
    d.session.problemChanged.connect(lambda: changes.append(1))
    d.player.set_speed(len(SPEEDS) - 1)
    before = d.view.diagram.refresh_count
    d.session.train(1)  # several changes in one go
    d.session.train(1)
    d.session.train(1)
    d.settle()
    assert d.view.diagram.refresh_count == before + 1
    before = d.view.diagram.refresh_count
    clock = time.monotonic()
    d.player.play()
    qtbot.waitUntil(lambda: len(changes) > 20, timeout=10000)
    d.player.pause()
    d.settle()
    elapsed_ms = (time.monotonic() - clock) * 1000
    assert d.view.diagram.refresh_count - before <= elapsed_ms / FRAME_MS + 2


def test_deleting_the_view_mid_animation_is_quiet(qtbot, capfd) -> None:
    session = Session()
    player = Player(session)
    player.set_speed(0)
    view = DiagramView(session, player)
    view.show()
    qtbot.waitExposed(view)
    session.step()
    anim = view.animator.animation
    assert anim.state() == QAbstractAnimation.State.Running
    with qtbot.waitSignal(anim.destroyed):
        view.deleteLater()
    session.step()
    QApplication.processEvents()
    assert capfd.readouterr().err == ""


def test_playing_animates_every_step_in_order_and_pausing_stops_it(qtbot, diagram: Diagram) -> None:
    d = diagram
    d.view.set_animation_scale(1)
    d.player.set_speed(next(i for i, s in enumerate(SPEEDS) if 0 < s.step_ms <= 150))
    d.player.play()
    qtbot.waitUntil(lambda: d.session.cursor >= 8, timeout=10000)
    d.player.pause()
    assert d.view.animator.started_steps == list(range(d.session.cursor))
    qtbot.waitUntil(lambda: not d.view.animator.running, timeout=2000)  # the last one ends by itself
    d.settle()
    assert not _running_timers(d.view)
    assert d.view.diagram.shown == d.session.cursor
