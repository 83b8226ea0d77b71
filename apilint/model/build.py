"""Build the gateway view from a document. Defensive: a wrongly typed node is skipped here
(structural validation reports it), never a crash."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.document.model import Document
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At, Workspace
from apilint.model.gateway import (
    ANY_METHOD,
    GATEWAY_RESPONSES,
    INTEGRATION,
    PROXY_TYPES,
    UNKNOWN_AUTH,
    VERBS,
    WEAK_HTTP_EVIDENCE,
    Api,
    Auth,
    Integration,
    Method,
    Parameter,
    Resource,
    SecurityScheme,
)

_HTTP_ONLY_ROOT = ("x-amazon-apigateway-cors", "x-amazon-apigateway-importexport-version")


def detect_kind(doc: Document, forced: str | None = None) -> tuple[str, str]:
    """("rest" | "http", why). HTTP APIs import only OpenAPI 3, so Swagger 2.0 is always REST."""
    if forced in ("rest", "http"):
        return forced, "chosen with --api-type"
    if doc.kind_hint in ("rest", "http"):
        return (
            doc.kind_hint,
            f"{doc.label or 'the API'} is declared as a {doc.kind_hint.upper()} API",
        )
    data = doc.data
    if doc.version == "2.0":
        return "rest", "Swagger 2.0 (HTTP APIs import only OpenAPI 3.0)"
    for key in _HTTP_ONLY_ROOT:
        if key in data:
            return "http", f"root has {key}"
    components = data.get("components")
    if isinstance(components, dict) and "x-amazon-apigateway-integrations" in components:
        return "http", "components has x-amazon-apigateway-integrations"
    paths = data.get("paths")
    if isinstance(paths, dict) and ("/$default" in paths or DEFAULT_ROUTE in paths):
        return "http", "has the $default route"
    # payloadFormatVersion alone is weak evidence: REST exports carry strays of it. It decides
    # only when nothing in the document is REST-only.
    weak, rest_only = _integration_evidence(paths), _rest_only_evidence(data)
    if weak and not rest_only:
        return "http", WEAK_HTTP_EVIDENCE
    if weak:
        return "rest", f"payloadFormatVersion present, but {rest_only}"
    return "rest", "no HTTP API markers"


_REST_ONLY_ROOT = (
    "x-amazon-apigateway-request-validators",
    GATEWAY_RESPONSES,
    "x-amazon-apigateway-policy",
    "x-amazon-apigateway-api-key-source",
    "x-amazon-apigateway-binary-media-types",
    "x-amazon-apigateway-minimum-compression-size",
)


def _operations(paths: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(paths, dict):
        return
    for item in paths.values():
        if isinstance(item, dict):
            yield from (op for op in item.values() if isinstance(op, dict))


def _integration_evidence(paths: Any) -> bool:
    return any(
        isinstance(op.get(INTEGRATION), dict) and "payloadFormatVersion" in op[INTEGRATION]
        for op in _operations(paths)
    )


def _rest_only_evidence(data: dict[str, Any]) -> str | None:
    """Why the document cannot be an HTTP API, or None."""
    for key in _REST_ONLY_ROOT:
        if key in data:
            return f"root has {key}"
    for op in _operations(data.get("paths")):
        integ = op.get(INTEGRATION)
        kind = integ.get("type") if isinstance(integ, dict) else None
        if isinstance(kind, str) and kind.lower() not in PROXY_TYPES:
            return f"an integration has type {kind!r}, which HTTP APIs do not support"
    for container in (
        data.get("securityDefinitions"),
        (data.get("components") or {}).get("securitySchemes")
        if isinstance(data.get("components"), dict)
        else None,
    ):
        if not isinstance(container, dict):
            continue
        for scheme in container.values():
            authorizer = (
                scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
            )
            kind = authorizer.get("type") if isinstance(authorizer, dict) else None
            if isinstance(kind, str) and kind.lower() in ("token", "cognito_user_pools"):
                return f"an authorizer has type {kind!r}, which HTTP APIs do not support"
    return None


def scheme_container(ws: Workspace, root: At, version: str) -> tuple[At | None, str]:
    """Where the security schemes are defined, and under which key."""
    components = ws.resolve(root.child("components"))
    container = ws.resolve(components.child("securitySchemes") if components else None)
    if version == "2.0" or (container is None and "securityDefinitions" in root.value):
        # OAS 3 documents written with the Swagger 2 key exist in AWS's own samples and import;
        # schema-invalid reports the misplaced key, the model reads it as API Gateway does.
        return ws.resolve(root.child("securityDefinitions")), "securityDefinitions"
    return container, "components.securitySchemes"


def _schemes(ws: Workspace, root: At, version: str, kind: str) -> dict[str, SecurityScheme]:
    container, _ = scheme_container(ws, root, version)
    out: dict[str, SecurityScheme] = {}
    if container is None or not isinstance(container.value, dict):
        return out
    for name in container.value:
        at = ws.resolve(container.child(name))
        if at is None or not isinstance(at.value, dict):
            continue
        value = at.value
        authorizer = ws.resolve(at.child("x-amazon-apigateway-authorizer"))
        out[name] = SecurityScheme(
            name=name,
            at=at,
            type=_str(value.get("type")),
            kind=_scheme_kind(value, authorizer, kind),
            authorizer=authorizer if authorizer and isinstance(authorizer.value, dict) else None,
            location=_str(value.get("in")),
            header=_str(value.get("name")),
        )
    return out


def _scheme_kind(scheme: dict[str, Any], authorizer: At | None, api_kind: str) -> str:
    authtype = scheme.get("x-amazon-apigateway-authtype")
    if has_placeholder(authtype) or (
        authorizer is not None
        and isinstance(authorizer.value, dict)
        and has_placeholder(authorizer.value.get("type"))
    ):
        return UNKNOWN_AUTH  # decided where the definition is deployed (a template variable)
    if authorizer is not None and isinstance(authorizer.value, dict):
        kind = str(authorizer.value.get("type", "")).lower()
        return {
            "token": "lambda",
            "request": "lambda",
            "cognito_user_pools": "cognito",
            "jwt": "jwt",
        }.get(kind, "invalid-authorizer")
    # `awsSigv4` (anything starting with "aws") means IAM authorization.
    if isinstance(authtype, str) and authtype.lower().startswith("aws"):
        return "iam"
    if scheme.get("type") == "apiKey" and api_kind == "rest" and not authtype:
        return "api_key"
    return "unsupported"


def _auth(ws: Workspace, op: At, api: Api) -> Auth:
    security = op.child("security")
    source = "operation"
    if security is None and api.kind == "http" and api.root_security is not None:
        # REST APIs ignore root-level security; HTTP APIs are read with OpenAPI semantics.
        security, source = api.root_security, "root"
    kinds: set[str] = set()
    names: list[str] = []
    security = ws.resolve(security)
    if security is not None and isinstance(security.value, list):
        for requirement in security.value:
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                names.append(name)
                scheme = api.schemes.get(name)
                kinds.add(scheme.kind if scheme else "undefined")
    auth_ext = ws.resolve(op.child("x-amazon-apigateway-auth"))
    if auth_ext is not None and isinstance(auth_ext.value, dict):
        if str(auth_ext.value.get("type", "")).upper() == "AWS_IAM":
            kinds.add("iam")
    if security is None and not kinds:
        source = "none"
    return Auth(frozenset(kinds), tuple(names), source, security)


def _parameters(ws: Workspace, item: At, op: At) -> list[Parameter]:
    merged: dict[tuple[str, str], Parameter] = {}
    for holder in (item, op):  # operation parameters override path-level ones
        listed = ws.resolve(holder.child("parameters"))
        if listed is None or not isinstance(listed.value, list):
            continue
        for i in range(len(listed.value)):
            site = listed.child(i)
            at = ws.resolve(site)
            if site is None or at is None or not isinstance(at.value, dict):
                continue
            name, where = at.value.get("name"), at.value.get("in")
            if not isinstance(name, str) or not isinstance(where, str):
                continue
            merged[(name, where)] = Parameter(name, where, at, site, at.tokens != site.tokens)
    return list(merged.values())


def _media_types(ws: Workspace, op: At, api: Api, params: list[Parameter]) -> tuple[str, ...]:
    """Media types of the request body, if the method takes one."""
    if api.version == "2.0":
        if not any(p.location in ("body", "formData") for p in params):
            return ()
        consumes = op.value.get("consumes", api.doc.data.get("consumes"))
        if isinstance(consumes, list):
            return tuple(c for c in consumes if isinstance(c, str))
        return ("application/json",)
    body = ws.resolve(op.child("requestBody"))
    content = ws.resolve(body.child("content")) if body else None
    if content is not None and isinstance(content.value, dict):
        return tuple(content.value)
    return ()


def _integration(ws: Workspace, op: At) -> Integration | None:
    at = ws.resolve(op.child(INTEGRATION))
    if at is None:
        return None
    value = at.value if isinstance(at.value, dict) else {}
    kind = value.get("type")
    return Integration(
        at=at,
        type=kind.lower() if isinstance(kind, str) else None,
        uri=value.get("uri"),
        http_method=value.get("httpMethod"),
    )


def _add_resource(resources: dict[str, Resource], path: str, at: At | None) -> Resource:
    # Every prefix is a resource of its own: AWS counts /a/b/c as three (plus the root).
    segments = [s for s in path.split("/") if s]
    prefix = ""
    resources.setdefault("/", Resource("/", None))
    for segment in segments[:-1]:
        prefix += "/" + segment
        resources.setdefault(prefix, Resource(prefix, None))
    full = "/" + "/".join(segments)
    resource = resources.setdefault(full, Resource(full, None))
    if at is not None and resource.at is None:
        resource.at = at
    return resource


def build_api(doc: Document, ws: Workspace, api_type: str | None = None) -> Api:
    kind, why = detect_kind(doc, api_type)
    root = At(doc, (), doc.data)
    root_security = root.child("security")
    api = Api(
        doc=doc,
        ws=ws,
        kind=kind,
        kind_reason=why,
        version=doc.version,
        resources={},
        methods=[],
        schemes={},
        root_security=root_security,
    )
    api.schemes = _schemes(ws, root, doc.version, kind)
    paths = ws.resolve(root.child("paths"))
    if paths is None or not isinstance(paths.value, dict):
        return api
    for key in paths.value:
        path = route_path(key, kind)
        if path is None:
            continue
        key_at = paths.child(key)
        item = ws.resolve(key_at)
        if key_at is None or item is None or not isinstance(item.value, dict):
            continue
        resource = _add_resource(api.resources, path, key_at)
        for key in list(VERBS) + [ANY_METHOD]:
            op = ws.resolve(item.child(key))
            if op is None or not isinstance(op.value, dict):
                continue
            verb = "ANY" if key == ANY_METHOD else key.upper()
            responses = ws.resolve(op.child("responses"))
            params = _parameters(ws, item, op)
            method = Method(
                verb=verb,
                path=path,
                at=op,
                auth=_auth(ws, op, api),
                integration=_integration(ws, op),
                parameters=params,
                responses=responses,
                request_media_types=_media_types(ws, op, api, params),
            )
            resource.methods[verb] = method
            api.methods.append(method)
    return api


#: The HTTP API catch-all route. AWS documents it as the path `/$default`; SAM's translator writes
#: the key `$default`, and API Gateway imports both.
DEFAULT_ROUTE = "$default"


def route_path(key: Any, kind: str) -> str | None:
    """The resource path a `paths` key stands for (`$default` is `/$default` on HTTP APIs), or
    None for a key API Gateway does not read as a path."""
    if isinstance(key, str) and key.startswith("/"):
        return key
    return "/" + DEFAULT_ROUTE if kind == "http" and key == DEFAULT_ROUTE else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
