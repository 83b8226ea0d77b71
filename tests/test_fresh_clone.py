"""Someone who clones only this repository can run the README's test command: the tests that
read ../shared skip with their reason, and under CI=true that absence fails instead."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SHARED_MISSING

pytestmark = pytest.mark.slow

#: The test files that read ../shared, plus one that does not (it must still pass).
SHARED_READERS = [
    "tests/test_validate.py",
    "tests/test_perfcorpus.py",
    "tests/test_corpus.py",
    "tests/test_model.py",
    "tests/test_templates.py",
]


def _tracked_copy(target: Path) -> Path:
    """The repository's tracked files, as a fresh clone has them, with no ../shared beside."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    repo = target / "repo"
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    assert not (target / "shared").exists()
    return repo


def _pytest(repo: Path, ci: bool) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["PYTHONPATH"] = str(repo)
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-rs", "-p", "no:cacheprovider", *SHARED_READERS],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_clone_without_shared_skips_with_the_reason_and_fails_under_ci(tmp_path: Path) -> None:
    repo = _tracked_copy(tmp_path)
    local = _pytest(repo, ci=False)
    assert local.returncode == 0, local.stdout[-3000:] + local.stderr[-3000:]
    summary = next(line for line in local.stdout.splitlines() if re.search(r"\d+ passed", line))
    assert " passed" in summary and " skipped" in summary and "failed" not in summary, summary
    reason = SHARED_MISSING.split("is absent): ")[1]
    assert f"{tmp_path / 'shared'} is absent): {reason}" in local.stdout, local.stdout[-3000:]
    in_ci = _pytest(repo, ci=True)
    assert in_ci.returncode == 1, in_ci.stdout[-3000:]
    assert "under CI=true that is a failure" in in_ci.stdout
