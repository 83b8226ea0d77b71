"""Document-level checks: structural validity, OpenAPI version, references."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Iterator

from apilint.checks import Violation, check
from apilint.model.gateway import Api
from apilint.validate import Validator, compile_schema

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
