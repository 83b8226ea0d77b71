"""Parameters: those API Gateway cannot represent, and the attributes it ignores."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, first_visit, violation
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Api, Parameter


def _why_nested(api: Api, param: Parameter) -> str | None:
    """Why a parameter holds structured data a flat method request parameter cannot, or None."""
    value = param.value
    if "[" in param.name or "]" in param.name:
        return f"its name {param.name!r} encodes nesting with brackets"
    if value.get("style") == "deepObject":
        return "it uses style: deepObject"
    if "content" in value:
        return "it is content-encoded (a `content` map instead of a simple type)"
    schema_at = param.at if api.version == "2.0" else api.dict_child(param.at, "schema")
    if schema_at is None or not isinstance(schema_at.value, dict):
        return None
    schema = schema_at.value
    if schema.get("type") == "object" or (
        "type" not in schema and isinstance(schema.get("properties"), dict)
    ):
        return "its schema is an object"
    if schema.get("type") == "array":
        items = api.dict_child(schema_at, "items")
        if items is not None and (
            items.value.get("type") in ("object", "array")
            or isinstance(items.value.get("properties"), dict)
        ):
            return f"it is an array of {items.value.get('type', 'object')}s"
    return None


@check
def nested_query_parameter(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # A parameter object shared through $ref is reported once, naming the methods that use it.
    found: dict[tuple[str, tuple[str, ...]], tuple[Parameter, str, list[str]]] = {}
    for method in api.methods:
        for param in method.parameters:
            if param.location != "query":
                continue
            key = (param.at.doc.path, param.at.tokens)
            if key in found:
                found[key][2].append(method.label)
                continue
            why = _why_nested(api, param)
            if why is not None:
                found[key] = (param, why, [method.label])
    for param, why, users in found.values():
        at = param.at if param.via_ref else param.site
        used = (
            f" (used by {', '.join(users[:3])}{' and more' if len(users) > 3 else ''})"
            if param.via_ref
            else ""
        )
        yield violation(
            at,
            f"query parameter {param.name!r}{used} cannot be represented by API "
            f"Gateway: {why}. Method request parameters are flat names that are "
            "only checked for presence; flatten it into simple parameters "
            "(e.g. filter_status) or send structured data in the body",
            None if param.via_ref else users[0],
        )


# -- ignored attributes ------------------------------------------------------------------------

_KEPT = frozenset({"name", "in", "required", "type", "description", "$ref"})
#: Reported by other rules: deprecated-dropped, nested-query-parameter (`content`).
_ELSEWHERE = frozenset({"deprecated", "content"})


@check
def param_attribute_ignored(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    seen: set[tuple[str, Tokens]] = set()
    for method in api.methods:
        for param in method.parameters:
            if param.location == "body":
                continue  # its schema is a model (the model rules)
            if not first_visit(seen, param.at):
                continue
            if param.location == "query" and _why_nested(api, param) is not None:
                continue  # nested-query-parameter reports it
            ignored = _ignored(api, param.at)
            if not ignored:
                continue
            first, names = ignored[0][0], [n for _, n in ignored]
            path_level = param.path_level
            where = f"parameter {param.name!r}" + (
                ""
                if param.via_ref
                else f" of path {method.path!r}"
                if path_level
                else f" of {method.label}"
            )
            shared = param.via_ref or path_level
            yield violation(
                first,
                f"{where} uses {', '.join(names)}, which API Gateway ignores "
                "(it keeps only name, in, required, type and description of "
                "a parameter): the gateway neither enforces nor reads them, so "
                "check them in the backend",
                None if shared else method.label,
            )


def _plain_items(value: Any) -> bool:
    """`items: {type: string}` only says what the array holds: part of the type."""
    return isinstance(value, dict) and set(value) <= {"type", "description"}


def _ignored(api: Api, at: At) -> list[tuple[At, str]]:
    out = []
    for key in at.value:
        if not isinstance(key, str) or key in _KEPT or key in _ELSEWHERE or key.startswith("x-"):
            continue
        child = at.child(key)
        if child is None or key == "items" and _plain_items(child.value):
            continue
        schema = api.dict_child(at, key) if key == "schema" else None
        if schema is not None:
            via = " (through its $ref)" if schema.tokens != child.tokens else ""
            out += [
                (schema.child(k) or child if not via else child, f"schema.{k}{via}")
                for k in schema.value
                if isinstance(k, str)
                and k not in ("type", "description")
                and not k.startswith("x-")
                and not (k == "items" and _plain_items(schema.value[k]))
            ]
        elif key != "schema":
            out.append((child, key))
    return out
