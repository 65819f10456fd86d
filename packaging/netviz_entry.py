"""The frozen application's entry point: the same ``netviz`` command as a source install.

``netviz --frozen-check`` is handled here, before the command line is parsed: it exists only
in the frozen bundle and checks what freezing can break (see frozen_check.py).
"""

import sys

if __name__ == "__main__":
    if sys.argv[1:2] == ["--frozen-check"]:
        from frozen_check import main as frozen_check

        raise SystemExit(frozen_check(sys.argv[2:]))

    from netviz.cli import main

    raise SystemExit(main())
