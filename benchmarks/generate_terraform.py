"""Generate a Terraform module that builds a REST API from resources: N groups of three
`aws_api_gateway_resource`s plus /health and /version (299 with the defaults: 300 resources with
the root, the quota edge).

Shaped like the AWS provider's documented examples: Lambda proxy integrations on
`invoke_arn`, a Cognito authorizer on every method but the preflights, mock OPTIONS preflights
with method and integration responses carrying the three CORS headers, gateway responses with
CORS. It is a correct module: apilint must find no error and no warning in it. Usage:
python benchmarks/generate_terraform.py [--groups N] OUT_DIR (writes OUT_DIR/main.tf).
"""

from __future__ import annotations

import argparse
from pathlib import Path

API = "aws_api_gateway_rest_api.api"
ORIGIN = "'https://app.example.com'"
HEADERS = ("Origin", "Methods", "Headers")


def _head() -> list[str]:
    return [
        f'resource "{API.split(".")[0]}" "api" {{',
        '  name = "generated"',
        "}",
        'resource "aws_cognito_user_pool" "pool" {',
        '  name = "users"',
        "}",
        'resource "aws_lambda_function" "handler" {',
        '  function_name = "handler"',
        '  role          = "arn:aws:iam::123456789012:role/handler"',
        '  handler       = "index.handler"',
        '  runtime       = "python3.12"',
        '  filename      = "handler.zip"',
        "}",
        'resource "aws_api_gateway_authorizer" "cognito" {',
        '  name          = "cognito"',
        f"  rest_api_id   = {API}.id",
        '  type          = "COGNITO_USER_POOLS"',
        "  provider_arns = [aws_cognito_user_pool.pool.arn]",
        "}",
        *(
            line
            for kind in ("DEFAULT_4XX", "DEFAULT_5XX")
            for line in (
                f'resource "aws_api_gateway_gateway_response" "{kind.lower()}" {{',
                f"  rest_api_id   = {API}.id",
                f'  response_type = "{kind}"',
                "  response_parameters = {",
                f'    "gatewayresponse.header.Access-Control-Allow-Origin" = "{ORIGIN}"',
                "  }",
                "}",
            )
        ),
    ]


def _resource(name: str, parent: str, part: str) -> list[str]:
    return [
        f'resource "aws_api_gateway_resource" "{name}" {{',
        f"  rest_api_id = {API}.id",
        f"  parent_id   = {parent}",
        f'  path_part   = "{part}"',
        "}",
    ]


def _method(resource: str, verb: str, path_id: bool = False) -> list[str]:
    name = f"{resource}_{verb.lower()}"
    where = [f"  rest_api_id = {API}.id", f"  resource_id = aws_api_gateway_resource.{resource}.id"]
    # the method declares the path variable of its resource (and of those above it)
    declared = ['  request_parameters = { "method.request.path.id" = true }'] if path_id else []
    return [
        f'resource "aws_api_gateway_method" "{name}" {{',
        *where,
        f'  http_method   = "{verb}"',
        '  authorization = "COGNITO_USER_POOLS"',
        "  authorizer_id = aws_api_gateway_authorizer.cognito.id",
        *declared,
        "}",
        f'resource "aws_api_gateway_integration" "{name}" {{',
        *where,
        f"  http_method             = aws_api_gateway_method.{name}.http_method",
        '  integration_http_method = "POST"',
        '  type                    = "AWS_PROXY"',
        "  uri                     = aws_lambda_function.handler.invoke_arn",
        "}",
    ]


def _preflight(resource: str, verbs: list[str]) -> list[str]:
    name = f"{resource}_options"
    where = [f"  rest_api_id = {API}.id", f"  resource_id = aws_api_gateway_resource.{resource}.id"]
    method = f"  http_method = aws_api_gateway_method.{name}.http_method"
    values = {
        "Origin": ORIGIN,
        "Methods": f"'{','.join(verbs)},OPTIONS'",
        "Headers": "'Content-Type,Authorization'",
    }
    return [
        f'resource "aws_api_gateway_method" "{name}" {{',
        *where,
        '  http_method   = "OPTIONS"',
        '  authorization = "NONE"',
        "}",
        f'resource "aws_api_gateway_integration" "{name}" {{',
        *where,
        method,
        '  type        = "MOCK"',
        '  request_templates = { "application/json" = "{\\"statusCode\\": 200}" }',
        "}",
        f'resource "aws_api_gateway_method_response" "{name}" {{',
        *where,
        method,
        '  status_code = "200"',
        "  response_parameters = {",
        *(f'    "method.response.header.Access-Control-Allow-{h}" = true' for h in HEADERS),
        "  }",
        "}",
        f'resource "aws_api_gateway_integration_response" "{name}" {{',
        *where,
        method,
        f"  status_code = aws_api_gateway_method_response.{name}.status_code",
        "  response_parameters = {",
        *(
            f'    "method.response.header.Access-Control-Allow-{h}" = "{values[h]}"'
            for h in HEADERS
        ),
        "  }",
        "}",
    ]


def generate(groups: int = 99) -> str:
    lines = _head()
    root = f"{API}.root_resource_id"
    for i in range(groups):
        tree = [
            (f"g{i}", root, f"group{i}", ["GET", "POST"]),
            (f"g{i}_item", f"aws_api_gateway_resource.g{i}.id", "{id}", ["GET", "DELETE"]),
            (f"g{i}_items", f"aws_api_gateway_resource.g{i}_item.id", "items", ["GET"]),
        ]
        for name, parent, part, verbs in tree:
            lines += _resource(name, parent, part)
            for verb in verbs:
                lines += _method(name, verb, path_id=name != f"g{i}")
            lines += _preflight(name, verbs)
    for name in ("health", "version"):
        lines += _resource(name, root, name) + _method(name, "GET") + _preflight(name, ["GET"])
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=99)
    parser.add_argument("out")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "main.tf").write_text(generate(args.groups))


if __name__ == "__main__":
    main()
