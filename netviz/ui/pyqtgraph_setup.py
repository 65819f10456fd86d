"""pyqtgraph, imported through here so that importing it does not keep the importer's frames.

pyqtgraph keeps the ImportError of each optional Qt module it cannot load (``FailedImport``),
to raise it if the module is ever used. The frozen bundle leaves QtTest out, so there is one,
and its traceback holds every frame that was running when pyqtgraph was first imported, with
their locals: in ``netviz --self-test`` that was the window and its session, which then lived
until the interpreter was emptying its modules, after Qt's application was gone (a segfault
after "self-test: OK", about one frozen run in forty). The error and its message stay; only the
frames go.
"""

from __future__ import annotations

import pyqtgraph as pg

__all__ = ["drop_import_frames", "drop_unavailable_exporters", "pg"]


def drop_import_frames() -> int:
    """Drop the tracebacks of pyqtgraph's deferred ImportErrors; returns how many it dropped."""
    failed = getattr(pg.Qt, "FailedImport", None)
    dropped = 0
    for value in list(vars(pg.Qt).values()):
        error = getattr(value, "err", None) if failed is not None and isinstance(value, failed) else None
        if isinstance(error, BaseException) and error.__traceback__ is not None:
            error.__traceback__ = None
            dropped += 1
    return dropped


def drop_unavailable_exporters() -> list[str]:
    """Take out of the plot's Export dialog the formats whose library is missing, and return the
    names of those left. "Matplotlib Window" needs matplotlib, which netviz does not ship: chosen,
    it raised ModuleNotFoundError and the dialog just stayed open. Imports pyqtgraph's exporters
    (5-8 ms), so it is called when the dialog is first asked for, not at start-up."""
    import importlib.util

    from pyqtgraph.exporters import Exporter

    if importlib.util.find_spec("matplotlib") is None:
        Exporter.Exporters[:] = [e for e in Exporter.Exporters if e.__name__ != "MatplotlibExporter"]
    return [e.Name for e in Exporter.Exporters]


drop_import_frames()
