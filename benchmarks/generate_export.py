"""Generate an AWS-style REST API export: N groups of three resources, five methods each.

Shaped like `aws apigateway get-export --extensions apigateway`: Lambda proxy integrations,
Lambda TOKEN and Cognito authorizers, mock OPTIONS preflights with complete CORS headers,
`{proxy+}` with ANY, gateway responses with CORS. It is a correct definition: apilint must find
no error and no warning in it. The default (99 groups) has 300 resources (with the root) and
1,500 methods, the quota edge. Usage: python benchmarks/generate_export.py [--groups N] OUT.yaml

`generate_flat(resources)` is the other shape, for scale: one mock GET per resource with no
authorization, so the definition grows by one resource and one finding (AGW301) at a time.
Usage: python benchmarks/generate_export.py --flat N OUT.yaml
"""

from __future__ import annotations

import argparse
import sys

FN = (
    "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:eu-west-1:123456789012:function:{name}/invocations"
)


def _cors_options(methods: str) -> list[str]:
    return [
        "    options:",
        "      responses:",
        "        '200':",
        "          description: 200 response",
        "          headers:",
        "            Access-Control-Allow-Origin: {schema: {type: string}}",
        "            Access-Control-Allow-Methods: {schema: {type: string}}",
        "            Access-Control-Allow-Headers: {schema: {type: string}}",
        "      x-amazon-apigateway-integration:",
        "        type: mock",
        "        requestTemplates: {application/json: '{\"statusCode\": 200}'}",
        "        passthroughBehavior: when_no_match",
        "        responses:",
        "          default:",
        "            statusCode: '200'",
        "            responseParameters:",
        "              method.response.header.Access-Control-Allow-Origin: \"'https://app.example.com'\"",
        f"              method.response.header.Access-Control-Allow-Methods: \"'{methods},OPTIONS'\"",
        "              method.response.header.Access-Control-Allow-Headers: \"'Content-Type,Authorization'\"",
    ]


def _method(verb: str, fn: str, scheme: str, path_params: list[str]) -> list[str]:
    lines = [f"    {verb}:", f"      security: [{{{scheme}: []}}]"]
    if path_params:
        lines.append("      parameters:")
        lines += [
            f"        - {{name: {p}, in: path, required: true, schema: {{type: string}}}}"
            for p in path_params
        ]
    if verb in ("post", "put", "patch"):
        lines += [
            "      requestBody:",
            "        content:",
            "          application/json: {schema: {$ref: '#/components/schemas/Item'}}",
        ]
    lines += [
        "      responses:",
        "        '200':",
        "          description: 200 response",
        "          headers:",
        "            Access-Control-Allow-Origin: {schema: {type: string}}",
        "      x-amazon-apigateway-integration:",
        "        type: aws_proxy",
        "        httpMethod: POST",
        f"        uri: {FN.format(name=fn)}",
        "        passthroughBehavior: when_no_match",
        "        contentHandling: CONVERT_TO_TEXT",
    ]
    return lines


def generate(groups: int = 99) -> str:
    out = [
        "openapi: 3.0.1",
        "info: {title: generated-export, version: '2024-01-01T00:00:00Z'}",
        "servers:",
        "  - url: https://abc123.execute-api.eu-west-1.amazonaws.com/{basePath}",
        "    variables: {basePath: {default: prod}}",
        "paths:",
    ]
    for i in range(groups):
        scheme = "token" if i % 2 else "cognito"
        base = f"/group{i}"
        out.append(f"  {base}:")
        for verb in ("get", "post", "put", "delete"):
            out += _method(verb, f"group{i}-{verb}", scheme, [])
        out += _cors_options("GET,POST,PUT,DELETE")
        out.append(f"  {base}/{{id}}:")
        for verb in ("get", "put", "patch", "delete"):
            out += _method(verb, f"item{i}-{verb}", scheme, ["id"])
        out += _cors_options("GET,PUT,PATCH,DELETE")
        out.append(f"  {base}/{{id}}/{{proxy+}}:")
        for verb in ("get", "post", "delete"):
            out += _method(verb, f"proxy{i}-{verb}", scheme, ["id", "proxy"])
        out += _method("x-amazon-apigateway-any-method", f"proxy{i}", scheme, ["id", "proxy"])
        out += _cors_options("GET,POST,DELETE,PUT,PATCH")
    # The root, /status and /status/{name}: with the groups, 300 resources and 1,500 methods.
    for path, params in (("/", []), ("/status", []), ("/status/{name}", ["name"])):
        out.append(f"  {path}:")
        for verb in ("get", "post", "put", "delete"):
            out += _method(verb, f"status-{verb}", "token", params)
        out += _cors_options("GET,POST,PUT,DELETE")
    out += [
        "components:",
        "  schemas:",
        "    Item:",
        "      type: object",
        "      properties: {name: {type: string}, size: {type: integer}}",
        "  securitySchemes:",
        "    token:",
        "      type: apiKey",
        "      name: Authorization",
        "      in: header",
        "      x-amazon-apigateway-authtype: custom",
        "      x-amazon-apigateway-authorizer:",
        "        type: token",
        "        identitySource: method.request.header.Authorization",
        "        authorizerResultTtlInSeconds: 300",
        f"        authorizerUri: {FN.format(name='authorizer')}",
        "    cognito:",
        "      type: apiKey",
        "      name: Authorization",
        "      in: header",
        "      x-amazon-apigateway-authtype: cognito_user_pools",
        "      x-amazon-apigateway-authorizer:",
        "        type: cognito_user_pools",
        "        providerARNs: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123]",
        "x-amazon-apigateway-gateway-responses:",
        "  DEFAULT_4XX:",
        "    responseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: \"'https://app.example.com'\"}",
        "  DEFAULT_5XX:",
        "    responseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: \"'https://app.example.com'\"}",
    ]
    return "\n".join(out) + "\n"


def generate_flat(resources: int) -> str:
    """`resources` paths `/rN`, each with one open mock GET (a warning each): run time and
    finding positions against the size of the definition."""
    out = ["openapi: 3.0.1", "info: {title: flat, version: '1'}", "paths:"]
    for i in range(resources):
        out += [
            f"  /r{i}:",
            "    get:",
            "      responses: {'200': {description: ok}}",
            "      x-amazon-apigateway-integration:",
            "        type: mock",
            "        requestTemplates: {application/json: '{\"statusCode\": 200}'}",
            "        responses: {default: {statusCode: '200'}}",
        ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--groups", type=int, default=99)
    parser.add_argument("--flat", type=int, metavar="RESOURCES", help="the flat shape instead")
    args = parser.parse_args(argv)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(generate_flat(args.flat) if args.flat else generate(args.groups))
    return 0


if __name__ == "__main__":
    sys.exit(main())
