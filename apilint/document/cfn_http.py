"""An HTTP API from CloudFormation resources (`AWS::ApiGatewayV2::Api` without a body): Route,
Integration and Authorizer resources and the API's CorsConfiguration, written as the OpenAPI
document API Gateway exports (apilint.document.cfn_resources)."""

from __future__ import annotations

import re
from typing import Any

from apilint.document.cfn_context import Context, prop
from apilint.document.intrinsics import render
from apilint.document.pointer import Tokens

_ANY = "x-amazon-apigateway-any-method"
_INTEGRATION = "x-amazon-apigateway-integration"
_INTEGRATIONS = ("components", "x-amazon-apigateway-integrations")
_INTEGRATION_FIELDS = {
    "IntegrationType": "type",
    "IntegrationUri": "uri",
    "IntegrationMethod": "httpMethod",
    "PayloadFormatVersion": "payloadFormatVersion",
    "CredentialsArn": "credentials",
    "ConnectionType": "connectionType",
    "ConnectionId": "connectionId",
    "TimeoutInMillis": "timeoutInMillis",
    "RequestParameters": "requestParameters",
    "ResponseParameters": "responseParameters",
    "TlsConfig": "tlsConfig",
}
_CORS_FIELDS = {
    "AllowOrigins": "allowOrigins",
    "AllowMethods": "allowMethods",
    "AllowHeaders": "allowHeaders",
    "ExposeHeaders": "exposeHeaders",
    "MaxAge": "maxAge",
    "AllowCredentials": "allowCredentials",
}
_AUTHORIZER_FIELDS = {
    "AuthorizerType": "type",
    "AuthorizerUri": "authorizerUri",
    "AuthorizerPayloadFormatVersion": "authorizerPayloadFormatVersion",
    "AuthorizerResultTtlInSeconds": "authorizerResultTtlInSeconds",
    "EnableSimpleResponses": "enableSimpleResponses",
    "AuthorizerCredentialsArn": "authorizerCredentials",
    "IdentityValidationExpression": "identityValidationExpression",
}
_TARGET = re.compile(r"^integrations/\$\{([^}.]+)\}$")


def write(ctx: Context) -> bool:
    """Write the HTTP API of `ctx`; False (with a note) when it has nothing to lint."""
    protocol = ctx.props(ctx.api_id).get("ProtocolType")
    if protocol != "HTTP":
        ctx.notes.append(f"{ctx.api_id} is a {protocol or 'WebSocket'} API; not linted")
        return False
    _cors(ctx)
    integrations = _integrations(ctx)
    schemes = _authorizers(ctx)
    routes = ctx.children("AWS::ApiGatewayV2::Route")
    for logical_id in routes:
        _route(ctx, logical_id, integrations, schemes)
    quick = _quick_create(ctx)
    if not routes and not quick:
        ctx.notes.append(f"{ctx.api_id} has no body and no AWS::ApiGatewayV2::Route; not linted")
    return bool(routes) or quick


def _cors(ctx: Context) -> None:
    cors = ctx.props(ctx.api_id).get("CorsConfiguration")
    if isinstance(cors, dict):
        at = ("x-amazon-apigateway-cors",)
        ctx.writer.put(at, {}, prop(ctx.api_id, "CorsConfiguration"))
        ctx.copy(ctx.api_id, _CORS_FIELDS, at, ("CorsConfiguration",))


def _quick_create(ctx: Context) -> bool:
    """`Target` on the Api itself: API Gateway creates a Lambda proxy route (`RouteKey`, by
    default `$default`)."""
    props = ctx.props(ctx.api_id)
    if "Target" not in props:
        return False
    key = props.get("RouteKey", "$default")
    at = _operation(key)
    if at is None:
        return False
    source = prop(ctx.api_id, "RouteKey" if "RouteKey" in props else "Target")
    ctx.writer.put(at, {}, source)
    ctx.writer.place(at[:2], source)
    ctx.writer.put(
        at + (_INTEGRATION,),
        {"type": "aws_proxy", "uri": render(props["Target"]), "payloadFormatVersion": "2.0"},
        prop(ctx.api_id, "Target"),
    )
    return True


def _operation(key: Any) -> Tokens | None:
    """Where a route key's operation is written: `GET /items` → paths./items.get."""
    if key == "$default":
        return ("paths", "$default", _ANY)
    if not isinstance(key, str) or " " not in key:
        return None
    verb, path = key.split(" ", 1)
    return ("paths", path, _ANY if verb.upper() == "ANY" else verb.lower())


def _route(
    ctx: Context, logical_id: str, integrations: dict[str, str], schemes: dict[str, str]
) -> None:
    props = ctx.props(logical_id)
    at = _operation(render(props.get("RouteKey")))
    if at is None:
        ctx.notes.append(f"{logical_id}: its RouteKey cannot be read here; not linted")
        return
    ctx.writer.put(at, {}, prop(logical_id, "RouteKey"))
    ctx.writer.place(at[:2], prop(logical_id, "RouteKey"))
    ctx.label(at, logical_id)
    _route_security(ctx, logical_id, at, schemes)
    if "Target" in props:
        target = render(props["Target"])
        match = _TARGET.match(target) if isinstance(target, str) else None
        name = integrations.get(match.group(1)) if match else None
        ctx.writer.put(
            at + (_INTEGRATION,),
            {"$ref": "#/" + "/".join(_INTEGRATIONS + (name,))} if name else {},
            prop(logical_id, "Target"),
        )


def _route_security(ctx: Context, logical_id: str, at: Tokens, schemes: dict[str, str]) -> None:
    props = ctx.props(logical_id)
    undecided = ctx.undecided_auth(logical_id, schemes)
    if undecided is not None:
        ctx.writer.put(at + ("security",), [{undecided: []}], prop(logical_id, "AuthorizationType"))
        return
    kind, name = ctx.authorization(logical_id, schemes)
    if kind == "AWS_IAM":
        requirement: dict[str, list[str]] = {ctx.iam_scheme(): []}
        ctx.writer.put(at + ("security",), [requirement], prop(logical_id, "AuthorizationType"))
    elif kind in ("JWT", "CUSTOM"):
        scopes = render(props.get("AuthorizationScopes"))
        ctx.writer.put(
            at + ("security",),
            [{name: scopes if isinstance(scopes, list) else []}],
            prop(logical_id, "AuthorizerId" if "AuthorizerId" in props else "AuthorizationType"),
        )
    elif "AuthorizationType" in props:
        ctx.writer.place(at + ("security",), prop(logical_id, "AuthorizationType"))


def _integrations(ctx: Context) -> dict[str, str]:
    """Integration logical id → its name under components.x-amazon-apigateway-integrations."""
    out = {}
    for logical_id in ctx.children("AWS::ApiGatewayV2::Integration"):
        at = (*_INTEGRATIONS, logical_id)
        ctx.writer.put(at, {}, ("Resources", logical_id, "Properties"))
        ctx.label(at, logical_id)
        ctx.copy(logical_id, _INTEGRATION_FIELDS, at)
        out[logical_id] = logical_id
    return out


def _authorizers(ctx: Context) -> dict[str, str]:
    """Authorizer logical id → the security scheme written for it."""
    out = {}
    for logical_id in ctx.children("AWS::ApiGatewayV2::Authorizer"):
        props = ctx.props(logical_id)
        kind = props.get("AuthorizerType")
        scheme: dict[str, Any] = (
            {"type": "oauth2", "flows": {}}
            if isinstance(kind, str) and kind.upper() == "JWT"
            else {"type": "apiKey", "name": "Authorization", "in": "header"}
        )
        name, authorizer = ctx.authorizer(logical_id, scheme, _AUTHORIZER_FIELDS)
        sources = render(props.get("IdentitySource"))
        if isinstance(sources, list):
            ctx.writer.put(
                authorizer + ("identitySource",),
                ", ".join(str(s) for s in sources),
                prop(logical_id, "IdentitySource"),
            )
        config = props.get("JwtConfiguration")
        if isinstance(config, dict):
            ctx.writer.put(
                authorizer + ("jwtConfiguration",), {}, prop(logical_id, "JwtConfiguration")
            )
            ctx.copy(
                logical_id,
                {"Audience": "audience", "Issuer": "issuer"},
                authorizer + ("jwtConfiguration",),
                ("JwtConfiguration",),
            )
        out[logical_id] = name
    return out
