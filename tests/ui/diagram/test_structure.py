"""The diagram is built from the layer sizes, rebuilt when they change, and survives bad numbers."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt

from netviz.model import Architecture, Problem
from netviz.model.display import fmt
from tests.ui.diagram.conftest import Diagram


def _problem(sizes: tuple[int, ...]) -> Problem:
    arch = Architecture(sizes)
    params = tuple(0.1 * ((i % 5) - 2) for i in range(len(arch.params)))
    return Problem(arch, params, tuple(0.5 for _ in range(sizes[0])), tuple(0.2 for _ in range(sizes[-1])), 0.3)


def test_lecture_note_layout_left_to_right(diagram: Diagram) -> None:
    view = diagram.view
    x = {n: view.node(n).scenePos().x() for n in ("x1", "x2", "h1", "h2", "o", "E")}
    assert x["x1"] == x["x2"] < x["h1"] == x["h2"] < x["o"] < x["E"]
    assert view.node("x1").scenePos().y() < view.node("x2").scenePos().y()
    assert set(view.diagram.bias_nodes) == {"one1", "one2"}
    assert sorted(view.diagram.edges) == sorted(["w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3"])
    # b3 comes from the constant-1 node of the output layer.
    b3 = view.edge("b3")
    assert b3.source == view.node("one2").scenePos()
    assert b3.target == view.node("o").scenePos()


def test_a_new_architecture_rebuilds_the_diagram(diagram: Diagram) -> None:
    d = diagram
    d.double_click("w5")  # an editor open on a label that is about to disappear
    d.qtbot.keyClicks(d.view.editor, "0.9")
    problem = _problem((3, 4, 2))
    d.session.load(problem)
    d.settle()
    assert not d.view.editor.isVisible()
    assert d.session.problem.value("w5") == problem.value("w5")  # the stale edit was not applied
    view = d.view
    for name in problem.architecture.param_names:
        assert view.label(name).main.text.endswith(fmt(problem.value(name)))
    assert {"x3", "h4", "o1", "o2", "E"} <= set(view.diagram.nodes)
    # Hand check one unit: z_h1 = w1·x1 + w2·x2 + w3·x3 + b1 with every x = 0.5.
    w = [problem.value(f"w{i}") for i in (1, 2, 3)]
    z = sum(0.5 * wi for wi in w) + problem.value("b1")
    assert d.node_lines("h1") == [f"z = {fmt(z)}", f"a = {fmt(1 / (1 + math.exp(-z)))}"]
    # Editing still works on the new labels.
    d.enter("t2", "0.7")
    assert d.session.problem.value("t2") == 0.7


def test_non_finite_values_are_drawn_without_errors(diagram: Diagram) -> None:
    d = diagram
    d.enter("x1", "1e308")
    d.enter("w1", "1e308")
    d.session.next_phase()
    d.session.next_phase()
    d.settle()
    assert d.node_lines("h1")[0] == "z = ∞"
    for name in d.view.diagram.edges:
        assert math.isfinite(d.view.edge(name).width)
    d.view.grab()  # paints every item


def test_a_dense_network_shows_weight_labels_only_while_in_play(diagram: Diagram) -> None:
    d = diagram
    d.session.load(_problem((2, 6, 1)))
    d.settle()
    view = d.view
    assert not view.label("w1").shown
    assert view.label("x1").shown and view.label("eta").shown
    d.session.step()  # z_h1 flows along w1, w2, b1
    d.settle()
    assert view.label("w1").shown and view.label("w2").shown and view.label("b1").shown
    assert not view.label("w3").shown
    # Keyboard users still reach every label: focus reveals it, and it can be edited.
    view.setFocus()
    view.label("w3").setFocus()
    assert view.label("w3").shown
    view.edit("w3")
    view.editor.selectAll()
    d.qtbot.keyClicks(view.editor, "0.75")
    d.qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w3") == 0.75


def test_no_label_overlaps_another_or_a_node_in_the_lecture_note_network(diagram: Diagram) -> None:
    view = diagram.view
    session = view.diagram._session
    while session.cursor < session.total_steps:  # every gradient shown: labels at their largest
        session.step()
    diagram.settle()
    labels = {name: label.mapRectToScene(label._box)  # the drawn boxes
              for name, label in view.diagram.labels.items() if label.isVisible()}
    circles = {name: (node.scenePos(), node.radius) for name, node in view.diagram.nodes.items()}
    badges = {name: node.mapRectToScene(node._badge_rect) for name, node in view.diagram.nodes.items()
              if not node._badge_rect.isEmpty()}
    names = sorted(labels)
    for i, a in enumerate(names):
        rect = labels[a]
        for b in names[i + 1:]:
            assert not rect.intersects(labels[b]), (a, b, rect, labels[b])
        for n, badge in badges.items():
            assert not rect.intersects(badge), (a, f"{n}'s badge", rect, badge)
        # An input's value sits in its own node; otherwise the label's nearest point to a centre
        # must lie outside the circle.
        for n, (centre, radius) in circles.items():
            if n == a:
                continue
            nx = min(max(centre.x(), rect.left()), rect.right())
            ny = min(max(centre.y(), rect.top()), rect.bottom())
            assert math.hypot(nx - centre.x(), ny - centre.y()) > radius, (a, n, rect)


def test_wide_node_values_shrink_to_fit_their_circle() -> None:
    from netviz.ui.diagram.node_item import MIN_LINE_SCALE, line_scale

    radius, y = 46.0, 10.0
    room = 2 * math.sqrt(radius**2 - (y + 6) ** 2) - 8  # the chord at that height, less a margin
    assert line_scale(room - 1, radius, y) == 1.0  # fits: drawn as is
    assert line_scale(room * 1.25, radius, y) == pytest.approx(1 / 1.25)  # shrinks exactly to fit
    assert line_scale(room * 10, radius, y) == MIN_LINE_SCALE  # never below the floor
    assert line_scale(0.0, radius, y) == 1.0
