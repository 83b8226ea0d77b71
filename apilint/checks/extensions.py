"""The `x-amazon-apigateway-*` extensions: names and places of the documented extensions, the
ones that exist for only one API kind, and the values of the root-level settings (binary media
types, compression, TLS policy, endpoint configuration, documentation parts). Sources:
docs/dev/gateway-facts.md#extensions,
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, first_visit, violation
from apilint.common.regex import lazy
from apilint.common.text import close_matches
from apilint.document.edit import make_fix, set_value
from apilint.document.placeholders import has_placeholder
from apilint.document.pointer import Tokens, encode
from apilint.document.refs import At, is_literal
from apilint.document.scan import may_contain
from apilint.model.extensions import (
    ACCESS_MODE,
    ENDPOINT_CONFIGURATION,
    PREFIX,
    SECURITY_POLICY,
    endpoint_configurations,
    http_markers,
)
from apilint.model.gateway import Api
from apilint.model.operations import operation_labels, operation_of
from apilint.model.wording import say

# -- extension names and places --------------------------------------------------------------

_ROOT, _OP, _ITEM, _SCHEME, _SERVER, _COMPONENTS, _TAG = (
    "root",
    "operation",
    "path-item",
    "security-scheme",
    "server",
    "components",
    "tag",
)
_WHERE = {
    _ROOT: "at the document root",
    _OP: "on an operation",
    _ITEM: "on a path item",
    _SCHEME: "in a security scheme",
    _SERVER: "in a servers[] entry",
    _COMPONENTS: "in components",
    _TAG: "in a root tags[] entry",
}
#: Every documented extension and where API Gateway reads it (endpoint-configuration: by version).
_PLACES: dict[str, tuple[str, ...]] = {
    PREFIX + "any-method": (_ITEM,),
    PREFIX + "cors": (_ROOT,),
    PREFIX + "api-key-source": (_ROOT,),
    PREFIX + "auth": (_OP,),
    PREFIX + "authorizer": (_SCHEME,),
    PREFIX + "authtype": (_SCHEME,),
    PREFIX + "binary-media-types": (_ROOT,),
    PREFIX + "documentation": (_ROOT,),
    ACCESS_MODE: (_ROOT,),
    ENDPOINT_CONFIGURATION: (_ROOT, _SERVER),
    PREFIX + "gateway-responses": (_ROOT,),
    PREFIX + "importexport-version": (_ROOT,),
    PREFIX + "integration": (_OP,),
    PREFIX + "integrations": (_COMPONENTS,),
    PREFIX + "minimum-compression-size": (_ROOT,),
    PREFIX + "policy": (_ROOT,),
    PREFIX + "request-validator": (_ROOT, _OP),
    PREFIX + "request-validators": (_ROOT,),
    SECURITY_POLICY: (_ROOT,),
    PREFIX + "tag-value": (_TAG,),
}
#: Mappings whose keys are names chosen by the author (paths, properties, status codes, ...).
_NAME_MAPS = frozenset(
    {
        "paths",
        "properties",
        "patternProperties",
        "definitions",
        "schemas",
        "headers",
        "securitySchemes",
        "securityDefinitions",
        "responses",
        "parameters",
        "requestBodies",
        "links",
        "callbacks",
        "pathItems",
        "encoding",
        "content",
        "variables",
        "scopes",
        "mapping",
        "$defs",
        "dependentSchemas",
        PREFIX + "integrations",
        PREFIX + "request-validators",
        PREFIX + "gateway-responses",
        "requestParameters",
        "responseParameters",
        "requestTemplates",
        "responseTemplates",
    }
)
#: Documented extensions by name without the prefix, for spelling suggestions.
_SUFFIXES = {name[len(PREFIX) :]: name for name in _PLACES}
#: Spellings of the prefix worth a walk (a key in other capitals is reported as unknown).
_EXTENSION_HINT = ("apigateway-", "Apigateway-", "ApiGateway-", "APIGateway-", "APIGATEWAY-")


def _places(api: Api) -> dict[Tokens, str]:
    places: dict[Tokens, str] = {(): _ROOT, ("components",): _COMPONENTS}
    data = api.doc.data
    for name in data.get("securityDefinitions") or {}:
        places[("securityDefinitions", name)] = _SCHEME
    components = data.get("components")
    if isinstance(components, dict) and isinstance(components.get("securitySchemes"), dict):
        for name in components["securitySchemes"]:
            places[("components", "securitySchemes", name)] = _SCHEME
    for key, place in (("servers", _SERVER), ("tags", _TAG)):
        if isinstance(data.get(key), list):
            for i in range(len(data[key])):
                places[(key, str(i))] = place
    # Objects the model reached (also through local $refs) are what API Gateway reads them as.
    for resource in api.resources.values():
        item = api.ws.resolve(resource.at)
        if item is not None and item.doc is api.doc:
            places[item.tokens] = _ITEM
    for method in api.methods:
        if method.at.doc is api.doc:
            places[method.at.tokens] = _OP
    for scheme in api.schemes.values():
        if scheme.at.doc is api.doc:
            places[scheme.at.tokens] = _SCHEME
    return places


def _similar(key: str, cutoff: float) -> list[str]:
    """Documented extensions whose names look like `key` (compared without the prefix)."""
    close = close_matches(key[len(PREFIX) :].lower(), list(_SUFFIXES), n=3, cutoff=cutoff)
    return [_SUFFIXES[c] for c in close]


def _extension_problem(key: str, place: str | None, version: str, tokens: Tokens) -> str | None:
    allowed = _PLACES.get(key)
    if allowed is None:
        guess = key.lower() if key.lower() in _PLACES else next(iter(_similar(key, 0.75)), None)
        hint = f" (did you mean {guess}?)" if guess else ""
        return (
            f"{key} is not an API Gateway extension{hint}; the import ignores it, so the "
            "setting it was meant to make is not applied. Fix the name or remove it"
        )
    if key == ENDPOINT_CONFIGURATION:
        allowed = (_ROOT,) if version == "2.0" else (_SERVER,)
    if place in allowed:
        return None
    here = _WHERE[place] if place else f"at {encode(tokens)}"
    want = " or ".join(_WHERE[p] for p in allowed)
    # `x-amazon-apigateway-integrations` on an operation is a typo more often than a misplacement.
    meant = [k for k in _similar(key, 0.85) if k != key and place in _PLACES[k]]
    hint = f"; did you mean {meant[0]}?" if meant else "; move it"
    return f"{key} is read only {want}; API Gateway ignores it {here}{hint}"


@check
def unknown_extension(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # may_contain looks for the spellings' common endings first (scan._holds_any)
    if not may_contain(api.doc, _EXTENSION_HINT):
        return
    places = _places(api)
    labels = operation_labels(api)
    stack: list[tuple[Tokens, Any, bool]] = [((), api.doc.data, False)]
    while stack:
        tokens, node, names = stack.pop()
        if isinstance(node, dict):
            place = places.get(tokens)
            for key, value in node.items():
                if (
                    not names
                    and isinstance(key, str)
                    and len(key) > len(PREFIX)
                    and key[: len(PREFIX)].lower() == PREFIX
                ):
                    problem = _extension_problem(key, place, api.version, tokens)
                    if problem:
                        yield Violation(
                            api.doc, tokens + (key,), problem, operation_of(labels, tokens)
                        )
                if isinstance(value, (dict, list)) and not is_literal(tokens, key):
                    stack.append((tokens + (key,), value, not names and key in _NAME_MAPS))
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, (dict, list)):
                    stack.append((tokens + (str(i),), item, False))


@check
def http_only_extension_in_rest(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # In Swagger 2.0 documents these are reported once, by http-swagger2.
    for at, what, operation, hint in http_markers(api):
        on = f" of {operation}" if operation else ""
        yield violation(
            at,
            f"{what}{on} exists only in HTTP APIs; a REST API import ignores it. "
            f"For a REST API, {hint}",
            operation,
        )


_REST_ONLY_ROOT = {
    PREFIX + "request-validators": "HTTP APIs do not validate requests",
    PREFIX + "request-validator": "HTTP APIs do not validate requests",
    PREFIX + "gateway-responses": "HTTP APIs have no gateway responses",
    PREFIX + "policy": "HTTP APIs have no resource policies; use IAM or an authorizer",
    PREFIX + "api-key-source": "HTTP APIs have no API keys or usage plans",
    PREFIX + "binary-media-types": "HTTP APIs have no binary media type list",
    PREFIX + "documentation": "HTTP APIs have no documentation parts",
    PREFIX + "minimum-compression-size": "HTTP APIs do not compress payloads",
    ACCESS_MODE: "set TLS on the HTTP API's custom domain name",
    SECURITY_POLICY: "set TLS on the HTTP API's custom domain name",
}
#: Integration fields HTTP APIs do not have (BOTO2: "Supported only for WebSocket APIs").
_REST_ONLY_INTEGRATION = (
    "requestTemplates",
    "responses",
    "passthroughBehavior",
    "contentHandling",
    "cacheKeyParameters",
    "cacheNamespace",
)


@check
def rest_only_extension_in_http(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # Detection takes a REST definition with a stray payloadFormatVersion (Smithy emits them)
    # for an HTTP API; when nothing stronger says HTTP, say so.
    why_http = (
        ""
        if not api.kind_guessed
        else f" (apilint reads this as an HTTP API because {api.kind_reason}; if it is a REST "
        "API, lint it with --api-type rest)"
    )
    for key, why in _REST_ONLY_ROOT.items():
        at = api.root.child(key)
        if at is not None:
            yield violation(
                at, f"{key} is a REST API setting; an HTTP API import ignores it ({why}){why_http}"
            )
    seen: set[tuple[str, Tokens]] = set()
    for method in api.methods:
        at = method.at.child(PREFIX + "request-validator")
        if at is not None and first_visit(seen, at):
            yield violation(
                at,
                f"{PREFIX}request-validator on {method.label} is a REST API "
                f"setting; HTTP APIs do not validate requests{why_http}",
                method.label,
            )
    for integration, (first, *_) in api.integrations():
        integ, label = integration.at, first.label
        for field in _REST_ONLY_INTEGRATION:
            at = integ.child(field)
            if at is not None:
                yield violation(
                    at,
                    f"the integration of {label} sets {field}, which HTTP API "
                    "integrations do not have (they are proxies: no mapping "
                    f"templates, integration responses or caching){why_http}",
                    label,
                )
    for config in endpoint_configurations(api):
        at = config.child("vpcEndpointIds")
        if at is not None:
            yield violation(
                at,
                "vpcEndpointIds is for private REST APIs; HTTP APIs have no "
                f"private endpoints and ignore it{why_http}",
            )


# -- extension values ------------------------------------------------------------------------

_MEDIA_TYPE = lazy(r"(\*|[A-Za-z0-9][\w!#$&^.+-]*)/(\*|[A-Za-z0-9][\w!#$&^.+-]*)(\s*;.*)?")


def _binary_media_types(api: Api) -> tuple[At | None, list[At]]:
    """The extension (when it is not a list) and its entries."""
    at = api.ext(PREFIX + "binary-media-types")
    if at is None:
        return None, []
    if not isinstance(at.value, list):
        return at, []
    return None, [e for e in (at.child(i) for i in range(len(at.value))) if e is not None]


@check
def binary_media_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    whole, entries = _binary_media_types(api)
    if whole is not None and not has_placeholder(whole.value):
        yield violation(
            whole,
            f"{PREFIX}binary-media-types must be a list of media types such "
            f"as [image/png], not {whole.value!r}",
        )
    for at in entries:
        value = at.value
        if not isinstance(value, str):
            yield violation(
                at,
                f"binary media type {value!r} is not a string; write a "
                "type/subtype such as application/octet-stream",
            )
        elif not has_placeholder(value) and not _MEDIA_TYPE().fullmatch(value.strip()):
            hint = (
                " ('~1' escapes '/' only in update-rest-api patch paths)" if "~1" in value else ""
            )
            yield violation(
                at,
                f"binary media type {value!r} is not a type/subtype media type"
                f"{hint}; API Gateway matches Content-Type and Accept against "
                "it, so write e.g. image/png or image/*",
            )


@check
def binary_media_type_wildcard(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for at in _binary_media_types(api)[1]:
        if isinstance(at.value, str) and at.value.strip() == "*/*":
            yield violation(
                at,
                "binary media type */* makes every payload binary: Lambda proxy "
                "integrations always receive base64 bodies and mock or "
                f"non-proxy integrations need {say(api, 'content-handling-text')} "
                "to answer text; list the binary types you serve instead",
            )


_MAX_COMPRESSION = 10_485_760


@check
def min_compression_size_range(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    key = PREFIX + "minimum-compression-size"
    at = api.ext(key)
    if at is None or at.value is None or has_placeholder(at.value):
        return
    value = at.value
    number: float | None = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            pass
    # The range test first: it also rejects nan and inf, which int() cannot take.
    if number is None or not 0 <= number <= _MAX_COMPRESSION or number != int(number):
        clamped = (
            None
            if number is None or number != number or abs(number) == float("inf")
            else int(min(max(round(number), 0), _MAX_COMPRESSION))
        )
        yield violation(
            at,
            f"{key} is {value!r}; it must be a whole number of bytes from 0 to "
            f"{_MAX_COMPRESSION:,} (10 MiB), or absent to disable compression",
            # Unsafe: which responses are compressed changes.
            fix=None
            if clamped is None
            else make_fix(f"Set it to {clamped}", "unsafe", set_value(at.doc, at.tokens, clamped)),
        )


@check
def importexport_version_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    key = PREFIX + "importexport-version"
    at = api.root.child(key)
    if at is None or has_placeholder(at.value):
        return
    value = at.value
    if value == "1.0" or (isinstance(value, float) and value == 1.0):
        return
    yield violation(
        at,
        f'{key} is {value!r}; the only import/export version is "1.0"',
        fix=make_fix('Set it to "1.0"', "safe", set_value(at.doc, at.tokens, "1.0")),
    )


@check
def ip_address_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for config in endpoint_configurations(api):
        at = config.child("ipAddressType")
        if at is None or has_placeholder(at.value) or at.value in ("ipv4", "dualstack"):
            continue
        value = at.value
        hint = (
            f"; write {value.lower()!r} in lower case"
            if isinstance(value, str) and value.lower() in ("ipv4", "dualstack")
            else ""
        )
        fix = (
            make_fix(f"Write {value.lower()}", "safe", set_value(at.doc, at.tokens, value.lower()))
            if hint
            else None
        )
        yield violation(
            at,
            f"ipAddressType {value!r} is not one API Gateway accepts (ipv4 or dualstack){hint}",
            fix=fix,
        )


_LEGACY_POLICIES = ("TLS_1_0", "TLS_1_2")
#: SecurityPolicy enum of the REST API model (botocore apigateway 2015-07-09, 2025-09 release).
_POLICIES = frozenset(
    _LEGACY_POLICIES
    + (
        "SecurityPolicy_TLS13_1_3_2025_09",
        "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
        "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09",
        "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
        "SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09",
        "SecurityPolicy_TLS13_1_2_PQ_2025_09",
        "SecurityPolicy_TLS13_1_2_2021_06",
        "SecurityPolicy_TLS13_2025_EDGE",
        "SecurityPolicy_TLS12_PFS_2025_EDGE",
        "SecurityPolicy_TLS12_2018_EDGE",
    )
)
_ACCESS_MODES = ("STRICT", "BASIC")


@check
def security_policy_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    policy, mode = api.ext(SECURITY_POLICY), api.ext(ACCESS_MODE)
    policy_value = policy.value if policy is not None else None
    known_policy = isinstance(policy_value, str) and policy_value in _POLICIES
    if policy is not None and not known_policy and not has_placeholder(policy_value):
        close = close_matches(str(policy_value), list(_POLICIES), n=1, cutoff=0.8)
        hint = f"did you mean {close[0]}? Otherwise " if close else ""
        yield violation(
            policy,
            f"{SECURITY_POLICY} {policy_value!r} is not a security policy "
            f"API Gateway offers; {hint}use TLS_1_2 or an enhanced policy "
            "such as SecurityPolicy_TLS13_1_3_2025_09",
        )
    if mode is not None and not has_placeholder(mode.value) and mode.value not in _ACCESS_MODES:
        upper = str(mode.value).upper()
        hint = f"; write {upper} in upper case" if upper in _ACCESS_MODES else ""
        yield violation(mode, f"{ACCESS_MODE} {mode.value!r} is not STRICT or BASIC{hint}")
    if (
        policy is not None
        and known_policy
        and str(policy_value).startswith("SecurityPolicy_")
        and mode is None
    ):
        yield violation(
            policy,
            f"the enhanced security policy {policy_value} requires "
            f"{ACCESS_MODE} (STRICT, or BASIC while clients migrate); the "
            "API cannot be created without it",
        )
    if known_policy and policy_value in _LEGACY_POLICIES and mode is not None:
        yield violation(
            mode,
            f"{ACCESS_MODE} applies only to APIs with an enhanced "
            f"SecurityPolicy_* policy, not with {policy_value}; remove it or "
            "choose an enhanced policy",
        )


@check
def security_policy_legacy_tls(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    policy = api.ext(SECURITY_POLICY)
    if policy is not None and policy.value == "TLS_1_0":
        yield violation(
            policy,
            f"{SECURITY_POLICY} TLS_1_0 lets clients connect with TLS 1.0 "
            "and 1.1, which are deprecated; use TLS_1_2 or an enhanced "
            "SecurityPolicy_TLS13_* policy",
        )


@check
def documentation_parts_exceeded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = options["limit"]
    documentation = api.ext(PREFIX + "documentation")
    site = documentation.child("documentationParts") if documentation else None
    parts = api.ws.resolve(site)  # reported at `site`: where the list is named, not a $ref target
    if parts is None or not isinstance(parts.value, list) or len(parts.value) <= limit:
        return
    yield violation(
        site or parts,
        f"{len(parts.value):,} documentation parts, over the quota of "
        f"{limit:,} per REST API; merge parts, import with "
        "ignore=documentation, or request a quota increase and set "
        "this rule's `limit`",
    )
