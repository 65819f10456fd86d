"""The loss plot: built once, fed the envelope of what is visible, zero and huge histories."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMenu

from netviz.model import Problem
from tests.ui.conftest import Win

MILLION = 1_000_000


def load_history(win: Win, losses: np.ndarray) -> None:
    win.session.load(Problem.lecture_note(), iteration=len(losses) - 1, history=losses, text="test history")
    win.settle()


def wheel(win: Win, steps: int) -> None:
    """Scroll the mouse wheel over the middle of the plot (zooms in for positive steps)."""
    view = win.window.loss_plot.plot_widget.viewport()
    centre = QPointF(view.rect().center())
    event = QWheelEvent(centre, QPointF(view.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, event)


def test_the_curve_and_marker_are_built_once(win: Win) -> None:
    plot = win.window.loss_plot
    curve, marker = plot.curve, plot.marker
    for _ in range(3):
        win.key(Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # one iteration
    win.settle()
    assert plot.curve is curve and plot.marker is marker
    items = plot.plot_widget.getPlotItem().listDataItems()
    assert items == [curve, marker]
    xs, _ = plot.data()
    assert list(xs) == [0.0, 1.0, 2.0, 3.0]
    mx, my = marker.getData()
    assert mx[0] == 3.0 and my[0] == win.session.trace.loss


def test_a_million_points_are_drawn_as_a_bounded_envelope(win: Win) -> None:
    rng = np.random.default_rng(5)
    losses = np.geomspace(0.03, 1e-6, MILLION) * (1 + 0.1 * rng.random(MILLION))
    losses[123_456] = 0.5  # a spike must survive the decimation
    load_history(win, losses)
    plot = win.window.loss_plot
    xs, ys = plot.data()
    assert len(xs) <= 4 * max(200, plot.plot_widget.width()) + 16
    assert ys.max() == 0.5 and ys.min() == losses.min()
    assert plot.following
    x_range = plot.plot_widget.getPlotItem().getViewBox().viewRange()[0]
    assert x_range[0] <= 0 and x_range[1] >= MILLION - 1


def test_zooming_shows_every_point_of_the_visible_range(win: Win) -> None:
    losses = np.geomspace(0.03, 1e-6, MILLION)
    load_history(win, losses)
    plot = win.window.loss_plot
    wheel(win, 3)  # the user zooms: the plot stops following the whole history
    assert not plot.following
    view = plot.plot_widget.getPlotItem().getViewBox()
    view.setXRange(1000, 1300, padding=0)  # fewer points than pixels: raw points

    def covered() -> bool:  # the coalesced refresh has caught up with the visible range
        xs = plot.data()[0]
        x0, x1 = view.viewRange()[0]
        return not plot.refresh_pending and len(xs) > 0 and xs[0] <= x0 and xs[-1] >= x1

    win.qtbot.waitUntil(covered, timeout=3000)
    xs, ys = plot.data()
    assert len(xs) < 310  # only the visible range, not the million
    assert np.array_equal(np.diff(xs), np.ones(len(xs) - 1))
    assert np.array_equal(ys, losses[int(xs[0]) : int(xs[-1]) + 1])
    # "View All" from the plot's own context menu follows the whole history again.
    view.menu.viewAll.trigger()
    assert plot.following and len(plot.data()[0]) > 0 and plot.data()[0][-1] == MILLION - 1


def test_panning_and_zooming_out_stay_within_the_history(win: Win) -> None:
    losses = np.geomspace(0.03, 1e-6, 1000)
    load_history(win, losses)
    plot = win.window.loss_plot
    view = plot.plot_widget.getPlotItem().getViewBox()
    followed = view.viewRange()[0]
    wheel(win, 3)
    assert not plot.following
    view.translateBy(x=-1e6)  # what a drag far to the right does: towards negative iterations
    win.settle()
    x0, x1 = view.viewRange()[0]
    assert x0 == pytest.approx(followed[0]) and 0 < x1 < followed[1]
    assert len(plot.data()[0]) > 0  # a part of the curve is in view, not an empty plot
    view.translateBy(x=1e9)  # and far to the left: past the last iteration
    win.settle()
    assert view.viewRange()[0][1] == pytest.approx(followed[1])
    wheel(win, -40)  # zooming out ends at the whole history
    win.settle()
    assert view.viewRange()[0] == pytest.approx(followed)
    # A longer history moves the limits with it.
    win.session.train(1000)
    win.settle()
    view.translateBy(x=1e9)
    win.settle()
    assert view.viewRange()[0][1] == pytest.approx(1.03 * (len(win.session.history) - 1))


def test_the_plot_context_menu_opens(win: Win) -> None:
    plot = win.window.loss_plot
    view = plot.plot_widget.viewport()
    win.qtbot.mouseClick(view, Qt.MouseButton.RightButton, pos=view.rect().center())
    win.qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu), timeout=3000)
    menu = QApplication.activePopupWidget()
    texts = [a.text() for a in menu.actions()]
    assert "View All" in texts
    menu.close()


def test_the_plots_own_menu_offers_only_what_works_here(win: Win, monkeypatch: pytest.MonkeyPatch) -> None:
    """Transforms (Log X raised in the tick labels; FFT, dy/dx drew nonsense) and the options that
    would undo the envelope are gone; Export offers no format whose library is missing."""
    import importlib.util

    item = win.window.loss_plot.plot_widget.getPlotItem()
    assert [a.text() for a in item.ctrlMenu.actions()] == ["Alpha", "Grid"]
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",  # as in the bundle: no matplotlib
                        lambda name, *a: None if name == "matplotlib" else find_spec(name, *a))
    scene = win.window.loss_plot.plot_widget.scene()
    scene.contextMenu[0].trigger()  # the menu's Export...
    dialog = scene.exportDialog
    assert dialog is not None and dialog.isVisible()
    names = [dialog.ui.formatList.item(i).text() for i in range(dialog.ui.formatList.count())]
    assert "Matplotlib Window" not in names
    assert any(n.startswith("Image File") for n in names) and any(n.startswith("CSV") for n in names)
    dialog.close()


def test_log_y_from_the_plots_own_menu_keeps_the_action_in_step(win: Win) -> None:
    plot = win.window.loss_plot
    plot.plot_widget.getPlotItem().ctrl.logYCheck.setChecked(True)
    assert plot.log_y and win.window.commands.log_y.isChecked()
    win.window.commands.log_y.trigger()
    assert not plot.log_y and not plot.plot_widget.getPlotItem().ctrl.logYCheck.isChecked()


def test_history_with_zeros_on_a_log_axis(win: Win) -> None:
    load_history(win, np.array([0.03, 0.0, 1e-300, 0.0, 0.01]))
    plot = win.window.loss_plot
    win.window.commands.log_y.trigger()
    plot.refresh()
    _, shown = plot.curve.getData()
    assert np.all(np.isfinite(shown))
    assert shown[1] < shown[2]  # a zero sits below the smallest positive loss


@pytest.mark.parametrize(
    ("value", "spacing", "text"),
    [(0.0, 1.0, "0"), (5.0, 1.0, "5"), (12_345.0, 1.0, "12\u202f345"), (99_999.4, 1.0, "99\u202f999"),
     (100_000.0, 1e5, "100k"), (500_000.0, 1e5, "500k"), (1_000_000.0, 1e6, "1M"), (1_500_000.0, 5e5, "1.5M"),
     (12_000_000.0, 1e6, "12M"), (2e9, 1e9, "2B"), (3.5e12, 5e11, "3.5T"), (-500_000.0, 1e5, "\u2212500k")],
)
def test_iteration_ticks_read_as_counts(value: float, spacing: float, text: str) -> None:
    from netviz.ui.iteration_axis import tick_texts

    assert tick_texts([value], spacing) == [text]


@pytest.mark.parametrize(
    ("values", "spacing", "texts"),
    [
        ([0.0, 50_000.0, 100_000.0, 150_000.0], 50_000.0, ["0", "50k", "100k", "150k"]),  # one style per axis
        ([171_000.0, 171_200.0, 171_400.0], 200.0, ["171.0k", "171.2k", "171.4k"]),  # never two alike
        ([12_000.0, 12_500.0, 13_000.0], 500.0, ["12\u202f000", "12\u202f500", "13\u202f000"]),
        ([2e9, 2.25e9, 2.5e9], 2.5e8, ["2.00B", "2.25B", "2.50B"]),
        ([0.0, 1.0, 2.0], 1.0, ["0", "1", "2"]),
    ],
)
def test_tick_labels_on_one_axis_share_a_unit_and_differ(values: list[float], spacing: float,
                                                         texts: list[str]) -> None:
    from netviz.ui.iteration_axis import tick_texts

    assert tick_texts(values, spacing) == texts
    assert len(set(tick_texts([1e6 + 10 * i for i in range(5)], 10.0))) == 5  # deep zoom at a million


def test_the_plot_axes_carry_no_scale_prefix(win: Win) -> None:
    item = win.window.loss_plot.plot_widget.getPlotItem()
    assert item.getAxis("bottom").tickStrings([0.0, 500_000.0, 1_000_000.0, 1_500_000.0], 1.0, 500_000.0) == [
        "0", "0.5M", "1.0M", "1.5M"]
    win.session.train(30)
    win.settle()
    assert item.getAxis("left").labelString().find("x0.001") == -1  # E reads 0.01, not "×0.001" and 10


def test_log_axis_after_the_loss_reaches_zero(win: Win) -> None:
    # The lecture note's loss falls to exactly 0.0 within a thousand iterations; a million later
    # the visible envelope's only positive value is the first loss. The floor for zeros must sit
    # below the smallest positive loss of the whole history, or the fall would be drawn flat.
    history = np.zeros(1_000_001)
    history[:3] = [0.0316, 1e-10, 6e-33]
    win.session.load(win.session.problem, 1_000_000, history)
    win.settle()
    plot = win.window.loss_plot
    plot.set_log_y(True)  # pyqtgraph logs the zeros it holds: no NumPy warning may escape
    win.settle()
    ys = plot.curve.getData()[1]
    assert np.all(np.isfinite(ys))
    assert ys.max() == pytest.approx(np.log10(0.0316)) and ys.min() == pytest.approx(np.log10(6e-34))
    # The plot's own context menu goes the same way, and keeps the toolbar's action in step.
    ctrl = plot.plot_widget.getPlotItem().ctrl
    ctrl.logYCheck.setChecked(False)
    win.settle()
    assert not plot.log_y and plot.curve.getData()[1].min() == 0.0
    ctrl.logYCheck.setChecked(True)
    win.settle()
    assert plot.log_y and win.window.commands.log_y.isChecked()
    assert plot.curve.getData()[1].min() == pytest.approx(np.log10(6e-34))
