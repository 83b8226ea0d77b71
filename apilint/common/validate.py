"""The JSON Schema seam: one interface over a compiled validator (jsonschema-rs) and the
reference pure-Python one (jsonschema). Both run the same official schemas and both report
through `SchemaError`, so callers never see which one ran.

`APILINT_VALIDATOR=jsonschema` forces the pure-Python backend.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any, Protocol

from apilint.common.records import NamedTuple


class SchemaError(NamedTuple):
    """One JSON Schema validation error, at an instance path."""

    path: tuple[str, ...]  # instance path, as pointer tokens
    message: str
    keyword: str = ""
    #: For oneOf/anyOf: the errors of each branch that failed, branch by branch.
    branches: tuple[tuple[SchemaError, ...], ...] = ()
    #: What the keyword is about, the same for both backends: the missing property
    #: (required), the unexpected keys (additionalProperties), the expected types (type).
    detail: tuple[str, ...] = ()

    @property
    def context(self) -> tuple[SchemaError, ...]:
        return tuple(e for branch in self.branches for e in branch)


class NestingTooDeep(Exception):
    """The instance is nested deeper than the validator can recurse."""


class Validator(Protocol):
    def errors(self, instance: Any) -> list[SchemaError]: ...


def _refuse_remote(uri: str) -> Any:
    raise ValueError(
        f"$ref {uri} is not fetched: apilint resolves only references inside the schema"
    )


def offline_registry() -> Any:
    """A `referencing` registry for jsonschema that retrieves nothing: without one, jsonschema
    still fetches http(s) `$ref`s itself (deprecated, but on)."""
    from referencing import Registry

    # `retrieve` is the attrs alias of Registry._retrieve, which mypy's attrs plugin misses.
    return Registry(retrieve=_refuse_remote)  # type: ignore[call-arg]


class _RustValidator:
    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema_rs

        self._schema = schema
        # Never the network: jsonschema-rs would fetch an http(s) `$ref` of a schema (a custom
        # rule's `schema` function comes with the pull request CI lints).
        self._v = jsonschema_rs.validator_for(schema, retriever=_refuse_remote)

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
        kind = error.kind
        groups = getattr(kind, "context", None) or []
        branches = tuple(tuple(self._convert(c) for c in group) for group in groups)
        keyword = _KEYWORDS.get(type(kind).__name__, type(kind).__name__)
        if keyword == "required":
            detail: tuple[str, ...] = (str(kind.property),)
        elif keyword == "additionalProperties":
            detail = tuple(str(k) for k in kind.unexpected)
        elif keyword == "type":
            types = kind.types
            detail = tuple(str(t) for t in (types if isinstance(types, (list, tuple)) else [types]))
        else:
            detail = ()
        return SchemaError(
            tuple(str(p) for p in error.instance_path), error.message, keyword, branches, detail
        )


#: jsonschema-rs names error kinds after their keyword in CamelCase; the keyword itself is
#: what both backends share.
_KEYWORDS = {
    "Required": "required",
    "AdditionalProperties": "additionalProperties",
    "Type": "type",
    "Enum": "enum",
    "Constant": "const",
    "OneOfNotValid": "oneOf",
    "AnyOf": "anyOf",
    "Not": "not",
    "Pattern": "pattern",
    "MinProperties": "minProperties",
    "MinItems": "minItems",
    "OneOfMultipleValid": "oneOf",
    "Format": "format",
    "UniqueItems": "uniqueItems",
}


class _PyValidator:
    def __init__(self, schema: dict[str, Any]) -> None:
        import jsonschema

        cls = jsonschema.validators.validator_for(schema)
        self._v = cls(schema, registry=offline_registry())

    def errors(self, instance: Any) -> list[SchemaError]:
        try:
            return [self._convert(e) for e in self._v.iter_errors(instance)]
        except RecursionError as exc:
            raise NestingTooDeep(str(exc)) from None

    def _convert(self, error: Any) -> SchemaError:
        grouped: dict[Any, list[SchemaError]] = {}
        for c in error.context or ():
            grouped.setdefault(c.relative_schema_path[0], []).append(self._convert(c))
        branches = tuple(tuple(group) for group in grouped.values())
        keyword = str(error.validator)
        detail: tuple[str, ...] = ()
        if keyword == "required":
            found = re.match(r"^'(.*)' is a required property", error.message)
            detail = (found.group(1),) if found else ()
        elif keyword == "additionalProperties" and isinstance(error.instance, dict):
            detail = tuple(_unexpected(error.instance, error.schema))
        elif keyword == "type":
            wanted = error.validator_value
            detail = tuple(wanted) if isinstance(wanted, list) else (str(wanted),)
        return SchemaError(
            tuple(str(p) for p in error.absolute_path), error.message, keyword, branches, detail
        )


def _unexpected(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    known = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [
        str(k)
        for k in instance
        if k not in known and not any(re.search(p, str(k)) for p in patterns)
    ]


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
    return error.keyword in ("enum", "const")


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
