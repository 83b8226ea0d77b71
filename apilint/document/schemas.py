"""The official OpenAPI/Swagger JSON Schema of each version, compiled once."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.machinery import PathFinder
from pathlib import Path

from apilint.common.validate import Validator, compile_schema

_SCHEMA_DIRS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1"}


def _schemas_root() -> Path:
    # Locate openapi-spec-validator's official schemas without importing the package (its
    # import pulls in its whole validation stack, which the lint path does not use).
    # The path finder finds an installed package (importlib.machinery is loaded by then,
    # importlib.util would cost 0.2 ms more); importlib.util asks every finder (an editable
    # install's).
    spec = PathFinder.find_spec("openapi_spec_validator")
    if spec is None:
        from importlib.util import find_spec

        spec = find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "schemas"


@lru_cache(maxsize=8)
def schema_validator(version: str, backend: str | None = None) -> Validator:
    path = _schemas_root() / _SCHEMA_DIRS[version] / "schema.json"
    return compile_schema(json.loads(path.read_text(encoding="utf-8")), backend)
