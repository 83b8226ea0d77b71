"""The JSON Schema seam: one interface over a compiled validator (jsonschema-rs) and the
reference pure-Python one (jsonschema). Both run the same official schemas and both report
through `SchemaError`, so callers never see which one ran.

`APILINT_VALIDATOR=jsonschema` forces the pure-Python backend.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol


@dataclass(frozen=True)
class SchemaError:
    path: tuple[str, ...]  # instance path, as pointer tokens
    message: str
    keyword: str = ""
    context: tuple[SchemaError, ...] = field(default=())


class NestingTooDeep(Exception):
    """The instance is nested deeper than the validator can recurse."""


class Validator(Protocol):
    def errors(self, instance: Any) -> list[SchemaError]: ...


class _RustValidator:

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        self._schema = schema
        self._v = jsonschema_rs.validator_for(schema)

    def errors(self, instance: Any) -> list[SchemaError]:
        try:
            return [self._convert(e) for e in self._v.iter_errors(instance)]
        except UnicodeEncodeError:
            # A lone surrogate (JSON may spell "\ud800") cannot become a Rust (UTF-8) string;
            # the reference validator reads it.
            return _PyValidator(self._schema).errors(instance)
        except ValueError as exc:
            if "recursion" in str(exc).lower():
                raise NestingTooDeep(str(exc)) from None
            raise

    def _convert(self, error: Any) -> SchemaError:
        groups = getattr(error.kind, "context", None) or []
        context = tuple(self._convert(c) for group in groups for c in group)
        keyword = type(error.kind).__name__
        return SchemaError(tuple(str(p) for p in error.instance_path), error.message, keyword, context)


class _PyValidator:

    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema

        cls = jsonschema.validators.validator_for(schema)
        self._v = cls(schema)

    def errors(self, instance: Any) -> list[SchemaError]:
        try:
            return [self._convert(e) for e in self._v.iter_errors(instance)]
        except RecursionError as exc:
            raise NestingTooDeep(str(exc)) from None

    def _convert(self, error: Any) -> SchemaError:
        context = tuple(self._convert(c) for c in (error.context or ()))
        return SchemaError(tuple(str(p) for p in error.absolute_path), error.message,
                           str(error.validator), context)


def backend_name() -> str:
    wanted = os.environ.get("APILINT_VALIDATOR", "")
    if wanted == "jsonschema":
        return "jsonschema"
    try:
        import jsonschema_rs  # noqa: F401
    except ImportError:
        return "jsonschema"
    return "jsonschema-rs"


def compile_schema(schema: dict[str, Any], backend: str | None = None) -> Validator:
    backend = backend or backend_name()
    return _RustValidator(schema) if backend == "jsonschema-rs" else _PyValidator(schema)


def _is_ref_branch(error: SchemaError) -> bool:
    # The OpenAPI schemas say "a Reference or an X"; the Reference branch fails with
    # "'$ref' is a required property", which is never the interesting explanation.
    return "$ref" in error.message and ("required" in error.message or error.keyword == "required")


def _is_selector(error: SchemaError) -> bool:
    return error.keyword.lower() in ("enum", "const", "constant")


def narrow(error: SchemaError) -> SchemaError:
    """Descend from "not valid under any of the given schemas" to the most specific cause."""
    while error.context:
        candidates = [c for c in error.context if not _is_ref_branch(c)] or list(error.context)
        # Among equally deep causes, a failed enum/const is usually the branch selector of a
        # oneOf (`in: body` vs `in: query`): the wrong branch, not the user's mistake.
        deepest = max(candidates, key=lambda c: (len(c.path), not _is_selector(c)))
        if len(deepest.path) < len(error.path):
            break
        error = deepest
    return error


def iter_narrowed(validator: Validator, instance: Any) -> Iterable[SchemaError]:
    for error in validator.errors(instance):
        yield narrow(error)
