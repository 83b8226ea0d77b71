"""What API Gateway keeps of a method, in one form for a definition and for a stage's export:
the defaults AWS fills in are filled in here too (a definition that leaves them out and an
export that writes them agree), and forms AWS rewrites are brought to one shape
(docs/dev/gateway-facts.md#exports). API-wide facts: api_facts.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apilint.document.placeholders import has_placeholder
from apilint.model.auth import requirements
from apilint.model.cors import mapped_header
from apilint.model.drift.api_facts import binary_types, rendered
from apilint.model.drift.values import ANY, lower, mapping, names, target_uri, templates, upper
from apilint.model.gateway import AUTHENTICATING, PROXY_TYPES, Api, Method
from apilint.model.values import number

#: API Gateway's integration timeout when none is set: 29 s on REST APIs, 30 s on HTTP APIs
#: (docs/dev/gateway-facts.md#exports).
DEFAULT_TIMEOUT = {"rest": 29000, "http": 30000}

#: Scheme kinds that name an authorizer of the API (the others are IAM or the API key).
_AUTHORIZER_KINDS = frozenset({"lambda", "cognito", "jwt", "invalid-authorizer", "unsupported"})


@dataclass(frozen=True, order=True)
class Grant:
    """One security requirement entry in force on a method."""

    kind: str  # see SecurityScheme.kind; "undefined" for a name no scheme defines
    who: str  # the authorizer's name ("" for IAM and the API key, which have no name on AWS)
    scopes: tuple[str, ...]


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


def _timeout(api: Api, value: Any) -> Any:
    if value is None:
        return DEFAULT_TIMEOUT[api.kind]
    return value if has_placeholder(value) else number(value)


def _content_handling(api: Api, value: Any) -> Any:
    """CONVERT_TO_TEXT changes nothing while the API has no binary media types (every payload
    is text then); consoles and exports write it where the definition has none."""
    handling = upper(value)
    if handling == "CONVERT_TO_TEXT" and not binary_types(api):
        return None
    return handling


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
    v = rendered(integ.value)
    kind = lower(v.get("type"))
    fields: dict[str, Any] = {"type": kind}
    if kind != "mock":
        fields["httpMethod"] = upper(v.get("httpMethod"))
        fields["uri"] = target_uri(v.get("uri"))
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
    fields["requestTemplates"] = templates(v.get("requestTemplates"))
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
            "responseTemplates": templates(r.get("responseTemplates")),
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
