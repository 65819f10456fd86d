"""Starting the window, rendering it to a PNG, and the built-in self-test.

Called by :mod:`netviz.cli`: ``run_window`` (``netviz [FILE]``), ``screenshot``
(``netviz screenshot OUT.png``) and ``self_test`` (``netviz --self-test``); ``gui_main`` is the
``netviz-gui`` entry point. Resources load through :mod:`importlib.resources` only, so all of
this works from any working directory and in a frozen bundle.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import re
import signal
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from netviz.model.display import printable

if TYPE_CHECKING:  # Qt is imported lazily: `netviz --help` and the no-display message stay fast
    from PySide6.QtCore import QMessageLogContext, QtMsgType
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication, QWidget

    from netviz.model.network import Problem
    from netviz.ui.file_controller import FileController
    from netviz.ui.main_window import MainWindow

EXIT_USAGE = 2
EXIT_WRITE_FAILED = 1
"""Output that could not be written (the README: a full disk is one line and status 1)."""
NO_DISPLAY = ("netviz: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set); "
              "use the headless commands instead: `netviz walkthrough`, `netviz train --steps N`, "
              "or `netviz screenshot OUT.png` to render the window to a file "
              "(on a machine without a screen, `xvfb-run netviz` opens it on a virtual one).")
MAX_SIDE = 8192
MIN_SIDE = 320
SELF_TEST_ITERATIONS = 50


def no_display() -> bool:
    """True on Linux when no display is set and no Qt platform was chosen: Qt would abort."""
    env = os.environ
    return (sys.platform.startswith("linux") and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
            and not env.get("QT_QPA_PLATFORM"))


DISPLAY_OF_PLATFORM = (("xcb", "DISPLAY"), ("wayland", "WAYLAND_DISPLAY"))
"""Qt platforms that need a display, and the variable that names it."""


def unreachable_platform() -> str | None:
    """A one-line message when QT_QPA_PLATFORM names only platforms whose display is not set.

    Qt itself would abort: ``QT_QPA_PLATFORM=xcb netviz`` with no DISPLAY printed several lines
    (suggesting that libxcb-cursor0 was missing) and ended with status 134. A list of platforms
    to try in turn (``wayland;xcb``) is fine as long as one of them can start.
    """
    value = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or not value.strip():
        return None
    missing: list[str] = []
    for part in value.split(";"):
        name = part.split(":")[0].strip().lower()
        if not name:
            continue
        variable = next((var for prefix, var in DISPLAY_OF_PLATFORM if name.startswith(prefix)), None)
        if variable is None or os.environ.get(variable):
            return None  # a platform that needs no display (offscreen, minimal, …), or has one
        missing.append(variable)
    if not missing:
        return None
    unset = " and ".join(dict.fromkeys(missing))
    return (f"netviz: QT_QPA_PLATFORM={printable(value)} needs a display, but {unset} "
            f"{'is' if len(set(missing)) == 1 else 'are'} not set; run it on a screen, under "
            "`xvfb-run netviz`, or with QT_QPA_PLATFORM=offscreen for `netviz screenshot` and "
            "`netviz --self-test`")


def _refused(message: str | None) -> bool:
    """Print why the window cannot open (``message``), if there is a reason; True if there was."""
    if message:
        print(message, file=sys.stderr)
    return bool(message)


def _use_offscreen() -> None:
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


QUIET_MESSAGES = ("This plugin does not support",)
"""Qt's offscreen platform chatter, which says nothing to a user (other messages pass through)."""


def _message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if not message.startswith(QUIET_MESSAGES):
        print(message, file=sys.stderr)


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""netviz does no matrix algebra (NumPy holds the loss history and its envelope): one BLAS
thread, unless the user says otherwise. OpenBLAS otherwise starts a thread per core at import,
which on two cores took the second core from the window while it was being built."""


def _import_before_qt() -> None:
    """Import NumPy (which the window needs anyway) before any of Qt, with one BLAS thread.

    Once loaded, PySide6 reads the source of every module imported after it, to see whether it
    asks for ``from __feature__ import ...``: for NumPy's 70 modules that took about 12 ms of
    each start. Imported first, NumPy's own imports are over before PySide6 is there to watch.
    """
    if "numpy" not in sys.modules:  # the thread count is read once, as NumPy loads
        for name in BLAS_THREADS:
            os.environ.setdefault(name, "1")
    import numpy  # noqa: F401


def _application() -> QApplication:
    """The QApplication, created once, named, styled and with its icon."""
    _import_before_qt()
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from netviz import __version__
    from netviz.ui.style import apply_style

    if QApplication.instance() is None:
        QApplication.setOrganizationName("netviz")
        QApplication.setApplicationName("netviz")
        QApplication.setApplicationVersion(__version__)
        QApplication.setDesktopFileName("netviz")
        qInstallMessageHandler(_message_handler)
        os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")  # paints 3x faster on 2 cores: benchmarks/RESULTS.md
        created = QApplication([sys.argv[0] if sys.argv else "netviz"])
        if created.style().name().lower() != "fusion":  # already Fusion on bare X11 and offscreen
            created.setStyle("Fusion")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("netviz needs a QApplication, but a non-widget Qt application is already running")
    apply_style(app)
    return app


def tear_down(app: QApplication, window: QWidget) -> None:
    """Destroy ``window`` now, while the application and the interpreter are whole.

    The window's signal lambdas hold it in a cycle through Qt that Python's collector cannot
    see, so left alone it is freed only as the interpreter shuts down: after PySide has
    destroyed the QApplication, while modules are being emptied, in no fixed order. That
    crashed a frozen ``--self-test`` about one run in a hundred, after it had printed OK (see also
    :mod:`netviz.ui.pyqtgraph_setup`).
    """
    from PySide6.QtCore import QEvent
    from shiboken6 import isValid

    if isValid(window):
        if window.isVisible():
            window.close()
        window.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.unfreeze()  # what run_window set aside at start (_resume_collector) can be collected now
    gc.collect()


def _settle(app: QApplication, window: MainWindow) -> None:
    """Let layouts, animations (at scale 0) and the plot's coalesced refresh all finish."""
    for _ in range(4):
        app.processEvents()
        window.loss_plot.refresh()
    app.processEvents()


# ---- netviz [FILE] --------------------------------------------------------------------------
def run_window(file: str | None) -> int:
    """Open the main window (and ``file``, if given); returns the exit status."""
    if _refused(NO_DISPLAY if no_display() else unreachable_platform()):
        return EXIT_USAGE
    gc.disable()  # until the window is shown: see _resume_collector
    try:
        app = _application()
        from netviz.ui.main_window import MainWindow

        window = MainWindow()
        files = _file_controller(window)
        if file:
            if files is not None:
                _open_from_command_line(files, file)
            else:
                _open_file(window, file)
        window.show()
    finally:
        _resume_collector()
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl+C in the terminal ends the app
    status = int(app.exec())
    tear_down(app, window)
    return status


def _resume_collector() -> None:
    """Turn Python's cyclic garbage collector back on, with what start-up made set aside.

    Starting the window makes some 72,000 objects the collector tracks (functions, classes,
    dictionaries of modules, Qt wrappers), nearly all of which live as long as the app. With the
    collector on, it ran some 140 times while they were being made, about 30 ms of a 0.45 s
    start (benchmarks/RESULTS.md). So ``run_window`` turns it off until the window is shown; then
    ``gc.freeze()`` moves everything made so far to the permanent generation, which later
    collections (during Play too) do not walk. A collection at that point finds about 400
    unreachable objects: that is all that freezing keeps.
    """
    gc.freeze()
    gc.enable()


def _file_controller(window: MainWindow) -> FileController | None:
    """File › Open/Save/Recent, autosave and Preferences, when that part of netviz is present."""
    try:
        from netviz.ui.file_controller import FileController
    except ImportError:
        return None
    files = FileController(window)
    window.files = files  # type: ignore[attr-defined]
    return files


LECTURE_NOTE_SHOWN = "the window shows the lecture note's network"


def _open_from_command_line(files: FileController, file: str) -> None:
    """Open ``netviz FILE``'s file; a bad one shows why in the window (which keeps the lecture
    note's network) and in the terminal it was started from."""
    if not files.open_path(file, kept=LECTURE_NOTE_SHOWN) and files.open_error is not None:
        print(f"netviz: could not open {files.open_error}; {LECTURE_NOTE_SHOWN}", file=sys.stderr)


def _open_file(window: MainWindow, file: str) -> None:
    try:
        from netviz.io.document import load_document
    except ImportError:
        print(f"netviz: opening files is not available yet; {file} was not opened", file=sys.stderr)
        return
    try:
        document = load_document(file)
    except (OSError, ValueError) as e:
        print(f"netviz: could not open {printable(file)}: {e}", file=sys.stderr)
        window.statusBar().showMessage(f"Could not open {printable(file)}: {e}", 10_000)
        return
    window.session.load(document.problem, document.iteration, list(document.history), text=f"Open {Path(file).name}")


# ---- netviz screenshot ----------------------------------------------------------------------
def parse_size(text: str) -> tuple[int, int]:
    """``"1280x800"`` → (1280, 800); raises ValueError with a one-line message."""
    m = re.fullmatch(r"\s*(\d{1,9})\s*[x×X]\s*(\d{1,9})\s*", text or "")
    if not m:
        raise ValueError(f"--size must look like 1280x800 (width x height in pixels), not {text!r}")
    w, h = int(m.group(1)), int(m.group(2))
    if not (MIN_SIDE <= w <= MAX_SIDE and MIN_SIDE <= h <= MAX_SIDE):
        raise ValueError(f"--size: width and height must be from {MIN_SIDE} to {MAX_SIDE} pixels, not {w}x{h}")
    return w, h


def _check_writable(text: str) -> Path:
    """The screenshot's path, or ValueError naming what is wrong with it (before any work is done)."""
    if not text.strip():
        raise ValueError("OUT.png: the file name is empty")
    out = Path(text)
    if out.suffix.lower() != ".png":
        raise ValueError(f"{out}: a screenshot is a PNG; give a name ending in .png")
    parent = out.parent if str(out.parent) else Path(".")
    if out.exists() and not out.is_file() and not out.is_dir():
        raise ValueError(f"cannot write {out}: not a regular file")
    if out.is_dir():
        raise ValueError(f"{out} is a folder, not a file name")
    if not parent.is_dir():
        from netviz.io.atomic import folder_problem

        raise ValueError(f"cannot write {out}: {folder_problem(parent)}")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ValueError(f"cannot write {out}: permission denied")
    return out


def screenshot(args: argparse.Namespace, problem: Problem) -> int:
    """Render the window offscreen to a PNG: after ``--iterations`` and/or at the end of ``--phase``,
    in ``--theme`` (light or dark; "system" is not offered: a screenshot should not depend on the desktop)."""
    try:
        width, height = parse_size(args.size)
        out = _check_writable(args.out)
    except ValueError as e:
        print(f"netviz: error: {printable(str(e))}", file=sys.stderr)
        return EXIT_USAGE
    _use_offscreen()
    if _refused(unreachable_platform()):
        return EXIT_USAGE
    app = _application()
    from netviz.app.session import Session
    from netviz.ui.main_window import MainWindow
    from netviz.ui.style import apply_theme

    apply_theme(app, getattr(args, "theme", None) or "light")

    session = Session(problem)
    if getattr(args, "state", None):  # the file's iteration and loss history too, as Open shows them
        from netviz.io.document import load_document

        doc = load_document(args.state)  # already read once without error to make ``problem``
        session.load(problem, doc.iteration, doc.history_by_iteration(), text="Screenshot")
    window = MainWindow(session, remember_geometry=False)
    window.diagram.set_animation_scale(0)
    window.resize(width, height)
    window.fit_docks()
    window.show()
    _settle(app, window)
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if width < least.width() or height < least.height():  # Qt would have made it larger, unasked
        tear_down(app, window)
        print(f"netviz: error: --size: the window cannot be smaller than {least.width()}x{least.height()} "
              f"pixels, not {width}x{height}", file=sys.stderr)
        return EXIT_USAGE
    if args.iterations:
        session.train(args.iterations)
    if args.phase:
        if session.cursor:  # after training the whole picture shows: start the iteration over
            session.load(session.problem, session.iteration, session.history.values.copy(), text="Screenshot")
        for _ in range(("forward", "backward", "update").index(args.phase) + 1):
            session.next_phase()
    _settle(app, window)
    image = window.grab().toImage()
    shown = f"iteration {session.iteration}, E = {session.trace.loss:.6g}"
    tear_down(app, window)
    from netviz.io.atomic import write_atomic

    try:
        write_atomic(out, _png_bytes(image))
    except (OSError, ValueError) as e:
        reason = printable(str(getattr(e, "strerror", None) or e))
        print(f"netviz: error: could not write {printable(str(out))}: {reason}", file=sys.stderr)
        return EXIT_WRITE_FAILED  # the path looked writable: not a usage error, as for a full disk
    print(f"netviz: wrote {printable(str(out))} ({image.width()}x{image.height()} pixels, {shown})")
    return 0


def _png_bytes(image: QImage) -> bytes:
    """The image encoded as PNG in memory, so the file is written in one atomic step."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if image.isNull() or not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise ValueError("the window could not be rendered")
    buffer.close()
    return bytes(data.data())


# ---- netviz --self-test ---------------------------------------------------------------------
class SelfTestError(Exception):
    """A check failed: the message says which and by how much."""


def lecture_note_closed_form() -> dict[str, float]:
    """The lecture note's example computed directly (not through netviz.model): the reference."""
    x1, x2, t, eta = 0.05, 0.10, 0.50, 0.5
    w1, w2, w3, w4, w5, w6, b1, b2, b3 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.35, 0.35, 0.60

    def sig(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-z))

    def forward(w1: float, w2: float, w3: float, w4: float, w5: float, w6: float,
                b1: float, b2: float, b3: float) -> tuple[float, float, float, float, float, float, float]:
        zh1 = w1 * x1 + w2 * x2 + b1
        zh2 = w3 * x1 + w4 * x2 + b2
        h1, h2 = sig(zh1), sig(zh2)
        zo = w5 * h1 + w6 * h2 + b3
        y = sig(zo)
        return zh1, h1, zh2, h2, zo, y, 0.5 * (y - t) ** 2

    zh1, h1, zh2, h2, zo, y, e = forward(w1, w2, w3, w4, w5, w6, b1, b2, b3)
    d_o = (y - t) * y * (1 - y)
    d_h1 = d_o * w5 * h1 * (1 - h1)
    d_h2 = d_o * w6 * h2 * (1 - h2)
    grads = {"w1": d_h1 * x1, "w2": d_h1 * x2, "b1": d_h1, "w3": d_h2 * x1, "w4": d_h2 * x2, "b2": d_h2,
             "w5": d_o * h1, "w6": d_o * h2, "b3": d_o}
    old = {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "b1": b1, "b2": b2, "b3": b3}
    new = {k: v - eta * grads[k] for k, v in old.items()}
    e_after = forward(*(new[k] for k in ("w1", "w2", "w3", "w4", "w5", "w6", "b1", "b2", "b3")))[-1]
    ref = {"z_h1": zh1, "h1": h1, "z_h2": zh2, "h2": h2, "z_o": zo, "y_hat": y, "E": e, "delta_o": d_o,
           "delta_h1": d_h1, "delta_h2": d_h2, "E_after": e_after}
    ref.update({f"dE_d{k}": v for k, v in grads.items()})
    ref.update({f"{k}_new": v for k, v in new.items()})
    return ref


# The three-decimal numbers the lecture note prints (sections 2, 4, 6 and 7).
NOTE_PRINTED = {"z_h1": "0.378", "h1": "0.593", "z_h2": "0.393", "h2": "0.597", "z_o": "1.106",
                "y_hat": "0.751", "E": "0.032", "delta_o": "0.047", "dE_dw5": "0.028", "w5_new": "0.386",
                "b3_new": "0.577", "E_after": "0.030"}


def _close(a: float, b: float, what: str) -> None:
    if not math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15):
        raise SelfTestError(f"{what} is {a!r}, the lecture note's closed form gives {b!r}")


def _not_blank(image: QImage) -> int:
    """Number of distinct colours on a coarse grid; raises if the frame looks blank."""
    if image.isNull() or image.width() < 100 or image.height() < 100:
        raise SelfTestError(f"the rendered frame is empty ({image.width()}x{image.height()})")
    colours = set()
    for y in range(0, image.height(), max(1, image.height() // 60)):
        for x in range(0, image.width(), max(1, image.width() // 80)):
            colours.add(image.pixel(x, y))
    if len(colours) < 8:
        raise SelfTestError(f"the rendered frame looks blank ({len(colours)} distinct colours)")
    return len(colours)


def _run_self_test() -> str:
    if no_display():
        _use_offscreen()
    app = _application()
    from PySide6.QtCore import qVersion

    from netviz.ui.main_window import MainWindow

    window = MainWindow(remember_geometry=False)
    try:
        return f"Qt {qVersion()} on {app.platformName()}; {_check_window(app, window)}"
    finally:
        tear_down(app, window)


def _check_window(app: QApplication, window: MainWindow) -> str:
    """The self-test's checks on the real window; returns what it saw, raises on the first miss."""
    from netviz.model.display import fmt

    window.diagram.set_animation_scale(0)
    window.show()
    _settle(app, window)
    session = window.session
    ref = lecture_note_closed_form()
    for key, value in ref.items():
        if key != "E_after":
            _close(session.trace.values[key], value, key)
    for key, printed in NOTE_PRINTED.items():
        shown = fmt(session.trace.loss_after if key == "E_after" else session.trace.values[key])
        if shown != printed:
            raise SelfTestError(f"{key} displays as {shown}, the lecture note prints {printed}")
    # Iteration 1 through the window's own Step command, micro-step by micro-step.
    for _ in range(session.total_steps + 1):
        window.commands.step.trigger()
    app.processEvents()
    if session.iteration != 1 or len(session.history) != 2:
        raise SelfTestError(f"stepping through one iteration ended at iteration {session.iteration}")
    _close(session.history.values[1], ref["E_after"], "the loss after the first update")
    # A few more iterations through the session.
    for _ in range(3):
        session.finish_iteration()
    session.train(SELF_TEST_ITERATIONS - session.iteration)
    _settle(app, window)
    first, last = float(session.history.values[0]), float(session.history.values[-1])
    if not last < first:
        raise SelfTestError(f"the loss did not fall: {first!r} → {last!r}")
    if len(window.loss_plot.data()[0]) != len(session.history):
        raise SelfTestError("the loss plot does not show every iteration")
    menu = window.loss_plot.plot_widget.getPlotItem().getViewBox().menu
    if menu is None or not menu.actions():
        raise SelfTestError("the loss plot's context menu is missing")
    image = window.grab().toImage()
    colours = _not_blank(image)
    window.close()
    app.processEvents()
    if window.player.playing:
        raise SelfTestError("the player still runs after closing the window")
    return (f"E {first:.6f} → {last:.6f} after {session.iteration} iterations; "
            f"frame {image.width()}x{image.height()} with {colours} colours")


def self_test() -> int:
    """Build the real window, train, check against the lecture note, render; one result line."""
    if _refused(unreachable_platform()):  # (with no platform chosen and no display, it runs offscreen)
        return EXIT_USAGE
    try:
        detail = _run_self_test()
    except SelfTestError as e:
        print(f"netviz self-test: FAILED: {e}")
        return 1
    except Exception as e:  # anything else is a failure too, reported in one line
        where = traceback.extract_tb(e.__traceback__)[-1]
        print(f"netviz self-test: FAILED: {type(e).__name__}: {e} ({Path(where.filename).name}:{where.lineno})")
        return 1
    print(f"netviz self-test: OK ({detail})")
    return 0


def gui_main() -> int:
    """The ``netviz-gui`` entry point (no console on Windows): the same as ``netviz``."""
    from netviz.cli import main

    return main(sys.argv[1:])
