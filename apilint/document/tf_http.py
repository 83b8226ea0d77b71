"""An HTTP API built from Terraform resources: `aws_apigatewayv2_api` without `body` (and its
`cors_configuration`) plus `aws_apigatewayv2_route`, `_integration` and `_authorizer` (AWS
provider documentation, registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/
apigatewayv2_route etc.).

A route's `target` is `integrations/<integration id>`; integrations are written once under
`components.x-amazon-apigateway-integrations` and referred to with `$ref`, as routes share them.
"""

from __future__ import annotations

import re
from typing import Any

from apilint.document.pointer import Tokens
from apilint.document.tf_module import Block, Module, reference
from apilint.document.tf_openapi import (
    INTEGRATION,
    SIGV4,
    Out,
    children,
    follow,
    header_of,
    path_parameters,
    scheme,
    text,
    unknown,
    unknown_scheme,
    verb_key,
)

_INTEGRATIONS = ("components", "x-amazon-apigateway-integrations")
_INTEGRATION_FIELDS = {
    "integration_type": "type",
    "integration_method": "httpMethod",
    "integration_uri": "uri",
    "payload_format_version": "payloadFormatVersion",
    "connection_type": "connectionType",
    "connection_id": "connectionId",
    "credentials_arn": "credentials",
    "timeout_milliseconds": "timeoutInMillis",
    "request_parameters": "requestParameters",
}
_CORS_FIELDS = {
    "allow_origins": "allowOrigins",
    "allow_methods": "allowMethods",
    "allow_headers": "allowHeaders",
    "expose_headers": "exposeHeaders",
    "allow_credentials": "allowCredentials",
    "max_age": "maxAge",
}
#: The key of the integration quick create makes (no Terraform name can hold a space).
_QUICK_CREATE = "quick create"
_TARGET = re.compile(r"^integrations/(\$\{[^{}]*\})$")


class HttpReader:
    def __init__(self, module: Module, api: Block, out: Out) -> None:
        self.module, self.api, self.out = module, api, out
        self.integrations: dict[str, str] = {}  # integration address -> its key

    def read(self) -> None:
        self.out.place((), self.out.at(self.api))
        self.out.place(("paths",), self.out.at(self.api))
        cors = self.api.nested("cors_configuration")
        if cors is not None:
            self.out.copy(cors, _CORS_FIELDS, ("x-amazon-apigateway-cors",))
        for block in self._mine("aws_apigatewayv2_integration"):
            self._integration(block)
        self._quick_create()
        for block in self._mine("aws_apigatewayv2_authorizer"):
            self._authorizer(block)
        for block in self._mine("aws_apigatewayv2_route"):
            self._route(block)

    def _mine(self, kind: str) -> list[Block]:
        return children(self.out, kind, "api_id")

    def _integration(self, block: Block) -> None:
        key = block.labels[1]
        self.integrations[block.address] = key
        self.out.copy(block, _INTEGRATION_FIELDS, _INTEGRATIONS + (key,))

    def _authorizer(self, block: Block) -> None:
        kind = block.literal("authorizer_type")
        sources = block.literal("identity_sources")
        source = ", ".join(map(str, sources)) if isinstance(sources, list) else sources
        name = text(block.literal("name")) or block.labels[1]
        tokens = ("components", "securitySchemes", name)
        extra: dict[str, Any] = {"name": header_of(source)}
        if str(kind).upper() == "JWT":
            extra = {"type": "oauth2", "flows": {}}
        scheme(self.out, name, self.out.at(block), extra)
        for drop in ("name", "in") if "flows" in extra else ():
            self.out.data["components"]["securitySchemes"][name].pop(drop)
        authorizer = self.out.copy(
            block,
            {
                "authorizer_uri": "authorizerUri",
                "authorizer_payload_format_version": "authorizerPayloadFormatVersion",
                "enable_simple_responses": "enableSimpleResponses",
                "authorizer_result_ttl_in_seconds": "authorizerResultTtlInSeconds",
                "authorizer_credentials_arn": "authorizerCredentials",
            },
            tokens + ("x-amazon-apigateway-authorizer",),
        )
        authorizer["type"] = str(kind).lower() if text(kind) else kind
        self.out.place(
            tokens + ("x-amazon-apigateway-authorizer", "type"),
            self.out.at(block, "authorizer_type"),
        )
        if source is not None:
            authorizer["identitySource"] = source
            self.out.place(
                tokens + ("x-amazon-apigateway-authorizer", "identitySource"),
                self.out.at(block, "identity_sources"),
            )
        jwt = block.nested("jwt_configuration")
        if jwt is not None:
            self.out.copy(
                jwt,
                {"audience": "audience", "issuer": "issuer"},
                tokens + ("x-amazon-apigateway-authorizer", "jwtConfiguration"),
            )

    def _route(self, block: Block) -> None:
        key = text(block.literal("route_key"))
        if key is None:
            self.out.notes.append(unknown(block, "route_key", block.literal("route_key")))
            return
        shown = "authorization_type" if "authorization_type" in block.attrs else "route_key"
        tokens = self._operation(block, key, shown, self._target(block.literal("target")))
        security = self._security(block)
        if security:
            self.out.node(tokens)["security"] = [security]
            self.out.place(tokens + ("security",), self.out.at(block, "authorization_type"))

    def _operation(self, block: Block, key: str, shown: str, integration: str | None) -> Tokens:
        """The operation of a route key, placed at the block's `shown` attribute."""
        verb, _, path = key.partition(" ")
        if key == "$default":
            verb, path = "ANY", "$default"
        tokens = ("paths", path, verb_key(verb.upper()))
        self.out.node(("paths", path), self.out.at(block, "route_key"))
        op = self.out.node(tokens, self.out.at(block, shown))
        op["responses"] = {}
        if path.startswith("/"):
            op["parameters"] = path_parameters(path)
        if integration is not None:
            op[INTEGRATION] = {"$ref": "#/" + "/".join(_INTEGRATIONS + (integration,))}
            self.out.place(tokens + (INTEGRATION,), self.out.at(block, "target"))
        return tokens

    def _quick_create(self) -> None:
        """`target` on the API itself (quick create): a route (`route_key`, by default
        `$default`) without authorization to an AWS_PROXY integration of a function ARN, or
        HTTP_PROXY of a URL (AWS provider, aws_apigatewayv2_api `target`)."""
        if "target" not in self.api.attrs:
            return
        key = self.api.literal("route_key")
        key = "$default" if key is None else text(key)
        if key is None:
            self.out.notes.append(unknown(self.api, "route_key", self.api.literal("route_key")))
            return
        where = _INTEGRATIONS + (_QUICK_CREATE,)
        integration = self.out.node(where, self.out.at(self.api, "target"))
        uri = self.out.value(self.api, "target", where + ("uri",))
        web = isinstance(uri, str) and uri.lower().startswith(("http://", "https://"))
        integration.update({"type": "HTTP_PROXY" if web else "AWS_PROXY", "uri": uri})
        if not web:
            integration["payloadFormatVersion"] = "2.0"  # quick create's default for Lambda
        self._operation(self.api, key, "target", _QUICK_CREATE)

    def _target(self, value: Any) -> str | None:
        m = _TARGET.match(value) if isinstance(value, str) else None
        ref = reference(m.group(1)) if m else None
        return self.integrations.get(ref.address) if ref is not None else None

    def _security(self, block: Block) -> dict[str, list[Any]]:
        kind = block.literal("authorization_type")
        kind = "NONE" if kind is None else kind
        if text(kind) is None:
            return {unknown_scheme(self.out, block, "authorization_type", kind): []}
        if kind.upper() == "AWS_IAM":
            where = self.out.at(block, "authorization_type")
            scheme(self.out, SIGV4, where, {"x-amazon-apigateway-authtype": "awsSigv4"})
            return {SIGV4: []}
        if kind.upper() in ("JWT", "CUSTOM"):
            value = follow(self.module, block.literal("authorizer_id"))
            ref = reference(value)
            found = self.module.resources.get(ref.address) if ref is not None else None
            if found is None or found.labels[0] != "aws_apigatewayv2_authorizer":
                return {unknown_scheme(self.out, block, "authorizer_id", value): []}
            scopes = block.literal("authorization_scopes")
            name = text(found.literal("name")) or found.labels[1]
            return {name: scopes if isinstance(scopes, list) else []}
        return {}
