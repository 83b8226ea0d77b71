"""Synthesise the CDK fixture apps into fixtures/cdk/ (their `cdk.out` templates).

Not a test dependency: run it with the CDK's Python library in a throwaway venv (it needs
Node.js, which jsii runs the library on; the `cdk` CLI is not needed: `app.synth()` writes the
cloud assembly):

    python3 -m venv /tmp/cdk && /tmp/cdk/bin/pip install aws-cdk-lib constructs
    /tmp/cdk/bin/python scripts/synth_cdk_fixtures.py

then review and commit fixtures/cdk/. The apps: `good/` are correct (REST with a Lambda proxy,
CORS via defaultCorsPreflightOptions with a Cognito authorizer, an HTTP API with a JWT
authorizer, an API in a nested stack); `broken/<rule>/` each break one core rule.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "cdk"
#: Context that makes the output what `cdk synth` writes, minus what changes between runs.
CONTEXT = {
    "aws:cdk:enable-path-metadata": True,
    "aws:cdk:enable-asset-metadata": True,  # aws:asset:path: where a nested template is
    "aws:cdk:version-reporting": False,
}
_CODE = "def handler(event, context):\n    return {'statusCode': 200, 'body': '{}'}\n"
_INVOKE = "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"


def function(scope: Construct, name: str = "Handler") -> lambda_.Function:
    return lambda_.Function(
        scope,
        name,
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(_CODE),
    )


def cors() -> apigw.CorsOptions:
    return apigw.CorsOptions(
        allow_origins=["https://app.example.com"], allow_methods=apigw.Cors.ALL_METHODS
    )


def rest_cors_cognito(stack: cdk.Stack) -> None:
    """Correct: CORS on every resource, a Cognito authorizer on every method but OPTIONS."""
    pool = cognito.UserPool(stack, "Users")
    auth = apigw.CognitoUserPoolsAuthorizer(stack, "Auth", cognito_user_pools=[pool])
    api = apigw.RestApi(stack, "Api", default_cors_preflight_options=cors())
    # Errors the gateway answers itself (401 from the authorizer) need CORS headers too.
    for kind in (apigw.ResponseType.DEFAULT_4_XX, apigw.ResponseType.DEFAULT_5_XX):
        api.add_gateway_response(
            kind.response_type,
            type=kind,
            response_headers={"Access-Control-Allow-Origin": "'https://app.example.com'"},
        )
    backend = apigw.LambdaIntegration(function(stack))
    options = {"authorizer": auth, "authorization_type": apigw.AuthorizationType.COGNITO}
    items = api.root.add_resource("items")
    items.add_method("GET", backend, **options)
    items.add_method("POST", backend, **options)
    item = items.add_resource("{id}")
    item.add_method("GET", backend, **options)
    item.add_method("DELETE", backend, **options)


def rest_lambda_proxy(stack: cdk.Stack) -> None:
    """Correct: a LambdaRestApi (ANY / and ANY /{proxy+}) with IAM authorization."""
    apigw.LambdaRestApi(
        stack,
        "Api",
        handler=function(stack),
        default_method_options=apigw.MethodOptions(authorization_type=apigw.AuthorizationType.IAM),
    )


def http_jwt(stack: cdk.Stack) -> None:
    """Correct: an HTTP API with a JWT authorizer and a CORS configuration."""
    auth = authorizers.HttpJwtAuthorizer(
        "Jwt", "https://issuer.example.com", jwt_audience=["my-client"]
    )
    api = apigwv2.HttpApi(
        stack,
        "Api",
        default_authorizer=auth,
        cors_preflight=apigwv2.CorsPreflightOptions(
            allow_origins=["https://app.example.com"],
            allow_methods=[apigwv2.CorsHttpMethod.ANY],
            allow_headers=["authorization", "content-type"],
        ),
    )
    backend = integrations.HttpLambdaIntegration("Backend", function(stack))
    api.add_routes(
        path="/items",
        methods=[apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST],
        integration=backend,
    )


class _Nested(cdk.NestedStack):
    def __init__(self, scope: Construct, name: str) -> None:
        super().__init__(scope, name)
        rest_lambda_proxy(self)  # type: ignore[arg-type]


def nested(stack: cdk.Stack) -> None:
    """Correct: the API lives in a nested stack (its template is an asset of the parent)."""
    _Nested(stack, "Inner")


def method_unauthenticated(stack: cdk.Stack) -> None:
    api = apigw.RestApi(stack, "Api")
    api.root.add_resource("items").add_method("GET", apigw.LambdaIntegration(function(stack)))


def cors_preflight_missing(stack: cdk.Stack) -> None:
    """/items has CORS, /orders (DELETE: always preflighted) was forgotten."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    backend = apigw.LambdaIntegration(function(stack))
    api.root.add_resource("items", default_cors_preflight_options=cors()).add_method("GET", backend)
    api.root.add_resource("orders").add_method("DELETE", backend)


def cors_preflight_incomplete(stack: cdk.Stack) -> None:
    """The preflight allows GET only, but the resource also answers DELETE."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    items = api.root.add_resource("items")
    items.add_cors_preflight(allow_origins=["https://app.example.com"], allow_methods=["GET"])
    backend = apigw.LambdaIntegration(function(stack))
    items.add_method("GET", backend)
    items.add_method("DELETE", backend)


def cors_preflight_requires_auth(stack: cdk.Stack) -> None:
    """An OPTIONS method added by hand with the API's default IAM authorization."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    items = api.root.add_resource("items")
    items.add_method("GET", apigw.LambdaIntegration(function(stack)))
    items.add_method(
        "OPTIONS",
        apigw.MockIntegration(
            request_templates={"application/json": '{"statusCode": 200}'},
            integration_responses=[
                apigw.IntegrationResponse(
                    status_code="204",
                    response_parameters={
                        "method.response.header.Access-Control-Allow-Origin": "'*'",
                        "method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
                        "method.response.header.Access-Control-Allow-Headers": "'Authorization'",
                    },
                )
            ],
        ),
        method_responses=[
            apigw.MethodResponse(
                status_code="204",
                response_parameters={
                    "method.response.header.Access-Control-Allow-Origin": True,
                    "method.response.header.Access-Control-Allow-Methods": True,
                    "method.response.header.Access-Control-Allow-Headers": True,
                },
            )
        ],
    )


def resource_quota_exceeded(stack: cdk.Stack) -> None:
    """310 resources (the quota is 300; a stack holds at most 500 resources, so one method)."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    for n in range(155):
        api.root.add_resource(f"group{n}").add_resource("{id}")
    api.root.add_method("GET", apigw.LambdaIntegration(function(stack)))


def rest_300(stack: cdk.Stack) -> None:
    """The speed benchmark's input (benchmarks/run.py): 300 resources (the root and 299, the
    default quota) and as many methods as a stack's 500-resource limit leaves room for."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    mock = apigw.MockIntegration(
        request_templates={"application/json": '{"statusCode": 200}'},
        integration_responses=[apigw.IntegrationResponse(status_code="200")],
    )
    for n in range(100):
        group = api.root.add_resource(f"group{n}")
        item = group.add_resource("{id}")
        detail = item.add_resource("detail") if n < 99 else None
        for resource in (group, item, detail)[: 2 if n < 90 else 1]:
            if resource is not None:
                resource.add_method("GET", mock, method_responses=[{"statusCode": "200"}])


def lambda_uri_invalid(stack: cdk.Stack) -> None:
    """A function name where the function ARN belongs."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    uri = cdk.Fn.sub(_INVOKE + "my-function/invocations")
    api.root.add_resource("items").add_method("GET", _proxy(uri, "POST"))


def lambda_http_method_not_post(stack: cdk.Stack) -> None:
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    uri = cdk.Fn.sub(_INVOKE + "${Fn}/invocations", {"Fn": function(stack).function_arn})
    api.root.add_resource("items").add_method("GET", _proxy(uri, "GET"))


def lambda_reference_dangling(stack: cdk.Stack) -> None:
    """An escape hatch that names a function the stack does not define."""
    api = apigw.RestApi(stack, "Api", default_method_options=_iam())
    method = api.root.add_resource("items").add_method(
        "GET", apigw.LambdaIntegration(function(stack))
    )
    cfn = method.node.default_child
    assert isinstance(cfn, apigw.CfnMethod)
    cfn.add_property_override(
        "Integration.Uri", {"Fn::Sub": _INVOKE + "${OldHandler.Arn}/invocations"}
    )


def _iam() -> apigw.MethodOptions:
    return apigw.MethodOptions(authorization_type=apigw.AuthorizationType.IAM)


def _proxy(uri: str, verb: str) -> apigw.Integration:
    return apigw.Integration(
        type=apigw.IntegrationType.AWS_PROXY, integration_http_method=verb, uri=uri
    )


APPS: dict[str, Callable[[cdk.Stack], None]] = {
    "good/rest-cors-cognito": rest_cors_cognito,
    "good/rest-lambda-proxy": rest_lambda_proxy,
    "good/http-jwt": http_jwt,
    "good/nested": nested,
    "bench/rest-300": rest_300,
    "broken/method-unauthenticated": method_unauthenticated,
    "broken/cors-preflight-missing": cors_preflight_missing,
    "broken/cors-preflight-incomplete": cors_preflight_incomplete,
    "broken/cors-preflight-requires-auth": cors_preflight_requires_auth,
    "broken/resource-quota-exceeded": resource_quota_exceeded,
    "broken/lambda-uri-invalid": lambda_uri_invalid,
    "broken/lambda-http-method-not-post": lambda_http_method_not_post,
    "broken/lambda-reference-dangling": lambda_reference_dangling,
}
#: What a cloud assembly holds that the fixtures keep (no tree.json: it only repeats paths).
KEEP = ("*.template.json", "manifest.json", "*.assets.json", "cdk.out")


def synth(name: str, build: Callable[[cdk.Stack], None]) -> None:
    out = OUT / name / "cdk.out"
    shutil.rmtree(out, ignore_errors=True)
    app = cdk.App(outdir=str(out), context=dict(CONTEXT))
    build(cdk.Stack(app, "".join(p.capitalize() for p in name.split("/")[-1].split("-"))))
    app.synth()
    kept = {p for pattern in KEEP for p in out.glob(pattern)}
    for path in out.iterdir():
        if path not in kept:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def main(names: list[str]) -> int:
    for name, build in APPS.items():
        if not names or name in names:
            synth(name, build)
    versions = {name: metadata.version(name) for name in ("aws-cdk-lib", "constructs", "jsii")}
    (OUT / "VERSION.json").write_text(json.dumps(versions, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
