"""The GitHub Action (action.yml): each `run:` step's script, with the expressions GitHub would
substitute, runs against a fixture and behaves as `apilint lint` does."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import PITFALL_ALL, PITFALLS, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = shutil.which("bash")
#: The `github` context of a workflow that says `uses: apilint/apilint@<ref>`.
GITHUB = {
    "github.action_path": str(ROOT),
    "github.server_url": "https://github.com",
    "github.action_repository": "apilint/apilint",
}


def inputs(**given: str) -> dict[str, str]:
    """The inputs as GitHub passes them: the defaults, then the workflow's `with:`."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(values)
    assert not unknown, f"action.yml has no inputs {unknown}"
    return {**values, **given}


def substitute(text: str, values: dict[str, str]) -> str:
    """`${{ inputs.x }}` and the `github` context the steps use; any other expression fails
    the test (a step that needs one is not tested here)."""

    def one(m: re.Match[str]) -> str:
        expression = m.group(1)
        if expression in GITHUB:
            return GITHUB[expression]
        name = expression.removeprefix("inputs.")
        assert name != expression and name in values, f"untested expression {expression!r}"
        return values[name]

    return _EXPRESSION.sub(one, text)


def run_steps(
    workspace: Path, tools: Path, values: dict[str, str]
) -> list[subprocess.CompletedProcess[str]]:
    """Every `run:` step, as GitHub runs a bash step: `bash --noprofile --norc -eo pipefail`,
    the step's `env:` substituted, in the workspace; stops at the first failing step."""
    done = []
    for step in ACTION["runs"]["steps"]:
        if "run" not in step:
            continue
        assert step["shell"] == "bash" and "${{" not in step["run"], (
            "inputs reach the script through env:, never spliced into it"
        )
        env = {
            **os.environ,
            "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
            **{k: substitute(str(v), values) for k, v in step.get("env", {}).items()},
        }
        script = workspace.parent / "step.sh"
        script.write_text(step["run"])
        done.append(
            subprocess.run(
                [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=workspace,
                env=env,
                capture_output=True,
                text=True,
                check=False,
                timeout=120,
            )
        )
        if done[-1].returncode != 0:
            break
    return done


def shim(tools: Path, name: str, body: str) -> None:
    path = tools / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository checkout: api/pets.yaml (the pitfalls example) and a compose file."""
    root = tmp_path / "workspace"
    (root / "api").mkdir(parents=True)
    (root / "api" / "pets.yaml").write_text(PITFALLS.read_text())
    (root / "docker-compose.yml").write_text("services:\n  web: {image: nginx}\n")
    return root


@pytest.fixture
def tools(tmp_path: Path) -> Path:
    """`pip` records what it was asked to install (the real install from a checkout is what
    tests/test_wheel.py builds); `apilint` is this checkout's."""
    folder = tmp_path / "bin"
    folder.mkdir()
    shim(folder, "pip", f'echo "$@" >> "{tmp_path / "pip.log"}"')
    shim(folder, "apilint", f'PYTHONPATH="{ROOT}" exec "{sys.executable}" -m apilint "$@"')
    return folder


def sarif_findings(path: Path) -> set[tuple[str, str, int]]:
    results: list[dict[str, Any]] = json.loads(path.read_text())["runs"][0]["results"]
    return {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    }


PETS = {(code, "api/pets.yaml", line) for code, line in PITFALL_ALL}


def test_defaults_install_from_the_checkout_annotate_and_write_sarif(
    workspace: Path, tools: Path
) -> None:
    install, lint = run_steps(workspace, tools, inputs(paths="api"))
    assert install.returncode == 0
    assert (tools.parent / "pip.log").read_text() == (
        f"install --disable-pip-version-check --quiet {ROOT}\n"
    )
    # As `apilint lint api --format github --format sarif=apilint.sarif`: an error fails it.
    assert lint.returncode == 1, lint.stderr
    assert lint.stdout.startswith("::warning file=api/pets.yaml,line=2,col=1,")
    assert {line.split(",title=")[1].split()[0] for line in lint.stdout.splitlines()} == {
        code for code, _ in PITFALL_ALL
    }
    assert sarif_findings(workspace / "apilint.sarif") == PETS


def test_inputs_reach_apilint(workspace: Path, tools: Path) -> None:
    (workspace / "ci.toml").write_text('ignore = ["AGW302"]\n')
    values = inputs(
        paths="api/*.yaml\ndocker-compose.yml",
        config="ci.toml",
        **{
            "fail-on": "never",
            "format-args": "--select AGW3 --format text",
            "sarif-file": "out/../security.sarif",
            "version": "v0.1.0",
        },
    )
    (workspace / "out").mkdir()
    install, lint = run_steps(workspace, tools, values)
    assert (tools.parent / "pip.log").read_text() == (
        "install --disable-pip-version-check --quiet "
        "apilint @ git+https://github.com/apilint/apilint@v0.1.0\n"
    )
    assert lint.returncode == 0, lint.stderr
    assert [line for line in lint.stdout.splitlines() if ": AGW" in line or "Found" in line] == [
        lint.stdout.splitlines()[0],
        "Found 1 problem (1 warning) in 1 file.",
    ]
    assert lint.stdout.startswith("api/pets.yaml:8:5: AGW301 [warning]")
    assert sarif_findings(workspace / "security.sarif") == {("AGW301", "api/pets.yaml", 8)}
    assert not (workspace / "apilint.sarif").exists()


def test_a_hostile_input_stays_one_argument(workspace: Path, tools: Path) -> None:
    marker = workspace / "pwned"
    values = inputs(paths="api", **{"format-args": f'--select "$(touch {marker})" ;touch {marker}'})
    _, lint = run_steps(workspace, tools, values)
    assert not marker.exists()
    assert lint.returncode == 2 and "apilint: unknown rule '\"$(touch" in lint.stderr


def test_usage_errors_exit_2_without_sarif(workspace: Path, tools: Path) -> None:
    _, lint = run_steps(workspace, tools, inputs(paths="api", **{"fail-on": "sometimes"}))
    assert lint.returncode == 2 and "'sometimes' is not one of" in lint.stderr
    assert not (workspace / "apilint.sarif").exists()


def test_sarif_is_uploaded_only_when_asked_and_written() -> None:
    setup, *_, upload = ACTION["runs"]["steps"]
    assert setup["uses"].startswith("actions/setup-python@")
    assert upload["uses"] == "github/codeql-action/upload-sarif@v3"
    assert upload["with"] == {"sarif_file": "${{ inputs.sarif-file }}", "category": "apilint"}
    condition = upload["if"]
    for part in ("always()", "inputs.upload-sarif == 'true'", "hashFiles(inputs.sarif-file)"):
        assert part in condition
    assert set(ACTION["inputs"]) == {
        "paths",
        "config",
        "fail-on",
        "format-args",
        "sarif-file",
        "upload-sarif",
        "version",
        "python-version",
    }
    assert ACTION["inputs"]["upload-sarif"]["default"] == "false"


def test_the_readme_snippet_uses_the_actions_inputs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in readme.split("```yaml\n")[1:]]
    workflow = yaml.safe_load(next(b for b in blocks if "uses: apilint/apilint@" in b))
    step = next(
        s
        for s in workflow["jobs"]["apilint"]["steps"]
        if str(s.get("uses", "")).startswith("apilint/apilint@")
    )
    assert set(step["with"]) <= set(ACTION["inputs"])
    assert {"paths", "config", "fail-on", "upload-sarif"} <= set(step["with"])
