"""APIs built from Terraform resources (apilint.document.tf_resources): every fixture under
fixtures/terraform-resources/<rule-name>/<case>/ yields exactly the (rule, line) findings its
`# expect:` comments declare, and the clean modules give no error or warning at all."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, RESOURCE_CORE, ROOT, expectations, fixture_options, run

from apilint.catalog.registry import find_rule
from apilint.common.findings import Severity
from apilint.engine.run import Settings, lint_path

TF = FIXTURES / "terraform-resources"
CASES = sorted(p for p in TF.glob("*/*/main.tf") if p.parts[-3] != "clean")
CLEAN = sorted(TF.glob("clean/*/main.tf"))


def _findings(path: Path, settings: Settings) -> set[tuple[str, str, int]]:
    results = lint_path(str(path), settings)
    assert results and all(r.error is None and r.skipped is None for r in results), [
        (r.error, r.skipped) for r in results
    ]
    return {(f.code, f.file, f.line) for r in results for f in r.findings}


@pytest.mark.parametrize("path", CASES, ids=["/".join(p.parts[-3:-1]) for p in CASES])
def test_fixture_findings(path: Path) -> None:
    rule = find_rule(path.parts[-3])
    settings = Settings(select=(rule.name,), options={rule.name: fixture_options(path)})
    expected = {(code, str(path), line) for code, line in expectations(path)}
    assert _findings(path, settings) == expected


def test_a_fixture_that_expects_nothing_says_clean() -> None:
    for path in CASES:
        if not expectations(path):
            assert "clean" in path.parent.name, f"{path} declares no expected finding"


@pytest.mark.parametrize("name", RESOURCE_CORE)
def test_core_rules_have_rest_and_http_fixtures(name: str) -> None:
    kinds = {p.parent.name.split("-")[0] for p in CASES if p.parts[-3] == name}
    assert "rest" in kinds
    if "http" in find_rule(name).api:
        assert "http" in kinds
    assert any(expectations(p) for p in CASES if p.parts[-3] == name)


@pytest.mark.parametrize("path", CLEAN, ids=[p.parent.name for p in CLEAN])
def test_a_correct_module_gives_no_error_or_warning(path: Path) -> None:
    results = lint_path(str(path), Settings())
    assert [r.label for r in results] == [  # the API was read, not skipped
        f"aws_{'apigatewayv2' if 'http' in path.parent.name else 'api_gateway_rest'}_api.api"
    ]
    serious = [f for r in results for f in r.findings if f.severity >= Severity.WARNING]
    assert serious == []


def test_what_terraform_decides_is_a_note_not_a_finding(capsys: pytest.CaptureFixture[str]) -> None:
    path = TF / "cors-preflight-missing" / "rest" / "main.tf"
    code, _, err = run(capsys, "lint", "--select", "cors-preflight-missing", str(path))
    assert code == 0  # warnings only
    assert f"{path}: note: aws_api_gateway_resource.per_tenant: path ${{each.key}}" in err
    assert f"{path}: note: aws_api_gateway_method.per_tenant: resource_id" in err


def test_a_policy_terraform_renders_is_a_note_and_neither_missing_nor_judged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # data.aws_iam_policy_document's `.json` is known at plan time only: the private API has a
    # policy (no AGW317) whose statements are not read (no AGW319 for its Principal "*").
    path = TF / "private-without-policy" / "rest-unknown-policy-clean" / "main.tf"
    rules = "private-without-policy,policy-public-allow,policy-invalid,policy-too-large"
    code, out, err = run(capsys, "lint", "--select", rules, str(path))
    assert (code, "AGW3" in out) == (0, False)
    assert (
        f"{path}: note: aws_api_gateway_rest_api.api: policy "
        "${data.aws_iam_policy_document.api.json} is not known before `terraform apply`"
    ) in err


def test_findings_carry_the_terraform_pointer_and_the_operation() -> None:
    path = TF / "lambda-reference-dangling" / "rest" / "main.tf"
    results = lint_path(str(path), Settings(select=("lambda-reference-dangling",)))
    assert {(f.pointer, f.operation) for r in results for f in r.findings} == {
        ("/resource/aws_api_gateway_authorizer/token/authorizer_uri", None),
        ("/resource/aws_api_gateway_integration/get/uri", "GET /items"),
        ("/resource/aws_api_gateway_integration/post/uri", "POST /items"),
    }


def test_a_key_of_a_map_attribute_is_found_on_its_own_line(tmp_path: Path) -> None:
    clean = TF / "clean" / "rest-lambda-cognito-cors"
    for name in ("main.tf", "lambda.tf"):
        text = (clean / name).read_text()
        (tmp_path / name).write_text(text.replace("'Content-Type,Authorization'", "'Content-Type'"))
    lines = (tmp_path / "main.tf").read_text().splitlines()
    wanted = {
        i + 1 for i, line in enumerate(lines) if 'Allow-Headers" = "\'Content-Type\'"' in line
    }
    found = _findings(tmp_path / "main.tf", Settings(select=("cors-allow-headers-incomplete",)))
    assert found == {("AGW506", str(tmp_path / "main.tf"), n) for n in wanted}
    assert len(wanted) == 2


def test_the_generated_benchmark_module_is_clean(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_terraform import generate

    (tmp_path / "main.tf").write_text(generate(groups=3))
    results = lint_path(str(tmp_path / "main.tf"), Settings())
    assert [r.findings for r in results] == [[]] and results[0].skipped is None
    # 3 groups of 3 resources, /health, /version and the root
    assert len(results[0].outline) == 12
