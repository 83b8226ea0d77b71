"""Import warnings are warnings, or nothing where they cost nothing, and become errors where
the deployment makes the import fail on them (FailOnWarnings, fail_on_warnings, the flag)."""

from __future__ import annotations

from pathlib import Path

from helpers import FIXTURES, run

from apilint.common.findings import Severity
from apilint.engine.run import Settings, lint_path

TEMPLATE = FIXTURES / "templates" / "fail-on-warnings" / "template.yaml"


def _found(path: Path | str, settings: Settings | None = None) -> set[tuple[str, int, str]]:
    results = lint_path(str(path), settings or Settings(select=("openapi-schema-violation",)))
    assert all(r.error is None for r in results)
    return {(f.code, f.line, str(f.severity)) for r in results for f in r.findings}


def test_fail_on_warnings_in_the_template_makes_import_warnings_errors() -> None:
    # StrictApi (FailOnWarnings): SAM's `responses: {}` on a proxy route fails the import.
    # LenientApi: the same route deploys, nothing to say. StrictHttpApi (Globals): OpenAPI
    # violations are HTTP API import warnings.
    assert _found(TEMPLATE) == {
        ("AGW011", 28, "error"),
        ("AGW011", 57, "error"),
        ("AGW011", 60, "error"),
    }
    results = lint_path(str(TEMPLATE), Settings(select=("openapi-schema-violation",)))
    messages = {f.line: f.message for r in results for f in r.findings}
    assert messages[28].endswith(
        "; FailOnWarnings on StrictApi turns this import warning into a failed import"
    )
    assert "FailOnWarnings on StrictHttpApi" in messages[57]


def test_without_fail_on_warnings_they_stay_warnings(tmp_path: Path) -> None:
    text = TEMPLATE.read_text().replace("FailOnWarnings: true", "FailOnWarnings: false")
    (tmp_path / "template.yaml").write_text(text)
    # (GET /b's missing responses cost nothing on an HTTP API route unless warnings fail)
    assert _found(tmp_path / "template.yaml") == {("AGW011", 57, "warning")}


def test_the_pipeline_flag_applies_to_plain_files(tmp_path: Path, capsys) -> None:
    api = tmp_path / "api.yaml"
    api.write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n"
        "        httpMethod: POST\n        uri: arn:aws:apigateway:us-east-1:lambda:"
        "path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f"
        "/invocations\n      responses: {}\n"
    )
    assert _found(api) == set()
    assert _found(api, Settings(select=("AGW011",), import_fails_on_warnings=True)) == {
        ("AGW011", 10, "error")
    }
    code, out, _ = run(capsys, "lint", str(api), "--import-fails-on-warnings", "--select", "AGW011")
    assert code == 1 and "--import-fails-on-warnings turns this import warning" in out


def test_terraform_fail_on_warnings(tmp_path: Path) -> None:
    body = (
        '  body = jsonencode({\n    openapi = "3.0.1"\n    info = { title = "t" }\n'
        "    paths = {}\n  })\n"
    )
    for flag, severity in (("true", "error"), ("false", "warning")):
        tf = tmp_path / flag / "main.tf"
        tf.parent.mkdir()
        tf.write_text(
            'resource "aws_apigatewayv2_api" "http" {\n  name = "t"\n'
            f'  protocol_type = "HTTP"\n  fail_on_warnings = {flag}\n{body}}}\n'
        )
        assert _found(tf) == {("AGW011", 7, severity)}, flag


def test_only_import_warnings_are_raised() -> None:
    # An API key as the only protection is advice about design, not an import warning.
    results = lint_path(str(TEMPLATE), Settings(select=("api-key-as-auth",)))
    assert {(f.code, f.severity) for r in results for f in r.findings} == {
        ("AGW314", Severity.WARNING)
    }
