"""The model is plain Python: nothing under netviz/model may import Qt or pyqtgraph."""

from __future__ import annotations

import ast
from pathlib import Path

import netviz.model

FORBIDDEN = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6", "netviz.app", "netviz.ui")


def test_model_sources_import_no_qt() -> None:
    root = Path(netviz.model.__file__).parent
    files = sorted(root.rglob("*.py"))
    assert len(files) >= 8
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
