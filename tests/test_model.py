"""The gateway view: resources as AWS counts them, methods, effective auth, API kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import api_of, require_shared

from apilint.document import load_document


def test_every_prefix_is_a_resource(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        "openapi: 3.0.1\npaths:\n  /a/b/c:\n    get: {responses: {}}\n"
        "  /a/{id}:\n    x-amazon-apigateway-any-method: {responses: {}}\n",
    )
    assert sorted(api.resources) == ["/", "/a", "/a/b", "/a/b/c", "/a/{id}"]
    assert [m.label for m in api.methods] == ["GET /a/b/c", "ANY /a/{id}"]
    assert api.resources["/a/b"].declared is False and api.resources["/a/b/c"].declared


def test_rest_ignores_root_security_http_applies_it(tmp_path: Path) -> None:
    body = (
        "security: [{iam: []}]\npaths:\n  /a:\n    get: {responses: {}}\n"
        "components:\n  securitySchemes:\n    iam: {type: apiKey, name: Authorization, in: header,"
        " x-amazon-apigateway-authtype: awsSigv4}\n"
    )
    rest = api_of(tmp_path, "openapi: 3.0.1\n" + body)
    assert rest.kind == "rest" and rest.methods[0].auth.kinds == frozenset()
    http = api_of(
        tmp_path, "openapi: 3.0.1\nx-amazon-apigateway-importexport-version: '1.0'\n" + body
    )
    assert http.kind == "http" and http.methods[0].auth.kinds == frozenset({"iam"})


def test_scheme_kinds(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        """openapi: 3.0.1
paths: {}
components:
  securitySchemes:
    token: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: token}}
    cognito: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: COGNITO_USER_POOLS}}
    sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
    key: {type: apiKey, name: x-api-key, in: header}
    basic: {type: http, scheme: basic}
    broken: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: tokn}}
""",
    )
    assert {n: s.kind for n, s in api.schemes.items()} == {
        "token": "lambda",
        "cognito": "cognito",
        "sigv4": "iam",
        "key": "api_key",
        "basic": "unsupported",
        "broken": "invalid-authorizer",
    }


def test_kind_detection(tmp_path: Path) -> None:
    assert api_of(tmp_path, "swagger: '2.0'\npaths: {}\n").kind == "rest"
    assert (
        api_of(tmp_path, "openapi: 3.0.1\nx-amazon-apigateway-cors: {}\npaths: {}\n").kind == "http"
    )
    assert (
        api_of(
            tmp_path,
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:"
            " {payloadFormatVersion: '2.0'}\n",
        ).kind
        == "http"
    )
    assert api_of(tmp_path, "openapi: 3.0.1\npaths: {}\n").kind == "rest"


@pytest.mark.parametrize(
    "name, why",
    [
        ("localstack__localstack__openapi.cognito-auth.json", "an integration has type 'http'"),
        ("smithy-lang__smithy__integrations.openapi.json", "an integration has type 'aws'"),
    ],
)
def test_stray_payload_format_version_does_not_make_a_rest_api_http(name: str, why: str) -> None:
    from apilint.model.build import detect_kind

    kind, reason = detect_kind(load_document(require_shared("corpus", "real", name)))
    assert kind == "rest" and why in reason


def test_sams_default_route_key_is_the_default_route(tmp_path: Path) -> None:
    # SAM's translator writes the catch-all route as the key `$default` (AWS's docs: `/$default`).
    from apilint.engine.run import Settings, lint_file

    text = (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  $default:\n"
        "    x-amazon-apigateway-any-method:\n      isDefaultRoute: true\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n"
        "        payloadFormatVersion: '2.0'\n"
        "        uri: arn:aws:lambda:us-east-1:123456789012:function:f\n"
    )
    api = api_of(tmp_path, text)
    assert api.kind == "http" and [m.label for m in api.methods] == ["ANY /$default"]
    found = {(f.code, f.line) for f in lint_file(str(tmp_path / "api.yaml"), Settings()).findings}
    assert found == {("AGW301", 5)}  # open, and nothing about where the route is written
    assert api_of(tmp_path, text.replace("  $default:", "  /$default:")).kind == "http"
    rest = api_of(tmp_path, "swagger: '2.0'\npaths:\n  $default:\n    get: {}\n")
    assert rest.kind == "rest" and rest.methods == []


# -- mapping-expression grammar (apilint.model.mapping) ---------------------------------------


@pytest.mark.parametrize(
    "kind, text, whole",
    [
        pytest.param("rest", "context.requestId", True, id="rest-context"),
        pytest.param("rest", "stageVariables.env_1", True, id="rest-stage-variable"),
        pytest.param("rest", "context.requestOverride.header.x-id", True, id="rest-header-dash"),
        pytest.param("rest", "$context.requestId", False, id="rest-has-no-sigil"),
        pytest.param("rest", "stageVariables.a-b", False, id="stage-variable-name-dash"),
        pytest.param("http", "$context.authorizer.claims.email", True, id="http-context"),
        pytest.param("http", "$stageVariables.env", True, id="http-stage-variable"),
        pytest.param("http", "context.requestId", False, id="http-needs-the-sigil"),
    ],
)
def test_variable_grammar_differs_only_in_the_sigil(kind: str, text: str, whole: bool) -> None:
    import re

    from apilint.model.mapping import variable

    assert (re.fullmatch(variable(kind), text) is not None) is whole


def test_template_variable_stops_before_punctuation() -> None:
    from apilint.model.mapping import TEMPLATE_VARIABLE

    found = TEMPLATE_VARIABLE().findall('{"id": "$context.requestId.", "s": "$stageVariables.a"}')
    assert found == ["context.requestId", "stageVariables.a"]


@pytest.mark.parametrize(
    "source, where",
    [
        ("method.request.header.Auth", "header"),
        ("$request.header.Auth", "header"),
        ("method.request.querystring.q", "query"),
        ("$request.querystring.q", "query"),
        ("stageVariables.s", "stage"),
        ("$stageVariables.s", "stage"),
        ("context.c", "context"),
        ("$context.c", "context"),
    ],
)
def test_identity_source_prefixes_follow_the_sigil(source: str, where: str) -> None:
    from apilint.serve.identity import _PREFIXES

    assert [w for p, w in _PREFIXES.items() if source.startswith(p)] == [where]
