"""Typed rule options: each option declares a JSON Schema in its rule file; configured values
are checked against it when the configuration loads (exit 2 naming file and key), and defaults
are applied in one place (the engine), never again inside a check."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, fixture_options, run

from apilint.catalog.registry import find_rule, load_rules

#: Four resources ('/', '/pets', '/pets/{id}', '/owners'): over a limit of 3, under the default.
API = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
  /pets/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
  /owners:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(API)
    return tmp_path


Q = "[\"']"  # the two JSON Schema backends quote values differently
TYPE = "is not of type "


@pytest.mark.parametrize(
    "table, key, problem",
    [
        (
            '[options.resource-quota-exceeded]\nlimit = "lots"\n',
            "options.resource-quota-exceeded.limit",
            rf"lots{Q} {TYPE}{Q}integer{Q}",
        ),
        (
            "[options.AGW601]\nlimit = 0\n",
            "options.AGW601.limit",
            r"0 is less than the minimum of 1",
        ),
        (
            "[options.resource-quota-exceeded]\nlimit = 2.5\n",
            "options.resource-quota-exceeded.limit",
            rf"2\.5 {TYPE}{Q}integer{Q}",
        ),
        (
            '[options.method-unauthenticated]\nallow = "GET /health"\n',
            "options.method-unauthenticated.allow",
            rf"{TYPE}{Q}array{Q}",
        ),
        (
            "[options.method-unauthenticated]\nallow = [3]\n",
            "options.method-unauthenticated.allow",
            rf"3 {TYPE}{Q}string{Q}",
        ),
        (
            '[options.cors-preflight-missing]\nassume-browser-clients = "yes"\n',
            "options.cors-preflight-missing.assume-browser-clients",
            rf"{TYPE}{Q}boolean{Q}",
        ),
        (
            "[options.integration-quota-exceeded]\nlimit = 500\n",
            "options.integration-quota-exceeded.limit",
            r"500 is greater than the maximum of 300",
        ),
    ],
)
def test_a_mistyped_option_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str], table: str, key: str, problem: str
) -> None:
    (project / ".apilint.toml").write_text(table)
    code, out, err = run(capsys, "lint", "api.yaml")
    assert (code, out) == (2, "")
    assert err.startswith(f"apilint: {project / '.apilint.toml'}: {key}: "), err
    assert re.search(problem, err) and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_pyproject_option_error_names_the_dotted_key_in_a_fresh_process(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.apilint.options.resource-quota-exceeded]\nlimit = "lots"\n'
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "api.yaml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert (
        f"{project / 'pyproject.toml'}: tool.apilint.options.resource-quota-exceeded.limit: "
        in done.stderr
        and "lots" in done.stderr
        and "Traceback" not in done.stderr
    )


def test_a_valid_configured_value_applies_and_the_default_otherwise(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def found() -> tuple[int, set[tuple[str, int]]]:
        code, out, _ = run(capsys, "lint", "api.yaml", "--select", "AGW601", "-f", "json")
        return code, {(f["code"], f["line"]) for f in json.loads(out)["results"]}

    assert found() == (0, set())  # default 300
    (project / ".apilint.toml").write_text("[options.resource-quota-exceeded]\nlimit = 3\n")
    assert found() == (1, {("AGW601", 3)})


def test_every_default_and_example_value_fits_its_schema() -> None:
    checked = 0
    for rule in load_rules():
        for option in rule.options:
            assert option.schema, f"{rule.code} option {option.name} has no schema"
            assert option.problem(option.default) is None, (rule.code, option.name)
            checked += 1
        by_name = {o.name: o for o in rule.options}
        for name, value in rule.example_options.items():
            assert by_name[name].problem(value) is None, (rule.code, name, value)
    assert checked >= 15


def test_fixture_options_fit_their_schemas() -> None:
    seen = 0
    for folder in sorted((FIXTURES / "rules").iterdir()):
        if not folder.is_dir():
            continue
        rule = find_rule(folder.name)
        by_name = {o.name: o for o in rule.options}
        for path in folder.iterdir():
            if path.suffix not in (".yaml", ".json", ".tf"):
                continue
            for name, value in fixture_options(path).items():
                assert by_name[name].problem(value) is None, (path, name, value)
                seen += 1
    assert seen >= 9


def test_checks_do_not_apply_a_second_default() -> None:
    # The engine merges the rule file's defaults before a check runs; a check-local fallback
    # (`options.get("limit", 300)`) would silently disagree with the rule file once either changed.
    pattern = re.compile(r"options\.get\(")
    offenders = [
        f"{p.name}:{n}"
        for p in sorted((ROOT / "apilint" / "checks").glob("*.py"))
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
