"""Parameters API Gateway cannot represent."""

from __future__ import annotations

from typing import Any, Iterator

from apilint.checks import Violation, check, violation
from apilint.model.gateway import Api, Parameter


def _why_nested(api: Api, param: Parameter) -> str | None:
    value = param.value
    if "[" in param.name or "]" in param.name:
        return f"its name {param.name!r} encodes nesting with brackets"
    if value.get("style") == "deepObject":
        return "it uses style: deepObject"
    if "content" in value:
        return "it is content-encoded (a `content` map instead of a simple type)"
    schema_at = api.ws.resolve(param.at.child("schema")) if api.version != "2.0" else param.at
    schema = schema_at.value if schema_at is not None else None
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "object" or (
            "type" not in schema and isinstance(schema.get("properties"), dict)):
        return "its schema is an object"
    if schema.get("type") == "array" and schema_at is not None:
        items = api.ws.resolve(schema_at.child("items"))
        if items is not None and isinstance(items.value, dict) and (
                items.value.get("type") in ("object", "array")
                or isinstance(items.value.get("properties"), dict)):
            return f"it is an array of {items.value.get('type', 'object')}s"
    return None


@check
def nested_query_parameter(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    reported: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    pending: list[tuple[Parameter, str, str]] = []
    for method in api.methods:
        for param in method.parameters:
            if param.location != "query":
                continue
            why = _why_nested(api, param)
            if why is None:
                continue
            key = (param.at.doc.path, param.at.tokens)
            if key in reported:
                reported[key].append(method.label)
                continue
            reported[key] = [method.label]
            pending.append((param, why, method.label))
    for param, why, label in pending:
        users = reported[(param.at.doc.path, param.at.tokens)]
        at = param.at if param.via_ref else param.site
        used = f" (used by {', '.join(users[:3])}{' and more' if len(users) > 3 else ''})" \
            if param.via_ref else ""
        yield violation(at, f"query parameter {param.name!r}{used} cannot be represented by API "
                            f"Gateway: {why}. Method request parameters are flat names that are "
                            "only checked for presence; flatten it into simple parameters "
                            "(e.g. filter_status) or send structured data in the body",
                        None if param.via_ref else label)
