"""Models: what REST API import keeps of schemas (and HTTP APIs of request bodies).

A REST API turns `definitions` / `components.schemas` and every request or response body schema
into JSON Schema draft 4 models; the known-issues list names the keywords it does not support.
The schemas are walked once per API (apilint.model.schema_walk: following `$ref`s, each node
once), so a problem in a shared schema is reported once, where the schema is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, first_visit, per_api, shown, violation
from apilint.common.regex import lazy
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Api, Method
from apilint.model.requests import request_sites, response_sites, schemas_container
from apilint.model.schema_walk import (
    LISTS,
    SchemaIndex,
    SchemaNode,
    is_json,
    lists_json,
    roots,
    swagger2_types,
    walk,
)
from apilint.model.wording import say

_MODEL_NAME = lazy(r"[A-Za-z0-9]+")


def _site_key(at: At) -> tuple[int, Tokens]:
    return id(at.doc), at.tokens


@per_api
def _index(api: Api) -> SchemaIndex:
    """The schema objects that hold a keyword some rule here looks for (cached per API)."""
    return walk(api, roots(api), _LOOKED_FOR)


def _holding(api: Api, keywords: frozenset[str]) -> list[SchemaNode]:
    """The schema nodes that hold any of `keywords` (all of _LOOKED_FOR), in walk order."""
    return _index(api).holding(keywords)


def _on_key(node: SchemaNode, key: str, message: str) -> Violation:
    """A violation at one key of a schema node (made without an At: thousands on GitHub)."""
    return Violation(node.doc, node.tokens + (key,), message)


# -- models ------------------------------------------------------------------------------------


@check
def model_name_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    container = schemas_container(api)
    if container is None:
        return
    for name in container.value:
        if not isinstance(name, str) or _MODEL_NAME().fullmatch(name) or "${" in name:
            continue
        suggestion = re.sub(r"[^A-Za-z0-9]", "", name) or "Model1"
        yield violation(
            container.child(name) or container,
            say(api, "model-name-invalid", name=name, suggestion=suggestion),
        )


_KEYWORDS = {
    "discriminator": "remove it; API Gateway validates with JSON Schema draft 4, which has no "
    "discriminator (use oneOf/enum in the schema itself)",
    "nullable": "do not rely on null being accepted; make the property optional instead, or "
    "allow null by editing the model after import",
    "readOnly": "remove it; the model does not enforce it",
    "exclusiveMinimum": "use `minimum` with the smallest allowed value instead",
    "default": "remove it; API Gateway never fills in defaults (document the default in the "
    "description)",
}
_KEYWORD_SET = frozenset(_KEYWORDS)
_EXAMPLES = ("example", "examples")
_FORMAT = frozenset({"format"})
_DEPRECATED = frozenset({"deprecated"})
#: Every keyword the schema rules ask `_holding` for: indexed in one walk over the nodes.
_LOOKED_FOR = _KEYWORD_SET | frozenset(_EXAMPLES) | _FORMAT | _DEPRECATED | frozenset(LISTS)


@check
def schema_keyword_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for node in _holding(api, _KEYWORD_SET):
        for keyword, advice in _KEYWORDS.items():
            if keyword not in node.value:
                continue
            if keyword == "nullable" and api.version == "2.0":
                continue  # not a Swagger 2.0 keyword at all: schema-invalid reports it
            yield _on_key(
                node,
                keyword,
                f"`{keyword}` in {node.place} is not supported in API Gateway models: {advice}",
            )


@check
def schema_example_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # Reported once per model or body (at its first example): examples are usually everywhere.
    first: dict[str, tuple[SchemaNode, str]] = {}
    count: dict[str, int] = {}
    for node in _holding(api, frozenset(_EXAMPLES)):
        for keyword in _EXAMPLES:
            if keyword in node.value:
                first.setdefault(node.owner, (node, keyword))
                count[node.owner] = count.get(node.owner, 0) + 1
    for owner, (node, keyword) in first.items():
        more = count[owner] - 1
        also = f" (and {more} more in it)" if more else ""
        yield _on_key(
            node,
            keyword,
            f"`{keyword}` in {node.place}{also} is not supported in API Gateway "
            "models; it is harmless to import, but keep examples in documentation "
            "(e.g. x-amazon-apigateway-documentation) rather than in the model",
        )


@check
def schema_int_decimal_format(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for node in _holding(api, _FORMAT):
        fmt = node.value["format"]
        if not isinstance(fmt, str):
            continue
        kind = node.value.get("type")
        if fmt.lower() in ("int32", "int64") and kind == "number":
            fix = "use `type: integer` (with or without the format)"
        elif fmt.lower() == "decimal" and kind != "string":
            # a decimal *string* (Stripe's unit_amount_decimal) is not a number format
            fix = "use `type: number` without a format"
        else:
            continue
        typed = f" with `type: {kind}`" if isinstance(kind, str) else ""
        yield _on_key(
            node,
            "format",
            f"`format: {fmt}`{typed} in {node.place} is not supported in API Gateway models: {fix}",
        )


@check
def schema_composition_ref(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for node in _holding(api, frozenset(LISTS)):
        for keyword in LISTS:
            members = node.value.get(keyword)
            if not isinstance(members, list):
                continue
            refs = [
                m["$ref"]
                for m in members
                if isinstance(m, dict)
                and isinstance(m.get("$ref"), str)
                and m["$ref"].startswith("#")
            ]
            if refs:
                shown = ", ".join(refs[:3]) + (" ..." if len(refs) > 3 else "")
                yield _on_key(
                    node,
                    keyword,
                    f"`{keyword}` in {node.place} uses $ref to schemas of the same "
                    f"document ({shown}); API Gateway cannot import that in OpenAPI "
                    "3.0: inline the referenced schemas, or reference a separate "
                    "API Gateway model by its URL",
                )


_PRIMITIVE = ("string", "number", "integer", "boolean", "null")


@check
def primitive_response_schema(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    seen: set[tuple[str, Tokens]] = set()
    for root in roots(api):
        value = root.site.value
        if (
            root.role != "response"
            or "$ref" in value
            or value.get("type") not in _PRIMITIVE
            or not root.json
        ):
            continue  # a non-JSON body schema is nonjson-model's
        if not first_visit(seen, root.site):
            continue
        yield violation(
            root.site.child("type") or root.site,
            f"{root.owner} has the inline primitive schema `type: {value['type']}`; "
            "API Gateway method responses need an object schema: move it to a named "
            f"schema (e.g. {value['type'].capitalize()}Response) and $ref it",
        )


@check
def deprecated_dropped(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    sites: dict[tuple[int, Tokens], tuple[At, str, str | None]] = {}
    for method in api.methods:
        if method.value.get("deprecated") is True:
            sites.setdefault(
                _site_key(method.at), (method.at, f"operation {method.label}", method.label)
            )
        for param in method.parameters:
            if param.value.get("deprecated") is True:
                sites.setdefault(
                    _site_key(param.at),
                    (param.at, f"parameter {param.name!r} of {method.label}", None),
                )
    for node in _holding(api, _DEPRECATED):
        if node.value["deprecated"] is True:
            sites.setdefault(_site_key(node.at), (node.at, node.place, None))
    for at, what, operation in sites.values():
        yield violation(
            at.child("deprecated") or at,
            f"`deprecated` on {what} is not supported by API Gateway and is dropped "
            "from exports; announce deprecation in the description or documentation "
            "parts as well",
            operation,
        )


def _media_entry(site: At) -> At:
    """The media-type key that holds a schema site (`content.<type>.schema`)."""
    return At(site.doc, site.tokens[:-1], None)


@check
def nonjson_model(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    found: dict[tuple[int, Tokens], tuple[At, str]] = {}
    if api.version == "2.0":
        for method in api.methods:
            for where, what in _swagger2_nonjson(api, method):
                found.setdefault(_site_key(where), (where, what))
    else:
        for root in roots(api):
            if root.role != "model" and not is_json(root.media_type):
                where = _media_entry(root.site)
                found.setdefault(_site_key(where), (where, f"{root.owner} ({root.media_type})"))
    for where, what in found.values():
        yield violation(
            where,
            f"{what}: a body schema for a media type other than "
            "application/json; API Gateway models are JSON Schema for "
            "application/json, and get-export fails with 'Only found non-JSON "
            "body models' for a method without a JSON model: add an "
            "application/json schema or drop this one",
        )


def _swagger2_nonjson(api: Api, method: Method) -> Iterator[tuple[At, str]]:
    """(where, what) for `consumes`/`produces` in force that list no JSON type although the
    method has a body schema of that direction."""
    for key, has_body, what in (
        ("consumes", any(True for _ in request_sites(api, method)), "request body"),
        ("produces", any(True for _ in response_sites(api, method)), "responses"),
    ):
        found = swagger2_types(api, method, key)
        if has_body and found is not None and not lists_json(found[1]):
            where, types = found
            shown = ", ".join(str(t) for t in types)
            yield where, f"the {what} of {method.label} ({key}: {shown})"


@check
def http_request_validation_ignored(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # One finding per API: every such route is affected in the same way.
    users: list[tuple[At, Method]] = []
    for method in api.methods:
        body = method.at.child("requestBody")
        if body is not None and any(True for _ in request_sites(api, method)):
            users.append((body, method))
            continue
        required = [
            p for p in method.parameters if p.location != "path" and p.value.get("required") is True
        ]
        if required:
            users.append((required[0].site, method))
    if not users:
        return
    yield violation(
        users[0][0],
        f"HTTP APIs do not validate requests: the request body schemas "
        f"and required parameters of {shown([m for _, m in users])} are "
        "imported as documentation only; validate in the integration "
        "(or use a REST API with a request validator)",
        users[0][1].label,
    )
