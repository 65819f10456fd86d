"""What a frame of play costs the views: each repaints what changed, once, every frame."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from netviz.model.display import fmt
from netviz.ui import equations_view
from netviz.ui.frame_throttle import FRAME_MS
from netviz.ui.values_table import VALUE
from tests.ui.conftest import Win


def test_the_table_repaints_only_the_values_whose_decimals_changed(win: Win) -> None:
    model = win.window.values_table.values_model
    session = win.session
    session.train(1)
    ranges: list[tuple[int, int, int, int]] = []

    def on_changed(top: QModelIndex, bottom: QModelIndex) -> None:
        ranges.append((top.row(), bottom.row(), top.column(), bottom.column()))

    model.dataChanged.connect(on_changed)
    before = [model.index(r, VALUE).data() for r in range(model.rowCount())]
    session.train(1)
    after = [model.index(r, VALUE).data() for r in range(model.rowCount())]
    # Every cell shows the new trace, at three decimals...
    assert after == [fmt(s.value) for s in session.trace.steps]
    changed = [r for r, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed and len(changed) < len(after)  # one SGD step moves some values, not all
    # ...and what was announced is the value column from the first to the last changed row.
    assert ranges == [(changed[0], changed[-1], VALUE, VALUE)]


def test_the_equations_are_written_once_per_change(win: Win, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    real = equations_view.step_html

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(equations_view, "step_html", counting)
    win.session.train(3)  # the session says problemChanged and cursorChanged: one render
    assert len(calls) == 1
    text = win.window.equations.text()
    last = win.session.trace.steps[-1]
    assert fmt(last.value) in text
    win.session.step()  # a new iteration starts: the cursor moves, the text follows
    assert len(calls) == 2


def test_the_plot_refreshes_at_once_when_a_frame_has_passed(win: Win) -> None:
    # Playing asks for a refresh every frame; waiting a whole frame from each request (as the
    # plot once did) made it skip every other frame. The wait is what is left of the frame.
    plot = win.window.loss_plot
    throttle = plot.refresh_throttle
    plot.refresh()
    win.session.train(1)  # asked within the frame of the last refresh: waits for the rest of it
    assert plot.refresh_pending and 0 <= throttle.wait_ms <= FRAME_MS
    win.settle()
    win.qtbot.wait(FRAME_MS + 10)
    win.session.train(1)  # a whole frame has passed since the last refresh: no wait
    assert plot.refresh_pending and throttle.wait_ms == 0
    win.settle()
    assert len(plot.curve.xData) == 3
