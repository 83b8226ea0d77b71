"""What API Gateway keeps of a definition, in one form for a definition and for a stage's
export: the defaults AWS fills in are filled in here too (a definition that leaves them out
and an export that writes them agree), and forms AWS rewrites are brought to one shape
(docs/dev/gateway-facts.md#exports)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from apilint.document.intrinsics import render
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.model.auth import API_KEY_SOURCE, requirements
from apilint.model.cors import HTTP_CORS, mapped_header
from apilint.model.drift.values import ANY, lower, mapping, names, upper
from apilint.model.gateway import AUTHENTICATING, PROXY_TYPES, Api, Method, SecurityScheme
from apilint.model.lambdas import function_part
from apilint.model.values import number

BINARY_TYPES = "x-amazon-apigateway-binary-media-types"
POLICY = "x-amazon-apigateway-policy"
COMPRESSION = "x-amazon-apigateway-minimum-compression-size"
#: API Gateway's integration timeout when none is set: 29 s on REST APIs, 30 s on HTTP APIs
#: (docs/dev/gateway-facts.md#exports).
DEFAULT_TIMEOUT = {"rest": 29000, "http": 30000}
#: A REST authorizer's cache TTL when none is set ("The default value is 300", Authorizer
#: resultTtlInSeconds, API Gateway API reference).
DEFAULT_TTL = 300
#: Scheme kinds that name an authorizer of the API (the others are IAM or the API key).
_AUTHORIZER_KINDS = frozenset({"lambda", "cognito", "jwt", "invalid-authorizer", "unsupported"})


@dataclass(frozen=True, order=True)
class Grant:
    """One security requirement entry in force on a method."""

    kind: str  # see SecurityScheme.kind; "undefined" for a name no scheme defines
    who: str  # the authorizer's name ("" for IAM and the API key, which have no name on AWS)
    scopes: tuple[str, ...]


def _rendered(value: Any) -> dict[str, Any]:
    """A definition file that a template includes may hold intrinsics (`Fn::Sub`) where the
    template's reading has placeholders: read alone, they become placeholders here too."""
    out = render(value)
    return out if isinstance(out, dict) else {}


def grants(api: Api, method: Method) -> frozenset[Grant]:
    found: set[Grant] = set()
    security = api.ws.resolve(method.auth.at) if method.auth.at is not None else None
    for _, requirement in requirements(security) if security is not None else ():
        for name, scopes in requirement.items():
            scheme = api.schemes.get(name)
            kind = scheme.kind if scheme is not None else "undefined"
            who = name if kind in _AUTHORIZER_KINDS or kind == "undefined" else ""
            listed = names(scopes) if isinstance(scopes, list) else ()
            found.add(Grant(kind, who, listed if isinstance(listed, tuple) else ()))
    if "iam" in method.auth.kinds and not any(g.kind == "iam" for g in found):
        found.add(Grant("iam", "", ()))  # x-amazon-apigateway-auth: AWS_IAM
    return frozenset(found)


def protections(found: frozenset[Grant]) -> set[str]:
    """What a caller must bring: an identity, an API key."""
    out = set()
    for grant in found:
        if grant.kind in AUTHENTICATING:
            out.add("an identity")
        if grant.kind == "api_key":
            out.add("an API key")
    return out


_LAMBDA_PATH = re.compile(r":lambda:path/[^/]*/functions/(?P<fn>.+)/(?P<action>[^/]+)$")


def _uri(value: Any) -> Any:
    """A Lambda invocation URI and the bare function ARN (HTTP APIs) name the same target;
    the region in the URI and the API version are not part of it."""
    if not isinstance(value, str):
        return value
    m = _LAMBDA_PATH.search(value.strip())
    if m:
        return f"{m['fn']}/{m['action']}"
    bare = function_part(value)
    return f"{bare}/invocations" if bare is not None else value.strip()


def _timeout(api: Api, value: Any) -> Any:
    if value is None:
        return DEFAULT_TIMEOUT[api.kind]
    return value if has_placeholder(value) else number(value)


def _templates(value: Any) -> dict[str, Any]:
    return {k.lower(): v.strip() if isinstance(v, str) else v for k, v in mapping(value).items()}


def _content_handling(api: Api, value: Any) -> Any:
    """CONVERT_TO_TEXT changes nothing while the API has no binary media types (every payload
    is text then); consoles and exports write it where the definition has none."""
    handling = upper(value)
    if handling == "CONVERT_TO_TEXT" and not binary_types(api):
        return None
    return handling


def binary_types(api: Api) -> Any:
    at = api.ext(BINARY_TYPES)
    return names(at.value, fold=True) if at is not None else ()


def _split_cors(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(other mappings, Access-Control-* header mappings) of a responseParameters map."""
    plain: dict[str, Any] = {}
    cors: dict[str, Any] = {}
    for key, value in params.items():
        header = mapped_header(key)
        target = cors if header is not None and header.startswith("access-control-") else plain
        target[key.lower() if header is not None else key] = value
    return plain, cors


@dataclass(frozen=True)
class IntegrationFacts:
    fields: dict[str, Any]
    #: Access-Control-* response header mappings, by "pattern: header".
    cors: dict[str, Any]


def integration(api: Api, method: Method) -> IntegrationFacts | None:
    integ = method.integration
    if integ is None:
        return None
    v = _rendered(integ.value)
    kind = lower(v.get("type"))
    fields: dict[str, Any] = {"type": kind}
    if kind != "mock":
        fields["httpMethod"] = upper(v.get("httpMethod"))
        fields["uri"] = _uri(v.get("uri"))
    fields["credentials"] = v.get("credentials")
    fields["timeoutInMillis"] = _timeout(api, v.get("timeoutInMillis"))
    fields["connectionType"] = upper(v.get("connectionType"), "INTERNET")
    fields["connectionId"] = v.get("connectionId")
    fields["requestParameters"] = mapping(v.get("requestParameters"))
    tls = mapping(v.get("tlsConfig"))
    cors: dict[str, Any] = {}
    if api.kind == "http":
        # The export writes payloadFormatVersion always; a definition may leave it to the
        # importer.
        fields["payloadFormatVersion"] = v.get("payloadFormatVersion", ANY)
        fields["integrationSubtype"] = v.get("integrationSubtype")
        fields["responseParameters"] = mapping(v.get("responseParameters"))
        fields["tlsConfig"] = tls.get("serverNameToVerify")
        return IntegrationFacts(fields, cors)
    fields["tlsConfig"] = tls.get("insecureSkipVerification") is True
    fields["cacheKeyParameters"] = names(v.get("cacheKeyParameters"))
    if kind in PROXY_TYPES:
        # Proxies pass the request and the answer through: AWS ignores (and exports with its
        # own defaults) passthroughBehavior, contentHandling and the integration responses.
        return IntegrationFacts(fields, cors)
    fields["requestTemplates"] = _templates(v.get("requestTemplates"))
    fields["passthroughBehavior"] = lower(v.get("passthroughBehavior"), "when_no_match")
    fields["contentHandling"] = _content_handling(api, v.get("contentHandling"))
    responses: dict[str, Any] = {}
    for pattern, response in api.integration_responses(integ):
        r = response.value
        plain, headers = _split_cors(mapping(r.get("responseParameters")))
        cors.update((f"{pattern}: {header}", value) for header, value in headers.items())
        responses[pattern] = {
            "statusCode": str(r.get("statusCode")),
            "responseParameters": plain,
            "responseTemplates": _templates(r.get("responseTemplates")),
            "contentHandling": _content_handling(api, r.get("contentHandling")),
        }
    fields["responses"] = responses
    return IntegrationFacts(fields, cors)


def parameters(api: Api, method: Method) -> dict[str, bool]:
    """`name in location` -> required, of the method's request parameters (REST: what
    validators check and mappings may read; the body is a model, not a parameter)."""
    if api.kind != "rest":
        return {}
    out = {}
    for p in method.parameters:
        if p.location not in ("path", "query", "header"):
            continue
        name = p.name.lower() if p.location == "header" else p.name
        out[f"{name} in {p.location}"] = p.location == "path" or p.value.get("required") is True
    return out


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
    a = _rendered(scheme.authorizer.value if scheme.authorizer is not None else {})
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
    out["authorizerUri"] = _uri(a.get("authorizerUri"))
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
        templates = r.get("responseTemplates")
        out[kind.upper()] = (
            site,
            {
                # Left out, AWS keeps the response type's own status and templates.
                "statusCode": str(status) if status is not None else ANY,
                "responseParameters": {
                    k.lower(): v for k, v in mapping(r.get("responseParameters")).items()
                },
                "responseTemplates": _templates(templates) if templates is not None else ANY,
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
