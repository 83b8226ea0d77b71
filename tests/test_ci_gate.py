"""CI-gate features: configuration files, x-apilint-ignore, baselines and --diff-base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import git, run

BAD = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
    post:
      security: [{sigv4: []}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: GET
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations
components:
  securitySchemes:
    sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
"""


def findings(capsys, *args: str) -> tuple[int, list[tuple[str, int]]]:
    code, out, _ = run(capsys, "lint", "-f", "json", *args)
    payload = json.loads(out)
    return code, sorted((f["code"], f["line"]) for f in payload["results"])


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "pets.yaml").write_text(BAD)
    return tmp_path


def lint_pets(capsys, *args: str) -> tuple[int, list[tuple[str, int]]]:
    return findings(capsys, "--select", "AGW301,AGW402", "api/pets.yaml", *args)


# -- configuration -------------------------------------------------------------------------------


def test_without_config_both_rules_fire(project: Path, capsys) -> None:
    # Both are warnings (insecure; a certain runtime failure): the default --fail-on error passes.
    assert lint_pets(capsys) == (0, [("AGW301", 5), ("AGW402", 12)])


def test_dotfile_found_from_the_files_directory_upwards(project: Path, capsys) -> None:
    (project / ".apilint.toml").write_text(
        'ignore = ["lambda-http-method-not-post"]\nfail-on = "warning"\n'
        '[severity]\nAGW301 = "error"\n'
    )
    code, found = findings(capsys, "api/pets.yaml")
    assert ("AGW402", 12) not in found and ("AGW301", 5) in found
    code, out, _ = run(capsys, "lint", "api/pets.yaml", "--select", "AGW301")
    assert code == 1 and "api/pets.yaml:5:5: AGW301 [error]" in out


def test_pyproject_tool_table_and_cli_beats_file(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.apilint]\nselect = ["AGW402"]\n'
        '[tool.apilint.options.method-unauthenticated]\nallow = ["GET /pets"]\n'
    )
    assert findings(capsys, "api/pets.yaml") == (0, [("AGW402", 12)])
    # --select replaces the configured selection; the configured options still apply.
    assert findings(capsys, "api/pets.yaml", "--select", "AGW301") == (0, [])


def test_per_file_ignores_and_extend_select(project: Path, capsys) -> None:
    (project / ".apilint.toml").write_text(
        'select = ["AGW301"]\nextend-select = ["AGW402"]\n'
        '[per-file-ignores]\n"api/*.yaml" = ["AGW301"]\n'
    )
    assert findings(capsys, "api/pets.yaml") == (0, [("AGW402", 12)])


def test_explicit_config_flag(project: Path, capsys) -> None:
    (project / "ci.toml").write_text('select = ["method-unauthenticated"]\nfail-on = "never"\n')
    assert findings(capsys, "api/pets.yaml", "--config", "ci.toml") == (0, [("AGW301", 5)])


@pytest.mark.parametrize(
    "text, message",
    [
        ('select = ["AGW301"\n', ".apilint.toml: invalid TOML: "),
        ('selct = ["AGW301"]\n', ".apilint.toml: selct: unknown key (did you mean 'select'?)"),
        ('ignore = ["AGW999"]\n', ".apilint.toml: ignore: unknown rule 'AGW999'"),
        ('[severity]\nAGW301 = "fatal"\n', ".apilint.toml: severity.AGW301: 'fatal' is not error"),
        (
            "[options.method-unauthenticated]\nalow = []\n",
            ".apilint.toml: options.method-unauthenticated.alow: unknown option (did you mean 'allow'?)",
        ),
        ('fail-on = "sometimes"\n', ".apilint.toml: fail-on: 'sometimes' is not one of"),
    ],
)
def test_config_errors_exit_2_naming_file_and_key(
    project: Path, capsys, text: str, message: str
) -> None:
    (project / ".apilint.toml").write_text(text)
    code, out, err = run(capsys, "lint", "api/pets.yaml")
    assert code == 2 and out == ""
    assert err.startswith("apilint: ") and message in err and "Traceback" not in err


def test_pyproject_tool_table_errors_name_the_dotted_key(project: Path, capsys) -> None:
    (project / "pyproject.toml").write_text('[tool.apilint]\nfail_on = "warning"\n')
    code, _, err = run(capsys, "lint", "api/pets.yaml")
    assert (
        code == 2
        and "pyproject.toml: tool.apilint.fail_on: unknown key (did you mean 'fail-on'?)" in err
    )


def test_min_severity_hides_lower_findings(project: Path, capsys) -> None:
    (project / ".apilint.toml").write_text('[severity]\nAGW402 = "error"\n')
    assert findings(
        capsys, "api/pets.yaml", "--select", "AGW301,AGW402", "--min-severity", "error"
    ) == (1, [("AGW402", 12)])


# -- x-apilint-ignore ----------------------------------------------------------------------------

SUPPRESSED = BAD.replace(
    "    get:\n", "    get:\n      x-apilint-ignore: [{rule: AGW301, reason: public}]\n", 1
)


def test_suppression_silences_the_subtree_only(project: Path, capsys) -> None:
    (project / "api" / "pets.yaml").write_text(SUPPRESSED)
    assert lint_pets(capsys) == (0, [("AGW402", 13)])


def test_path_item_suppression_covers_its_operations(project: Path, capsys) -> None:
    text = BAD.replace(
        "  /pets:\n", "  /pets:\n    x-apilint-ignore: lambda-http-method-not-post\n"
    )
    (project / "api" / "pets.yaml").write_text(text)
    assert lint_pets(capsys) == (0, [("AGW301", 6)])


def test_unused_and_invalid_suppressions_are_findings(project: Path, capsys) -> None:
    text = BAD.replace("    post:\n", "    post:\n      x-apilint-ignore: [AGW301, AGW302, nope]\n")
    (project / "api" / "pets.yaml").write_text(text)
    code, out, _ = run(capsys, "lint", "api/pets.yaml", "--select", "AGW301,AGW901,AGW902")
    lines = out.splitlines()
    assert (
        "api/pets.yaml:8:26: AGW901 [warning] x-apilint-ignore names AGW301 "
        "(method-unauthenticated) but it silences nothing here; remove the entry" in lines
    )
    assert any(
        line.startswith(
            "api/pets.yaml:8:42: AGW902 [warning] x-apilint-ignore: unknown rule 'nope'"
        )
        for line in lines
    )
    # AGW302 did not run (not selected), so its entry is not judged.
    assert not any(" AGW302 [" in line for line in lines)


# -- baseline ------------------------------------------------------------------------------------

SEL = ("--select", "AGW301,AGW402")


def test_baseline_round_trip(project: Path, capsys) -> None:
    code, _, err = run(capsys, "baseline", "api/pets.yaml", "-o", "ci/baseline.json", *SEL)
    assert code == 0 and "wrote" in err
    recorded = json.loads((project / "ci" / "baseline.json").read_text())
    assert {(f["code"], f["file"], f["pointer"]) for f in recorded["findings"]} == {
        ("AGW301", "../api/pets.yaml", "/paths/~1pets/get"),
        (
            "AGW402",
            "../api/pets.yaml",
            "/paths/~1pets/post/x-amazon-apigateway-integration/httpMethod",
        ),
    }
    assert all("line" not in f for f in recorded["findings"])
    # The same definition, shifted down by a comment: nothing new.
    (project / "api" / "pets.yaml").write_text("# moved\n" + BAD)
    code, out, err = run(capsys, "lint", "api/pets.yaml", "--baseline", "ci/baseline.json", *SEL)
    assert (code, out, err) == (0, "", "")
    # One new defect: exactly it is reported.
    new = BAD.replace(
        "  /pets:\n",
        '  /cats:\n    delete:\n      responses: {"200": {description: ok}}\n  /pets:\n',
    )
    (project / "api" / "pets.yaml").write_text(new)
    code, found = findings(
        capsys, "api/pets.yaml", "--baseline", "ci/baseline.json", "--fail-on", "warning", *SEL
    )
    assert (code, found) == (1, [("AGW301", 5)])
    # An old one fixed: listed as stale.
    fixed = BAD.replace("httpMethod: GET", "httpMethod: POST")
    (project / "api" / "pets.yaml").write_text(fixed)
    code, out, err = run(capsys, "lint", "api/pets.yaml", "--baseline", "ci/baseline.json", *SEL)
    assert code == 0 and out == ""
    assert (
        "../api/pets.yaml: note: baseline entry no longer found: AGW402 at "
        "/paths/~1pets/post/x-amazon-apigateway-integration/httpMethod (POST /pets)" in err
    )


def test_broken_baseline_is_a_usage_error(project: Path, capsys) -> None:
    (project / "b.json").write_text("{not json")
    code, _, err = run(capsys, "lint", "api/pets.yaml", "--baseline", "b.json")
    assert code == 2 and err.startswith("apilint: b.json: not a JSON baseline")


# -- --diff-base ---------------------------------------------------------------------------------

OLD = """\
openapi: 3.0.1
info: {title: legacy, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {$ref: '#/components/parameters/filter'}
      responses: {"200": {description: ok}}
  /b:
    get:
      responses: {"200": {description: ok}}
    put:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: PUT
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:b/invocations
components:
  parameters:
    filter: {name: filter, in: query, schema: {type: object}}
"""


def test_diff_base_reports_only_the_changed_operation(project: Path, capsys) -> None:
    git(project, "init", "-q", "-b", "main")
    (project / "api" / "pets.yaml").write_text(OLD)
    git(project, "add", ".")
    git(project, "commit", "-qm", "old")
    # A new open method lands between the old ones; every old line below it moves.
    new = OLD.replace(
        "  /b:\n", '  /new:\n    post:\n      responses: {"200": {description: ok}}\n  /b:\n'
    )
    (project / "api" / "pets.yaml").write_text(new)
    rules = ("--select", "AGW201,AGW301,AGW402")
    assert findings(capsys, "api/pets.yaml", *rules) == (
        0,
        [
            ("AGW201", 23),
            ("AGW301", 5),
            ("AGW301", 10),
            ("AGW301", 13),
            ("AGW301", 15),
            ("AGW402", 19),
        ],
    )
    assert findings(capsys, "api/pets.yaml", *rules, "--diff-base", "HEAD") == (0, [("AGW301", 10)])
    # A change in a referenced component makes the operation that uses it "changed".
    (project / "api" / "pets.yaml").write_text(
        new.replace("type: object}", "type: object, description: x}")
    )
    _, found = findings(capsys, "api/pets.yaml", *rules, "--diff-base", "HEAD")
    assert found == [("AGW201", 23), ("AGW301", 5), ("AGW301", 10)]


def test_diff_base_unknown_ref_is_a_usage_error(project: Path, capsys) -> None:
    git(project, "init", "-q", "-b", "main")
    code, _, err = run(capsys, "lint", "api/pets.yaml", "--diff-base", "no-such-ref")
    assert code == 2 and err.startswith("apilint: --diff-base no-such-ref: no such commit; ")
