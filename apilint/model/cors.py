"""CORS as browsers and API Gateway do it: which requests a browser preflights (Fetch
standard: methods other than GET/HEAD/POST, non-safelisted headers, a body type other than
form/text), which response headers a method sends, and why we believe an API is called
cross-origin.

REST APIs answer the preflight only with an OPTIONS method (or an ANY); HTTP APIs answer it
themselves when x-amazon-apigateway-cors is configured, and so does a SAM template's Cors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.document.refs import At
from apilint.model.gateway import AUTHENTICATING, GATEWAY_RESPONSES, Api, Method
from apilint.model.sam import sam_edits
from apilint.model.values import per_api
from apilint.model.wording import say

ALLOW_ORIGIN = "access-control-allow-origin"
_SIMPLE_METHODS = {"GET", "HEAD", "POST"}
_SIMPLE_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
SAFE_HEADERS = {"accept", "accept-language", "content-language", "content-type", "range"}
HTTP_CORS = "x-amazon-apigateway-cors"
AUTH_HEADER_KINDS = (*AUTHENTICATING, "api_key")
_RESPONSE_HEADER = "method.response.header."


def mapped_header(key: Any) -> str | None:
    """The header (lower case) that a `method.response.header.<name>` mapping key sets, or None."""
    if isinstance(key, str) and key.lower().startswith(_RESPONSE_HEADER):
        return key.lower()[len(_RESPONSE_HEADER) :]
    return None


def declared_headers(api: Api, method: Method, status: Any) -> set[str]:
    """Header names (lower case) the method's response for `status` declares."""
    headers = api.dict_child(api.dict_child(method.responses, status), "headers")
    return {str(h).lower() for h in headers.value} if headers is not None else set()


def response_header_names(api: Api, method: Method) -> set[str]:
    """Header names the method's responses declare or its integration responses map."""
    names: set[str] = set()
    responses = method.responses
    if responses is not None and isinstance(responses.value, dict):
        for code in responses.value:
            names |= declared_headers(api, method, code)
    for _, params in integration_response_parameters(api, method):
        names.update(h for h in map(mapped_header, params) if h is not None)
    return names


def integration_response_parameters(
    api: Api, method: Method
) -> Iterator[tuple[At, dict[str, Any]]]:
    """(integration response, its responseParameters map) of the method's integration."""
    if method.integration is None:
        return
    for _, response in api.integration_responses(method.integration):
        params = response.value.get("responseParameters")
        if isinstance(params, dict):
            yield response, params


def http_cors(api: Api) -> At | None:
    """The HTTP API CORS configuration object, if there is one."""
    return api.dict_child(api.root, HTTP_CORS)


def gateway_answers_preflight(api: Api) -> str | None:
    """Why the gateway itself answers preflight requests, or None."""
    if api.kind == "http" and api.ext(HTTP_CORS) is not None:
        return f"{say(api, 'http-cors')} is configured"
    if sam_edits(api, "Cors") or sam_edits(api, "CorsConfiguration"):
        return "the SAM template sets Cors"  # SAM adds an OPTIONS method to every path
    return None


@per_api
def cors_evidence(api: Api) -> str | None:
    """Why we believe browsers call this API cross-origin, or None (cached per API: several
    rules ask, and the answer may take a walk over every method)."""
    answers = gateway_answers_preflight(api)
    if answers is not None:
        return answers
    gateway = api.ext(GATEWAY_RESPONSES)
    if gateway is not None and isinstance(gateway.value, dict):
        for response in gateway.value.values():
            params = response.get("responseParameters") if isinstance(response, dict) else None
            if isinstance(params, dict) and any(ALLOW_ORIGIN in str(k).lower() for k in params):
                return "gateway responses set Access-Control-Allow-Origin"
    for method in api.methods:
        if method.verb == "OPTIONS":
            return f"{method.label} answers preflight requests"
        if ALLOW_ORIGIN in response_header_names(api, method):
            return f"{method.label} returns Access-Control-Allow-Origin"
    return None


def needs_preflight(method: Method) -> str | None:
    """Why a browser would preflight this method, or None for a simple request."""
    if method.verb == "ANY":
        return "ANY accepts PUT, PATCH and DELETE"
    if method.verb not in _SIMPLE_METHODS:
        return f"{method.verb} is not a simple method"
    if method.auth.requires(*AUTH_HEADER_KINDS):
        return "it requires an Authorization or X-Api-Key header"
    for param in method.parameters:
        if param.location == "header" and param.name.lower() not in SAFE_HEADERS:
            return f"it sends the {param.name} header"
    media = unsafe_body(method)
    return f"it sends a {media} body" if media is not None else None


def unsafe_body(method: Method) -> str | None:
    """The first request media type a browser may not send without preflight, or None."""
    return next(
        (
            media
            for media in method.request_media_types
            if media.split(";")[0].strip().lower() not in _SIMPLE_TYPES
        ),
        None,
    )
