"""Files: the ``.netviz.json`` document format (Qt-free, shared by the window and the command line).

:mod:`netviz.io.document` loads on first use of one of its names from here: the window reads no
file before its first paint, so it does not pay for the format's code at start-up (benchmarks/RESULTS.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

SUFFIX = ".netviz.json"
"""The file name ending the window offers and the autosave uses."""

if TYPE_CHECKING:
    from netviz.io.document import (
        FORMAT_VERSION,
        MAX_FILE_BYTES,
        Document,
        DocumentError,
        document_from_state,
        load_document,
        load_problem,
        save_document,
    )

__all__ = [
    "FORMAT_VERSION", "MAX_FILE_BYTES", "SUFFIX", "Document", "DocumentError", "document_from_state",
    "load_document", "load_problem", "save_document",
]


def __getattr__(name: str) -> object:
    if name in __all__:
        from netviz.io import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
