"""`apilint new-rule` (apilint/commands/scaffold.py), driven as CONTRIBUTING.md's "Adding a rule"
says: scaffold, regenerate the docs, run the rule's fixture and example tests. Everything runs in
a copy of the repository, so the checkout is never written to."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers import ROOT, run

from apilint.catalog.registry import load_rules

#: The test files CONTRIBUTING.md's step 2 runs, and what they import.
TEST_FILES = ("conftest.py", "helpers.py", "test_rule_fixtures.py", "test_examples.py")


def _free_codes(count: int) -> list[str]:
    taken = {r.code for r in load_rules()}
    return [c for c in (f"AGW{n}" for n in range(999, 100, -1)) if c not in taken][:count]


def _copy_repository(tmp_path: Path) -> Path:
    """The parts of the repository that the scaffold writes to and step 2 reads."""
    root = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", "_rules")
    shutil.copytree(ROOT / "apilint", root / "apilint", ignore=ignore)
    shutil.copytree(ROOT / "rules", root / "rules")
    (root / "fixtures" / "rules").mkdir(parents=True)
    (root / "tests").mkdir()
    for name in TEST_FILES:
        shutil.copy(ROOT / "tests" / name, root / "tests" / name)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def _step(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_contributing_steps_give_a_green_rule(tmp_path: Path) -> None:
    root = _copy_repository(tmp_path)
    warning_code, error_code = _free_codes(2)
    # Step 1, as CONTRIBUTING.md writes it (a REST+HTTP warning), and an HTTP-only error rule
    # (the schema then requires `evidence`; the examples must read as an HTTP API).
    first = _step(
        root,
        "-m",
        "apilint",
        "new-rule",
        "scaffolded-thing",
        "--code",
        warning_code,
        "--category",
        "paths",
        "--severity",
        "warning",
        "--api",
        "rest,http",
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[:3] == [
        "wrote rules/scaffolded-thing.yaml",
        "wrote apilint/checks/paths.py",
        "wrote fixtures/rules/scaffolded-thing/oas3-rest.yaml",
    ]
    second = _step(
        root,
        "-m",
        "apilint",
        "new-rule",
        "scaffolded-http",
        "--code",
        error_code,
        "--category",
        "security",
        "--severity",
        "error",
        "--api",
        "http",
    )
    assert second.returncode == 0, second.stderr
    assert (root / "fixtures/rules/scaffolded-http/oas3-http.yaml").is_file()
    # Step 2: the docs, then the rule's fixture and example tests.
    docs = _step(root, "-m", "apilint.catalog.docs")
    assert docs.returncode == 0, docs.stderr
    assert (root / "docs/rules/scaffolded-thing.md").is_file()
    report = tmp_path / "junit.xml"
    tests = _step(
        root,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        "tests/test_rule_fixtures.py",
        "tests/test_examples.py",
        "-k",
        "scaffolded-thing or scaffolded-http",
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    cases = ET.parse(report).getroot().iter("testcase")
    outcomes = {c.get("name"): [child.tag for child in c] for c in cases}
    assert outcomes == {
        "test_fixture_findings[scaffolded-http/oas3-http.yaml]": [],
        "test_fixture_findings[scaffolded-thing/oas3-rest.yaml]": [],
        "test_bad_example_raises_the_rule[scaffolded-http]": [],
        "test_bad_example_raises_the_rule[scaffolded-thing]": [],
        "test_good_example_is_clean[scaffolded-http]": [],
        "test_good_example_is_clean[scaffolded-thing]": [],
    }


def _minimal_root(tmp_path: Path) -> Path:
    """Just what the refusals read: the schema, one rule, its fixtures and a checks module."""
    root = tmp_path / "repo"
    (root / "rules").mkdir(parents=True)
    (root / "apilint" / "checks").mkdir(parents=True)
    (root / "fixtures" / "rules").mkdir(parents=True)
    shutil.copy(ROOT / "rules" / "rule.schema.json", root / "rules")
    shutil.copy(ROOT / "rules" / "api-key-as-auth.yaml", root / "rules")
    shutil.copy(ROOT / "apilint" / "checks" / "paths.py", root / "apilint" / "checks")
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["api-key-as-auth", "--code", "AGW998"],
            "rule name 'api-key-as-auth' exists already (rules/api-key-as-auth.yaml)",
            id="existing-name",
        ),
        pytest.param(
            ["brand-new", "--code", "AGW314"],
            "rule code AGW314 exists already (rules/api-key-as-auth.yaml)",
            id="existing-code",
        ),
        pytest.param(
            ["path-segment-invalid-chars", "--code", "AGW998"],
            "check function path_segment_invalid_chars exists already (apilint/checks/paths.py)",
            id="existing-check",
        ),
        pytest.param(
            ["Bad_Name", "--code", "AGW998"],
            "rule name 'Bad_Name' must be lower-case words joined by '-'",
            id="bad-name",
        ),
        pytest.param(
            ["brand-new", "--code", "AGW98"],
            "rule code 'AGW98' must be AGW followed by three digits",
            id="bad-code",
        ),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    root = _minimal_root(tmp_path)
    before = _snapshot(root)
    code, out, err = run(
        capsys,
        "new-rule",
        *argv,
        "--category",
        "paths",
        "--severity",
        "warning",
        "--root",
        str(root),
    )
    assert (code, out, err) == (2, "", f"apilint: new-rule: {message}\n")
    assert _snapshot(root) == before


def test_a_root_without_rules_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "new-rule",
        "brand-new",
        "--code",
        "AGW998",
        "--category",
        "paths",
        "--severity",
        "info",
        "--root",
        str(tmp_path),
    )
    assert (code, out) == (2, "")
    assert re.fullmatch(
        r"apilint: new-rule: .* is not an apilint source checkout "
        r"\(no rules/rule\.schema\.json\)\n",
        err,
    )
    assert list(tmp_path.iterdir()) == []


def test_the_command_is_hidden_from_users(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "lint" in out and "new-rule" not in out
