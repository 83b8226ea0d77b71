"""API Gateway's OpenAPI extensions: their names, where endpoint configurations sit, and the
settings only HTTP APIs read."""

from __future__ import annotations

from collections.abc import Iterator

from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Api
from apilint.model.values import first_visit

PREFIX = "x-amazon-apigateway-"
ENDPOINT_CONFIGURATION = PREFIX + "endpoint-configuration"
SECURITY_POLICY = PREFIX + "security-policy"
ACCESS_MODE = PREFIX + "endpoint-access-mode"


def endpoint_configurations(api: Api) -> Iterator[At]:
    """The endpoint configuration at the root (Swagger 2.0; misplaced but seen in OpenAPI 3) and
    in each `servers[]` entry, `$ref`s followed."""
    root = api.dict_child(api.root, ENDPOINT_CONFIGURATION)
    if root is not None:
        yield root
    servers = api.ext("servers")
    if servers is not None and isinstance(servers.value, list):
        for i in range(len(servers.value)):
            config = api.dict_child(api.ws.resolve(servers.child(i)), ENDPOINT_CONFIGURATION)
            if config is not None:
                yield config


_CATCH_ALL = "use /{proxy+} with x-amazon-apigateway-any-method as the catch-all"
#: HTTP-API-only settings: at the root, and in integrations (with what REST does instead).
_HTTP_ROOT = {
    PREFIX + "cors": "configure CORS with OPTIONS methods (mock integrations) returning "
    "Access-Control-Allow-* headers",
    PREFIX + "importexport-version": "remove it",
}
_HTTP_INTEGRATION = {
    "payloadFormatVersion": "remove it (REST has no payload format versions; Lambda proxy "
    "integrations always get the 1.0 event)",
    "integrationSubtype": "use type: aws with an arn:aws:apigateway:REGION:SERVICE:action/... uri",
}


def http_markers(api: Api) -> Iterator[tuple[At, str, str | None, str]]:
    """HTTP-API-only settings: (where, what, operation, what REST does instead)."""
    root = api.root
    for key, hint in _HTTP_ROOT.items():
        at = root.child(key)
        if at is not None:
            yield at, key, None, hint
    # components.x-amazon-apigateway-integrations is left to integrations-ref-in-rest, which
    # reports the operations that lose their integration by using it.
    tags = root.child("tags")
    if tags is not None and isinstance(tags.value, list):
        for i in range(len(tags.value)):
            tag = tags.child(i)
            at = tag.child(PREFIX + "tag-value") if tag else None
            if at is not None:
                yield at, PREFIX + "tag-value", None, "tag the REST API through IaC or TagResource"
    paths = root.child("paths")
    at = paths.child("/$default") if paths else None
    if at is not None:
        yield at, "the /$default route", None, _CATCH_ALL
    seen: set[tuple[str, Tokens]] = set()
    for method in api.methods:
        at = method.at.child("isDefaultRoute") if method.verb == "ANY" else None
        if at is not None and first_visit(seen, at):
            yield at, "isDefaultRoute", method.label, _CATCH_ALL
    for integration, (first, *_) in api.integrations():
        for key, hint in _HTTP_INTEGRATION.items():
            at = integration.at.child(key)
            if at is not None:
                yield at, key, first.label, hint
