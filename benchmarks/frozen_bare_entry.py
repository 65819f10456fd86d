"""The bare PySide6 + pyqtgraph window, frozen with netviz's spec options (bundle.py)."""

import os
import sys

if __name__ == "__main__":
    if os.environ.get("NETVIZ_BENCH_FIRST_PAINT"):
        import first_paint

        first_paint.install("start")
        sys.exit(first_paint.bare_window())
    from first_paint import bare_window

    sys.exit(bare_window())
