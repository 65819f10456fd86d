"""The main window driven as a user drives it: typing on labels, keys, toolbar and menus.

Expected numbers come from tests/model/closed_form.py, a hand-written second implementation of
the lecture note's network that shares no code with netviz.model.
"""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QAbstractAnimation, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QApplication, QToolButton

from netviz import __version__
from netviz.app.player import SPEEDS
from netviz.model import symbols
from netviz.model.display import fmt, fmt_full
from netviz.ui import palette
from netviz.ui.main_window import MainWindow
from netviz.ui.values_table import QUANTITY
from tests.model.closed_form import lecture_note_values, loss_2_2_1
from tests.ui.conftest import Win, make_window

NOTE_PARAMS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "w5": 0.40, "w6": 0.45,
               "b1": 0.35, "b2": 0.35, "b3": 0.60}
# Counted from the lecture note, not from the model: the forward pass computes z_h1, h1, z_h2,
# h2, z_o, ŷ, E (7); the backward pass ∂E/∂ŷ, ∂ŷ/∂z_o, δ_o, three output-layer gradients,
# ∂E/∂h1, ∂E/∂h2, two slopes, two δ and six hidden-layer gradients (18); the update, 9 parameters.
FORWARD, BACKWARD, UPDATE = 7, 18, 9
DEPENDENT_ON_W5 = ("z_o", "y_hat", "E", "dE_dyhat", "dyhat_dzo", "delta_o", "dE_dw5", "dE_dw6", "dE_db3",
                   "dE_dh1", "dE_dh2", "delta_h1", "delta_h2", "dE_dw1", "dE_dw2", "dE_db1", "dE_dw3",
                   "dE_dw4", "dE_db2", "w1_new", "w2_new", "w3_new", "w4_new", "w5_new", "w6_new",
                   "b1_new", "b2_new", "b3_new")


def active_timers(window: MainWindow) -> list[QTimer]:
    return [t for t in window.findChildren(QTimer) if t.isActive()]


def running_animations(window: MainWindow) -> list[QAbstractAnimation]:
    return [a for a in window.findChildren(QAbstractAnimation)
            if a.state() == QAbstractAnimation.State.Running]


def test_window_title_icon_menus_and_controls(win: Win) -> None:
    w = win.window
    assert "netviz" in w.windowTitle() and "Backpropagation" in w.windowTitle()
    menus = [a.text().replace("&", "") for a in w.menuBar().actions()]
    assert menus[0] == "File" and "Edit" in menus and "View" in menus and menus[-1] == "Help"
    assert w.file_menu.title() == "&File" and w.help_menu.title() == "&Help"
    names = [b.accessibleName() for b in w.toolbar.findChildren(QToolButton) if b.isVisible()]
    for expected in ("Step", "Next phase", "One iteration", "Play", "Reset"):
        assert expected in names
    for action in (w.commands.step, w.commands.next_phase, w.commands.iteration, w.commands.play, w.commands.reset):
        assert not action.icon().isNull()
        assert action.toolTip() and action.shortcut().toString() in action.toolTip()
    combo = w.speed_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [s.label for s in SPEEDS]
    assert combo.accessibleName() == "Speed"
    assert not w.commands.quit.shortcut().isEmpty()  # the platform's Quit keys, or Ctrl+Q
    assert w.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    for dock in (w.loss_dock, w.values_dock, w.equations_dock):
        assert dock.isVisible() and dock.toggleViewAction() in w.view_menu.actions()


def test_typing_w5_recomputes_every_dependent_value_and_the_table(win: Win) -> None:
    win.type_into_label("w5", "0.3")
    win.settle()
    assert win.session.problem.value("w5") == 0.3
    expected = lecture_note_values(w5=0.3)
    before = lecture_note_values()
    for key in DEPENDENT_ON_W5:
        got = win.session.trace.values[key]
        assert math.isclose(got, expected[key], rel_tol=1e-12, abs_tol=1e-15), key
        assert win.table_value(key) == fmt(expected[key]), key
    # The inputs of w5 (the hidden layer's forward values) do not depend on it.
    for key in ("z_h1", "h1", "z_h2", "h2"):
        assert win.table_value(key) == fmt(before[key])
    assert fmt(expected["z_o"]) != fmt(before["z_o"])  # the edit did change what is shown
    assert win.window.status.loss_label.text() == f"E = {fmt(expected['E'])}"
    xs, ys = win.window.loss_plot.data()
    assert list(xs) == [0.0] and math.isclose(ys[0], expected["E"], rel_tol=1e-12)  # the plot stays truthful
    assert win.diagram.label("w5").main.text == "w₅ = 0.300"


BAD_INPUTS = ["", "abc", "-", ".", "nan", "inf", "1e400"]


@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_bad_input_on_a_label_keeps_the_old_value(win: Win, bad: str) -> None:
    table_before = [win.table_value(k) for k in DEPENDENT_ON_W5]
    with win.qtbot.waitSignal(win.session.editRejected, timeout=3000) as rejected:
        win.type_into_label("w5", bad)
    name, message = rejected.args
    assert name == "w5" and message
    assert win.session.problem.value("w5") == 0.4
    assert win.session.undo_stack.count() == 0
    assert win.diagram.label("w5").error  # shown inline on the label, not in a dialog
    assert QApplication.activeModalWidget() is None
    assert [win.table_value(k) for k in DEPENDENT_ON_W5] == table_before
    # The editor is not stuck: Escape leaves it, and the next edit works.
    win.key(Qt.Key.Key_Escape, widget=win.diagram.editor)
    assert not win.diagram.editor.isVisible()
    win.type_into_label("w5", "0.5")
    assert win.session.problem.value("w5") == 0.5


def test_a_10000_character_paste_is_refused(win: Win) -> None:
    QApplication.clipboard().setText("1" * 10_000)
    win.open_editor("w5")
    editor = win.diagram.editor
    editor.selectAll()
    with win.qtbot.waitSignal(win.session.editRejected, timeout=3000):
        win.key(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier, widget=editor)
        win.key(Qt.Key.Key_Return, widget=editor)
    assert win.session.problem.value("w5") == 0.4
    win.key(Qt.Key.Key_Escape, widget=editor)
    assert not editor.isVisible()


@pytest.mark.parametrize(("typed", "value"), [(" 0.5 ", 0.5), ("\u22120.5", -0.5), ("0.12345", 0.12345)])
def test_spaces_and_unicode_minus_are_numbers(win: Win, typed: str, value: float) -> None:
    win.type_into_label("w5", typed)
    assert win.session.problem.value("w5") == value


def test_stepping_through_an_iteration_shows_each_phase_and_adds_one_loss_point(win: Win) -> None:
    status = win.window.status
    table = win.window.values_table
    assert status.phase_text.startswith("Phase: ready")
    boundaries = {FORWARD: "forward", FORWARD + 1: "backward", FORWARD + BACKWARD: "backward",
                  FORWARD + BACKWARD + 1: "update", FORWARD + BACKWARD + UPDATE: "update"}
    total = FORWARD + BACKWARD + UPDATE
    for n in range(1, total + 1):
        win.key(Qt.Key.Key_Right)  # focus is on the diagram
        assert win.session.cursor == n
        if n in boundaries:
            assert status.phase_text.startswith(f"Phase: {boundaries[n]}"), (n, status.phase_text)
            assert f"step {n}/{total}" in status.phase_text
        assert table.current_row() == n - 1
    model = table.values_model
    current = QColor(palette.active().row_current)
    assert model.index(total - 1, QUANTITY).data(Qt.ItemDataRole.BackgroundRole).color() == current
    assert win.window.loss_plot.data()[0].size == 1
    win.key(Qt.Key.Key_Right)  # the step after the last update starts iteration 1
    win.settle()
    assert win.session.iteration == 1 and win.session.cursor == 0
    assert win.window.status.iteration_label.text() == "Iteration 1"
    assert status.phase_text.startswith("Phase: ready")
    xs, ys = win.window.loss_plot.data()
    assert list(xs) == [0.0, 1.0]
    note = lecture_note_values()
    updated = {name: note[f"{name}_new"] for name in NOTE_PARAMS}
    assert math.isclose(ys[1], loss_2_2_1(updated), rel_tol=1e-12)
    assert math.isclose(ys[0], note["E"], rel_tol=1e-12)


def test_next_phase_with_shift_right(win: Win) -> None:
    stops = []
    for _ in range(3):
        win.key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
        stops.append(win.session.cursor)
    assert stops == [FORWARD, FORWARD + BACKWARD, FORWARD + BACKWARD + UPDATE]


def test_table_highlights_the_current_row_and_dims_unreached_rows(win: Win) -> None:
    for _ in range(3):
        win.key(Qt.Key.Key_Right)
    table = win.window.values_table
    model = table.values_model
    brush = model.index(2, QUANTITY).data(Qt.ItemDataRole.BackgroundRole)
    assert brush is not None and brush.color() == QColor(palette.active().row_current)
    assert model.index(1, QUANTITY).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(3, QUANTITY).data(Qt.ItemDataRole.ForegroundRole).color() == QColor(palette.active().row_dim)
    assert model.index(0, QUANTITY).data(Qt.ItemDataRole.ForegroundRole).color() != QColor(palette.active().row_dim)
    tip = model.index(model.row_of("h2"), QUANTITY).data(Qt.ItemDataRole.ToolTipRole)
    assert fmt_full(lecture_note_values()["h2"]) in tip and "σ" in tip
    # Far down the list, the current row is scrolled into view.
    for _ in range(25):
        win.key(Qt.Key.Key_Right)
    row = table.current_row()
    assert table.viewport().rect().intersects(table.visualRect(model.index(row, 0)))


def test_equations_view_writes_the_step_in_symbols_and_numbers(win: Win) -> None:
    for _ in range(FORWARD + 3):  # δ_o, the third backward step
        win.key(Qt.Key.Key_Right)
    text = win.window.equations.text()
    assert "δ<sub>o</sub>" in text and "∂E/∂ŷ" in text and "Backward" in text
    note = lecture_note_values()
    assert f"{fmt(note['dE_dyhat'])}·{fmt(note['dyhat_dzo'])}" in text
    assert fmt(note["delta_o"]) in text


def test_the_equations_height_is_always_what_the_label_itself_would_say(win: Win) -> None:
    """EquationsView keeps heightForWidth's answers (the layouts ask for the same widths again
    and again); after new text, a new font or a new theme they must still be the label's own."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QLabel

    from netviz.ui.style import apply_theme

    equations = win.window.equations
    widths = (180, 260, 422, 640)

    def check() -> None:
        for width in widths:
            cached = equations.heightForWidth(width)
            assert cached == QLabel.heightForWidth(equations, width), width
            assert equations.heightForWidth(width) == cached  # asked again: the kept answer

    check()
    before = [equations.heightForWidth(w) for w in widths]
    for _ in range(FORWARD + 3):  # another step: other text, another height at a narrow width
        win.key(Qt.Key.Key_Right)
    check()
    assert [equations.heightForWidth(w) for w in widths] != before
    font = QFont(equations.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    equations.setFont(font)
    check()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "dark")
    try:
        check()
    finally:
        apply_theme(app, "light")
    check()


def test_play_then_pause_leaves_no_timer_running(win: Win) -> None:
    w = win.window
    w.speed_combo.setCurrentIndex(len(SPEEDS) - 1)  # as fast as possible
    assert w.player.fast
    win.key(Qt.Key.Key_Space)
    assert w.player.playing and w.commands.play.isChecked()
    win.qtbot.waitUntil(lambda: win.session.iteration >= 50, timeout=10_000)
    win.key(Qt.Key.Key_Space)
    assert not w.player.playing and not w.commands.play.isChecked()
    win.settle()
    assert active_timers(w) == []
    assert running_animations(w) == []
    losses = win.session.history.values
    assert losses[-1] < losses[0]
    xs, ys = w.loss_plot.data()  # the whole history, decimated to its min/max envelope
    n = len(losses)
    assert xs[0] == 0 and xs[-1] >= (n - 1) - n / 100
    assert ys.min() == losses.min() and ys.max() == losses.max()


def test_play_at_an_animated_speed_then_pause(win: Win) -> None:
    w = win.window
    w.diagram.set_animation_scale(1)
    w.player.set_speed(len(SPEEDS) - 2)  # the quickest animated speed
    assert w.speed_combo.currentIndex() == len(SPEEDS) - 2
    w.commands.play.trigger()
    win.qtbot.waitUntil(lambda: win.session.cursor >= 3, timeout=10_000)
    w.commands.play.trigger()
    assert not w.player.playing
    win.qtbot.waitUntil(lambda: not running_animations(w) and not active_timers(w), timeout=5000)


def test_close_mid_animation_raises_nothing(qtbot, capfd) -> None:  # type: ignore[no-untyped-def]
    win = make_window(qtbot)
    w = win.window
    w.diagram.set_animation_scale(1)
    w.player.set_speed(0)  # slow: one second per micro-step, so an animation is surely running
    w.commands.play.trigger()
    qtbot.waitUntil(lambda: win.session.cursor >= 1 and bool(running_animations(w)), timeout=10_000)
    w.close()
    assert not w.player.playing
    qtbot.waitUntil(lambda: not running_animations(w) and not active_timers(w), timeout=5000)
    QApplication.processEvents()
    _out, err = capfd.readouterr()
    assert "Traceback" not in err and "Error" not in err, err


def test_space_and_right_go_to_the_editor_while_a_label_is_edited(win: Win) -> None:
    win.open_editor("w5")
    editor = win.diagram.editor
    editor.selectAll()
    win.key(Qt.Key.Key_1, widget=editor)
    win.key(Qt.Key.Key_Space, widget=editor)
    win.key(Qt.Key.Key_Left, widget=editor)
    win.key(Qt.Key.Key_Right, widget=editor)
    assert not win.window.player.playing
    assert win.session.cursor == 0
    assert editor.text() == "1 "
    win.key(Qt.Key.Key_Escape, widget=editor)
    # Back on the diagram, the keys drive the lesson again.
    assert win.diagram.hasFocus()
    win.key(Qt.Key.Key_Right)
    assert win.session.cursor == 1


def test_ctrl_r_resets_and_undo_redo_work_from_the_keyboard(win: Win) -> None:
    win.type_into_label("w5", "0.3")
    win.key(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # one iteration
    assert win.session.iteration == 1
    win.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.session.iteration == 0 and win.session.problem.value("w5") == 0.3
    win.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.session.problem.value("w5") == 0.4
    win.window.redo_action.trigger()
    assert win.session.problem.value("w5") == 0.3
    win.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert win.session.problem.value("w5") == 0.4 and win.session.iteration == 0


def test_log_axis_with_a_zero_loss(win: Win) -> None:
    # ŷ = σ(0) = 0.5 = t exactly when w5 = w6 = b3 = 0: the loss is exactly zero.
    for name in ("w5", "w6", "b3"):
        win.type_into_label(name, "0")
    assert win.session.trace.loss == 0.0
    for _ in range(3):
        win.key(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    plot = win.window.loss_plot
    win.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert plot.log_y and win.window.commands.log_y.isChecked()
    win.settle()
    plot.refresh()
    xs, ys = plot.curve.getData()  # what is drawn, after the log transform
    assert xs is not None and len(xs) == 4
    assert all(math.isfinite(v) for v in ys)
    assert plot.marker.isVisible()
    _mx, my = plot.marker.getData()
    assert math.isfinite(my[0])
    win.key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not plot.log_y
    assert list(plot.curve.getData()[1]) == [0.0, 0.0, 0.0, 0.0]


def test_diverged_state_is_shown_in_the_status_bar(win: Win) -> None:
    for name in ("w1", "x1"):
        win.type_into_label(name, "1e308")
    assert win.session.diverged
    label = win.window.status.diverged_label
    assert label.isVisible() and "Undo or Reset" in label.text()
    assert f"Overflow: {symbols.text('z_h1')} is too large" in label.text()  # w1·x1 = 1e616: the first to overflow
    assert "typed overflows" in label.toolTip()  # true when no training happened, as here
    assert not win.window.commands.play.isEnabled()
    win.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert not label.isVisible() and win.window.commands.play.isEnabled()


def test_an_overflow_names_the_value_that_overflowed(win: Win) -> None:
    """w5 = w6 = b3 = 1e308 overflow zₒ (≈ 1e308·0.59 + 1e308·0.60 + 1e308), while ŷ = 1 and E stay
    finite: the status bar must not say that E is not finite."""
    for name in ("w5", "w6", "b3"):
        win.type_into_label(name, "1e308")
    label = win.window.status.diverged_label
    assert win.session.diverged and label.isVisible()
    assert label.text() == f"Overflow: {symbols.text('z_o')} is too large to compute — press Undo or Reset"
    assert win.session.trace.loss == 0.5 * (1.0 - 0.5) ** 2
    # w1·x1 + w2·x2 = 1e608 − 1e608 = ∞ − ∞: not too large, not a number at all
    for name, typed in (("w5", "0.4"), ("w6", "0.45"), ("b3", "0.6"), ("w1", "1e308"), ("x1", "1e300"),
                        ("w2", "-1e308"), ("x2", "1e300")):
        win.type_into_label(name, typed)
    assert label.text() == (f"Overflow: {symbols.text('z_h1')} is not a number (∞ − ∞ or 0 · ∞) — "
                            "press Undo or Reset")


def test_the_equations_hint_never_offers_what_an_overflow_has_disabled(win: Win) -> None:
    equations = win.window.equations
    assert "Play (Space)" in equations.text()
    win.type_into_label("t", "1e300")  # E = ½(ŷ − t)² overflows
    assert win.session.diverged and not win.window.commands.play.isEnabled()
    assert "Press Step (→) to compute it." in equations.text() and "Play" not in equations.text()
    for _ in range(win.session.total_steps):
        win.key(Qt.Key.Key_Right)
    assert win.session.cursor == win.session.total_steps and not win.window.commands.step.isEnabled()
    assert "Iteration complete: a value overflowed, so no iteration can follow" in equations.text()
    assert "Step applies the update" not in equations.text()


def test_panels_keep_their_share_of_a_resized_window(win: Win) -> None:
    w = win.window

    def resized(width: int, height: int) -> None:
        w.resize(width, height)
        for _ in range(5):  # the main window lays its docks out in posted events
            QApplication.processEvents()

    resized(1600, 1000)
    w.resizeDocks([w.loss_dock], [560], Qt.Orientation.Horizontal)  # the user widens the panels
    resized(1600, 1000)
    share = w.loss_dock.width() / w.width()
    assert share == pytest.approx(560 / 1600, abs=0.01)
    resized(1000, 640)
    assert w.loss_dock.width() == pytest.approx(share * 1000, abs=12)  # 350 px, not 560 of 1000
    assert w.diagram.width() > 0.55 * w.width()
    resized(700, 640)
    assert w.loss_dock.width() == pytest.approx(280, abs=12)  # never below room for the table
    resized(1600, 1000)
    assert w.loss_dock.width() == pytest.approx(280 / 700 * 1600, abs=12)


def test_editing_a_number_pauses_play(win: Win) -> None:
    for start_editing in (lambda: win.open_editor("w5"), lambda: win.key(Qt.Key.Key_7)):
        win.window.player.play()
        assert win.window.player.playing
        win.diagram.setFocus()
        win.diagram.diagram.labels["w5"].setFocus()
        start_editing()
        assert not win.window.player.playing
        assert win.diagram.editor.is_open
        win.key(Qt.Key.Key_Escape, widget=win.diagram.editor)
        assert not win.diagram.editor.is_open


def test_ctrl_q_closes_the_window(win: Win) -> None:
    win.key(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    win.qtbot.waitUntil(lambda: not win.window.isVisible(), timeout=3000)


def test_f1_lists_the_keyboard_shortcuts(win: Win) -> None:
    win.key(Qt.Key.Key_F1)
    dialog = win.window.show_shortcuts()
    win.qtbot.waitExposed(dialog)
    text = dialog.text.text()
    for keys, what in (("Space", "Play"), ("Right", "Step"), ("Shift+Right", "Next phase"), ("Ctrl+R", "Reset")):
        assert f"<b>{keys}</b>" in text and what in text
    dialog.close()


def test_about_box_shows_the_version_and_icon(win: Win) -> None:
    dialog = win.window.show_about()
    win.qtbot.waitExposed(dialog)
    assert __version__ in dialog.text.text()
    assert dialog.windowTitle() == "About netviz"
    dialog.close()


def test_panels_can_be_hidden_and_shown_from_the_view_menu(win: Win) -> None:
    dock = win.window.values_dock
    dock.toggleViewAction().trigger()
    assert not dock.isVisible()
    dock.toggleViewAction().trigger()
    assert dock.isVisible()


def test_window_geometry_is_remembered(qtbot) -> None:  # type: ignore[no-untyped-def]
    first = make_window(qtbot, remember_geometry=True, size=None)
    first.window.resize(760, 560)  # the offscreen screen is 800x600: restoring clamps to it
    first.window.values_dock.hide()
    first.window.close()
    second = make_window(qtbot, remember_geometry=True, size=None)
    assert (second.window.width(), second.window.height()) == (760, 560)
    assert not second.window.values_dock.isVisible()
    second.window.close()


def test_nothing_runs_while_idle(win: Win) -> None:
    win.key(Qt.Key.Key_Right)
    win.settle()
    assert active_timers(win.window) == [] and running_animations(win.window) == []


def test_keys_drive_the_lesson_when_a_label_has_focus(win: Win) -> None:
    win.key(Qt.Key.Key_Tab)  # into the diagram's labels
    focused = win.diagram.diagram.focusItem()
    assert focused is not None and getattr(focused, "name", None)
    win.key(Qt.Key.Key_Right)
    win.key(Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert win.session.cursor == FORWARD
    win.key(Qt.Key.Key_Space)
    assert win.window.player.playing
    win.key(Qt.Key.Key_Space)
    assert not win.window.player.playing


def test_tab_reaches_the_speed_control_and_the_table(win: Win) -> None:
    seen = set()
    for _ in range(40):
        win.key(Qt.Key.Key_Tab)
        seen.add(QApplication.focusWidget())
    assert win.window.speed_combo in seen and win.window.values_table in seen
    win.window.speed_combo.setFocus()
    before = win.window.player.speed
    win.key(Qt.Key.Key_Down, widget=win.window.speed_combo)  # the keyboard changes the speed
    assert win.window.player.speed == before + 1 == win.window.speed_combo.currentIndex()
    win.key(Qt.Key.Key_BracketLeft)  # and so does [ (slower) from anywhere in the window
    assert win.window.player.speed == before


def test_tab_comes_back_round_to_the_first_number_and_shift_tab_to_the_last(win: Win) -> None:
    order = win.diagram.diagram.label_order

    def focused_label() -> str | None:
        item = win.diagram.diagram.focusItem()
        return getattr(item, "name", None) if QApplication.focusWidget() is win.diagram else None

    rounds: list[list[str | None]] = [[]]
    for _ in range(3 * (len(order) + 6)):
        win.key(Qt.Key.Key_Tab)
        name = focused_label()
        if name == order[0] and rounds[-1]:
            rounds.append([])
        rounds[-1].append(name)
    assert len(rounds) >= 3  # Tab reached the first number again, more than once
    for seen in rounds[:-1]:
        labels = [n for n in seen if n is not None]
        assert labels == list(order)  # each round visits every number once, in order
    win.window.speed_combo.setFocus(Qt.FocusReason.OtherFocusReason)
    for _ in range(20):  # Shift+Tab back into the diagram lands on its last number
        win.key(Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
        if focused_label() is not None:
            break
    assert focused_label() == order[-1]


def test_undo_while_playing_pauses_and_undoes_the_whole_run(win: Win) -> None:
    w = win.window
    w.player.set_speed(len(SPEEDS) - 1)
    win.key(Qt.Key.Key_Space)
    win.qtbot.waitUntil(lambda: win.session.iteration >= 20, timeout=10_000)
    win.key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not w.player.playing
    assert win.session.iteration == 0 and len(win.session.history) == 1
    assert win.session.problem.value("w5") == NOTE_PARAMS["w5"]
    win.qtbot.keySequence(win.diagram, QKeySequence(QKeySequence.StandardKey.Redo))  # the platform's Redo keys
    assert win.session.iteration >= 20


def test_equations_say_when_rounding_by_hand_gives_other_decimals(win: Win) -> None:
    """∂E/∂w2 = δh1·x2 shows 0.005·0.100 = 0.000: the note, rounding as it goes, writes 0.001."""
    from decimal import ROUND_HALF_UP, Decimal

    def by_hand(v: float) -> float:
        return float(Decimal(repr(v)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))

    note = lecture_note_values()
    s = win.session
    # A second, hand-rounded chain (each value rounded before it is used again).
    sig = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    h1 = by_hand(sig(by_hand(0.15 * 0.05 + 0.20 * 0.10 + 0.35)))
    h2 = by_hand(sig(by_hand(0.25 * 0.05 + 0.30 * 0.10 + 0.35)))
    yhat = by_hand(sig(by_hand(0.40 * h1 + 0.45 * h2 + 0.60)))
    delta_o = by_hand(by_hand(yhat - 0.5) * by_hand(yhat * (1 - yhat)))
    delta_h1 = by_hand(by_hand(delta_o * 0.40) * by_hand(h1 * (1 - h1)))
    hand_w2 = by_hand(delta_h1 * 0.10)
    assert fmt(hand_w2) != fmt(note["dE_dw2"])  # the note's 0.001 against full precision's 0.000

    while s.current_step is None or s.current_step.key != "delta_o":  # hand and exact agree here
        win.key(Qt.Key.Key_Right)
    assert fmt(delta_o) == fmt(note["delta_o"]) and "By hand" not in win.window.equations.text()
    while s.current_step is None or s.current_step.key != "dE_dw2":
        win.key(Qt.Key.Key_Right)
    text = win.window.equations.text()
    assert f"this comes out as {fmt(hand_w2)}" in text
    assert f"shown as {fmt(note['dE_dw2'])}" in text


@pytest.mark.parametrize("size", [(900, 600), (1280, 800), (1920, 1080)])
def test_the_diagram_keeps_most_of_the_room_at_any_window_size(qtbot, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import make_window

    w = make_window(qtbot, size=None).window
    w.resize(*size)
    w.fit_docks()
    qtbot.waitUntil(lambda: w.diagram.width() > 0)
    QApplication.processEvents()
    assert w.diagram.width() >= 0.6 * size[0] - 1
    assert w.loss_dock.width() >= 280 - 1 and w.equations_dock.height() >= 120 - 1
    w.close()
