"""CORS preflight as browsers and API Gateway do it.

A browser preflights every request that is not "simple" (Fetch standard): methods other than
GET/HEAD/POST, non-safelisted headers (Authorization, X-Api-Key, ...), or a body type other than
form/text. API Gateway REST APIs answer the preflight only with an OPTIONS method (or an ANY);
HTTP APIs answer it themselves when x-amazon-apigateway-cors is configured.

Past the preflight, REST APIs send only what the definition maps: a non-proxy method's response
carries Access-Control-Allow-Origin only if its integration response maps it, and the preflight's
Allow-Headers must name every non-safelisted header the methods need (auth headers follow from
the security schemes). Gateway-generated errors and the HTTP API CORS object are in
`gateway_responses`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, violation
from apilint.common.fixes import Fix
from apilint.document.edit import make_fix, set_value
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.document.sam_origins import made_by
from apilint.model.auth import key_source
from apilint.model.cors import (
    ALLOW_ORIGIN,
    AUTH_HEADER_KINDS,
    SAFE_HEADERS,
    cors_evidence,
    declared_headers,
    gateway_answers_preflight,
    http_cors,
    mapped_header,
    needs_preflight,
    response_header_names,
    unsafe_body,
)
from apilint.model.gateway import (
    Api,
    Integration,
    Method,
    Resource,
)
from apilint.model.mapping import STATUS, static_value

PREFLIGHT_HEADERS = (
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
)


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
            "configure x-amazon-apigateway-cors (API Gateway then answers preflight "
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
        )


_MAP_ALL = "Map all three Access-Control-Allow-* headers in its integration response"


def _rest_preflight_problems(
    api: Api, resource: Resource, options_method: Method
) -> list[tuple[str, str]]:
    """(problem, fix) of a REST preflight method."""
    integ = options_method.integration
    if integ is None:
        declared = response_header_names(api, options_method)
        missing = [h for h in PREFLIGHT_HEADERS if h not in declared]
        return (
            [("does not return " + ", ".join(_title(h) for h in missing), _MAP_ALL)]
            if missing
            else []
        )
    if integ.is_proxy:
        return []  # the backend answers; nothing here to check
    found: dict[str, Any] = {}
    success: list[tuple[str, str]] = []  # (pattern, status) of 2xx integration responses
    for pattern, response in api.integration_responses(integ):
        status = str(response.value.get("statusCode", "")).strip()
        if not status.startswith("2"):
            continue
        success.append((pattern, status))
        params = api.dict_child(response, "responseParameters")
        for key, value in params.value.items() if params else ():
            header = mapped_header(key)
            if header is not None:
                found.setdefault(header, value)
    problems: list[tuple[str, str]] = []
    missing = [h for h in PREFLIGHT_HEADERS if h not in found]
    codes = _method_response_codes(options_method)
    if missing and success and codes is not None and not any(s in codes for _, s in success):
        # Headers are returned only through a method response; without one there is nothing
        # to map them to (response-header-undeclared reports mappings that exist).
        pattern, status = success[0]
        problems.append(
            (
                f"has integration response {pattern!r} returning {status} but no "
                f"{status} method response (the operation declares "
                f"{', '.join(sorted(codes)) or 'no status code'}), so it cannot return "
                "the Access-Control-Allow-* headers",
                f"Declare a '{status}' response with the Access-Control-Allow-Origin, "
                "-Methods and -Headers headers and map them in that integration "
                "response",
            )
        )
    elif missing:
        where = "" if success else " (no 2xx integration response)"
        problems.append(
            ("does not return " + ", ".join(_title(h) for h in missing) + where, _MAP_ALL)
        )
    allowed = static_value(found.get("access-control-allow-methods"))
    if allowed is not None and "*" not in allowed:
        listed = {m.strip().upper() for m in allowed.split(",") if m.strip()}
        omitted = [v for v in resource.methods if v not in ("OPTIONS", "ANY") and v not in listed]
        if omitted:
            problems.append(
                (
                    f"Access-Control-Allow-Methods {allowed!r} omits {', '.join(omitted)}",
                    f"Add {', '.join(omitted)} to it",
                )
            )
    return problems


def _method_response_codes(method: Method) -> set[str] | None:
    """The status codes the import creates method responses for (numeric keys only), or None
    when the responses cannot be read."""
    responses = method.responses
    if responses is None or not isinstance(responses.value, dict):
        return None
    return {str(code) for code in responses.value if STATUS.fullmatch(str(code))}


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
        for problem, fix in _rest_preflight_problems(api, resource, method):
            yield violation(
                method.at,
                f"the CORS preflight {method.label} {problem}; browsers "
                f"reject the cross-origin call. {fix}",
                method.label,
            )


def _http_cors_incomplete(api: Api) -> Iterator[Violation]:
    cors = http_cors(api)
    if cors is None:
        return
    origins = cors.value.get("allowOrigins")
    if not origins:
        yield violation(
            cors,
            "x-amazon-apigateway-cors has no allowOrigins, so API Gateway "
            "returns no CORS headers; list the allowed origins",
        )
    methods = cors.value.get("allowMethods")
    if isinstance(methods, list) and "*" not in methods:
        listed = {str(m).upper() for m in methods}
        used = sorted({m.verb for m in api.methods if m.verb not in ("OPTIONS", "ANY")} - listed)
        if used:
            yield violation(
                cors.child("allowMethods") or cors,
                f"x-amazon-apigateway-cors allowMethods omits {', '.join(used)}, "
                "which routes of this API use; add them (or '*')",
            )


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
        generated = made_by(api.doc, answering.at.tokens) if answering.verb == "OPTIONS" else None
        if generated is not None and generated.endswith("Cors"):
            message = _sam_preflight_auth(api, answering, resource.path, generated)
        elif answering.verb == "OPTIONS":
            message = (
                f"the CORS preflight {answering.label} requires {what}, but browsers send "
                "preflight requests without credentials, so every cross-origin call fails; "
                "remove security from the OPTIONS method"
            )
        else:
            message = (
                f"{answering.label} requires {what} and also answers the CORS preflight "
                f"(there is no OPTIONS on {resource.path}); browsers send preflight without "
                "credentials, so it is rejected. Add an OPTIONS method without security"
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
            source = made_by(api.doc, method.at.tokens + ("security", str(i), name)) or "Auth"
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

_FORBIDDEN_HEADERS = {
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
    "user-agent",
}
#: Set by browsers themselves or by the infrastructure in front of the API, never by page scripts.
_NOT_SCRIPTED_PREFIXES = ("proxy-", "sec-", "x-forwarded-", "cloudfront-", "x-amzn-", "x-amz-cf-")


def _success_mapping(api: Api, integ: Integration, header: str) -> tuple[At, Any] | None:
    """(position, value) of `method.response.header.<header>` in a 2xx integration response."""
    for _, response in api.integration_responses(integ):
        if not str(response.value.get("statusCode", "")).startswith("2"):
            continue
        params = api.dict_child(response, "responseParameters")
        if params is None:
            continue
        for key, value in params.value.items():
            if mapped_header(key) == header:
                return params.child(key) or params, value
    return None


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
                "without requestTemplates, so its status depends on the "
                "passthrough behaviour (415 with 'never'); add "
                "requestTemplates {application/json: "
                "'{\"statusCode\": 200}'} as AWS's CORS setup does",
                method.label,
            )


@check
def cors_method_origin_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for resource in api.resources.values():
        if "OPTIONS" not in resource.methods:
            continue  # only resources that are set up for CORS
        for method in resource.methods.values():
            integ = method.integration
            if method.verb == "OPTIONS" or integ is None or integ.is_proxy or integ.type is None:
                continue  # proxy integrations return the backend's headers
            for _, response in api.integration_responses(integ):
                status = str(response.value.get("statusCode", ""))
                params = response.value.get("responseParameters")
                if not status.startswith("2") or (
                    isinstance(params, dict)
                    and any(mapped_header(k) == ALLOW_ORIGIN for k in params)
                ):
                    continue
                if ALLOW_ORIGIN in declared_headers(api, method, status):
                    why, fix = (
                        "declares Access-Control-Allow-Origin but its integration response "
                        "never maps it, so it is never sent",
                        "",
                    )
                else:
                    why, fix = (
                        "neither declares nor maps Access-Control-Allow-Origin",
                        f" and declare the header in its {status} response",
                    )
                yield violation(
                    response.child("statusCode") or response,
                    f"{method.label} answers {status} and {why}; browsers hide the "
                    f"response from the page although {resource.path} answers the CORS "
                    "preflight. Map method.response.header.Access-Control-Allow-Origin "
                    f"(e.g. \"'https://app.example.com'\") in that integration "
                    f"response{fix}",
                    method.label,
                )


def _sent_headers(api: Api, method: Method) -> Iterator[tuple[str, str]]:
    """(header, why) for the non-safelisted request headers a browser client must send."""
    for name in method.auth.schemes:
        scheme = api.schemes.get(name)
        if scheme is None:
            continue
        if scheme.kind in ("lambda", "cognito") and scheme.authorizer is not None:
            source = scheme.authorizer.value.get("identitySource")
            headers = (
                [
                    s.strip()[len("method.request.header.") :]
                    for s in source.split(",")
                    if s.strip().lower().startswith("method.request.header.")
                ]
                if isinstance(source, str)
                else []
            )
            kind = str(scheme.authorizer.value.get("type", "")).lower()
            if source is None and kind != "request" and scheme.location == "header":
                # TOKEN and Cognito authorizers read the scheme's header (`name`)
                headers = [scheme.header or "Authorization"]
            for header in headers:
                yield (
                    header,
                    (
                        f"the {'Lambda' if scheme.kind == 'lambda' else 'Cognito'} "
                        f"authorizer {name!r} reads it"
                    ),
                )
        elif scheme.kind == "api_key":
            if key_source(api)[1] != "AUTHORIZER":
                yield "X-Api-Key", "the method requires an API key"
    if "iam" in method.auth.kinds:
        yield "Authorization", "IAM (SigV4) signs the request"
        yield "X-Amz-Date", "IAM (SigV4) signs the request"
    media = unsafe_body(method)
    if media is not None:
        yield "Content-Type", f"it sends a body of type {media}"
    for param in method.parameters:
        name = param.name.lower()
        if (
            param.location == "header"
            and param.value.get("required") is True
            and name not in SAFE_HEADERS
            and name not in _FORBIDDEN_HEADERS
            and not name.startswith(_NOT_SCRIPTED_PREFIXES)
        ):
            yield param.name, "it is a required header parameter"


@check
def cors_allow_headers_incomplete(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for resource in api.resources.values():
        preflight = resource.methods.get("OPTIONS")
        integ = preflight.integration if preflight else None
        if preflight is None or integ is None or integ.is_proxy:
            continue
        site = _success_mapping(api, integ, "access-control-allow-headers")
        allowed = static_value(site[1]) if site else None
        if site is None or allowed is None or has_placeholder(allowed):
            continue  # absent (cors-preflight-incomplete) or echoed from the request
        listed = {h.strip().lower() for h in allowed.split(",") if h.strip()}
        missing: dict[str, str] = {}
        for method in resource.methods.values():
            if method.verb == "OPTIONS":
                continue
            for header, why in _sent_headers(api, method):
                key = header.lower()
                # '*' allows any header but Authorization (Fetch: CORS non-wildcard header name)
                covered = key in listed or ("*" in listed and key != "authorization")
                if not covered and key not in (m.lower() for m in missing):
                    missing[header] = f"{method.label}: {why}"
        if missing:
            detail = "; ".join(f"{h} ({why})" for h, why in missing.items())
            note = " ('*' never covers Authorization)" if "*" in listed else ""
            yield violation(
                site[0],
                f"the CORS preflight {preflight.label} allows headers "
                f"{allowed!r}{note} but browsers will ask for {detail}; the "
                "preflight fails and the call is blocked. Add "
                f"{', '.join(missing)} to Access-Control-Allow-Headers",
                preflight.label,
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
            f"x-amazon-apigateway-binary-media-types contains '*/*', so the mock "
            f"preflight {method.label} treats its request as binary and fails with 500 "
            "('Unable to transform request'); set contentHandling: CONVERT_TO_TEXT on "
            "its integration",
            method.label,
        )
