"""The resolved view Spectral rules read, and where a node reached through $refs is written."""

from __future__ import annotations

from typing import Any

import pytest

from apilint.custom.refs import locate, resolved_view

DOC: dict[str, Any] = {
    "paths": {
        "/a": {"parameters": [{"$ref": "#/components/parameters/p"}, {"name": "q"}]},
        "/b": {"parameters": [{"$ref": "#/components/parameters/alias"}]},
    },
    "components": {
        "parameters": {
            "p": {"name": "p", "in": "query"},
            "alias": {"$ref": "#/components/parameters/p"},
            "broken": {"$ref": "#/components/parameters/nonesuch"},
            "file": {"$ref": "other.yaml#/p"},
        },
        "schemas": {
            "Node": {"properties": {"child": {"$ref": "#/components/schemas/Node"}}},
            "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"properties": {"a": {"$ref": "#/components/schemas/A"}, "n": {"$ref": "#/x"}}},
        },
    },
}


def test_local_refs_resolve_to_one_shared_object() -> None:
    view = resolved_view(DOC)
    first = view["paths"]["/a"]["parameters"][0]
    assert first == {"name": "p", "in": "query"}
    assert view["paths"]["/b"]["parameters"][0] is first  # through a $ref to a $ref
    assert DOC["paths"]["/a"]["parameters"][0] == {"$ref": "#/components/parameters/p"}


def test_circular_broken_and_file_refs_stay_as_written() -> None:
    view = resolved_view(DOC)
    node = view["components"]["schemas"]["Node"]
    assert node["properties"]["child"] == {"$ref": "#/components/schemas/Node"}
    assert view["components"]["parameters"]["broken"] == {
        "$ref": "#/components/parameters/nonesuch"
    }
    assert view["components"]["parameters"]["file"] == {"$ref": "other.yaml#/p"}
    # A -> B -> A: both stay (Spectral leaves a cycle unresolved wherever it is entered).
    assert view["components"]["schemas"]["A"]["properties"]["b"] == {
        "$ref": "#/components/schemas/B"
    }
    assert view["components"]["schemas"]["B"]["properties"]["a"] == {
        "$ref": "#/components/schemas/A"
    }


@pytest.mark.parametrize(
    ("tokens", "written"),
    [
        pytest.param(
            ("paths", "/a", "parameters", "0"), ("components", "parameters", "p"), id="ref"
        ),
        pytest.param(
            ("paths", "/a", "parameters", "0", "in"),
            ("components", "parameters", "p", "in"),
            id="below-a-ref",
        ),
        pytest.param(
            ("paths", "/b", "parameters", "0"), ("components", "parameters", "p"), id="chain"
        ),
        pytest.param(
            ("paths", "/a", "parameters", "1"), ("paths", "/a", "parameters", "1"), id="inline"
        ),
        pytest.param(
            ("paths", "/a", "parameters", "0", "schema"),
            ("components", "parameters", "p", "schema"),
            id="missing-field",
        ),
        pytest.param(
            ("components", "schemas", "Node", "properties", "child"),
            ("components", "schemas", "Node", "properties", "child"),
            id="circular",
        ),
    ],
)
def test_locate(tokens: tuple[str, ...], written: tuple[str, ...]) -> None:
    assert locate(DOC, resolved_view(DOC), tokens) == written
