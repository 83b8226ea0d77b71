"""The CORS preflight a fix adds, computed from the gateway model (apilint/model/preflight.py):
methods, headers and origin, and the definition text in each API kind and version."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import api_of

from apilint.model.preflight import (
    Origin,
    Preflight,
    allow_origin_additions,
    api_origin,
    extended_list,
    http_cors_configuration,
    http_preflight,
    origin_additions,
    resource_preflight,
    rest_options_operation,
    unmapped_origins,
)

OAS3_REST = """openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /pets:
    put:
      security: [{key: [], pool: []}]
      parameters:
        - {name: X-Trace, in: header, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"200": {description: ok}}
    delete:
      security: [{sigv4: []}]
      responses: {"204": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        responses:
          default:
            statusCode: "204"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "'https://app.example.com'"
components:
  securitySchemes:
    key: {type: apiKey, name: x-api-key, in: header}
    pool:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [arn]}
    sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
"""

SWAGGER2_PLAIN = """swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /pets:
    patch: {responses: {"200": {description: ok}}}
"""


def test_rest_preflight_allows_the_methods_and_the_headers_they_send(tmp_path: Path) -> None:
    api = api_of(tmp_path, OAS3_REST)
    assert resource_preflight(api, api.resources["/pets"]) == Preflight(
        methods=("PUT", "DELETE", "OPTIONS"),
        # Accept is safelisted; X-Trace is optional but a client may send it
        headers=("X-Api-Key", "Authorization", "Content-Type", "X-Trace", "X-Amz-Date"),
        origin=Origin("https://app.example.com", known=True),
    )


def test_rest_preflight_without_headers_allows_content_type(tmp_path: Path) -> None:
    api = api_of(tmp_path, SWAGGER2_PLAIN)
    preflight = resource_preflight(api, api.resources["/pets"])
    assert (preflight.methods, preflight.headers) == (("PATCH", "OPTIONS"), ("Content-Type",))


@pytest.mark.parametrize(
    "mappings, expected",
    [
        pytest.param([], Origin("*", known=False), id="none-is-invented"),
        pytest.param(["'https://a.example'"], Origin("https://a.example", True), id="one"),
        pytest.param(
            ["'https://a.example'", "'https://a.example'"],
            Origin("https://a.example", True),
            id="same-twice",
        ),
        pytest.param(
            ["'https://a.example'", "'https://b.example'"],
            Origin("https://a.example", known=False),
            id="several-is-a-guess",
        ),
        pytest.param(["method.request.header.Origin"], Origin("*", False), id="echo-not-static"),
    ],
)
def test_origin_is_the_one_the_api_returns(
    tmp_path: Path, mappings: list[str], expected: Origin
) -> None:
    paths = "".join(
        f"""  /r{i}:
    get:
      responses: {{"200": {{description: ok}}}}
      x-amazon-apigateway-integration:
        type: mock
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "{value}"
"""
        for i, value in enumerate(mappings)
    )
    api = api_of(tmp_path, 'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths:\n' + paths)
    assert api_origin(api) == expected


def test_origin_from_gateway_responses(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        """openapi: 3.0.1
info: {title: t, version: "1"}
paths: {}
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    responseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: "'https://g.example'"}
""",
    )
    assert api_origin(api) == Origin("https://g.example", True)


MAPPINGS = {
    "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
    "method.response.header.Access-Control-Allow-Methods": "'PUT,OPTIONS'",
    "method.response.header.Access-Control-Allow-Headers": "'Content-Type'",
}
PREFLIGHT = Preflight(
    ("PUT", "OPTIONS"), ("Content-Type",), Origin("https://app.example.com", True)
)


@pytest.mark.parametrize(
    "version, declaration",
    [
        pytest.param('swagger: "2.0"', {"type": "string"}, id="swagger2"),
        pytest.param("openapi: 3.0.1", {"schema": {"type": "string"}}, id="oas3"),
    ],
)
def test_rest_options_operation_shape(tmp_path: Path, version: str, declaration: dict) -> None:
    api = api_of(tmp_path, version + '\ninfo: {title: t, version: "1"}\npaths: {}\n')
    assert rest_options_operation(api, PREFLIGHT) == {
        "responses": {
            "200": {
                "description": "CORS preflight",
                "headers": {
                    "Access-Control-Allow-Origin": declaration,
                    "Access-Control-Allow-Methods": declaration,
                    "Access-Control-Allow-Headers": declaration,
                },
            }
        },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": {"application/json": '{"statusCode": 200}'},
            "responses": {"default": {"statusCode": "200", "responseParameters": MAPPINGS}},
        },
    }


def test_rest_options_operation_opts_out_of_auth_and_binary(tmp_path: Path) -> None:
    api = api_of(
        tmp_path,
        OAS3_REST + "x-amazon-apigateway-binary-media-types: ['*/*']\n",
    )
    operation = rest_options_operation(api, PREFLIGHT)
    assert operation["security"] == []
    assert operation["x-amazon-apigateway-integration"]["contentHandling"] == "CONVERT_TO_TEXT"


HTTP_API = """openapi: 3.0.1
info: {title: t, version: "1"}
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /pets:
    delete:
      security: [{jwt: []}]
      x-amazon-apigateway-integration: {type: AWS_PROXY, payloadFormatVersion: "2.0", uri: u}
    get:
      x-amazon-apigateway-integration: {type: AWS_PROXY, payloadFormatVersion: "2.0", uri: u}
  /pets/{id}:
    put:
      requestBody: {content: {application/json: {}}}
      x-amazon-apigateway-integration: {type: AWS_PROXY, payloadFormatVersion: "2.0", uri: u}
components:
  securitySchemes:
    jwt:
      type: oauth2
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration: {audience: [a], issuer: https://issuer.example}
"""


def test_http_cors_configuration_covers_every_route(tmp_path: Path) -> None:
    api = api_of(tmp_path, HTTP_API)
    assert http_cors_configuration(http_preflight(api)) == {
        "allowOrigins": ["*"],
        "allowMethods": ["GET", "DELETE", "PUT", "OPTIONS"],
        "allowHeaders": ["Authorization", "Content-Type"],
    }
    assert http_preflight(api).origin.known is False


def test_http_any_route_allows_every_method(tmp_path: Path) -> None:
    api = api_of(tmp_path, HTTP_API.replace("    get:", "    x-amazon-apigateway-any-method:"))
    assert http_preflight(api).methods == ("*",)


GATEWAY = """openapi: 3.0.1
info: {title: t, version: "1"}
paths: {}
"""
HEADER = {"gatewayresponse.header.Access-Control-Allow-Origin": "'https://a.example'"}


@pytest.mark.parametrize(
    "responses, expected",
    [
        pytest.param(
            "",
            [
                (
                    (),
                    {
                        "x-amazon-apigateway-gateway-responses": {
                            "DEFAULT_4XX": {"responseParameters": HEADER},
                            "DEFAULT_5XX": {"responseParameters": HEADER},
                        }
                    },
                )
            ],
            id="no-gateway-responses",
        ),
        pytest.param(
            "x-amazon-apigateway-gateway-responses:\n"
            "  DEFAULT_4XX:\n    responseParameters: {gatewayresponse.header.X: \"'y'\"}\n"
            "  DEFAULT_5XX: {statusCode: '500'}\n",
            [
                (
                    ("x-amazon-apigateway-gateway-responses", "DEFAULT_4XX", "responseParameters"),
                    HEADER,
                ),
                (
                    ("x-amazon-apigateway-gateway-responses", "DEFAULT_5XX"),
                    {"responseParameters": HEADER},
                ),
            ],
            id="into-existing-response-and-parameters",
        ),
        pytest.param(
            "x-amazon-apigateway-gateway-responses:\n"
            "  DEFAULT_4XX:\n    responseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: \"'z'\"}\n",
            [
                (
                    ("x-amazon-apigateway-gateway-responses",),
                    {"DEFAULT_5XX": {"responseParameters": HEADER}},
                )
            ],
            id="new-entry-in-container",
        ),
    ],
)
def test_allow_origin_additions(tmp_path: Path, responses: str, expected: list) -> None:
    api = api_of(tmp_path, GATEWAY + responses)
    got = allow_origin_additions(api, Origin("https://a.example", True))
    assert [(at.tokens, entries) for at, entries in got] == expected


@pytest.mark.parametrize(
    "listed, extra, expected",
    [
        pytest.param("GET,OPTIONS", ["PUT"], "GET,OPTIONS,PUT", id="append"),
        pytest.param("GET, OPTIONS, ", ["PUT", "DELETE"], "GET, OPTIONS,PUT,DELETE", id="trailing"),
        pytest.param("", ["X-Api-Key"], "X-Api-Key", id="empty"),
    ],
)
def test_extended_list(listed: str, extra: list[str], expected: str) -> None:
    assert extended_list(listed, extra) == expected


TWO_ANSWERS = """openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        responses:
          default: {statusCode: "200"}
          "2\\\\d{2}": {statusCode: "200", responseParameters: {}}
          "5\\\\d{2}": {statusCode: "500"}
    put:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations
"""


def test_origin_additions_declare_once_per_method_response(tmp_path: Path) -> None:
    api = api_of(tmp_path, TWO_ANSWERS)
    resource = api.resources["/pets"]
    # the proxy PUT returns its backend's headers; the 5xx answer is not the page's business
    assert [(m.verb, r.tokens[-1]) for m, r in unmapped_origins(api, resource)] == [
        ("GET", "default"),
        ("GET", "2\\d{2}"),
    ]
    got = origin_additions(api, resource, Origin("https://a.example", True))
    responses = ("paths", "/pets", "get", "x-amazon-apigateway-integration", "responses")
    mapping = {"method.response.header.Access-Control-Allow-Origin": "'https://a.example'"}
    assert [(at.tokens, entries) for at, entries in got or []] == [
        (responses + ("default",), {"responseParameters": mapping}),
        (
            ("paths", "/pets", "get", "responses", "200"),
            {"headers": {"Access-Control-Allow-Origin": {"schema": {"type": "string"}}}},
        ),
        (responses + ("2\\d{2}", "responseParameters"), mapping),
    ]
