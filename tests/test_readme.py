"""The README's set-up commands and .ci/run must not drift apart."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _commands(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", text, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_cmds = [c for c in _commands(readme) if "pytest" in c and "apt-get" in c]
    assert len(test_cmds) == 1, "the README has one install-and-test command"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmds[0].strip() in ci.splitlines()


def test_readme_start_command_installs_the_same_system_packages() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cmds = [c for c in _commands(readme) if "apt-get" in c]
    start = [c for c in cmds if c.rstrip().endswith("netviz")]
    test = [c for c in cmds if "pytest" in c]
    assert start and test

    def packages(cmd: str) -> list[str]:
        return cmd.split("apt-get install -y ", 1)[1].split(" && ", 1)[0].split()

    # The test command installs what the app needs, plus the packaging tests' build tools.
    assert packages(test[0])[: len(packages(start[0]))] == packages(start[0])
    assert set(packages(test[0])) - set(packages(start[0])) == {"dpkg-dev", "debootstrap", "desktop-file-utils",
                                                               "appstream"}
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "xvfb", "xdotool"} <= set(packages(test[0]))
