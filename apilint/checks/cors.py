"""CORS preflight as browsers and API Gateway do it.

A browser preflights every request that is not "simple" (Fetch standard): methods other than
GET/HEAD/POST, non-safelisted headers (Authorization, X-Api-Key, ...), or a body type other than
form/text. API Gateway REST APIs answer the preflight only with an OPTIONS method (or an ANY);
HTTP APIs answer it themselves when x-amazon-apigateway-cors is configured.

What the methods and the preflight return past that is in `cors_headers`; gateway-generated
errors and the HTTP API CORS object are in `gateway_responses`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, violation
from apilint.document.edit import add_entries, append_items, make_fix, set_value
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.model.cors import (
    ALLOW_ORIGIN,
    AUTH_HEADER_KINDS,
    HTTP_CORS,
    cors_evidence,
    gateway_answers_preflight,
    http_cors,
    mapped_header,
    needs_preflight,
    response_header_names,
)
from apilint.model.cors_edits import additions_fix, extend_listed, safety
from apilint.model.gateway import (
    Api,
    Method,
    Resource,
)
from apilint.model.mapping import STATUS, static_value
from apilint.model.preflight import (
    PREFLIGHT_HEADERS as PREFLIGHT_HEADER_NAMES,
)
from apilint.model.preflight import (
    api_origin,
    header_additions,
    http_cors_configuration,
    http_preflight,
    origin_additions,
    preflight_values,
    resource_preflight,
    rest_options_operation,
)
from apilint.model.wording import cors_key, say

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix

PREFLIGHT_HEADERS = tuple(name.lower() for name in PREFLIGHT_HEADER_NAMES)


@check
def cors_preflight_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    if gateway_answers_preflight(api) is not None:
        return
    evidence = cors_evidence(api)
    if evidence is None:
        if not options["assume-browser-clients"]:
            return
        evidence = "assume-browser-clients is set"
    for resource in api.resources.values():
        if not resource.methods or "OPTIONS" in resource.methods or "ANY" in resource.methods:
            continue
        reasons = [
            (m.verb, why)
            for m in resource.methods.values()
            if (why := needs_preflight(m)) is not None
        ]
        if not reasons or resource.at is None:
            continue
        verbs = ", ".join(v for v, _ in reasons)
        # HTTP APIs have no mock integrations: the gateway answers preflights from its CORS
        # configuration (http-api-cors page), or an OPTIONS route's backend does.
        fix = (
            f"{say(api, 'configure-http-cors')} (API Gateway then answers preflight "
            "requests itself) or add an OPTIONS route whose integration returns the "
            "Access-Control-Allow-* headers"
            if api.kind == "http"
            else "add an OPTIONS method (a mock integration returning the Access-Control-Allow-* "
            "headers)"
        )
        yield violation(
            resource.at,
            f"{resource.path} has no OPTIONS "
            f"{'route' if api.kind == 'http' else 'method'}, but "
            f"browsers preflight its {verbs} ({reasons[0][1]}) and CORS "
            f"is in use ({evidence}); {fix}",
            fix=_add_preflight(api, resource, resource.at),
        )


def _add_preflight(api: Api, resource: Resource, path_item: At) -> Fix | None:
    """REST: an OPTIONS mock preflight on the resource; HTTP: x-amazon-apigateway-cors (one
    object for every route, so each resource's violation carries the same edit). Unsafe when
    the API returns no single origin to allow and the fix must invent one."""
    if api.kind == "http":
        preflight = http_preflight(api)
        config = http_cors_configuration(preflight)
        title = "Add x-amazon-apigateway-cors"
        parts = [add_entries(api.doc, api.root.tokens, {HTTP_CORS: config})]
    else:
        preflight = resource_preflight(api, resource)
        operation = rest_options_operation(api, preflight)
        title = f"Add an OPTIONS mock preflight to {resource.path}"
        parts = [add_entries(path_item.doc, path_item.tokens, {"options": operation})]
        # the methods' own answers need Allow-Origin too (AWS's "Enable CORS" maps it), or the
        # preflight passes and the page still cannot read them (cors-method-origin-missing)
        answers = origin_additions(api, resource, preflight.origin)
        if answers is None:
            return None
        parts += [add_entries(at.doc, at.tokens, entries) for at, entries in answers]
    origin = preflight.origin
    return make_fix(f"{title} (Allow-Origin {origin.value!r})", safety(origin), *parts)


_MAP_ALL = "Map all three Access-Control-Allow-* headers in its integration response"
#: (problem, how to fix it, the fix when it can be made) of a REST preflight method.
Problem = tuple[str, str, "Fix | None"]


def _rest_preflight_problems(api: Api, resource: Resource, options_method: Method) -> list[Problem]:
    integ = options_method.integration
    if integ is None:
        declared = response_header_names(api, options_method)
        missing = [h for h in PREFLIGHT_HEADERS if h not in declared]
        return (
            [("does not return " + ", ".join(_title(h) for h in missing), _MAP_ALL, None)]
            if missing
            else []
        )
    if integ.is_proxy:
        return []  # the backend answers; nothing here to check
    found: dict[str, tuple[Any, At | None]] = {}  # header -> (mapping value, where it is)
    success: list[tuple[str, str, At]] = []  # (pattern, status, response) of 2xx responses
    for pattern, response in api.integration_responses(integ):
        status = str(response.value.get("statusCode", "")).strip()
        if not status.startswith("2"):
            continue
        success.append((pattern, status, response))
        params = api.dict_child(response, "responseParameters")
        for key, value in params.value.items() if params else ():
            header = mapped_header(key)
            if header is not None:
                found.setdefault(header, (value, params.child(key) if params else None))
    problems: list[Problem] = []
    missing = [h for h in PREFLIGHT_HEADERS if h not in found]
    codes = _method_response_codes(options_method)
    if missing and success and codes is not None and not any(s in codes for _, s, _ in success):
        # Headers are returned only through a method response; without one there is nothing
        # to map them to (response-header-undeclared reports mappings that exist).
        pattern, status, _ = success[0]
        problems.append(
            (
                f"has integration response {pattern!r} returning {status} but no "
                f"{status} method response (the operation declares "
                f"{', '.join(sorted(codes)) or 'no status code'}), so it cannot return "
                "the Access-Control-Allow-* headers",
                f"Declare a '{status}' response with the Access-Control-Allow-Origin, "
                "-Methods and -Headers headers and map them in that integration "
                "response",
                None,
            )
        )
    elif missing:
        where = "" if success else " (no 2xx integration response)"
        fix = (
            _map_missing(api, resource, options_method, success[0][2], missing) if success else None
        )
        problems.append(
            ("does not return " + ", ".join(_title(h) for h in missing) + where, _MAP_ALL, fix)
        )
    value, site = found.get("access-control-allow-methods", (None, None))
    allowed = static_value(value)
    if allowed is not None and "*" not in allowed:
        listed = {m.strip().upper() for m in allowed.split(",") if m.strip()}
        omitted = [v for v in resource.methods if v not in ("OPTIONS", "ANY") and v not in listed]
        if omitted:
            problems.append(
                (
                    f"Access-Control-Allow-Methods {allowed!r} omits {', '.join(omitted)}",
                    f"Add {', '.join(omitted)} to it",
                    extend_listed(site, allowed, omitted),
                )
            )
    return problems


def _map_missing(
    api: Api, resource: Resource, method: Method, response: At, missing: list[str]
) -> Fix | None:
    """Map (and declare) the preflight headers a 2xx integration response lacks, with the
    values a new preflight would have."""
    preflight = resource_preflight(api, resource)
    values = {
        name: value
        for name, value in preflight_values(preflight).items()
        if name.lower() in missing
    }
    additions = header_additions(api, method, response, values, PREFLIGHT_HEADER_NAMES)
    if additions is None:
        return None
    origin_known = preflight.origin.known or ALLOW_ORIGIN not in missing
    return additions_fix(
        f"Map {', '.join(values)} on the preflight {method.label}",
        "safe" if origin_known else "unsafe",
        additions,
    )


def _method_response_codes(method: Method) -> set[str] | None:
    """The status codes the import creates method responses for (numeric keys only), or None
    when the responses cannot be read."""
    responses = method.responses
    if responses is None or not isinstance(responses.value, dict):
        return None
    return {str(code) for code in responses.value if STATUS().fullmatch(str(code))}


def _greedy_options(api: Api) -> bool:
    """An HTTP API's `OPTIONS /{proxy+}` route outranks `$default` for every preflight: AWS's
    own fix for a `$default` route with an authorizer (http-api-cors page)."""
    return api.kind == "http" and any(
        m.verb == "OPTIONS" and m.path.count("/") == 1 and m.path.endswith("+}")
        for m in api.methods
    )


def _title(header: str) -> str:
    return "-".join(part.capitalize() for part in header.split("-"))


@check
def cors_preflight_incomplete(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    if api.kind == "http":
        yield from _http_cors_incomplete(api)
        return
    for resource in api.resources.values():
        method = resource.methods.get("OPTIONS")
        if method is None:
            continue
        for problem, how, fix in _rest_preflight_problems(api, resource, method):
            yield violation(
                method.at,
                f"the CORS preflight {method.label} {problem}; browsers "
                f"reject the cross-origin call. {how}",
                method.label,
                fix,
            )


def _http_cors_incomplete(api: Api) -> Iterator[Violation]:
    cors = http_cors(api)
    if cors is None:
        return
    origins = cors.value.get("allowOrigins")
    if not origins:
        yield violation(
            cors,
            f"{say(api, 'http-cors')} has no {say(api, 'cors:allowOrigins')}, so API Gateway "
            "returns no CORS headers; list the allowed origins",
            fix=_allow_origin(api, cors),
        )
    methods = cors.value.get("allowMethods")
    if isinstance(methods, list) and "*" not in methods:
        listed = {str(m).upper() for m in methods}
        used = sorted({m.verb for m in api.methods if m.verb not in ("OPTIONS", "ANY")} - listed)
        if used:
            yield violation(
                cors.child("allowMethods") or cors,
                f"{cors_key(api, 'allowMethods')} omits {', '.join(used)}, "
                "which routes of this API use; add them (or '*')",
                fix=_append_methods(cors, used),
            )


def _allow_origin(api: Api, cors: At) -> Fix | None:
    origin = api_origin(api)
    site = cors.child("allowOrigins")
    edits = (
        add_entries(cors.doc, cors.tokens, {"allowOrigins": [origin.value]})
        if site is None
        else set_value(site.doc, site.tokens, [origin.value])
    )
    return make_fix(f"Allow the origin {origin.value!r}", safety(origin), edits)


def _append_methods(cors: At, used: list[str]) -> Fix | None:
    site = cors.child("allowMethods")
    if site is None:
        return None
    edits = append_items(site.doc, site.tokens, used)
    return make_fix(f"Add {', '.join(used)} to allowMethods", "safe", edits)


@check
def cors_preflight_requires_auth(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for resource in api.resources.values():
        method = resource.methods.get("OPTIONS")
        answering = method
        if method is None:
            answering = resource.methods.get("ANY")
            if answering is None or (resource.path == "/$default" and _greedy_options(api)):
                continue
            if cors_evidence(api) is None:
                continue  # no sign of browser clients: an authenticated ANY is fine
        assert answering is not None
        kinds = sorted(
            k for k in answering.auth.kinds if k in AUTH_HEADER_KINDS or k == "invalid-authorizer"
        )
        if not kinds:
            continue
        what = ", ".join(
            {
                "api_key": "an API key",
                "iam": "IAM (SigV4)",
                "lambda": "a Lambda authorizer",
                "cognito": "a Cognito authorizer",
                "jwt": "a JWT authorizer",
            }.get(k, k)
            for k in kinds
        )
        generated = api.doc.made_by(answering.at.tokens) if answering.verb == "OPTIONS" else None
        if generated is not None and generated.endswith("Cors"):
            message = _sam_preflight_auth(api, answering, resource.path, generated)
        elif answering.verb == "OPTIONS":
            message = (
                f"the CORS preflight {answering.label} requires {what}, but browsers send "
                "preflight requests without credentials, so every cross-origin call fails; "
                f"{say(api, 'remove-preflight-authorization')}"
            )
        else:
            message = (
                f"{answering.label} requires {what} and also answers the CORS preflight "
                f"(there is no OPTIONS on {resource.path}); browsers send preflight without "
                f"credentials, so it is rejected. {say(api, 'add-open-preflight')}"
            )
        fix = _open_preflight(api, answering) if generated is None else None
        yield violation(answering.at, message, answering.label, fix)


def _open_preflight(api: Api, method: Method) -> Fix | None:
    """`security: []` on a REST OPTIONS method whose authorization is its own `security` (not
    an x-amazon-apigateway-auth, not a shared $ref'd list)."""
    auth = method.auth
    own = method.at.tokens + ("security",)
    if (
        api.kind != "rest"
        or method.verb != "OPTIONS"
        or auth.source != "operation"
        or auth.at is None
        or auth.at.doc is not method.at.doc
        or auth.at.tokens != own
        or "x-amazon-apigateway-auth" in method.value
    ):
        return None
    return make_fix("Set security: [] on the preflight", "safe", set_value(method.at.doc, own, []))


def _sam_preflight_auth(api: Api, method: Method, path: str, cors: str) -> str:
    """AGW503 for the OPTIONS method SAM generates from Cors: SAM puts the DefaultAuthorizer
    and the API key on it unless Auth.AddDefaultAuthorizerToCorsPreflight /
    AddApiKeyRequiredToCorsPreflight are false (SAM ApiAuth reference)."""
    security = method.at.value.get("security") if isinstance(method.at.value, dict) else None
    parts, flags = [], []
    for i, requirement in enumerate(security if isinstance(security, list) else []):
        for name in requirement if isinstance(requirement, dict) else ():
            source = api.doc.made_by(method.at.tokens + ("security", str(i), name)) or "Auth"
            what = "the API key" if name == "api_key" else f"the authorizer {name}"
            parts.append(f"{what} from {source}")
            flag = (
                "AddApiKeyRequiredToCorsPreflight"
                if name == "api_key"
                else "AddDefaultAuthorizerToCorsPreflight"
            )
            if flag not in flags:
                flags.append(flag)
    needs = " and ".join(parts) or "authorization"
    fix = (
        " and ".join(f"{flag}: false" for flag in flags)
        or "AddDefaultAuthorizerToCorsPreflight: false"
    )
    return (
        f"the OPTIONS preflight SAM generates for {path} (from {cors}) requires {needs}, "
        "but browsers send preflight requests without credentials, so every cross-origin "
        f"call fails; set {fix} in Auth"
    )


# -- REST: what the preflight and the actual methods return -----------------------------------


@check
def cors_options_not_mock(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        integ = method.integration
        if method.verb != "OPTIONS" or integ is None or integ.is_proxy:
            continue  # a missing integration is another rule's; proxies are the backend's call
        if integ.type in ("aws", "http"):
            yield violation(
                integ.at.child("type") or integ.at,
                f"the CORS preflight {method.label} calls the backend through its "
                f"{integ.type!r} integration; a mock integration answers the preflight "
                "in API Gateway without backend latency, cost or failures",
                method.label,
            )
        elif integ.type == "mock" and api.ws.resolve(integ.at.child("requestTemplates")) is None:
            yield violation(
                integ.at,
                f"the CORS preflight {method.label} is a mock integration "
                f"without {say(api, 'request-templates')}, so its status depends on the "
                "passthrough behaviour (415 with 'never'); "
                f"{say(api, 'add-mock-template')} as AWS's CORS setup does",
                method.label,
            )


@check
def cors_binary_wildcard_mock(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    types = api.ext("x-amazon-apigateway-binary-media-types")
    if (
        types is None
        or not isinstance(types.value, list)
        or not any(isinstance(t, str) and t.strip() == "*/*" for t in types.value)
    ):
        return
    for method in api.methods:
        integ = method.integration
        if method.verb != "OPTIONS" or integ is None or integ.type != "mock":
            continue
        handling = integ.value.get("contentHandling")
        if has_placeholder(handling) or (
            isinstance(handling, str) and handling.upper() == "CONVERT_TO_TEXT"
        ):
            continue
        yield violation(
            integ.at.child("contentHandling") or integ.at,
            f"{say(api, 'binary-media-types')} contains '*/*', so the mock "
            f"preflight {method.label} treats its request as binary and fails with 500 "
            f"('Unable to transform request'); set {say(api, 'content-handling-text')} on "
            f"{say(api, 'the-integration')}",
            method.label,
        )
