"""Document-level checks: structural validity, OpenAPI version, references."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Iterator

from apilint.checks import Violation, check
from apilint.document.placeholders import is_placeholder
from apilint.document.pointer import get
from apilint.model.gateway import Api
from apilint.validate import (
    NestingTooDeep,
    SchemaError,
    Validator,
    backend_name,
    compile_schema,
    iter_narrowed,
)

_SCHEMA_DIRS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1"}


def _schemas_root() -> Path:
    # Locate openapi-spec-validator's official schemas without importing the package (its
    # import pulls in its whole validation stack, which the lint path does not use).
    spec = find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "schemas"


@lru_cache(maxsize=8)
def schema_validator(version: str, backend: str | None = None) -> Validator:
    path = _schemas_root() / _SCHEMA_DIRS[version] / "schema.json"
    return compile_schema(json.loads(path.read_text(encoding="utf-8")), backend)


def _short(message: str, limit: int = 160) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."


@check
def schema_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    doc = api.doc
    if doc.version not in _SCHEMA_DIRS:
        return
    data = doc.data
    if data.get("swagger") == 2.0:  # the unquoted YAML float is accepted (see detect_version)
        data = {**data, "swagger": "2.0"}
    elif isinstance(data.get("openapi"), float):
        data = {**data, "openapi": f"{data['openapi']:.1f}.0"}
    label = "Swagger 2.0" if doc.version == "2.0" else f"OpenAPI {doc.version}"
    by_path: dict[tuple[str, ...], SchemaError] = {}
    try:
        errors = list(iter_narrowed(schema_validator(doc.version, backend_name()), data))
    except NestingTooDeep:
        deepest = _deepest(data)
        yield Violation(doc, deepest, f"nested {len(deepest)} levels deep: no real definition "
                                      "is, and the structure could not be validated; flatten it")
        return
    for error in errors:
        if doc.placeholders:
            try:
                if is_placeholder(get(data, error.path)):
                    continue  # `${x}` stands for a value we cannot know yet
            except KeyError:
                pass
        # One finding per place; a `not` failure only restates another error in words no one reads.
        kept = by_path.get(error.path)
        if kept is None or (_is_not(kept) and not _is_not(error)):
            by_path[error.path] = error
    for path, error in by_path.items():
        yield Violation(doc, path, f"not valid {label}: {_short(error.message)}")


def _deepest(data: Any) -> tuple[str, ...]:
    """The pointer tokens of the most deeply nested container."""
    best: tuple[str, ...] = ()
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack:
        tokens, node = stack.pop()
        if len(tokens) > len(best):
            best = tokens
        if isinstance(node, dict):
            stack.extend((tokens + (str(k),), v) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend((tokens + (str(i),), v) for i, v in enumerate(node) if isinstance(v, (dict, list)))
    return best


def _is_not(error: SchemaError) -> bool:
    return error.keyword.lower() in ("not", "not_")


@check
def oas_version_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    doc = api.doc
    key = "swagger" if "swagger" in doc.data else "openapi"
    if doc.version == "3.1":
        yield Violation(doc, (key,), f"OpenAPI {doc.data[key]} is valid OpenAPI, but API Gateway "
                        "rejects 3.1 documents at import ('Invalid OpenAPI input.'); write 3.0.x")
    elif doc.version not in ("2.0", "3.0"):
        yield Violation(doc, (key,), f"{key} version {doc.data[key]!r} is not one API Gateway "
                        "imports; use swagger: '2.0' or openapi: 3.0.x")


@check
def ref_remote_not_fetched(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for issue in api.ws.issues:
        if issue.kind == "remote":
            yield Violation(issue.doc, issue.tokens, f"$ref {issue.detail}; what it points to "
                            "is not checked. Inline it or bundle the definition before import")


@check
def ref_unresolved(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for issue in api.ws.issues:
        if issue.kind in ("unresolved", "outside"):
            yield Violation(issue.doc, issue.tokens, f"$ref {issue.detail}")


@check
def rule_crashed(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    """Findings of this rule are made by the engine when another rule raises."""
    return iter(())


@check
def unused_suppression(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    """Findings of this rule are made by the engine once every other rule ran (apilint.suppress)."""
    return iter(())


@check
def invalid_suppression(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    """Findings of this rule are made by the engine (apilint.suppress)."""
    return iter(())
