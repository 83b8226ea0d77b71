"""`apilint drift`: the definition against a stage's export, compared as gateway models.

The exports in fixtures/drift are what API Gateway gives back for a stage deployed from the
definitions beside them (get-export with extensions=apigateway, OAS 3 and Swagger 2; export-api
for the HTTP API), with every default AWS fills in: none of that is drift. Each kind of drift
has a fixture under fixtures/rules/drift-*/ with its export in deployed/.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, corpus_params, deployed_export, require_shared, run

from apilint.common.errors import ApilintError
from apilint.engine.run import Settings, lint_path, load_api, run_rules

DRIFT = FIXTURES / "drift"
REST = DRIFT / "rest-source.yaml"
HTTP = DRIFT / "http-source.yaml"
Found = set[tuple[str, str | None, str, int]]


def drift_findings(source: Path, export: Path) -> Found:
    """(code, operation, file name, line) of every drift rule's findings."""
    settings = Settings(select=("drift",), deployed=load_api(str(export)))
    results = lint_path(str(source), settings)
    assert all(not r.crashes and r.error is None for r in results)
    return {(f.code, f.operation, Path(f.file).name, f.line) for r in results for f in r.findings}


@pytest.mark.parametrize(
    ("source", "export"),
    [
        pytest.param(REST, DRIFT / "rest-oas30.json", id="rest-oas30"),
        pytest.param(REST, DRIFT / "rest-swagger.json", id="rest-swagger2"),
        pytest.param(HTTP, DRIFT / "http-oas30.json", id="http-oas30"),
        # Any form apilint reads is a definition: a template's body, a Terraform templatefile,
        # and a Swagger 2 export against the same stage's OAS 3 export.
        pytest.param(
            DRIFT / "cloudformation" / "template.yaml", DRIFT / "rest-oas30.json", id="cfn-body"
        ),
        pytest.param(DRIFT / "terraform" / "main.tf", DRIFT / "http-oas30.json", id="terraform"),
        pytest.param(DRIFT / "rest-swagger.json", DRIFT / "rest-oas30.json", id="swagger2-source"),
    ],
)
def test_a_stage_exported_from_the_definition_is_no_drift(source: Path, export: Path) -> None:
    assert drift_findings(source, export) == set()
    # Not vacuous: both sides have the same methods, and there are some.
    ours, theirs = load_api(str(source)), load_api(str(export))
    assert ours.kind == theirs.kind
    assert {m.label for m in ours.methods} == {m.label for m in theirs.methods}
    assert len(ours.methods) >= 4


def _against_itself(path: Path) -> list[str] | None:
    """Drift findings and crashes of a definition against itself (None: not one definition)."""
    try:
        ours, again = load_api(str(path)), load_api(str(path))
    except ApilintError:
        return None
    result = run_rules(ours.doc, Settings(select=("drift",), deployed=again), api=ours)
    return [f"{f.code}:{f.line}" for f in result.findings] + [c.error for c in result.crashes]


def test_every_fixture_against_itself_is_no_drift() -> None:
    """Comparing is reflexive, also on the odd definitions the rule fixtures hold."""
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".yaml", ".json"))
    found = {p: _against_itself(p) for p in paths}
    assert {p: f for p, f in found.items() if f} == {}
    assert sum(f is not None for f in found.values()) > 400


@pytest.mark.parametrize("path", corpus_params("real"))
def test_a_real_definition_against_itself_is_no_drift(path: Path | None) -> None:
    path = path or require_shared("corpus", "real")
    assert _against_itself(path) == []


Mutation = Callable[[dict[str, Any]], None]


def _integration(doc: dict[str, Any], path: str, verb: str) -> dict[str, Any]:
    return doc["paths"][path][verb]["x-amazon-apigateway-integration"]


def _set(path: str, verb: str, key: str, value: Any) -> Mutation:
    return lambda doc: _integration(doc, path, verb).__setitem__(key, value)


def _reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reverse_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse_keys(v) for v in value]
    return value


PET = "/pets/{petId}"
#: What AWS writes into a REST export that the definition leaves out or writes otherwise: each
#: alone is no drift.
REST_DEFAULTS: dict[str, Mutation] = {
    "servers-basePath-is-the-stage": lambda d: d["servers"][0]["variables"]["basePath"].update(
        default="staging"
    ),
    "info-version-timestamp": lambda d: d["info"].update(version="2027-01-02T03:04:05Z"),
    "passthrough-when-no-match-written": _set(PET, "get", "passthroughBehavior", "when_no_match"),
    "passthrough-left-out": lambda d: _integration(d, PET, "get").pop("passthroughBehavior"),
    "timeout-29000-written": _set(PET, "get", "timeoutInMillis", 29000),
    "timeout-left-out": lambda d: _integration(d, PET, "get").pop("timeoutInMillis"),
    "content-handling-left-out-on-a-proxy": lambda d: _integration(d, "/pets", "get").pop(
        "contentHandling"
    ),
    "proxy-default-integration-response": lambda d: _integration(d, "/pets", "post")[
        "responses"
    ].update(default={"statusCode": "200"}),
    "cache-namespace": _set(PET, "get", "cacheNamespace", "zz9zz9"),
    "cache-key-parameters-empty": _set(PET, "get", "cacheKeyParameters", []),
    "response-descriptions": lambda d: d["paths"][PET]["get"]["responses"]["200"].update(
        description="200 response"
    ),
    "empty-content": lambda d: d["paths"]["/pets"]["options"]["responses"]["200"].update(
        content={}
    ),
    "models-renamed": lambda d: d["components"]["schemas"].update(Other={"type": "object"}),
    "parameter-schema-types-lost": lambda d: d["paths"]["/pets"]["get"]["parameters"][0].update(
        schema={"type": "string"}
    ),
    "authorizer-ttl-300-written": lambda d: d["components"]["securitySchemes"]["TokenAuth"][
        "x-amazon-apigateway-authorizer"
    ].update(authorizerResultTtlInSeconds=300),
    "gateway-response-default-template": lambda d: d["x-amazon-apigateway-gateway-responses"][
        "DEFAULT_4XX"
    ].update(responseTemplates={"application/json": '{"message":$context.error.messageString}'}),
    "policy-resource-as-arn": lambda d: d["x-amazon-apigateway-policy"]["Statement"][0].update(
        Resource=["arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/*"]
    ),
    "policy-principal-aws-star": lambda d: d["x-amazon-apigateway-policy"]["Statement"][0].update(
        Principal={"AWS": "*"}
    ),
    "lambda-uri-region-and-function-of-a-template": _set(
        "/pets",
        "get",
        "uri",
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:123456789012:function:other-name/invocations",
    ),
    "stage-variable-alias-resolved": _set(
        "/pets",
        "post",
        "uri",
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-1:123456789012:function:pets:live/invocations",
    ),
    "header-name-case": lambda d: _integration(d, PET, "get")["responses"]["default"].update(
        responseParameters={
            "method.response.header.access-control-allow-origin": "'https://pets.example.com'"
        }
    ),
}


def _exported(tmp_path: Path, base: Path, mutate: Mutation, reverse: bool = False) -> Path:
    doc = json.loads(base.read_text())
    mutate(doc)
    out = tmp_path / base.name
    out.write_text(json.dumps(_reverse_keys(doc) if reverse else doc, indent=2))
    return out


@pytest.mark.parametrize("name", list(REST_DEFAULTS))
def test_each_export_default_is_no_drift(name: str, tmp_path: Path) -> None:
    export = _exported(tmp_path, DRIFT / "rest-oas30.json", REST_DEFAULTS[name])
    assert drift_findings(REST, export) == set()


def test_key_order_is_no_drift(tmp_path: Path) -> None:
    export = _exported(tmp_path, DRIFT / "rest-oas30.json", lambda d: None, reverse=True)
    assert drift_findings(REST, export) == set()


HTTP_DEFAULTS: dict[str, Mutation] = {
    "payload-format-1.0-on-http-proxy": lambda d: _integration(d, "/items/{id}", "get").update(
        payloadFormatVersion="1.0"
    ),
    "timeout-30000-left-out": lambda d: _integration(d, "/items/{id}", "get").pop(
        "timeoutInMillis"
    ),
    "connection-type-left-out": lambda d: _integration(d, "/items", "get").pop("connectionType"),
    "cors-allow-credentials-false": lambda d: d["x-amazon-apigateway-cors"].update(
        allowCredentials=False
    ),
    "cors-header-case-and-order": lambda d: d["x-amazon-apigateway-cors"].update(
        allowHeaders=["Content-Type", "AUTHORIZATION"]
    ),
    "lambda-uri-as-invocation-uri": _set(
        "/items",
        "get",
        "uri",
        "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-1:123456789012:function:items/invocations",
    ),
    "placeholder-uri-any-function": _set(
        "/$default",
        "x-amazon-apigateway-any-method",
        "uri",
        "arn:aws:lambda:us-east-1:123456789012:function:whatever",
    ),
    "authorizer-ttl-written": lambda d: d["components"]["securitySchemes"]["LambdaAuth"][
        "x-amazon-apigateway-authorizer"
    ].update(authorizerResultTtlInSeconds=0),
}


@pytest.mark.parametrize("name", list(HTTP_DEFAULTS))
def test_each_http_export_default_is_no_drift(name: str, tmp_path: Path) -> None:
    export = _exported(tmp_path, DRIFT / "http-oas30.json", HTTP_DEFAULTS[name])
    assert drift_findings(HTTP, export) == set()


#: The same fields with a value that is not the default: found (so the defaults above are
#: tolerated because they are defaults, not because the field is never compared).
REST_CONTROLS: dict[str, tuple[Mutation, Found]] = {
    "passthrough-never": (
        _set(PET, "get", "passthroughBehavior", "never"),
        {("AGW805", "GET /pets/{petId}", "rest-source.yaml", 77)},
    ),
    "timeout-28000": (
        _set(PET, "get", "timeoutInMillis", 28000),
        {("AGW805", "GET /pets/{petId}", "rest-source.yaml", 77)},
    ),
    "content-handling-binary-on-non-proxy": (
        _set(PET, "get", "contentHandling", "CONVERT_TO_BINARY"),
        {("AGW805", "GET /pets/{petId}", "rest-source.yaml", 77)},
    ),
    "cache-key-parameters": (
        _set(PET, "get", "cacheKeyParameters", ["method.request.path.petId"]),
        {("AGW805", "GET /pets/{petId}", "rest-source.yaml", 77)},
    ),
    "integration-response-status": (
        lambda d: _integration(d, PET, "get")["responses"]["4\\d{2}"].update(statusCode="400"),
        {("AGW805", "GET /pets/{petId}", "rest-source.yaml", 77)},
    ),
    "stage-variable-in-another-function": (
        _set(
            "/pets",
            "post",
            "uri",
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:admin:live/invocations",
        ),
        {("AGW805", "POST /pets", "rest-source.yaml", 38)},
    ),
    "authorizer-ttl-0": (
        lambda d: d["components"]["securitySchemes"]["TokenAuth"][
            "x-amazon-apigateway-authorizer"
        ].update(authorizerResultTtlInSeconds=0),
        {("AGW808", None, "rest-source.yaml", 109)},
    ),
    "gateway-response-template": (
        lambda d: d["x-amazon-apigateway-gateway-responses"]["DEFAULT_4XX"].update(
            responseTemplates={"application/json": "{}"}
        ),
        set(),  # the definition leaves the templates to AWS: any template matches
    ),
    "policy-other-api": (
        lambda d: d["x-amazon-apigateway-policy"]["Statement"][0].update(
            Resource="arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/pets"
        ),
        {("AGW810", None, "rest-source.yaml", 136)},
    ),
}


@pytest.mark.parametrize("name", list(REST_CONTROLS))
def test_a_changed_field_is_drift(name: str, tmp_path: Path) -> None:
    mutate, expected = REST_CONTROLS[name]
    export = _exported(tmp_path, DRIFT / "rest-oas30.json", mutate)
    assert drift_findings(REST, export) == expected


#: Every drift fixture with everything all drift rules find in it, by operation.
KINDS: dict[str, Found] = {
    "drift-not-deployed/rest": {("AGW801", "GET /pets/{petId}", "rest.yaml", 64)},
    "drift-not-deployed/http": {("AGW801", "POST /items", "http.yaml", 17)},
    "drift-not-deployed/rest-swagger": {("AGW801", "GET /pets/{petId}", "rest-swagger.yaml", 64)},
    "drift-only-on-stage/rest": {
        ("AGW802", "DELETE /pets/{petId}", "rest.json", 221),
        ("AGW802", "POST /admin", "rest.json", 300),
    },
    "drift-only-on-stage/http": {("AGW802", "DELETE /items/{id}", "http.json", 100)},
    "drift-auth-weaker/rest": {
        ("AGW803", "POST /pets", "rest.yaml", 29),
        ("AGW803", "GET /pets/{petId}", "rest.yaml", 71),
    },
    "drift-auth-weaker/http": {("AGW803", "POST /items", "http.yaml", 18)},
    "drift-auth-weaker/rest-swagger": {
        ("AGW803", "POST /pets", "rest-swagger.yaml", 29),
        ("AGW803", "GET /pets/{petId}", "rest-swagger.yaml", 71),
    },
    "drift-auth-differs/rest": {("AGW804", "GET /pets", "rest.yaml", 15)},
    "drift-auth-differs/http": {("AGW804", "GET /items", "http.yaml", 11)},
    "drift-integration-differs/rest": {
        ("AGW805", "POST /pets", "rest.yaml", 39),
        ("AGW805", "GET /pets/{petId}", "rest.yaml", 79),
    },
    "drift-integration-differs/http": {("AGW805", "GET /items/{id}", "http.yaml", 28)},
    "drift-cors-differs/rest": {
        ("AGW806", "OPTIONS /pets", "rest.yaml", 52),
        ("AGW806", "GET /pets/{petId}", "rest.yaml", 79),
    },
    "drift-cors-differs/http": {("AGW806", None, "http.yaml", 69)},
    "drift-request-validation-differs/rest": {
        ("AGW807", "GET /pets", "rest.yaml", 10),
        ("AGW807", "POST /pets", "rest.yaml", 28),
    },
    "drift-request-validation-differs/rest-swagger": {
        ("AGW807", "GET /pets", "rest-swagger.yaml", 10),
        ("AGW807", "POST /pets", "rest-swagger.yaml", 28),
    },
    "drift-authorizer-differs/rest": {("AGW808", None, "rest.yaml", 110)},
    "drift-authorizer-differs/http": {("AGW808", None, "http.yaml", 43)},
    "drift-gateway-response-differs/rest": {
        ("AGW809", None, "rest.yaml", 132),
        ("AGW809", None, "rest.json", 299),
    },
    "drift-api-settings-differs/rest": {
        ("AGW810", None, "rest.yaml", 135),
        ("AGW810", None, "rest.yaml", 138),
    },
}


def test_every_drift_fixture_is_in_the_table() -> None:
    fixtures = {f"{p.parent.name}/{p.stem}" for p in (FIXTURES / "rules").glob("drift-*/*.yaml")}
    assert fixtures == set(KINDS)


@pytest.mark.parametrize("case", list(KINDS))
def test_each_kind_of_drift_is_found_by_operation_and_line(case: str) -> None:
    source = FIXTURES / "rules" / f"{case}.yaml"
    assert drift_findings(source, deployed_export(source)) == KINDS[case]


@pytest.mark.parametrize(
    ("source", "export", "expected"),
    [
        pytest.param(
            DRIFT / "cloudformation" / "template.yaml",
            FIXTURES / "rules" / "drift-auth-weaker" / "deployed" / "rest.json",
            {
                ("AGW803", "POST /pets", "template.yaml", 42),
                ("AGW803", "GET /pets/{petId}", "template.yaml", 83),
            },
            id="cfn-body",
        ),
        pytest.param(
            DRIFT / "terraform" / "main.tf",
            FIXTURES / "rules" / "drift-auth-weaker" / "deployed" / "http.json",
            {("AGW803", "POST /items", "items.yaml.tpl", 17)},
            id="terraform",
        ),
    ],
)
def test_drift_points_into_the_template_the_definition_is_written_in(
    source: Path, export: Path, expected: Found
) -> None:
    assert drift_findings(source, export) == expected


def _case(name: str) -> tuple[str, str]:
    source = FIXTURES / "rules" / f"{name}.yaml"
    return str(source), str(deployed_export(source))


def test_cli_exit_codes_follow_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    source, export = _case("drift-auth-weaker/rest")
    code, out, err = run(capsys, "drift", source, "--deployed", export, "-f", "json")
    found = {(f["code"], f["operation"], f["line"]) for f in json.loads(out)["results"]}
    assert (code, err) == (1, "")
    assert found == {("AGW803", "POST /pets", 29), ("AGW803", "GET /pets/{petId}", 71)}
    # A warning (integration drift) fails only at --fail-on warning.
    source, export = _case("drift-integration-differs/rest")
    assert run(capsys, "drift", source, "--deployed", export)[0] == 0
    assert run(capsys, "drift", source, "--deployed", export, "--fail-on", "warning")[0] == 1
    code, out, _ = run(capsys, "drift", str(REST), "--deployed", str(DRIFT / "rest-oas30.json"))
    assert (code, out) == (0, "")


def test_cli_select_and_ignore_take_drift_rules(capsys: pytest.CaptureFixture[str]) -> None:
    source, export = _case("drift-auth-weaker/rest")
    code, out, _ = run(capsys, "drift", source, "--deployed", export, "--ignore", "AGW803")
    assert (code, out) == (0, "")
    code, out, _ = run(
        capsys, "drift", source, "--deployed", export, "--select", "drift-auth-weaker", "-q"
    )
    assert code == 1 and out.count("AGW803 [error]") == 2


def test_lint_does_not_run_drift_rules(capsys: pytest.CaptureFixture[str]) -> None:
    source, _ = _case("drift-auth-weaker/rest")
    code, out, _ = run(capsys, "lint", source, "--select", "drift", "-f", "json")
    assert (code, json.loads(out)["results"]) == (0, [])


def test_a_suppression_in_the_definition_silences_a_drift_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, export = _case("drift-integration-differs/http")
    text = (
        Path(source)
        .read_text()
        .replace(
            "        type: http_proxy\n",
            "        type: http_proxy\n        x-apilint-ignore:\n"
            "          - {rule: drift-integration-differs, reason: moving to a private backend}\n",
        )
    )
    (tmp_path / "api.yaml").write_text(text)
    code, out, _ = run(capsys, "drift", str(tmp_path / "api.yaml"), "--deployed", export, "-q")
    assert (code, out) == (0, "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            [str(REST)],
            "apilint: pass --deployed EXPORT_FILE, or --aws --api-id ID --stage NAME",
            id="no-stage",
        ),
        pytest.param(
            [str(REST), "--deployed", "missing.json"],
            "apilint: missing.json: error: no such file",
            id="missing-export",
        ),
        pytest.param(
            [str(REST), "--deployed", str(DRIFT / "http-oas30.json")],
            f"apilint: {REST} defines a REST API and {DRIFT / 'http-oas30.json'} is the export "
            "of an HTTP API: compare a definition with its own stage",
            id="rest-against-http",
        ),
        pytest.param(
            [str(REST), "--aws", "--api-id", "a1b2c3d4e5"],
            "apilint: --aws needs --api-id and --stage: the stage to export",
            id="aws-without-stage",
        ),
        pytest.param(
            [str(REST), "--deployed", str(DRIFT / "rest-oas30.json"), "--select", "AGW301"],
            "apilint: --select AGW301 names no drift rule (apilint rules lists them: category "
            "drift)",
            id="select-no-drift-rule",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "drift", *args)
    assert (code, out, err) == (2, "", message + "\n")


def test_an_export_that_is_not_json_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "export.json"
    broken.write_text('{"openapi" : "3.0.1", "paths" : {')
    code, out, err = run(capsys, "drift", str(REST), "--deployed", str(broken))
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(f"apilint: {broken}:") and "Traceback" not in err


def test_sarif_locates_findings_in_the_definition_and_in_the_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import jsonschema

    source, export = _case("drift-gateway-response-differs/rest")
    out = tmp_path / "drift.sarif"
    code, _, err = run(capsys, "drift", source, "--deployed", export, "-f", f"sarif={out}")
    log = json.loads(out.read_text())
    schema = json.loads((Path(__file__).parent / "data" / "sarif-2.1.0.json").read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    located = {
        (
            r["ruleId"],
            Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name,
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in log["runs"][0]["results"]
    }
    assert (code, err) == (0, "")
    assert located == {("AGW809", "rest.yaml", 132), ("AGW809", "rest.json", 299)}


def test_the_definitions_configuration_applies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, export = _case("drift-integration-differs/http")
    shutil.copy(source, tmp_path / "api.yaml")
    (tmp_path / ".apilint.toml").write_text(
        'fail-on = "warning"\n[severity]\ndrift-integration-differs = "info"\n'
    )
    code, out, _ = run(capsys, "drift", str(tmp_path / "api.yaml"), "--deployed", export, "-q")
    assert (code, out.count("AGW805 [info]")) == (0, 1)
    (tmp_path / ".apilint.toml").write_text('fail-on = "warning"\n')
    code, out, _ = run(capsys, "drift", str(tmp_path / "api.yaml"), "--deployed", export, "-q")
    assert (code, out.count("AGW805 [warning]")) == (1, 1)


def test_the_configured_file_size_limit_applies_as_in_lint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, export = _case("drift-integration-differs/http")
    shutil.copy(source, tmp_path / "api.yaml")
    (tmp_path / ".apilint.toml").write_text('max-file-size = "100B"\n')
    lint_code, _, lint_err = run(capsys, "lint", str(tmp_path / "api.yaml"))
    code, _, err = run(capsys, "drift", str(tmp_path / "api.yaml"), "--deployed", export)
    assert (lint_code, code) == (2, 2)
    assert "100" in lint_err and "100" in err
