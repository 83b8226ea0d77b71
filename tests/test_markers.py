"""The inner loop (`pytest -m "not slow"`, CONTRIBUTING.md) leaves out every test marked with one
of the heavy markers: tests/conftest.py makes each of them imply `slow`."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import ROOT


def _collected(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-o",
            "addopts=",
            "-p",
            "no:cacheprovider",
            *args,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {line for line in done.stdout.splitlines() if "::" in line}


def test_heavy_markers_are_slow() -> None:
    files = ("tests/test_wheel.py", "tests/test_fuzz.py", "tests/test_precommit.py")
    # Marked wheel (2), fuzz (1) and precommit (3); none of them says `slow` itself.
    assert _collected("-m", "slow", *files) == {
        "tests/test_wheel.py::test_wheel_installs_and_lints_from_another_directory",
        "tests/test_wheel.py::test_sdist_builds_a_wheel_that_carries_the_rules",
        "tests/test_fuzz.py::test_fixed_seed_run_finds_no_failure",
        "tests/test_precommit.py::test_try_repo_fails_naming_only_the_bad_definition",
        "tests/test_precommit.py::test_hook_skips_files_that_do_not_parse_and_hold_no_api",
        "tests/test_precommit.py::test_fix_hook_fixes_the_file_and_fails_the_commit_for_review",
    }
    fast = _collected("-m", "not slow", *files)
    assert fast and not any(
        "wheel.py" in t or "fixed_seed" in t or "precommit.py::test_" in t for t in fast
    )
