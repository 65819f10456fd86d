"""netviz's frozen entry for the bundle benchmark: what packaging/netviz_entry.py does, plus
first-paint reporting when NETVIZ_BENCH_FIRST_PAINT=1 (see first_paint.py)."""

import os
import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--frozen-check"]:
        from frozen_check import main as frozen_check

        raise SystemExit(frozen_check(sys.argv[2:]))
    if os.environ.get("NETVIZ_BENCH_FIRST_PAINT"):
        import first_paint

        first_paint.install("start")
    from netviz.cli import main

    raise SystemExit(main())
