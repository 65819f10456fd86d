"""Files: the ``.netviz.json`` document format (Qt-free, shared by the window and the command line)."""

from netviz.io.document import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    SUFFIX,
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
