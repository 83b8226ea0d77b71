"""Structural validation as API Gateway's importer sees it.

The official OpenAPI JSON Schemas are stricter than the importer: it takes `responses: {}` (SAM
writes it into every route), a missing `info.version`, `openapi: "3.0"`, Swagger 2.0 keys left
in an OpenAPI 3 file and `type: oauth2` without `flows` (SAM's HTTP API JWT authorizers). So a
schema violation is an *error* (schema-invalid) only where the importer cannot read the
document: an object or list where a plain value belongs ("Unable to parse API definition"), or a
path item or operation that is not an object. Everything else is a *warning*
(openapi-schema-violation): the API imports, but other OpenAPI tools reject the file.

Each violation is explained once, in plain words, from the validator's error tree: in a
`oneOf`, the branch the author meant is the one whose selector (`type`, `in`) matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, per_api
from apilint.common.records import NamedTuple
from apilint.common.validate import NestingTooDeep, SchemaError, backend_name, narrow
from apilint.document.placeholders import is_placeholder
from apilint.document.pointer import Tokens, get
from apilint.document.schemas import schema_validator
from apilint.model.build import DEFAULT_ROUTE
from apilint.model.gateway import Api

_VERBS = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "x-amazon-apigateway-any-method",
)
_SCALARS = {"string", "number", "integer", "boolean"}
#: Swagger 2.0 root keys and what OpenAPI 3 has instead.
_SWAGGER2_ROOT = {
    "definitions": "components.schemas",
    "parameters": "components.parameters",
    "responses": "components.responses",
    "securityDefinitions": "components.securitySchemes",
    "host": "servers",
    "basePath": "servers",
    "schemes": "servers",
    "consumes": "requestBody content types",
    "produces": "response content types",
}
#: Keys a Swagger 2.0 parameter has and an OpenAPI 3 parameter keeps under `schema`.
_SWAGGER2_PARAMETER = {
    "type",
    "format",
    "items",
    "enum",
    "default",
    "minimum",
    "maximum",
    "pattern",
    "collectionFormat",
    "minLength",
    "maxLength",
}


class Problem(NamedTuple):
    """A schema construct the importer or other tools refuse, where it is."""

    tokens: Tokens
    message: str
    fatal: bool  # the importer cannot read it (error) rather than other tools reject it
    import_warning: bool = False  # the importer warns (fatal where FailOnWarnings is set)
    only_if_strict: bool = False  # harmless unless import warnings fail the import


@per_api
def problems(api: Api) -> list[Problem]:
    doc = api.doc
    if doc.version not in ("2.0", "3.0", "3.1"):
        return []
    data = _normalised(doc.data)
    try:
        errors = schema_validator(doc.version, backend_name()).errors(data)
    except NestingTooDeep:
        deepest = _deepest(data)
        return [
            Problem(
                deepest,
                f"nested {len(deepest)} levels deep: no real definition is, and "
                "the structure could not be validated; flatten it",
                False,
            )
        ]
    relaxed = _responses_not_needed(api)
    # One finding per object, with the explanation that says most: a Swagger 2.0 style
    # header (`type` without `schema`) is one mistake, not a missing and an unexpected key.
    best: dict[Tokens, tuple[int, Problem]] = {}
    for error in errors:
        for cause in causes(error):
            if doc.placeholders and _is_placeholder(data, cause.path):
                continue  # `${x}` stands for a value we cannot know yet
            if _is_default_route(cause, api.kind):
                continue  # SAM's spelling of the $default route, which API Gateway imports
            rank, problem = _explain(cause, data, doc.version)
            missing = _is_missing_responses(cause)
            if api.kind == "http" or missing:
                # HTTP API import: "invalid according to the OpenAPI specification, but it
                # doesn't block API creation" is a warning; REST warns "No responses specified".
                # Proxy and HTTP API routes answer what the backend says, so a missing
                # `responses` costs nothing there unless warnings fail the import.
                problem = problem._replace(
                    import_warning=True,
                    only_if_strict=missing and _operation(cause.path) in relaxed,
                )
            kept = best.get(cause.path)
            if kept is None or rank > kept[0]:
                best[cause.path] = (rank, problem)
    return [problem for _, problem in best.values()]


@check
def schema_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for p in problems(api):
        if p.fatal:
            yield Violation(api.doc, p.tokens, p.message)


@check
def openapi_schema_violation(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for p in problems(api):
        if not p.fatal:
            yield Violation(
                api.doc,
                p.tokens,
                p.message,
                import_warning=p.import_warning,
                only_if_strict=p.only_if_strict,
            )


# -- the error tree --------------------------------------------------------------------------


def causes(error: SchemaError) -> list[SchemaError]:
    """The errors that explain `error`: itself, or for a failed oneOf/anyOf the errors of the
    branch the author meant."""
    if not error.branches:
        return [error]
    branches = [b for b in error.branches if b and not any(_is_ref_branch(e) for e in b)]
    # A branch whose selector (`type: apiKey`, `in: body`) differs from the instance's is not
    # the one meant: "oauth2 is not one of apiKey" explains nothing.
    meant = [
        b
        for b in branches
        if not any(e.keyword in ("enum", "const") and len(e.path) == len(error.path) + 1 for e in b)
    ]
    if len(meant) == 1:
        return [c for e in meant[0] for c in causes(e)]
    return [narrow(error)]


def _is_ref_branch(error: SchemaError) -> bool:
    return error.keyword == "required" and error.detail == ("$ref",)


def _is_missing_responses(error: SchemaError) -> bool:
    return (error.keyword == "required" and error.detail == ("responses",)) or _is_empty_responses(
        error
    )


def _is_empty_responses(error: SchemaError) -> bool:
    # OpenAPI 3 says `minProperties: 1`; Swagger 2.0 says `not` (no key but extensions).
    return error.keyword in ("minProperties", "not") and error.path[-1:] == ("responses",)


def _is_default_route(error: SchemaError, kind: str) -> bool:
    return (
        kind == "http"
        and error.keyword == "additionalProperties"
        and error.path == ("paths",)
        and error.detail == (DEFAULT_ROUTE,)
    )


def _operation(tokens: Tokens) -> Tokens:
    return tuple(tokens[:3])


def _responses_not_needed(api: Api) -> set[Tokens]:
    """Operations whose missing `responses` cost nothing: HTTP API routes and proxy
    integrations pass the backend's answer through (SAM writes `responses: {}`)."""
    return {
        m.at.tokens
        for m in api.methods
        if m.at.doc is api.doc
        and (api.kind == "http" or (m.integration is not None and m.integration.is_proxy))
    }


# -- plain words -----------------------------------------------------------------------------

#: How much an explanation says, to keep the best one for an object.
_FATAL, _SWAGGER2_STYLE, _PLAIN, _GENERIC = 4, 3, 2, 1


def _explain(error: SchemaError, data: Any, version: str) -> tuple[int, Problem]:
    where = describe(error.path, data)
    label = "Swagger 2.0" if version == "2.0" else f"OpenAPI {version}"
    value = _value(data, error.path)
    tolerated = "API Gateway imports it, other OpenAPI tools reject it"
    if error.keyword == "type":
        expected = " or ".join(_article(t) for t in error.detail) or "another type"
        message = f"{where} is {_kind(value)} where {label} expects {expected}"
        if _fatal_type(error, value):
            return _FATAL, Problem(
                error.path,
                f"{message}; API Gateway's importer cannot read "
                "it ('Unable to parse API definition'); write "
                f"{expected} here",
                True,
            )
        return _PLAIN, Problem(error.path, f"{message}; {tolerated}", False)
    if error.keyword == "required":
        prop = error.detail[0] if error.detail else "?"
        swagger2 = _swagger2_keys(error, value, version)
        if prop in ("schema", "content") and swagger2:
            return _SWAGGER2_STYLE, Problem(
                error.path,
                f"{where} has `{swagger2[0]}` directly (Swagger 2.0 style); OpenAPI "
                f"3 puts it under `schema:`; API Gateway imports it, other OpenAPI "
                "tools reject it",
                False,
            )
        return _PLAIN, Problem(
            error.path, f"{where} has no `{prop}`{_required_hint(value, prop, tolerated)}", False
        )
    if error.keyword == "additionalProperties" and error.detail:
        key = error.detail[0]
        more = f" (and {len(error.detail) - 1} more)" if len(error.detail) > 1 else ""
        return _PLAIN, Problem(
            error.path + (key,),
            f"{where} has `{key}`{more}, which {label} does not define "
            f"there; {_extra_hint(error, key, version)}",
            False,
        )
    if _is_empty_responses(error):
        return _PLAIN, Problem(
            error.path,
            f"{where} is empty; {label} requires at least one "
            "response (API Gateway's importer warns 'No "
            "responses specified')",
            False,
        )
    if error.keyword == "pattern" and error.path == ("openapi",):
        return _PLAIN, Problem(
            error.path, f"`openapi: {value}` is not a full version like 3.0.1; {tolerated}", False
        )
    return _GENERIC, Problem(
        error.path, f"{where}: {_short(error.message)} (not valid {label}; {tolerated})", False
    )


def _swagger2_keys(error: SchemaError, value: Any, version: str) -> list[str]:
    """Swagger 2.0 parameter/header keys on an OpenAPI 3 parameter or header."""
    if version == "2.0" or not isinstance(value, dict) or len(error.path) < 2:
        return []
    if error.path[-2] not in ("parameters", "headers"):
        return []
    return [k for k in value if k in _SWAGGER2_PARAMETER]


def _fatal_type(error: SchemaError, value: Any) -> bool:
    """The importer reads path items and operations as objects and plain fields as strings,
    numbers or booleans: an object or list there makes it fail ('Unable to parse API
    definition because of a malformed integration at path /.' for the integration)."""
    if isinstance(value, (dict, list)) and error.detail and set(error.detail) <= _SCALARS:
        return True
    path = error.path
    return (
        not isinstance(value, dict)
        and value is not None
        and (
            len(path) == 0
            or (len(path) == 2 and path[0] == "paths")
            or (len(path) == 3 and path[0] == "paths" and path[2] in _VERBS)
        )
    )


def _required_hint(value: Any, prop: str, tolerated: str) -> str:
    if prop == "flows" and isinstance(value, dict) and "x-amazon-apigateway-authorizer" in value:
        return (
            "; API Gateway reads its x-amazon-apigateway-authorizer and ignores flows, other "
            "OpenAPI tools reject a scheme without them: add `flows: {}`"
        )
    if prop == "responses":
        return (
            "; API Gateway imports it with a warning (REST: 'No responses specified') and "
            "other OpenAPI tools reject it: declare the responses the method returns"
        )
    return f"; {tolerated}"


def _extra_hint(error: SchemaError, key: str, version: str) -> str:
    if version != "2.0" and error.path == () and key in _SWAGGER2_ROOT:
        return (
            f"it is a Swagger 2.0 key that API Gateway and other OpenAPI 3 tools ignore; "
            f"use {_SWAGGER2_ROOT[key]}"
        )
    if (
        version != "2.0"
        and len(error.path) >= 2
        and error.path[-2] in ("parameters", "headers")
        and key in _SWAGGER2_PARAMETER
    ):
        return f"OpenAPI 3 puts a parameter's `{key}` under `schema:` (Swagger 2.0 style)"
    return "other OpenAPI tools reject it; remove it or give it an x- prefix"


def describe(tokens: Tokens, data: Any) -> str:
    """`GET /pets`, `parameter 'id' of GET /pets`, `oauth2 security scheme 'jwt'`: the place
    a pointer names, as an author would call it."""
    t = list(tokens)
    if not t:
        return "the document"
    if t[0] == "paths" and len(t) >= 2:
        if len(t) == 2:
            return f"path item {t[1]}"
        op = f"{_verb(t[2])} {t[1]}" if t[2] in _VERBS else f"path item {t[1]}"
        rest = t[3:] if t[2] in _VERBS else t[2:]
        if rest[:1] == ["parameters"] and len(rest) >= 2:
            name = _value(
                data, tuple(t[: 3 if t[2] in _VERBS else 2]) + ("parameters", rest[1], "name")
            )
            head = f"parameter {name!r}" if isinstance(name, str) else f"parameter {rest[1]}"
            return _with_rest(f"{head} of {op}", rest[2:])
        if rest[:1] == ["responses"] and len(rest) >= 2:
            return _with_rest(f"response {rest[1]} of {op}", rest[2:])
        if rest == ["responses"]:
            return f"`responses` of {op}"
        return _with_rest(op, rest)
    n = (
        3
        if t[0] == "components" and t[1:2] == ["securitySchemes"] and len(t) >= 3
        else 2
        if t[0] == "securityDefinitions" and len(t) >= 2
        else 0
    )
    if n:
        scheme = _value(data, tuple(t[:n]))
        kind = scheme.get("type") if isinstance(scheme, dict) else None
        head = f"security scheme {t[n - 1]!r}"
        return _with_rest(f"{kind} {head}" if isinstance(kind, str) else head, t[n:])
    if t[:2] == ["components", "schemas"] and len(t) >= 3:
        return _with_rest(f"schema {t[2]!r}", t[3:])
    if t[0] == "definitions" and len(t) >= 2:
        return _with_rest(f"schema {t[1]!r}", t[2:])
    return f"`{t[0]}`" if len(t) == 1 else "`" + _pointer(t) + "`"


def _with_rest(head: str, rest: list[str]) -> str:
    return f"{head} at `{_pointer(rest)}`" if rest else head


def _pointer(tokens: list[str]) -> str:
    return "/" + "/".join(str(x).replace("~", "~0").replace("/", "~1") for x in tokens)


def _verb(key: str) -> str:
    return "ANY" if key == "x-amazon-apigateway-any-method" else key.upper()


def _value(data: Any, tokens: Tokens) -> Any:
    try:
        return get(data, tokens)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "a list", str: "a string", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def _article(json_type: str) -> str:
    return {"object": "an object", "array": "a list", "integer": "an integer", "null": "null"}.get(
        json_type, f"a {json_type}"
    )


def _short(message: str, limit: int = 160) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."


def _is_placeholder(data: Any, tokens: Tokens) -> bool:
    try:
        return is_placeholder(get(data, tokens))
    except (KeyError, IndexError, TypeError, ValueError):
        return False


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("swagger") == 2.0:  # the unquoted YAML float is accepted (see detect_version)
        return {**data, "swagger": "2.0"}
    if isinstance(data.get("openapi"), float):
        return {**data, "openapi": f"{data['openapi']:.1f}.0"}
    return data


def _deepest(data: Any) -> Tokens:
    """The pointer tokens of the most deeply nested container."""
    best: tuple[str, ...] = ()
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack:
        tokens, node = stack.pop()
        if len(tokens) > len(best):
            best = tokens
        if isinstance(node, dict):
            stack.extend(
                (tokens + (str(k),), v) for k, v in node.items() if isinstance(v, (dict, list))
            )
        elif isinstance(node, list):
            stack.extend(
                (tokens + (str(i),), v) for i, v in enumerate(node) if isinstance(v, (dict, list))
            )
    return best
