"""The Windows and macOS release workflow cannot run here; it is validated against GitHub's schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(path)], capture_output=True, text=True, timeout=120)


def test_release_workflow_is_a_valid_github_workflow() -> None:
    result = _validate(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on:" in text
    broken = tmp_path / "release.yml"
    broken.write_text(text.replace("runs-on:", "run-on:", 1), encoding="utf-8")
    result = _validate(broken)
    assert result.returncode != 0


@pytest.mark.parametrize("platform", ["windows", "macos"])
def test_the_workflow_builds_tests_and_uploads_each_platform(platform: str) -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert f"{platform}-" in text  # a runner of that platform
    assert "--self-test" in text and "upload-artifact" in text
    assert "packaging/netviz.spec" in text
