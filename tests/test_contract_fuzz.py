"""apilint.contract.fuzz: the operations schemathesis cannot load."""

from __future__ import annotations

from typing import Any

from apilint.contract.fuzz import FuzzSettings, fuzz
from apilint.contract.normalize import Normalised
from apilint.contract.observe import Observation
from apilint.contract.secrets import Credentials, Masker


def test_an_operation_schemathesis_cannot_load_is_a_note_not_a_crash() -> None:
    # schemathesis yields Err (which has no .ok()) for an operation with a dangling $ref.
    spec: dict[str, Any] = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/Missing"}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    seen: list[Observation] = []
    result = fuzz(
        Normalised(api=None, spec=spec, methods={}),  # no operation gets that far
        FuzzSettings(base_url="http://127.0.0.1:9"),
        session=None,
        creds=Credentials(),
        sign=None,
        mask=Masker([]),
        report=seen.append,
    )
    assert (result.total, result.tested, seen) == (1, 0, [])
    assert len(result.notes) == 1
    assert result.notes[0].startswith("not fuzzed: Unresolvable reference in the schema")
    assert "#/components/parameters/Missing" in result.notes[0]
