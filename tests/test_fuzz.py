"""Property-based fuzzing: at least 300 mutated real definitions (Swagger 2.0 and OpenAPI 3.0,
YAML and JSON) per CI run; `scripts/fuzz.py` runs the same property for longer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzzing import SOURCES, check_survives, mutated_documents, source_data

# CI runs a fixed, derandomized set of 300; scripts/fuzz.py asks for more, with a random seed.
EXAMPLES = int(os.environ.get("APILINT_FUZZ_EXAMPLES", "300"))


def test_sources_cover_both_versions_and_formats() -> None:
    versions = {str(source_data(p).get("swagger") or source_data(p).get("openapi"))[:1]
                for p in SOURCES if "Resources" not in source_data(p)}
    assert versions == {"2", "3"}
    assert sum("Resources" in source_data(p) for p in SOURCES) == 2
    assert {p.parent.name for p in SOURCES if "Resources" in source_data(p)} == {
        "cloudformation-json", "lambda-reference-dangling"}
    assert {p.suffix for p in SOURCES} == {".yaml", ".json"}


@pytest.mark.filterwarnings("ignore:Generating overly large repr")
@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES == 300, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_documents())
def test_mutated_definitions_never_crash(tmp_path_factory, document: tuple[str, str]) -> None:
    suffix, text = document
    path: Path = tmp_path_factory.mktemp("fuzz") / f"api{suffix}"
    path.write_text(text, encoding="utf-8")
    check_survives(path)
