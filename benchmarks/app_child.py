"""A child process for the start-up and idle benchmarks: netviz as launched, or a bare window.

    python3 app_child.py netviz|bare start   # prints the monotonic time its window was painted, exits
    python3 app_child.py netviz|bare idle    # after painting and settling, prints one JSON line
                                             # (active timers), then just runs the event loop
    python3 app_child.py bare-paused-gc start  # the bare window, garbage collection paused as netviz does

``netviz`` runs the real entry point (``netviz.cli.main([])``, as the ``netviz`` command does);
``bare`` is the comparison: a QMainWindow holding a pyqtgraph PlotWidget, 1280×800, nothing else;
``bare-paused-gc`` is that window with its garbage collection paused while it starts, as netviz's is.
All three detect their first paint the same way (first_paint.py), which imports nothing of Qt
itself: each application imports what it needs in its own order.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import first_paint

if __name__ == "__main__":
    which, mode = sys.argv[1], sys.argv[2]
    first_paint.install(mode)
    if which in ("bare", "bare-paused-gc"):
        sys.exit(first_paint.bare_window(pause_collector=which == "bare-paused-gc"))
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from netviz.cli import main

    sys.exit(main([]))
