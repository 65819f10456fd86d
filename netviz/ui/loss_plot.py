"""The live loss plot: E against iteration, with a marker where the lesson is.

Built once: one curve and one marker, updated in place with ``setData``. A million iterations
stay smooth because the curve is fed the min/max envelope of the *visible* range only
(:meth:`~netviz.model.history.LossHistory.envelope`, at most a few points per pixel), and
refreshes are coalesced to at most one per frame by a single-shot timer (idle: no timer runs).
Zero or non-finite values never break it: non-finite points are dropped, and on a log axis
values are clipped to a positive floor.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from netviz.app.session import Session
from netviz.model.display import fmt, fmt_count
from netviz.model.history import Floats
from netviz.ui import palette
from netviz.ui.frame_throttle import FrameThrottle
from netviz.ui.iteration_axis import IterationAxis
from netviz.ui.pyqtgraph_setup import drop_unavailable_exporters, pg

KEPT_PLOT_OPTIONS = ("Alpha", "Grid")
"""What the plot's own Plot Options menu still offers (see LossPlot.__init__)."""
LOG_FLOOR_FALLBACK = 1e-16
"""Floor for a log axis when the visible range holds no positive loss at all."""
MIN_BUCKETS = 200
MIN_X_SPAN = 10
X_LEFT, X_RIGHT = -0.04, 1.03
"""The x range "follow" shows, as fractions of the last iteration (a margin either side); the
user can pan and zoom within it, not beyond."""


class LossPlot(QWidget):
    """E per iteration from ``session.history``; ``log_action`` (checkable) toggles a log y axis."""

    def __init__(self, session: Session, log_action: QAction | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._log_action = log_action
        self._log_y = False
        self._xs: Floats = np.empty(0)
        self._ys: Floats = np.empty(0)

        c = palette.active()
        self.plot_widget = pg.PlotWidget(background=c.plot_background,
                                         axisItems={"bottom": IterationAxis("bottom")})
        self.plot_widget.setAccessibleName("Loss plot")
        self.plot_widget.setAccessibleDescription("The loss E against the iteration number")
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        item = self.plot_widget.getPlotItem()
        item.setLabel("left", "E")
        item.getAxis("left").enableAutoSIPrefix(False)  # E's own numbers (0.02), not "×0.001" and 20
        item.setLabel("bottom", "iteration")
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setClipToView(False)  # we hand it only the visible range already
        item.setDownsampling(auto=False)
        self.curve = item.plot(pen=pg.mkPen(c.plot_line, width=2), antialias=False, name="E")
        self.curve.setDynamicRangeLimit(None)
        self.marker = item.plot(pen=None, symbol="o", symbolSize=11, symbolBrush=c.plot_marker,
                                symbolPen=pg.mkPen(c.plot_background, width=1.5), antialias=True)
        self.marker.setZValue(10)
        self._colours: palette.Colours | None = None
        self.apply_colours()
        self._view = item.getViewBox()
        # The range follows the whole history until the user pans or zooms; pyqtgraph's own
        # auto-range (which scans every point) stays off: ``refresh`` sets the range itself.
        self._follow = True
        self._x_limits: tuple[float, float] | None = None
        self._view.disableAutoRange()
        self._view.sigRangeChangedManually.connect(self._on_manual_range)
        self._view.sigStateChanged.connect(self._on_view_state)
        self._view.sigXRangeChanged.connect(self._on_range_changed)
        self._view.sigResized.connect(self.schedule_refresh)
        # The context menu's own Log Y comes here too, and only here (see set_log_y).
        item.ctrl.logYCheck.toggled.disconnect(item.updateLogMode)
        item.ctrl.logYCheck.toggled.connect(self._on_log_mode)
        self._view.menu.viewAll.triggered.connect(self.follow)  # context menu › View All
        # Plot Options keeps Alpha and Grid. Transforms (log x, FFT, dy/dx...) drew nonsense over
        # an iteration axis, and Log X raised in the axis's tick labels; Downsample, Average and
        # Points would undo the envelope the plot is fed. Log Y stays, as the log button.
        for action in item.ctrlMenu.actions():
            if action.text() not in KEPT_PLOT_OPTIONS:
                item.ctrlMenu.removeAction(action)
        export = self.plot_widget.scene().contextMenu[0]  # "Export...": only formats that work
        export.triggered.disconnect()
        export.triggered.connect(self._show_export_dialog)

        self.refresh_throttle = FrameThrottle(self.refresh, self)
        """Coalesces refresh requests to at most one per frame."""

        self.log_button: QToolButton | None = None
        self.caption = QLabel()
        self.caption.setObjectName("lossCaption")
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        header = QHBoxLayout()
        header.setContentsMargins(6, 2, 6, 0)
        header.addWidget(self.caption, 1)
        if log_action is not None:
            button = QToolButton()
            button.setDefaultAction(log_action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setText("log")
            button.setAccessibleName("Logarithmic loss axis")
            header.addWidget(button)
            self.log_button = button
            log_action.changed.connect(self._keep_log_text)
            log_action.toggled.connect(self.set_log_y)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.plot_widget, 1)

        session.historyChanged.connect(self.schedule_refresh)
        session.problemChanged.connect(self.schedule_refresh)
        self.refresh()

    # ---- reading -----------------------------------------------------------------------------
    @property
    def log_y(self) -> bool:
        return self._log_y

    def data(self) -> tuple[Floats, Floats]:
        """The (iteration, E) points the curve was last given, before any log clipping."""
        return self._xs, self._ys

    @property
    def refresh_pending(self) -> bool:
        return self.refresh_throttle.pending

    # ---- intent ------------------------------------------------------------------------------
    def apply_colours(self) -> None:
        """Background, axes, curve and marker in the active colour set (the theme changed)."""
        c = palette.active()
        if c == self._colours:
            return
        self._colours = c
        self.plot_widget.setBackground(c.plot_background)
        item = self.plot_widget.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setPen(c.plot_axis)
            axis.setTextPen(c.plot_axis)
        self.curve.setPen(pg.mkPen(c.plot_line, width=2))
        self.marker.setSymbolBrush(c.plot_marker)
        self.marker.setSymbolPen(pg.mkPen(c.plot_background, width=1.5))

    def set_log_y(self, on: bool) -> None:
        on = bool(on)
        if on == self._log_y:
            return
        self._log_y = on
        item = self.plot_widget.getPlotItem()
        # pyqtgraph takes log10 of the data its items hold when the mode changes: a loss of 0
        # becomes −inf, then NaN, and NumPy warns. Hand it nothing; refresh() feeds clipped values.
        self.curve.setData([], [])
        self.marker.setData([], [])
        if item.ctrl.logYCheck.isChecked() != on:
            item.ctrl.logYCheck.setChecked(on)  # re-enters through _on_log_mode: a no-op now
        item.updateLogMode()
        if self._log_action is not None and self._log_action.isChecked() != on:
            self._log_action.setChecked(on)
        self.refresh()

    def schedule_refresh(self) -> None:
        """Ask for a refresh; many requests within a frame make one, and a request every frame
        (as while playing) refreshes every frame."""
        self.refresh_throttle.request()

    def refresh(self) -> None:
        """Feed the curve the envelope of what is visible, and move the marker."""
        self.refresh_throttle.done()
        history = self._session.history
        n = len(history)
        buckets = max(MIN_BUCKETS, int(self._view.width()))
        if self._follow or n == 0:
            xs, ys = history.envelope(0, n, buckets)
        else:
            x0, x1 = self._view.viewRange()[0]
            start = max(0, math.floor(x0) - 1)
            stop = min(n, math.ceil(x1) + 2)
            xs, ys = history.envelope(start, stop, buckets) if stop > start else (np.empty(0), np.empty(0))
        keep = np.isfinite(ys)
        if not keep.all():
            xs, ys = xs[keep], ys[keep]
        self._xs, self._ys = xs, ys
        shown = self._clip(ys, ys)
        self.curve.setData(xs, shown, skipFiniteCheck=True)
        marker = self._update_marker(ys)
        self._limit_x(n)
        if self._follow:
            self._fit(n, shown, marker)

    @property
    def following(self) -> bool:
        """True while the plot's range follows the whole history (until the user pans or zooms)."""
        return self._follow

    def follow(self) -> None:
        """Go back to showing the whole history."""
        self._follow = True
        self.refresh()

    # ---- internals ---------------------------------------------------------------------------
    def _clip(self, ys: Floats, reference: Floats) -> Floats:
        """On a log axis, losses of 0 sit at a floor a tenth below the smallest positive loss of
        the whole history (not only of what is shown: at a million iterations the envelope's only
        positive value can be the first loss, and the fall to 1e-33 would be drawn as a flat line)."""
        if not self._log_y or ys.size == 0:
            return ys
        positive = reference[reference > 0]
        smallest = [float(positive.min())] if positive.size else []
        history_min = self._session.history.min_positive()
        if history_min is not None:
            smallest.append(history_min)
        floor = min(smallest) / 10 if smallest else LOG_FLOOR_FALLBACK
        return np.maximum(ys, floor)

    def _update_marker(self, ys: Floats) -> float | None:
        """Place the marker; returns its plotted y (None when the loss is not finite)."""
        session = self._session
        loss = session.trace.loss
        if not math.isfinite(loss):
            self.marker.setVisible(False)
            self.caption.setText(f"iteration {fmt_count(session.iteration)}: E is not a finite number")
            return None
        y = self._clip(np.asarray([loss], dtype=np.float64), ys if ys.size else np.asarray([loss]))
        self.marker.setData([float(session.iteration)], y, skipFiniteCheck=True)
        self.marker.setVisible(True)
        self.caption.setText(f"iteration {fmt_count(session.iteration)}: <b>E = {fmt(loss)}</b>")
        return float(y[0])

    def _x_hi(self, n: int) -> float:
        return float(max(n - 1, self._session.iteration, MIN_X_SPAN))

    def _limit_x(self, n: int) -> None:
        """Panning and zooming stay within what "follow" shows: no empty negative iterations, no
        zooming out to nothing (set only when it changes: every call re-clamps the view)."""
        x_hi = self._x_hi(n)
        limits = (X_LEFT * x_hi, X_RIGHT * x_hi)
        if limits != self._x_limits:
            self._x_limits = limits
            self._view.setLimits(xMin=limits[0], xMax=limits[1])

    def _fit(self, n: int, ys: Floats, marker: float | None) -> None:
        """Show iterations 0 … n−1 (at least 0 … 10) and every loss, starting E at 0 on a linear axis."""
        x_hi = self._x_hi(n)
        values = ys if marker is None else np.append(ys, marker)
        if self._log_y:
            logs = np.log10(values) if values.size else np.zeros(1)
            lo, hi = float(logs.min()), float(logs.max())
            span = max(hi - lo, 1.0)
            y_range = (lo - 0.08 * span, hi + 0.08 * span)
        else:
            top = float(values.max()) if values.size else 1.0
            top = top if top > 0 else 1.0
            y_range = (-0.04 * top, 1.08 * top)
        self._view.setRange(xRange=(X_LEFT * x_hi, X_RIGHT * x_hi), yRange=y_range, padding=0)

    def _show_export_dialog(self) -> None:
        drop_unavailable_exporters()
        scene = self.plot_widget.scene()
        if getattr(scene, "contextMenuItem", None) is None:  # set by a right click; Export exports it
            scene.contextMenuItem = self.plot_widget.getPlotItem()
        scene.showExportDialog()

    def _keep_log_text(self) -> None:
        """The button copies the action's long text whenever the action changes (e.g. its icon, for
        another theme): keep the short one."""
        if self.log_button is not None:
            self.log_button.setText("log")

    def _on_manual_range(self, *_: object) -> None:
        self._follow = False
        self._on_view_state()

    def _on_view_state(self, *_: object) -> None:
        # pyqtgraph's "A" button, "View All" or an axis's "Auto": follow the history again.
        if any(self._view.autoRangeEnabled()):
            self._view.disableAutoRange()
            self._follow = True
            self.schedule_refresh()

    def _on_range_changed(self, *_: object) -> None:
        if not self._follow:
            self.schedule_refresh()  # the user zoomed or panned: show the envelope of the new range

    def _on_log_mode(self, on: bool) -> None:
        if bool(on) != self._log_y:
            self.set_log_y(on)
