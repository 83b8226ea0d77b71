"""The request headers a browser page must send to call a method, which a CORS preflight's
Access-Control-Allow-Headers has to name: the headers its authorizers read, the SigV4 headers,
Content-Type for a non-simple body, and its header parameters (Fetch standard: safelisted
headers need no permission, forbidden ones are set by the browser, never by scripts)."""

from __future__ import annotations

from collections.abc import Iterator

from apilint.model.auth import key_source
from apilint.model.cors import SAFE_HEADERS, unsafe_body
from apilint.model.gateway import Api, Method, SecurityScheme

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
#: How identity sources name a request header: REST (`method.request.header.X`) and HTTP APIs
#: (`$request.header.X`).
_HEADER_SOURCES = ("method.request.header.", "$request.header.")
_AUTHORIZER_NAMES = {"lambda": "Lambda", "cognito": "Cognito", "jwt": "JWT"}


def sent_headers(
    api: Api, method: Method, *, required_only: bool = True
) -> Iterator[tuple[str, str]]:
    """(header, why) for the non-safelisted request headers a browser client sends: all header
    parameters, or only the required ones (what a client cannot leave out)."""
    for name in method.auth.schemes:
        scheme = api.schemes.get(name)
        if scheme is not None:
            yield from _scheme_headers(api, name, scheme)
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
            and (param.value.get("required") is True or not required_only)
            and name not in SAFE_HEADERS
            and name not in _FORBIDDEN_HEADERS
            and not name.startswith(_NOT_SCRIPTED_PREFIXES)
        ):
            required = "a required" if param.value.get("required") is True else "an optional"
            yield param.name, f"it is {required} header parameter"


def _scheme_headers(api: Api, name: str, scheme: SecurityScheme) -> Iterator[tuple[str, str]]:
    if scheme.kind in _AUTHORIZER_NAMES and scheme.authorizer is not None:
        source = scheme.authorizer.value.get("identitySource")
        headers = [
            s.strip()[len(prefix) :]
            for s in (source.split(",") if isinstance(source, str) else [])
            for prefix in _HEADER_SOURCES
            if s.strip().lower().startswith(prefix)
        ]
        kind = str(scheme.authorizer.value.get("type", "")).lower()
        if source is None and kind != "request" and scheme.location == "header":
            # TOKEN and Cognito authorizers read the scheme's header (`name`)
            headers = [scheme.header or "Authorization"]
        for header in headers:
            yield header, f"the {_AUTHORIZER_NAMES[scheme.kind]} authorizer {name!r} reads it"
    elif scheme.kind == "api_key" and key_source(api)[1] != "AUTHORIZER":
        yield "X-Api-Key", "the method requires an API key"
