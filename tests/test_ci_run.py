""".ci/run checks the conventions (ruff check, ruff format, mypy) before the README's test
command, and any of them failing fails the run. Every tool is a stand-in that logs its call: no install."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT

STEPS = [
    "ruff check apilint tests scripts benchmarks hatch_build.py",
    "ruff format --check apilint tests scripts benchmarks hatch_build.py",
    "mypy",
    "python -m pytest",
]

#: python3 makes a .venv whose tools log their arguments and fail when FAIL names them.
_PYTHON3 = """#!/usr/bin/env bash
set -eu
mkdir -p .venv/bin
for tool in pip ruff mypy python; do
  cat > ".venv/bin/$tool" <<EOF
#!/usr/bin/env bash
echo "$tool \\$*" >> "$LOG"
case " \\${FAIL:-} " in *" $tool "*) exit 1;; esac
exit 0
EOF
  chmod +x ".venv/bin/$tool"
done
"""


def _run_ci(tmp_path: Path, fail: str = "") -> tuple[int, list[str]]:
    repo, bin_dir, log = tmp_path / "repo", tmp_path / "bin", tmp_path / "calls.log"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "run", repo / ".ci" / "run")
    bin_dir.mkdir()
    for name, text in [("python3", _PYTHON3), ("chromium", "#!/bin/sh\n"), ("npm", "#!/bin/sh\n")]:
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "LOG": str(log),
        "FAIL": fail,
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        ["bash", str(repo / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60
    )
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, [c.rstrip() for c in calls if not c.startswith("pip ")]


def test_conventions_run_before_the_tests(tmp_path: Path) -> None:
    assert _run_ci(tmp_path) == (0, STEPS)


@pytest.mark.parametrize(
    "failing, ran",
    [
        pytest.param("ruff", STEPS[:1], id="ruff"),
        pytest.param("mypy", STEPS[:3], id="mypy"),
        pytest.param("python", STEPS, id="pytest"),
    ],
)
def test_any_failing_step_fails_the_run_and_stops_it(
    tmp_path: Path, failing: str, ran: list[str]
) -> None:
    code, calls = _run_ci(tmp_path, fail=failing)
    assert code != 0
    assert calls == ran
