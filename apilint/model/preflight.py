"""The CORS preflight an API lacks, computed from what the API already shows: which methods and
request headers a resource's preflight must allow, the origin the API already returns, and the
definition text that answers it — an OPTIONS method with a mock integration for a REST API
(AWS's "Enable CORS" setup, how-to-cors.html), `x-amazon-apigateway-cors` for an HTTP API
(http-api-cors.html), Allow-Origin on DEFAULT_4XX/DEFAULT_5XX gateway responses.

Everything here returns plain values (dicts in OpenAPI shape); the checks turn them into edits.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.common.records import NamedTuple
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.cors import (
    ALLOW_ORIGIN,
    http_cors,
    integration_response_parameters,
    mapped_header,
)
from apilint.model.gateway import GATEWAY_RESPONSES, Api, Method, Resource
from apilint.model.mapping import static_value
from apilint.model.request_headers import sent_headers
from apilint.model.values import literal, per_api

ALLOW_METHODS = "Access-Control-Allow-Methods"
ALLOW_HEADERS = "Access-Control-Allow-Headers"
ORIGIN_HEADER = "Access-Control-Allow-Origin"
PREFLIGHT_HEADERS = (ORIGIN_HEADER, ALLOW_METHODS, ALLOW_HEADERS)
RESPONSE_HEADER = "method.response.header."
GATEWAY_HEADER = "gatewayresponse.header."
DEFAULT_RESPONSES = ("DEFAULT_4XX", "DEFAULT_5XX")
#: What AWS's own CORS setup sends when nothing else is needed: harmless to allow.
_DEFAULT_HEADERS = ("Content-Type",)
#: AWS's CORS setup gives the mock this template so that it answers 200 whatever the
#: passthrough behaviour (how-to-cors.html).
MOCK_TEMPLATE = {"application/json": '{"statusCode": 200}'}


#: (mapping, the entries to add to it)
Addition = tuple[At, dict[str, Any]]


class Origin(NamedTuple):
    """The Access-Control-Allow-Origin value a fix uses."""

    value: str  # as browsers see it: https://app.example.com or *
    known: bool  # the API already returns exactly this origin (False: invented or a guess)


class Preflight(NamedTuple):
    """What a preflight answers: Allow-Methods, Allow-Headers and Allow-Origin."""

    methods: tuple[str, ...]
    headers: tuple[str, ...]
    origin: Origin


def quoted(value: str) -> str:
    """A static mapping value: `'GET,OPTIONS'` (mapping-expressions reference)."""
    return f"'{value}'"


def extended_list(listed: str, extra: list[str]) -> str:
    """A comma-separated list (`GET,OPTIONS`) with `extra` appended, as written before."""
    kept = listed.rstrip().rstrip(",")
    return ",".join(([kept] if kept.strip() else []) + extra)


def _returned_origins(api: Api) -> Iterator[Any]:
    """Every Allow-Origin value the API sends: mapped by integration responses and gateway
    responses, or configured on an HTTP API."""
    for method in api.methods:
        for _, params in integration_response_parameters(api, method):
            for key, value in params.items():
                if mapped_header(key) == ALLOW_ORIGIN:
                    yield static_value(value)
    for _, _, response in api.gateway_responses():
        params = response.value.get("responseParameters")
        for key, value in params.items() if isinstance(params, dict) else ():
            if str(key).lower() == GATEWAY_HEADER + ALLOW_ORIGIN:
                yield static_value(value)
    cors = http_cors(api)
    origins = cors.value.get("allowOrigins") if cors is not None else None
    yield from origins if isinstance(origins, list) else ()


@per_api
def api_origin(api: Api) -> Origin:
    """(Cached per API: every CORS fix asks.) The origin the API already returns; `*` (not known) when it returns none, and the first
    one (not known) when it returns several, since then the fix would pick for the author."""
    distinct: list[str] = []
    for value in _returned_origins(api):
        text = literal(value)
        if text and text not in distinct:
            distinct.append(text)
    if len(distinct) == 1:
        return Origin(distinct[0], True)
    return Origin(distinct[0] if distinct else "*", False)


def _headers(api: Api, methods: Any) -> tuple[str, ...]:
    found: dict[str, str] = {}  # lower case -> as first written
    for method in methods:
        for header, _ in sent_headers(api, method, required_only=False):
            found.setdefault(header.lower(), header)
    return tuple(found.values())


def resource_preflight(api: Api, resource: Resource) -> Preflight:
    """The preflight of one REST resource: its methods, the headers they send."""
    served = [m for m in resource.methods.values() if m.verb not in ("OPTIONS", "ANY")]
    verbs = tuple(dict.fromkeys(m.verb for m in served)) + ("OPTIONS",)
    return Preflight(verbs, _headers(api, served) or _DEFAULT_HEADERS, api_origin(api))


def http_preflight(api: Api) -> Preflight:
    """The preflight of an HTTP API's CORS configuration: every route's method and headers."""
    verbs = tuple(dict.fromkeys(m.verb for m in api.methods))
    methods = ("*",) if "ANY" in verbs else tuple(v for v in verbs if v != "OPTIONS") + ("OPTIONS",)
    return Preflight(methods, _headers(api, api.methods), api_origin(api))


def preflight_values(preflight: Preflight) -> dict[str, str]:
    """Header name -> the static mapping value the preflight returns."""
    return {
        ORIGIN_HEADER: quoted(preflight.origin.value),
        ALLOW_METHODS: quoted(",".join(preflight.methods)),
        ALLOW_HEADERS: quoted(",".join(preflight.headers)),
    }


def header_declaration(api: Api) -> dict[str, Any]:
    """A response header object: Swagger 2.0 types it directly, OpenAPI 3 through a schema."""
    return {"type": "string"} if api.version == "2.0" else {"schema": {"type": "string"}}


def rest_options_operation(api: Api, preflight: Preflight) -> dict[str, Any]:
    """The OPTIONS operation object that answers the preflight in API Gateway: a mock
    integration whose 200 integration response maps the three headers its method response
    declares. `security: []` keeps any authorizer off it (browsers send preflights without
    credentials)."""
    operation: dict[str, Any] = {}
    if api.schemes or api.root_security is not None:
        operation["security"] = []
    operation["responses"] = {
        "200": {
            "description": "CORS preflight",
            "headers": {name: header_declaration(api) for name in PREFLIGHT_HEADERS},
        }
    }
    integration: dict[str, Any] = {"type": "mock", "requestTemplates": dict(MOCK_TEMPLATE)}
    if _binary_wildcard(api):
        # with */* binary the mock would read its request as binary and fail (AGW510)
        integration["contentHandling"] = "CONVERT_TO_TEXT"
    integration["responses"] = {
        "default": {
            "statusCode": "200",
            "responseParameters": {
                RESPONSE_HEADER + name: value for name, value in preflight_values(preflight).items()
            },
        }
    }
    operation["x-amazon-apigateway-integration"] = integration
    return operation


def _binary_wildcard(api: Api) -> bool:
    types = api.ext("x-amazon-apigateway-binary-media-types")
    values = types.value if types is not None and isinstance(types.value, list) else []
    return any(isinstance(t, str) and t.strip() == "*/*" for t in values)


def http_cors_configuration(preflight: Preflight) -> dict[str, Any]:
    """`x-amazon-apigateway-cors`: the gateway then answers preflights itself."""
    config: dict[str, Any] = {
        "allowOrigins": [preflight.origin.value],
        "allowMethods": list(preflight.methods),
    }
    if preflight.headers:
        config["allowHeaders"] = list(preflight.headers)
    return config


def allow_origin_gaps(api: Api) -> dict[str, tuple[At | None, At | None]]:
    """DEFAULT_4XX / DEFAULT_5XX gateway responses that set no Access-Control-Allow-Origin:
    type -> (position of its key, the response object), both None when it is absent."""
    sites = {kind: (site, response) for kind, site, response in api.gateway_responses()}
    gaps: dict[str, tuple[At | None, At | None]] = {}
    for kind in DEFAULT_RESPONSES:
        site, response = sites.get(kind, (None, None))
        params = api.dict_child(response, "responseParameters")
        keys = params.value if params is not None else {}
        if not any(str(k).lower() == GATEWAY_HEADER + ALLOW_ORIGIN for k in keys):
            gaps[kind] = (site, response)
    return gaps


def nested(api: Api, parent: At, key: str, entries: dict[str, Any]) -> tuple[At, dict[str, Any]]:
    """(mapping, entries to add) that put `entries` under `parent[key]`: into that mapping when
    it exists, else as a new `key` of `parent`."""
    child = api.dict_child(parent, key)
    return (child, entries) if child is not None else (parent, {key: entries})


def allow_origin_additions(api: Api, origin: Origin) -> list[tuple[At, dict[str, Any]]]:
    """(mapping, entries to add to it) that make every gap of `allow_origin_gaps` map the
    origin: into the existing responseParameters, the existing response, or new responses."""
    header = {GATEWAY_HEADER + ORIGIN_HEADER: quoted(origin.value)}
    additions: list[tuple[At, dict[str, Any]]] = []
    new: dict[str, Any] = {}
    for kind, (_, response) in allow_origin_gaps(api).items():
        if response is not None:
            additions.append(nested(api, response, "responseParameters", dict(header)))
        else:
            new[kind] = {"responseParameters": dict(header)}
    if new:
        additions.append(nested(api, api.root, GATEWAY_RESPONSES, new))
    return additions


def unmapped_origins(api: Api, resource: Resource) -> Iterator[tuple[Method, At]]:
    """(method, 2xx integration response) of the resource's non-proxy methods that map no
    Access-Control-Allow-Origin: browsers hide those answers from the page."""
    for method in resource.methods.values():
        integ = method.integration
        if method.verb == "OPTIONS" or integ is None or integ.is_proxy or integ.type is None:
            continue  # proxy integrations return the backend's headers
        for _, response in api.integration_responses(integ):
            status = str(response.value.get("statusCode", ""))
            params = response.value.get("responseParameters")
            if status.startswith("2") and not (
                isinstance(params, dict) and any(mapped_header(k) == ALLOW_ORIGIN for k in params)
            ):
                yield method, response


def origin_additions(api: Api, resource: Resource, origin: Origin) -> list[Addition] | None:
    """What maps (and declares) `origin` on every answer of `unmapped_origins`; None when one
    of them has no method response to declare it on."""
    additions: list[Addition] = []
    for method, response in unmapped_origins(api, resource):
        found = header_additions(api, method, response, {ORIGIN_HEADER: quoted(origin.value)})
        if found is None:
            return None
        additions.extend(found)
    return merged(additions)


def merged(additions: list[Addition]) -> list[Addition]:
    """One addition per mapping: two integration responses of one status declare the header
    in the same method response once."""
    out: dict[tuple[str, Tokens], Addition] = {}
    for at, entries in additions:
        key = (str(at.doc.abspath), at.tokens)
        if key not in out:
            out[key] = (at, dict(entries))
            continue
        kept = out[key][1]
        for name, value in entries.items():
            if isinstance(kept.get(name), dict) and isinstance(value, dict):
                kept[name] = {**value, **kept[name]}
            else:
                kept.setdefault(name, value)
    return list(out.values())


def method_response(api: Api, method: Method, status: str) -> At | None:
    """The method's response object for `status` (a YAML key may be the number 200)."""
    responses = method.responses
    keys = responses.value if responses is not None and isinstance(responses.value, dict) else {}
    key = next((k for k in keys if str(k) == status), None)
    return api.dict_child(responses, key) if key is not None else None


def header_additions(
    api: Api,
    method: Method,
    response: At,
    values: dict[str, str],
    declare: tuple[str, ...] = (),
) -> list[tuple[At, dict[str, Any]]] | None:
    """(mapping, entries) that make a method return `values` (header -> static mapping value):
    mapped in its integration response `response` and declared, with the `declare` headers,
    in the method response of that status (a mapping to an undeclared header fails the
    import). None without that method response: there is nothing to declare the headers on."""
    declared_in = method_response(api, method, str(response.value.get("statusCode", "")))
    if declared_in is None:
        return None
    headers = api.dict_child(declared_in, "headers")
    known = {str(h).lower() for h in headers.value} if headers is not None else set()
    mappings = {RESPONSE_HEADER + name: value for name, value in values.items()}
    additions = [nested(api, response, "responseParameters", mappings)]
    names = dict.fromkeys((*declare, *values))
    undeclared = {n: header_declaration(api) for n in names if n.lower() not in known}
    if undeclared:
        additions.append(nested(api, declared_in, "headers", undeclared))
    return additions
