"""`given`: gateway selectors with `where` over model facts, and JSONPaths over the document,
each finding at the exact node; `then.field` as a name, `@key` or a JSONPath."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from apilint.common.errors import UsageError
from apilint.custom.loader import parse_rule
from apilint.engine.run import Settings, lint_path

API = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      security: [{Lambda: []}]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:list/invocations
      responses: {}
    post:
      operationId: add_pet
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: POST
        uri: https://pets.example.com/pets
      responses: {}
  /pets/{id}:
    options:
      x-amazon-apigateway-integration: {type: mock}
      responses: {}
components:
  securitySchemes:
    Lambda:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:auth/invocations
"""

META = {
    "code": "T001",
    "name": "probe",
    "severity": "warning",
    "category": "custom",
    "tags": [],
    "summary": "A rule the tests write on the fly.",
    "rationale": "Only a test: it checks which nodes the selector and then reach, and where.",
    "fix": "Nothing to fix here.",
    "references": [{"title": "Writing rules", "url": "https://example.com/writing-rules"}],
    "examples": {"bad": "openapi: 3.0.1 # bad example", "good": "openapi: 3.0.1 # good example"},
}


def findings(tmp_path: Path, body: dict[str, Any]) -> set[tuple[int, str]]:
    rule_file = tmp_path / "rules" / "probe.yaml"
    rule_file.parent.mkdir(exist_ok=True)
    rule_file.write_text(yaml.safe_dump({**META, **body}))
    api = tmp_path / "api.yaml"
    api.write_text(API)
    settings = Settings(select=("probe",), custom=(str(rule_file.parent),))
    (result,) = lint_path(str(api), settings)
    assert result.error is None and not result.crashes, (result.error, result.crashes)
    return {(f.line, f.message) for f in result.findings}


@pytest.mark.parametrize(
    ("given", "then", "expected"),
    [
        pytest.param(
            {"methods": {"where": {"verb": {"not": "OPTIONS"}}}},
            {"fact": "auth", "function": "enumeration", "functionOptions": {"values": ["cognito"]}},
            {
                (7, '"lambda" must be equal to one of the allowed values: "cognito"'),
                (13, '"none" must be equal to one of the allowed values: "cognito"'),
            },
            id="methods-auth-fact-at-its-security",
        ),
        pytest.param(
            {"methods": {"where": {"function-region": "eu-west-1"}}},
            {"field": "operationId", "function": "casing", "functionOptions": {"type": "camel"}},
            set(),
            id="where-function-region",
        ),
        pytest.param(
            {"methods": {"where": {"path": {"pattern": "^/pets$"}}}},
            {"field": "operationId", "function": "casing", "functionOptions": {"type": "camel"}},
            {(14, "must be camel case")},
            id="where-path-pattern-field-at-its-node",
        ),
        pytest.param(
            {"integrations": {"where": {"type": {"in": ["aws_proxy"]}}}},
            {
                "fact": "function-account",
                "function": "enumeration",
                "functionOptions": {"values": ["123456789012"]},
            },
            {(11, '"111122223333" must be equal to one of the allowed values: "123456789012"')},
            id="integration-account-at-uri",
        ),
        pytest.param(
            {"authorizers": {"where": {"kind": "lambda"}}},
            {"field": "x-amazon-apigateway-authorizer.identitySource", "function": "defined"},
            {(31, '"identitySource" property must be defined')},
            id="authorizer-missing-field-at-parent",
        ),
        pytest.param(
            "$.paths[*][?(@property != 'options')]",
            {
                "field": "operationId",
                "function": "pattern",
                "functionOptions": {"match": "^[a-z]+[A-Z]"},
            },
            {(14, '"add_pet" must match the pattern "^[a-z]+[A-Z]"')},
            id="jsonpath-filter-on-key",
        ),
        pytest.param(
            "$.paths",
            {"field": "@key", "function": "truthy"},
            set(),
            id="jsonpath-at-key",
        ),
        pytest.param(
            "$.paths.*~",
            {"function": "pattern", "functionOptions": {"notMatch": "\\{"}},
            {(20, '"/pets/{id}" must not match the pattern "\\\\{"')},
            id="jsonpath-keys",
        ),
        pytest.param(
            "$.paths[*][*]",
            {"field": "$..uri", "function": "pattern", "functionOptions": {"match": "^https://"}},
            {
                (
                    11,
                    '"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:'
                    'eu-west-1:111122223333:function:list/invocations" must match the pattern '
                    '"^https://"',
                )
            },
            id="field-jsonpath",
        ),
    ],
)
def test_selected_nodes_and_positions(
    given: Any, then: dict[str, Any], expected: set[tuple[int, str]], tmp_path: Path
) -> None:
    assert findings(tmp_path, {"given": given, "then": then}) == expected


def test_message_placeholders(tmp_path: Path) -> None:
    body = {
        "given": {"methods": {}},
        "then": {
            "field": "operationId",
            "function": "casing",
            "functionOptions": {"type": "camel"},
        },
        "message": "{{operation}}: {{property}} {{value}} at {{path}}: {{error}}",
    }
    assert findings(tmp_path, body) == {
        (
            14,
            # {{path}} as Spectral prints it (a URI-fragment JSON Pointer): see test_spectral_run.
            "POST /pets: operationId add_pet at #/paths/~1pets/post/operationId: must be camel case",
        )
    }


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"methods": {"where": {"colour": "red"}}}, "given.methods.where.colour: unknown fact"),
        ({"routes": {}}, "given: unknown selector 'routes'"),
        ({"methods": {"where": {"verb": {"like": "G"}}}}, "unknown condition 'like'"),
        ("$.paths[?(@.x.match(/a/))]", "given: '.match(' is JavaScript apilint does not run"),
    ],
)
def test_bad_selectors_name_the_field(given: Any, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    with pytest.raises(UsageError) as raised:
        parse_rule(path, {**META, "given": given, "then": {"function": "truthy"}})
    assert raised.value.message.startswith(f"{path}: ")
    assert problem in raised.value.message


def test_the_api_fact(tmp_path: Path) -> None:
    body = {
        "given": {"api": {}},
        "then": {"fact": "title", "function": "pattern", "functionOptions": {"match": "^Acme "}},
    }
    assert findings(tmp_path, body) == {(1, '"pets" must match the pattern "^Acme "')}
