"""A REST API from CloudFormation resources (`AWS::ApiGateway::RestApi` without a body):
Resource, Method, Authorizer, GatewayResponse, RequestValidator and Model resources written as
the OpenAPI document API Gateway exports (apilint.document.cfn_resources)."""

from __future__ import annotations

import json
from typing import Any

from apilint.document.cfn_context import Context, attribute, prop, target_id
from apilint.document.intrinsics import render
from apilint.document.parameters import method_parameter
from apilint.document.pointer import Tokens

_ANY = "x-amazon-apigateway-any-method"
_INTEGRATION = "x-amazon-apigateway-integration"
#: Integration properties → x-amazon-apigateway-integration fields.
_INTEGRATION_FIELDS = {
    "Type": "type",
    "Uri": "uri",
    "IntegrationHttpMethod": "httpMethod",
    "Credentials": "credentials",
    "RequestTemplates": "requestTemplates",
    "RequestParameters": "requestParameters",
    "PassthroughBehavior": "passthroughBehavior",
    "ContentHandling": "contentHandling",
    "TimeoutInMillis": "timeoutInMillis",
    "CacheKeyParameters": "cacheKeyParameters",
    "CacheNamespace": "cacheNamespace",
    "ConnectionType": "connectionType",
    "ConnectionId": "connectionId",
    "ResponseTransferMode": "responseTransferMode",
}
_INTEGRATION_RESPONSE_FIELDS = {
    "StatusCode": "statusCode",
    "ResponseParameters": "responseParameters",
    "ResponseTemplates": "responseTemplates",
    "ContentHandling": "contentHandling",
}
_AUTHORIZER_FIELDS = {
    "Type": "type",
    "AuthorizerUri": "authorizerUri",
    "IdentitySource": "identitySource",
    "IdentityValidationExpression": "identityValidationExpression",
    "ProviderARNs": "providerARNs",
    "AuthorizerResultTtlInSeconds": "authorizerResultTtlInSeconds",
    "AuthorizerCredentials": "authorizerCredentials",
}
_API_FIELDS = {
    "BinaryMediaTypes": "x-amazon-apigateway-binary-media-types",
    "ApiKeySourceType": "x-amazon-apigateway-api-key-source",
    "Policy": "x-amazon-apigateway-policy",
    "MinimumCompressionSize": "x-amazon-apigateway-minimum-compression-size",
}
_SCHEMES = ("components", "securitySchemes")
_API_KEY = "api_key"


def write(ctx: Context) -> bool:
    """Write the REST API of `ctx`; False (with a note) when it has no method to lint."""
    ctx.copy(ctx.api_id, _API_FIELDS, ())
    _endpoint(ctx)
    paths = _resource_paths(ctx)
    schemes = _authorizers(ctx)
    validators = _validators(ctx)
    _models(ctx)
    _gateway_responses(ctx)
    methods = ctx.children("AWS::ApiGateway::Method")
    for logical_id in methods:
        _method(ctx, logical_id, paths, schemes, validators)
    if not methods:
        ctx.notes.append(f"{ctx.api_id} has no body and no AWS::ApiGateway::Method; not linted")
    return bool(methods)


def _endpoint(ctx: Context) -> None:
    """EndpointConfiguration's VpcEndpointIds (a private API), as exported under `servers`."""
    config = ctx.props(ctx.api_id).get("EndpointConfiguration")
    if not isinstance(config, dict) or "VpcEndpointIds" not in config:
        return
    at = ("servers", "0", "x-amazon-apigateway-endpoint-configuration")
    ctx.writer.put(
        ("servers",), [{"url": "/", at[-1]: {}}], prop(ctx.api_id, "EndpointConfiguration")
    )
    ctx.writer.place(at, prop(ctx.api_id, "EndpointConfiguration"))
    ctx.writer.place(
        at + ("vpcEndpointIds",), prop(ctx.api_id, "EndpointConfiguration", "VpcEndpointIds"), True
    )
    ctx.writer.data["servers"][0][at[-1]]["vpcEndpointIds"] = render(config["VpcEndpointIds"])


def _resource_paths(ctx: Context) -> dict[str, str]:
    """Logical id of each Resource of the API → its path (ParentId chains to the root)."""
    parents = {
        logical_id: (ctx.props(logical_id).get("ParentId"), ctx.props(logical_id).get("PathPart"))
        for logical_id in ctx.children("AWS::ApiGateway::Resource")
    }
    out: dict[str, str] = {}
    for logical_id in parents:
        chain: list[str] = []  # from the resource up to the first one whose path is known
        current: str | None = logical_id
        while current and current not in out and current not in chain:
            chain.append(current)
            current = _parent(ctx, parents[current][0], parents)
        base = "/" if current == "" else out.get(current or "")
        parts = [parents[c][1] for c in reversed(chain)]
        if base is None or not all(isinstance(p, str) for p in parts):
            ctx.notes.append(
                f"{logical_id}: its ParentId/PathPart do not lead to the root of "
                f"{ctx.api_id}; its methods are not linted"
            )
            continue
        for resource, part in zip(reversed(chain), parts):
            base = out[resource] = base.rstrip("/") + "/" + str(part)
    for logical_id, resource_path in out.items():
        # a resource without methods is still one of the API's resources (quotas count it)
        ctx.writer.put(("paths", resource_path), {}, prop(logical_id, "PathPart"))
        ctx.label(("paths", resource_path), logical_id)
    return out


def _parent(ctx: Context, parent: Any, resources: dict[str, Any]) -> str | None:
    """What a ParentId / ResourceId names: "" for the API's root, a Resource's logical id, or
    None for anything this template does not resolve."""
    target = target_id(parent)
    if target == ctx.api_id and attribute(parent) == "RootResourceId":
        return ""
    return target if target in resources and attribute(parent) is None else None


def _method(
    ctx: Context,
    logical_id: str,
    paths: dict[str, str],
    schemes: dict[str, str],
    validators: dict[str, str],
) -> None:
    props = ctx.props(logical_id)
    resource = props.get("ResourceId")
    parent = _parent(ctx, resource, paths)
    path = "/" if parent == "" else paths.get(parent or "")
    verb = props.get("HttpMethod")
    if path is None or not isinstance(verb, str):
        ctx.notes.append(
            f"{logical_id}: its ResourceId or HttpMethod cannot be read here; not linted"
        )
        return
    at: Tokens = ("paths", path, _ANY if verb.upper() == "ANY" else verb.lower())
    ctx.writer.put(at, {}, prop(logical_id, "HttpMethod") if "HttpMethod" in props else None)
    if path == "/":
        ctx.writer.place(("paths", "/"), ("Resources", ctx.api_id))
    ctx.label(at, logical_id)
    ctx.copy(logical_id, {"OperationName": "operationId"}, at)
    _security(ctx, logical_id, at, schemes)
    _parameters(ctx, logical_id, at)
    _request_models(ctx, logical_id, at)
    _method_responses(ctx, logical_id, at)
    _integration(ctx, logical_id, at)
    validator = target_id(props.get("RequestValidatorId"))
    if "RequestValidatorId" in props:
        ctx.writer.put(
            at + ("x-amazon-apigateway-request-validator",),
            validators.get(validator or "", render(props["RequestValidatorId"])),
            prop(logical_id, "RequestValidatorId"),
        )


def _security(ctx: Context, logical_id: str, at: Tokens, schemes: dict[str, str]) -> None:
    """`security` as API Gateway exports the method's authorization: the authorizer (or IAM)
    and the API key, in one requirement (both apply)."""
    props = ctx.props(logical_id)
    undecided = ctx.undecided_auth(logical_id, schemes)
    if undecided is not None:
        ctx.writer.put(at + ("security",), [{undecided: []}], prop(logical_id, "AuthorizationType"))
        return
    kind, name = ctx.authorization(logical_id, schemes)
    requirement: dict[str, list[Any]] = {}
    source = prop(logical_id, "AuthorizationType")
    if kind == "AWS_IAM":
        requirement[ctx.iam_scheme()] = []
    elif kind in ("CUSTOM", "COGNITO_USER_POOLS"):
        scopes = render(props.get("AuthorizationScopes"))
        requirement[name] = scopes if isinstance(scopes, list) else []
        source = prop(logical_id, "AuthorizerId") if "AuthorizerId" in props else source
    if props.get("ApiKeyRequired") in (True, "true", "True"):
        ctx.writer.put(
            (*_SCHEMES, _API_KEY),
            {"type": "apiKey", "name": "x-api-key", "in": "header"},
            ("Resources", ctx.api_id),
        )
        requirement[_API_KEY] = []
        if kind not in ("AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"):
            source = prop(logical_id, "ApiKeyRequired")
    if requirement:
        ctx.writer.put(at + ("security",), [requirement], source)
    elif "AuthorizationType" in props:
        ctx.writer.place(at + ("security",), source)


def _parameters(ctx: Context, logical_id: str, at: Tokens) -> None:
    """RequestParameters (`method.request.querystring.q: true`) as OpenAPI parameters."""
    declared = ctx.props(logical_id).get("RequestParameters")
    if not isinstance(declared, dict):
        return
    params: list[dict[str, Any]] = []
    for key, required in declared.items():
        param = method_parameter(key, required)
        if param is None:
            continue
        n = len(params)
        params.append(param)
        ctx.writer.place(at + ("parameters", str(n)), prop(logical_id, "RequestParameters", key))
    if params:
        ctx.writer.put(at + ("parameters",), params, prop(logical_id, "RequestParameters"))


def _request_models(ctx: Context, logical_id: str, at: Tokens) -> None:
    models = ctx.props(logical_id).get("RequestModels")
    if not isinstance(models, dict) or not models:
        return
    content = {
        media: {"schema": {"$ref": f"#/components/schemas/{_model_name(ctx, name)}"}}
        for media, name in models.items()
    }
    ctx.writer.put(at + ("requestBody",), {"content": content}, prop(logical_id, "RequestModels"))


def _model_name(ctx: Context, value: Any) -> str:
    """A model named by RequestModels/ResponseModels: its Name, or a Ref to the Model."""
    target = target_id(value)
    if target is not None and ctx.template.type_of(target) == "AWS::ApiGateway::Model":
        return ctx.name_of(target)
    return str(render(value))


def _method_responses(ctx: Context, logical_id: str, at: Tokens) -> None:
    listed = ctx.props(logical_id).get("MethodResponses")
    if not isinstance(listed, list):
        return
    responses: dict[str, Any] = {}
    for n, entry in enumerate(listed):
        status = render(entry.get("StatusCode")) if isinstance(entry, dict) else None
        if not isinstance(status, (str, int)):
            continue
        response: dict[str, Any] = {"description": f"{status} response"}
        headers = entry.get("ResponseParameters")
        if isinstance(headers, dict):
            response["headers"] = {
                key.removeprefix("method.response.header."): {"schema": {"type": "string"}}
                for key in headers
                if isinstance(key, str) and key.startswith("method.response.header.")
            }
        models = entry.get("ResponseModels")
        if isinstance(models, dict) and models:
            response["content"] = {
                media: {"schema": {"$ref": f"#/components/schemas/{_model_name(ctx, name)}"}}
                for media, name in models.items()
            }
        responses[str(status)] = response
        ctx.writer.place(
            at + ("responses", str(status)), prop(logical_id, "MethodResponses", str(n))
        )
    ctx.writer.put(at + ("responses",), responses, prop(logical_id, "MethodResponses"))


def _integration(ctx: Context, logical_id: str, at: Tokens) -> None:
    integration = ctx.props(logical_id).get("Integration")
    if not isinstance(integration, dict):
        return
    where = at + (_INTEGRATION,)
    ctx.writer.put(where, {}, prop(logical_id, "Integration"))
    ctx.copy(logical_id, _INTEGRATION_FIELDS, where, ("Integration",))
    listed = integration.get("IntegrationResponses")
    if not isinstance(listed, list):
        return
    responses: dict[str, Any] = {}
    ctx.writer.put(
        where + ("responses",), responses, prop(logical_id, "Integration", "IntegrationResponses")
    )
    for n, entry in enumerate(listed):
        if not isinstance(entry, dict):
            continue
        pattern = render(entry.get("SelectionPattern"))
        key = pattern if isinstance(pattern, str) and pattern else "default"
        source = ("Integration", "IntegrationResponses", str(n))
        ctx.writer.put(where + ("responses", key), {}, prop(logical_id, *source))
        ctx.copy(logical_id, _INTEGRATION_RESPONSE_FIELDS, where + ("responses", key), source)


def _authorizers(ctx: Context) -> dict[str, str]:
    """Authorizer logical id → the security scheme written for it."""
    out = {}
    for logical_id in ctx.children("AWS::ApiGateway::Authorizer"):
        props = ctx.props(logical_id)
        kind = props.get("Type")
        scheme = {
            "type": "apiKey",
            "name": _identity_header(props.get("IdentitySource")) or "Unused",
            "in": "header",
            "x-amazon-apigateway-authtype": (
                "cognito_user_pools"
                if isinstance(kind, str) and kind.upper() == "COGNITO_USER_POOLS"
                else "custom"
            ),
        }
        name, _ = ctx.authorizer(logical_id, scheme, _AUTHORIZER_FIELDS)
        out[logical_id] = name
    return out


def _identity_header(source: Any) -> str | None:
    if isinstance(source, str) and source.startswith("method.request.header."):
        return source.removeprefix("method.request.header.").split(",")[0].strip()
    return None


def _validators(ctx: Context) -> dict[str, str]:
    out = {}
    for logical_id in ctx.children("AWS::ApiGateway::RequestValidator"):
        name = ctx.name_of(logical_id)
        at = ("x-amazon-apigateway-request-validators", name)
        ctx.writer.put(at, {}, ("Resources", logical_id))
        ctx.copy(
            logical_id,
            {
                "ValidateRequestBody": "validateRequestBody",
                "ValidateRequestParameters": "validateRequestParameters",
            },
            at,
        )
        out[logical_id] = name
    return out


def _models(ctx: Context) -> None:
    for logical_id in ctx.children("AWS::ApiGateway::Model"):
        schema = ctx.props(logical_id).get("Schema")
        if isinstance(schema, str):  # CloudFormation takes the schema as JSON text too
            try:
                schema = json.loads(schema)
            except ValueError:
                continue
        if isinstance(schema, dict):
            ctx.writer.put(
                ("components", "schemas", ctx.name_of(logical_id)),
                render(schema),
                prop(logical_id, "Schema"),
                mirror=True,
            )


def _gateway_responses(ctx: Context) -> None:
    for logical_id in ctx.children("AWS::ApiGateway::GatewayResponse"):
        kind = ctx.props(logical_id).get("ResponseType")
        if not isinstance(kind, str):
            continue
        at = ("x-amazon-apigateway-gateway-responses", kind)
        ctx.writer.put(at, {}, prop(logical_id, "ResponseType"))
        ctx.label(at, logical_id)
        ctx.copy(
            logical_id,
            {
                "StatusCode": "statusCode",
                "ResponseParameters": "responseParameters",
                "ResponseTemplates": "responseTemplates",
            },
            at,
        )
