"""CDK output (fixtures/cdk/, synthesised by scripts/synth_cdk_fixtures.py): a named cloud
assembly is linted, nested stacks are followed, broken apps give exactly their rule's finding
at the property that causes it, correct apps give no error or warning."""

from __future__ import annotations

import os

import pytest
from helpers import FIXTURES

from apilint.common.findings import Severity
from apilint.document.discover import expand
from apilint.engine.run import Settings, lint_path

CDK = FIXTURES / "cdk"

#: app → (code, template, line, pointer) of its rule's findings, read off the templates.
BROKEN = {
    "method-unauthenticated": (
        "AGW301",
        "MethodUnauthenticated.template.json",
        208,
        "/Resources/ApiitemsGET2CEFDB25/Properties/HttpMethod",
    ),
    "cors-preflight-missing": (
        "AGW501",
        "CorsPreflightMissing.template.json",
        304,
        "/Resources/Apiorders33D48F48/Properties/PathPart",
    ),
    "cors-preflight-incomplete": (
        "AGW502",
        "CorsPreflightIncomplete.template.json",
        127,
        "/Resources/ApiitemsOPTIONSFF4B97FF/Properties/HttpMethod",
    ),
    "cors-preflight-requires-auth": (
        "AGW503",
        "CorsPreflightRequiresAuth.template.json",
        252,
        "/Resources/ApiitemsOPTIONSFF4B97FF/Properties/HttpMethod",
    ),
    "resource-quota-exceeded": (
        "AGW601",
        "ResourceQuotaExceeded.template.json",
        3,
        "/Resources/ApiF70053CD",
    ),
    "lambda-uri-invalid": (
        "AGW401",
        "LambdaUriInvalid.template.json",
        128,
        "/Resources/ApiitemsGET2CEFDB25/Properties/Integration/Uri",
    ),
    "lambda-http-method-not-post": (
        "AGW402",
        "LambdaHttpMethodNotPost.template.json",
        126,
        "/Resources/ApiitemsGET2CEFDB25/Properties/Integration/IntegrationHttpMethod",
    ),
    "lambda-reference-dangling": (
        "AGW422",
        "LambdaReferenceDangling.template.json",
        212,
        "/Resources/ApiitemsGET2CEFDB25/Properties/Integration/Uri",
    ),
}
GOOD = ["rest-cors-cognito", "rest-lambda-proxy", "http-jwt", "nested"]


def lint_assembly(directory: str, settings: Settings) -> list:
    return [
        f
        for target in expand([directory])
        for result in lint_path(target.path, settings)
        for f in result.findings
    ]


@pytest.mark.parametrize("app", sorted(BROKEN))
def test_a_broken_app_gives_its_rule_at_the_property(app: str) -> None:
    findings = lint_assembly(str(CDK / "broken" / app / "cdk.out"), Settings(select=(app,)))
    code, template, line, pointer = BROKEN[app]
    assert {(f.code, os.path.basename(f.file), f.line, f.pointer) for f in findings} == {
        (code, template, line, pointer)
    }


@pytest.mark.parametrize("app", GOOD)
def test_a_correct_app_gives_no_error_or_warning(app: str) -> None:
    findings = lint_assembly(str(CDK / "good" / app / "cdk.out"), Settings())
    assert [f for f in findings if f.severity >= Severity.WARNING] == []


def test_a_correct_app_is_linted_at_all() -> None:
    """The good apps' models hold their methods (an empty model would pass the test above)."""
    outlines = {
        app: [
            (path, verbs)
            for target in expand([str(CDK / "good" / app / "cdk.out")])
            for result in lint_path(target.path, Settings())
            for path, verbs in result.outline
            if verbs
        ]
        for app in GOOD
    }
    assert outlines["rest-cors-cognito"] == [
        ("/", ("OPTIONS",)),
        ("/items", ("GET", "POST", "OPTIONS")),
        ("/items/{id}", ("GET", "DELETE", "OPTIONS")),
    ]
    assert outlines["http-jwt"] == [("/items", ("GET", "POST"))]
    assert (
        outlines["nested"]
        == outlines["rest-lambda-proxy"]
        == [
            ("/", ("ANY",)),
            ("/{proxy+}", ("ANY",)),
        ]
    )


def test_findings_name_the_construct_path() -> None:
    app = CDK / "broken" / "method-unauthenticated" / "cdk.out"
    (finding,) = lint_assembly(str(app), Settings(select=("method-unauthenticated",)))
    assert finding.operation == "GET /items"
    assert finding.message.endswith("(CDK construct MethodUnauthenticated/Api/Default/items/GET)")
    # an API-wide finding names the API's construct
    app = CDK / "broken" / "cors-preflight-missing" / "cdk.out"
    (finding,) = lint_assembly(str(app), Settings(select=("cors-gateway-responses-missing",)))
    assert finding.message.endswith("(CDK construct CorsPreflightMissing/Api)")


def test_a_named_assembly_is_linted_and_a_walk_skips_it() -> None:
    assembly = CDK / "good" / "nested" / "cdk.out"
    # the stack template from manifest.json; the nested one is followed from it
    assert [t.path for t in expand([str(assembly)])] == [str(assembly / "Nested.template.json")]
    assert expand([str(CDK / "good")]) == []


def test_a_nested_stack_template_is_followed() -> None:
    assembly = CDK / "good" / "nested" / "cdk.out"
    results = lint_path(str(assembly / "Nested.template.json"), Settings())
    assert [(os.path.basename(r.path), r.label, r.api_kind) for r in results] == [
        ("NestedInner4756BC60.nested.template.json", "ApiF70053CD", "rest")
    ]


def test_the_benchmark_app_is_at_the_resource_quota() -> None:
    """benchmarks/run.py times this template against the export goal: 300 resources (the root
    included), 190 methods, and not over the quota."""
    (result,) = lint_path(
        str(CDK / "bench" / "rest-300" / "cdk.out" / "Rest300.template.json"), Settings()
    )
    assert len(result.outline) == 300
    assert sum(len(verbs) for _, verbs in result.outline) == 190
    assert "AGW601" not in {f.code for f in result.findings}
