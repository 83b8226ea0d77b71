"""API-wide facts of a definition and of a stage's export, in one form (see facts.py):
authorizers, gateway responses, resource policy, binary media types and the other settings,
an HTTP API's CORS configuration (docs/dev/gateway-facts.md#exports)."""

from __future__ import annotations

import json
import re
from typing import Any

from apilint.document.intrinsics import render
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.model.auth import API_KEY_SOURCE
from apilint.model.cors import HTTP_CORS
from apilint.model.drift.values import ANY, lower, mapping, names, target_uri, templates, upper
from apilint.model.gateway import Api, SecurityScheme
from apilint.model.values import number

BINARY_TYPES = "x-amazon-apigateway-binary-media-types"
POLICY = "x-amazon-apigateway-policy"
COMPRESSION = "x-amazon-apigateway-minimum-compression-size"
#: A REST authorizer's cache TTL when none is set ("The default value is 300", Authorizer
#: resultTtlInSeconds, API Gateway API reference).
DEFAULT_TTL = 300


def rendered(value: Any) -> dict[str, Any]:
    """A definition file that a template includes may hold intrinsics (`Fn::Sub`) where the
    template's reading has placeholders: read alone, they become placeholders here too."""
    out = render(value)
    return out if isinstance(out, dict) else {}


def binary_types(api: Api) -> Any:
    at = api.ext(BINARY_TYPES)
    return names(at.value, fold=True) if at is not None else ()


def _identity_source(scheme: SecurityScheme, value: Any) -> Any:
    if value is None and scheme.location == "header" and scheme.header:
        # A TOKEN authorizer reads the header its apiKey scheme names.
        value = f"method.request.header.{scheme.header}"
    if not isinstance(value, str) or has_placeholder(value):
        return names(value, fold=True) if isinstance(value, list) else value
    return tuple(
        sorted(
            p.strip().lower() if ".header." in p.lower() else p.strip() for p in value.split(",")
        )
    )


def authorizer(api: Api, scheme: SecurityScheme) -> dict[str, Any]:
    a = rendered(scheme.authorizer.value if scheme.authorizer is not None else {})
    kind = lower(a.get("type"))
    out: dict[str, Any] = {"type": kind}
    if kind == "cognito_user_pools":
        out["providerARNs"] = names(a.get("providerARNs"))
        out["identitySource"] = _identity_source(scheme, a.get("identitySource"))
        return out
    if kind == "jwt":
        config = mapping(a.get("jwtConfiguration"))
        out["issuer"] = config.get("issuer")
        out["audience"] = names(config.get("audience"))
        out["identitySource"] = _identity_source(scheme, a.get("identitySource"))
        return out
    out["authorizerUri"] = target_uri(a.get("authorizerUri"))
    out["authorizerCredentials"] = a.get("authorizerCredentials")
    ttl = a.get("authorizerResultTtlInSeconds")
    out["authorizerResultTtlInSeconds"] = (
        ttl
        if has_placeholder(ttl)
        else number(ttl)
        if ttl is not None
        else DEFAULT_TTL
        if api.kind == "rest"
        else ANY
    )
    out["identitySource"] = _identity_source(scheme, a.get("identitySource"))
    out["identityValidationExpression"] = a.get("identityValidationExpression")
    if api.kind == "http":
        out["authorizerPayloadFormatVersion"] = a.get("authorizerPayloadFormatVersion", ANY)
        out["enableSimpleResponses"] = a.get("enableSimpleResponses") is True
    return out


def authorizers(api: Api) -> dict[str, tuple[At, dict[str, Any]]]:
    """The API's authorizers by name (the scheme name is the authorizer's name on AWS)."""
    return {
        name: (scheme.at, authorizer(api, scheme))
        for name, scheme in api.schemes.items()
        if scheme.authorizer is not None
    }


def gateway_responses(api: Api) -> dict[str, tuple[At, dict[str, Any]]]:
    out = {}
    for kind, site, response in api.gateway_responses():
        r = response.value
        status = r.get("statusCode")
        written = r.get("responseTemplates")
        out[kind.upper()] = (
            site,
            {
                # Left out, AWS keeps the response type's own status and templates.
                "statusCode": str(status) if status is not None else ANY,
                "responseParameters": {
                    k.lower(): v for k, v in mapping(r.get("responseParameters")).items()
                },
                "responseTemplates": templates(written) if written is not None else ANY,
            },
        )
    return out


_EXECUTE_API_ARN = re.compile(r"^arn:[^:]+:execute-api:[^:]*:[^:]*:[^/]+/")


def _policy_value(value: Any) -> Any:
    """AWS stores `execute-api:/...` resources as full ARNs and one-element lists as strings."""
    if isinstance(value, dict):
        if set(value) == {"AWS"} and value["AWS"] == "*":
            return ("*",)
        return {k: _policy_value(v) for k, v in value.items()}
    if isinstance(value, (list, str)):
        items = value if isinstance(value, list) else [value]
        return tuple(
            sorted(
                _EXECUTE_API_ARN.sub("execute-api:/", i) if isinstance(i, str) else json.dumps(i)
                for i in items
            )
        )
    return value


def policy(api: Api) -> Any:
    at = api.ext(POLICY)
    value = at.value if at is not None else None
    if isinstance(value, str) and not has_placeholder(value):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if not isinstance(value, dict):
        return value
    statements = value.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    return sorted(
        (json.dumps(_policy_value(s), sort_keys=True, default=str) for s in statements if s),
    )


def settings(api: Api) -> dict[str, tuple[At | None, Any]]:
    """API-wide settings: binary media types, resource policy, API key source, compression."""
    if api.kind != "rest":
        return {}
    compression = api.ext(COMPRESSION)
    source = api.ext(API_KEY_SOURCE)
    return {
        BINARY_TYPES: (api.ext(BINARY_TYPES), binary_types(api)),
        POLICY: (api.ext(POLICY), policy(api)),
        API_KEY_SOURCE: (source, upper(source.value if source else None, "HEADER")),
        COMPRESSION: (compression, number(compression.value) if compression else None),
    }


def _upper_all(listed: Any) -> Any:
    return tuple(sorted(str(upper(m)) for m in listed)) if isinstance(listed, tuple) else listed


def http_cors(api: Api) -> tuple[At | None, dict[str, Any] | None]:
    """An HTTP API's CORS configuration in one form (header names and origins are sets)."""
    at = api.dict_child(api.root, HTTP_CORS) if api.kind == "http" else None
    if at is None:
        return None, None
    v = at.value
    age = v.get("maxAge")
    return at, {
        "allowOrigins": names(v.get("allowOrigins")),
        "allowMethods": _upper_all(names(v.get("allowMethods"))),
        "allowHeaders": names(v.get("allowHeaders"), fold=True),
        "exposeHeaders": names(v.get("exposeHeaders"), fold=True),
        "allowCredentials": v.get("allowCredentials") is True,
        "maxAge": age if has_placeholder(age) else number(age) if age is not None else None,
    }
