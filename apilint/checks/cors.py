"""CORS preflight as browsers and API Gateway do it.

A browser preflights every request that is not "simple" (Fetch standard): methods other than
GET/HEAD/POST, non-safelisted headers (Authorization, X-Api-Key, ...), or a body type other than
form/text. API Gateway REST APIs answer the preflight only with an OPTIONS method (or an ANY);
HTTP APIs answer it themselves when x-amazon-apigateway-cors is configured.
"""

from __future__ import annotations

from typing import Any, Iterator

from apilint.checks import Violation, check, violation
from apilint.document.refs import At
from apilint.model.gateway import Api, Method, Resource

ALLOW_ORIGIN = "access-control-allow-origin"
PREFLIGHT_HEADERS = ("access-control-allow-origin", "access-control-allow-methods",
                     "access-control-allow-headers")
_SIMPLE_METHODS = {"GET", "HEAD", "POST"}
_SIMPLE_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
_SAFE_HEADERS = {"accept", "accept-language", "content-language", "content-type", "range"}
_AUTH_HEADER_KINDS = ("lambda", "cognito", "jwt", "iam", "api_key")


def _response_header_names(api: Api, method: Method) -> set[str]:
    """Header names the method's responses declare or its integration responses map."""
    names: set[str] = set()
    responses = method.responses
    if responses is not None and isinstance(responses.value, dict):
        for code in responses.value:
            response = api.ws.resolve(responses.child(code))
            headers = api.ws.resolve(response.child("headers")) if response else None
            if headers is not None and isinstance(headers.value, dict):
                names.update(str(h).lower() for h in headers.value)
    for _, params in _integration_response_parameters(api, method):
        names.update(k[len("method.response.header."):].lower() for k in params
                     if isinstance(k, str) and k.lower().startswith("method.response.header."))
    return names


def _integration_response_parameters(api: Api, method: Method) -> Iterator[tuple[At, dict[str, Any]]]:
    integ = method.integration
    responses = api.ws.resolve(integ.at.child("responses")) if integ else None
    if responses is None or not isinstance(responses.value, dict):
        return
    for key in responses.value:
        response = api.ws.resolve(responses.child(key))
        if response is None or not isinstance(response.value, dict):
            continue
        params = response.value.get("responseParameters")
        if isinstance(params, dict):
            yield response, params


def cors_evidence(api: Api) -> str | None:
    """Why we believe browsers call this API cross-origin, or None."""
    if api.kind == "http" and api.ext("x-amazon-apigateway-cors") is not None:
        return "x-amazon-apigateway-cors is configured"
    gateway = api.ext("x-amazon-apigateway-gateway-responses")
    if gateway is not None and isinstance(gateway.value, dict):
        for response in gateway.value.values():
            params = response.get("responseParameters") if isinstance(response, dict) else None
            if isinstance(params, dict) and any(ALLOW_ORIGIN in str(k).lower() for k in params):
                return "gateway responses set Access-Control-Allow-Origin"
    for method in api.methods:
        if method.verb == "OPTIONS":
            return f"{method.label} answers preflight requests"
        if ALLOW_ORIGIN in _response_header_names(api, method):
            return f"{method.label} returns Access-Control-Allow-Origin"
    return None


def needs_preflight(method: Method) -> str | None:
    """Why a browser would preflight this method, or None for a simple request."""
    if method.verb == "ANY":
        return "ANY accepts PUT, PATCH and DELETE"
    if method.verb not in _SIMPLE_METHODS:
        return f"{method.verb} is not a simple method"
    if method.auth.requires(*_AUTH_HEADER_KINDS):
        return "it requires an Authorization or X-Api-Key header"
    for param in method.parameters:
        if param.location == "header" and param.name.lower() not in _SAFE_HEADERS:
            return f"it sends the {param.name} header"
    for media in method.request_media_types:
        if media.split(";")[0].strip().lower() not in _SIMPLE_TYPES:
            return f"it sends a {media} body"
    return None


@check
def cors_preflight_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    if api.kind == "http" and api.ext("x-amazon-apigateway-cors") is not None:
        return  # HTTP APIs answer preflight themselves
    evidence = cors_evidence(api)
    if evidence is None:
        if not options.get("assume-browser-clients", False):
            return
        evidence = "assume-browser-clients is set"
    for resource in api.resources.values():
        if not resource.methods or "OPTIONS" in resource.methods or "ANY" in resource.methods:
            continue
        reasons = [(m.verb, why) for m in resource.methods.values()
                   if (why := needs_preflight(m)) is not None]
        if not reasons or resource.at is None:
            continue
        verbs = ", ".join(v for v, _ in reasons)
        yield violation(resource.at, f"{resource.path} has no OPTIONS method, but browsers "
                                     f"preflight its {verbs} ({reasons[0][1]}) and CORS is in use "
                                     f"({evidence}); add an OPTIONS method (a mock integration "
                                     "returning the Access-Control-Allow-* headers)")


def _static(value: Any) -> str | None:
    """The text of a static mapping value `'...'`, or None for a mapping expression."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return None


def _rest_preflight_problems(api: Api, resource: Resource, options_method: Method) -> list[str]:
    integ = options_method.integration
    if integ is not None and integ.is_proxy:
        return []  # the backend answers; nothing here to check
    found: dict[str, Any] = {}
    success = False
    for response, params in _integration_response_parameters(api, options_method):
        status = str(response.value.get("statusCode", ""))
        if status.startswith("2"):
            success = True
            for key, value in params.items():
                name = str(key).lower()
                if name.startswith("method.response.header."):
                    found.setdefault(name[len("method.response.header."):], value)
    problems: list[str] = []
    if integ is None:
        declared = _response_header_names(api, options_method)
        missing = [h for h in PREFLIGHT_HEADERS if h not in declared]
        if missing:
            problems.append("does not return " + ", ".join(_title(h) for h in missing))
        return problems
    missing = [h for h in PREFLIGHT_HEADERS if h not in found]
    if missing:
        where = "" if success else " (no 2xx integration response)"
        problems.append("does not return " + ", ".join(_title(h) for h in missing) + where)
    allowed = _static(found.get("access-control-allow-methods"))
    if allowed is not None and "*" not in allowed:
        listed = {m.strip().upper() for m in allowed.split(",") if m.strip()}
        omitted = [v for v in resource.methods if v not in ("OPTIONS", "ANY") and v not in listed]
        if omitted:
            problems.append(f"Access-Control-Allow-Methods {allowed!r} omits {', '.join(omitted)}")
    return problems


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
        for problem in _rest_preflight_problems(api, resource, method):
            yield violation(method.at, f"the CORS preflight {method.label} {problem}; browsers "
                                       "reject the cross-origin call. Map all three "
                                       "Access-Control-Allow-* headers in its integration response",
                            method.label)


def _http_cors_incomplete(api: Api) -> Iterator[Violation]:
    cors = api.ext("x-amazon-apigateway-cors")
    if cors is None or not isinstance(cors.value, dict):
        return
    origins = cors.value.get("allowOrigins")
    if not origins:
        yield violation(cors, "x-amazon-apigateway-cors has no allowOrigins, so API Gateway "
                              "returns no CORS headers; list the allowed origins")
    methods = cors.value.get("allowMethods")
    if isinstance(methods, list) and "*" not in methods:
        listed = {str(m).upper() for m in methods}
        used = sorted({m.verb for m in api.methods if m.verb not in ("OPTIONS", "ANY")} - listed)
        if used:
            yield violation(cors.child("allowMethods") or cors,
                            f"x-amazon-apigateway-cors allowMethods omits {', '.join(used)}, "
                            "which routes of this API use; add them (or '*')")


@check
def cors_preflight_requires_auth(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    evidence: str | None | bool = False  # computed only when an ANY needs it
    for resource in api.resources.values():
        method = resource.methods.get("OPTIONS")
        answering = method
        if method is None:
            answering = resource.methods.get("ANY")
            if answering is None:
                continue
            if evidence is False:
                evidence = cors_evidence(api)
            if evidence is None:
                continue  # no sign of browser clients: an authenticated ANY is fine
        assert answering is not None
        kinds = sorted(k for k in answering.auth.kinds
                       if k in _AUTH_HEADER_KINDS or k == "invalid-authorizer")
        if not kinds:
            continue
        what = ", ".join({"api_key": "an API key", "iam": "IAM (SigV4)", "lambda": "a Lambda "
                          "authorizer", "cognito": "a Cognito authorizer", "jwt": "a JWT "
                          "authorizer"}.get(k, k) for k in kinds)
        if answering.verb == "OPTIONS":
            message = (f"the CORS preflight {answering.label} requires {what}, but browsers send "
                       "preflight requests without credentials, so every cross-origin call fails; "
                       "remove security from the OPTIONS method")
        else:
            message = (f"{answering.label} requires {what} and also answers the CORS preflight "
                       f"(there is no OPTIONS on {resource.path}); browsers send preflight without "
                       "credentials, so it is rejected. Add an OPTIONS method without security")
        yield violation(answering.at, message, answering.label)
