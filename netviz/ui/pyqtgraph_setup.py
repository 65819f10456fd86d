"""pyqtgraph, imported through here so that importing it does not keep the importer's frames.

pyqtgraph keeps the ImportError of each optional Qt module it cannot load (``FailedImport``),
to raise it if the module is ever used. The frozen bundle leaves QtTest out, so there is one,
and its traceback holds every frame that was running when pyqtgraph was first imported, with
their locals: in ``netviz --self-test`` that was the window and its session, which then lived
until the interpreter was emptying its modules, after Qt's application was gone (a segfault
after "self-test: OK", about one frozen run in a hundred). The error and its message stay; only the
frames go.
"""

from __future__ import annotations

import pyqtgraph as pg

__all__ = ["drop_import_frames", "drop_unavailable_exporters", "pg"]


def drop_import_frames() -> None:
    """Drop the tracebacks of pyqtgraph's deferred ImportErrors."""
    failed = getattr(pg.Qt, "FailedImport", None)
    if failed is None:
        return
    for value in list(vars(pg.Qt).values()):
        error = getattr(value, "err", None) if isinstance(value, failed) else None
        if isinstance(error, BaseException):
            error.__traceback__ = None


def drop_unavailable_exporters() -> None:
    """Take out of the plot's Export dialog the formats whose library is missing. "Matplotlib
    Window" needs matplotlib, which netviz does not ship: chosen, it raised ModuleNotFoundError
    and the dialog just stayed open. Imports pyqtgraph's exporters (5-8 ms), so it is called when
    the dialog is first asked for, not at start-up."""
    import importlib.util

    from pyqtgraph.exporters import Exporter

    if importlib.util.find_spec("matplotlib") is None:
        Exporter.Exporters[:] = [e for e in Exporter.Exporters if e.__name__ != "MatplotlibExporter"]


drop_import_frames()
