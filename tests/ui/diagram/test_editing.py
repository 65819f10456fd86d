"""Editing numbers in place on the diagram, as a user does it: double-click, type, Enter."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QToolTip, QVBoxLayout, QWidget

from netviz.app.player import Player
from netviz.app.session import Session
from netviz.model.display import fmt
from netviz.ui.diagram import DiagramView
from tests.ui.diagram.conftest import Diagram


def _sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _forward(w5: float) -> dict[str, float]:
    """The lecture note's forward pass written out by hand (independent of netviz.model)."""
    x1, x2, t = 0.05, 0.10, 0.50
    w1, w2, w3, w4, w6, b1, b2, b3 = 0.15, 0.20, 0.25, 0.30, 0.45, 0.35, 0.35, 0.60
    z_h1 = w1 * x1 + w2 * x2 + b1
    z_h2 = w3 * x1 + w4 * x2 + b2
    h1, h2 = _sig(z_h1), _sig(z_h2)
    z_o = w5 * h1 + w6 * h2 + b3
    y = _sig(z_o)
    return {"z_h1": z_h1, "h1": h1, "z_h2": z_h2, "h2": h2, "z_o": z_o, "y": y, "E": 0.5 * (y - t) ** 2}


def test_typing_a_weight_recomputes_every_value(diagram: Diagram) -> None:
    d = diagram
    d.double_click("w5")
    assert d.view.editor.text() == "0.4"  # full precision, ready to be replaced
    d.view.editor.selectAll()
    d.qtbot.keyClicks(d.view.editor, "0.3")
    d.qtbot.keyClick(d.view.editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w5") == 0.3
    assert not d.view.editor.isVisible()
    d.settle()
    v = _forward(0.3)
    assert d.node_lines("h1") == [f"z = {fmt(v['z_h1'])}", f"a = {fmt(v['h1'])}"]
    assert d.node_lines("o") == [f"z = {fmt(v['z_o'])}", f"a = {fmt(v['y'])}"]
    assert d.node_lines("E") == [fmt(v["E"])]
    assert d.view.label("w5").main.text == "w₅ = 0.300"
    # Hand check that the picture did change: at w5 = 0.4 the output pre-activation is 1.106.
    assert fmt(v["z_o"]) != "1.106"


def test_keypad_enter_commits(diagram: Diagram) -> None:
    d = diagram
    d.enter("b1", "0.25", Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert d.session.problem.value("b1") == 0.25
    assert not d.view.editor.isVisible()


def test_escape_cancels(diagram: Diagram) -> None:
    d = diagram
    d.enter("w1", "9", Qt.Key.Key_Escape)
    assert d.session.problem.value("w1") == 0.15
    assert not d.view.editor.isVisible()
    assert d.session.undo_stack.count() == 0


def test_focus_out_commits(diagram: Diagram) -> None:
    d = diagram
    d.double_click("x1")
    d.view.editor.selectAll()
    d.qtbot.keyClicks(d.view.editor, "1")
    # Click an empty part of the diagram: the editor loses focus, which commits.
    d.qtbot.mouseClick(d.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    d.qtbot.waitUntil(lambda: not d.view.editor.isVisible(), timeout=2000)
    assert d.session.problem.value("x1") == 1.0


@pytest.mark.parametrize("bad", ["", "abc", "-", ".", "nan", "inf", "1e400", "7" * 10_000])
def test_bad_input_keeps_the_value_and_says_why_inline(diagram: Diagram, bad: str) -> None:
    d = diagram
    d.double_click("w5")
    editor = d.view.editor
    editor.selectAll()
    if len(bad) > 100:
        editor.insert(bad)  # as a paste would; typing 10,000 keys adds nothing to the test
    elif bad:
        d.qtbot.keyClicks(editor, bad)
    else:
        d.qtbot.keyClick(editor, Qt.Key.Key_Delete)
    d.qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w5") == 0.4
    label = d.view.label("w5")
    assert label.error, "the label shows what is wrong"
    assert "w5 stays 0.400" in label.error
    assert editor.isVisible(), "the editor stays open so the user can fix the text"
    # The editor is not stuck: keep typing, then Enter works.
    editor.selectAll()
    d.qtbot.keyClicks(editor, "0.5")
    d.qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w5") == 0.5
    assert not editor.isVisible()
    assert label.error == ""


def test_bad_input_then_escape_keeps_old_value(diagram: Diagram) -> None:
    d = diagram
    d.enter("t", "abc")
    assert "not a number" in d.view.label("t").error
    d.qtbot.keyClick(d.view.editor, Qt.Key.Key_Escape)
    assert not d.view.editor.isVisible()
    assert d.session.problem.value("t") == 0.5
    assert d.session.undo_stack.count() == 0


@pytest.mark.parametrize(("typed", "expected"), [(" 0.5 ", 0.5), ("−0.5", -0.5), ("0.12345", 0.12345)])
def test_accepted_spellings_are_stored_exactly(diagram: Diagram, typed: str, expected: float) -> None:
    d = diagram
    d.enter("w2", typed)
    assert d.session.problem.value("w2") == expected
    d.settle()
    assert d.view.label("w2").main.text == f"w₂ = {fmt(expected)}"
    # The editor reopens with the exact stored value, not the rounded one.
    d.double_click("w2")
    assert d.view.editor.text() == repr(expected)


def test_open_and_commit_without_typing_changes_nothing(diagram: Diagram) -> None:
    d = diagram
    d.enter("w2", "0.12345")
    count = d.session.undo_stack.count()
    d.double_click("w2")
    d.qtbot.keyClick(d.view.editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w2") == 0.12345
    assert d.session.undo_stack.count() == count


def test_enter_and_f2_on_a_focused_label_open_the_editor(diagram: Diagram) -> None:
    d = diagram
    view = d.view
    for key in (Qt.Key.Key_Return, Qt.Key.Key_F2):
        view.setFocus()
        view.label("eta").setFocus()
        d.qtbot.keyClick(view.viewport(), key)
        d.qtbot.waitUntil(lambda: view.editor.isVisible(), timeout=2000)
        assert view.editor.label is view.label("eta")
        d.qtbot.keyClick(view.editor, Qt.Key.Key_Escape)
        assert view.label("eta").hasFocus(), "focus goes back to the label"


def test_tab_moves_between_labels_in_the_notes_order(diagram: Diagram) -> None:
    d = diagram
    view = d.view
    view.setFocus()
    view.label("x1").setFocus()
    seen = ["x1"]
    for _ in range(4):
        d.qtbot.keyClick(view.viewport(), Qt.Key.Key_Tab)
        item = view.diagram.focusItem()
        seen.append(item.name)  # type: ignore[union-attr]
    assert seen == ["x1", "x2", "w1", "w2", "w3"]


def _hover_tooltip(d: Diagram, pos: QPoint) -> str:
    """What the tooltip says when the mouse rests at ``pos`` (viewport coordinates)."""
    viewport = d.view.viewport()
    QToolTip.hideText()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, pos, viewport.mapToGlobal(pos)))
    d.qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


def test_labels_have_accessible_names_and_full_precision_tooltips(diagram: Diagram) -> None:
    d = diagram
    label = d.view.label("w5")
    assert label.accessible_name == "Weight w5 = 0.400, double-click or press Enter to edit"
    d.enter("w5", "0.123456789")
    d.settle()
    assert label.accessible_name == "Weight w5 = 0.123, double-click or press Enter to edit"
    tip = _hover_tooltip(d, d.label_point("w5"))
    assert label.accessible_name in tip
    assert "0.123456789" in tip and "δ<sub>o</sub>·h<sub>1</sub>" in tip


def test_hovering_a_node_shows_full_precision_and_the_formula(diagram: Diagram) -> None:
    d = diagram
    pos = d.view.mapFromScene(d.view.node("h1").scenePos())
    tip = _hover_tooltip(d, pos)
    z = 0.15 * 0.05 + 0.20 * 0.10 + 0.35
    h1 = 1 / (1 + math.exp(-z))
    assert "w<sub>1</sub>·x<sub>1</sub> + w<sub>2</sub>·x<sub>2</sub> + b<sub>1</sub>" in tip
    assert "σ(z<sub>h1</sub>)" in tip
    assert repr(h1) in tip  # full precision, not 0.593
    assert "0.15·0.05 + 0.2·0.1 + 0.35" in tip  # the numbers substituted


def test_clicking_a_button_that_takes_no_focus_commits_too(qtbot) -> None:
    """A toolbar button does not take focus; clicking it still ends the edit the same way."""
    session = Session()
    window = QWidget()
    layout = QVBoxLayout(window)
    button = QPushButton("Step", window)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view = DiagramView(session, Player(session), window)
    layout.addWidget(button)
    layout.addWidget(view)
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    for typed, stored in (("0.25", 0.25), ("abc", 0.25)):  # a refused value: the message stays
        view.edit("w6")
        view.editor.selectAll()
        qtbot.keyClicks(view.editor, typed)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not view.editor.isVisible()
        assert session.problem.value("w6") == stored
    assert "not a number" in view.label("w6").error


def test_shift_tab_goes_back_and_tab_leaves_the_diagram_after_the_last_label(qtbot) -> None:
    session = Session()
    window = QWidget()
    layout = QVBoxLayout(window)
    view = DiagramView(session, Player(session), window)
    after = QLineEdit(window)
    layout.addWidget(view)
    layout.addWidget(after)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    view.setFocus()
    view.label("eta").setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.diagram.focusItem() is view.label("t")
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Tab)
    assert view.diagram.focusItem() is view.label("eta")
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Tab)
    qtbot.waitUntil(after.hasFocus, timeout=2000)


def test_tab_in_the_editor_commits_and_moves_to_the_next_label(diagram: Diagram) -> None:
    d = diagram
    d.double_click("w3")
    d.view.editor.selectAll()
    d.qtbot.keyClicks(d.view.editor, "abc")
    d.qtbot.keyClick(d.view.editor, Qt.Key.Key_Tab)
    assert d.view.editor.isVisible() and d.view.editor.label is d.view.label("w3")  # refused: stays
    assert "not a number" in d.view.label("w3").error
    d.view.editor.selectAll()
    d.qtbot.keyClicks(d.view.editor, "0.5")
    d.qtbot.keyClick(d.view.editor, Qt.Key.Key_Tab)
    assert d.session.problem.value("w3") == 0.5
    assert not d.view.editor.isVisible()
    assert d.view.diagram.focusItem() is d.view.label("w4")


@pytest.mark.parametrize(("typed", "expected"), [("0.5", 0.5), ("-0.25", -0.25), ("\u22121", -1.0), (",5", 0.5)])
def test_typing_on_a_clicked_label_edits_it(diagram: Diagram, typed: str, expected: float) -> None:
    # Click once (no double-click), then type: the first character opens the editor with
    # itself in place of the old value, and the rest goes on from there, as in a spreadsheet.
    d = diagram
    view = d.view
    d.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=d.label_point("w2"))
    assert view.label("w2").hasFocus() and not view.editor.isVisible()
    for ch in typed:
        d.type_text(QApplication.focusWidget(), ch)
    assert view.editor.isVisible() and view.editor.text() == typed
    d.qtbot.keyClick(view.editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w2") == expected
    assert d.session.undo_stack.undoText().startswith("Set w2")


def test_letters_and_shortcut_keys_on_a_label_do_not_open_the_editor(diagram: Diagram) -> None:
    d = diagram
    view = d.view
    view.setFocus()
    view.label("w2").setFocus()
    for key in (Qt.Key.Key_A, Qt.Key.Key_Space):
        d.qtbot.keyClick(view.viewport(), key)
        assert not view.editor.isVisible()
    d.qtbot.keyClick(view.viewport(), Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert not view.editor.isVisible()
    assert d.session.problem.value("w2") == 0.2


def test_a_long_value_opens_selected_from_its_first_digit(diagram: Diagram) -> None:
    """The editor shows where the number starts (a view scrolled to its end reads as another
    number), and typing still replaces the whole of it."""
    d = diagram
    d.session.set_value("w5", repr(0.018072874525819235))
    d.settle()
    d.double_click("w5")
    editor = d.view.editor
    assert editor.text() == repr(0.018072874525819235)
    assert editor.selectedText() == editor.text()
    assert editor.cursorPosition() == 0
    d.qtbot.keyClicks(editor, "0.5")
    d.qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert d.session.problem.value("w5") == 0.5
