"""One version string: netviz/__init__.py's __version__, and everything that repeats it agrees.

The installers, --version and the About box read __version__ directly; these files have to name
it in their own format, so they are checked here (fast, no build).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import netviz

ROOT = Path(__file__).resolve().parents[2]
VERSION = netviz.__version__


def test_version_is_semantic() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", VERSION)


def test_the_package_metadata_reads_it() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject
    assert 'version = { attr = "netviz.__version__" }' in pyproject


def test_the_command_line_reports_it() -> None:
    out = subprocess.run([sys.executable, "-m", "netviz", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"netviz {VERSION}"


def test_changelog_and_metainfo_have_an_entry_for_it() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    released = re.findall(r"^## \[(\d[^\]]*)\]", changelog, re.M)
    assert released and released[0] == VERSION, f"newest CHANGELOG section is {released[:1]}, not {VERSION}"
    metainfo = (ROOT / "resources" / "io.github.netviz.metainfo.xml").read_text(encoding="utf-8")
    releases = re.findall(r'<release version="([^"]+)"', metainfo)
    assert releases and releases[0] == VERSION, f"newest metainfo <release> is {releases[:1]}, not {VERSION}"


def test_readme_install_commands_name_this_version() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"netviz[-_](\d+\.\d+\.\d+)", install))
    assert named == {VERSION}, f"the README's Install section names {sorted(named)}, the package is {VERSION}"
