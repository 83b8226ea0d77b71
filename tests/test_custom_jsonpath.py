"""`given` JSONPaths: values with the pointer tokens of each node, in Spectral's dialect."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from apilint.custom.jsonpath import JSONPathError, compile_path, field_path

DOC: dict[str, Any] = {
    "paths": {
        "/a": {"get": {"operationId": "a", "tags": ["t"]}, "post": {}},
        "/b": {"get": {"tags": []}, "parameters": []},
    }
}


def found(expression: str) -> list[tuple[str | int, ...]]:
    return [tokens for _, tokens in compile_path(expression).find(DOC)]


@pytest.mark.parametrize(
    ("expression", "tokens"),
    [
        (
            "$.paths[*][get,post]",
            [("paths", "/a", "get"), ("paths", "/a", "post"), ("paths", "/b", "get")],
        ),
        ("$..operationId", [("paths", "/a", "get", "operationId")]),
        ("$.paths[*][?(@.tags)]", [("paths", "/a", "get"), ("paths", "/b", "get")]),
        ("$.paths[*][?(@property == 'post')]", [("paths", "/a", "post")]),
        ("$.paths[*].get.tags[0]", [("paths", "/a", "get", "tags", 0)]),
        ("$.nothing", []),
    ],
)
def test_selects_nodes_with_their_tokens(expression: str, tokens: list[Any]) -> None:
    assert found(expression) == tokens


def test_trailing_tilde_selects_names() -> None:
    assert [v for v, _ in compile_path("$.paths.*~").find(DOC)] == ["/a", "/b"]


@pytest.mark.parametrize(
    "expression",
    ["paths", "$.paths[", "$.paths[?(@.name.match(/x/))]", "$..[?(@.x)]^", "$[?(@path)]"],
)
def test_unreadable_paths_say_why(expression: str) -> None:
    with pytest.raises(JSONPathError):
        compile_path(expression)


def test_field_paths() -> None:
    assert field_path("a.b") == ("a", "b")
    assert field_path("tags[0]") == ("tags", 0)
    assert field_path("['x.y'].z") == ("x.y", "z")


BIG = {
    "paths": {
        f"/p{i}": {
            "get": {
                "parameters": [{"name": f"q{i}", "in": "query"}, {"$ref": "#/x"}],
                "deprecated": i % 2 == 0,
            },
            "post": {
                "requestBody": {
                    "content": {
                        "a/b": {
                            "schema": {"type": "object", "properties": {"n": {"type": "string"}}}
                        }
                    }
                }
            },
        }
        for i in range(5)
    },
    "components": {
        "schemas": {"A": {"type": "object"}, "B": {"type": "array", "items": {"type": "object"}}}
    },
    "tags": [{"name": "b"}, {"name": "a"}],
}
EXPRESSIONS = [
    "$..parameters[*]",
    "$..[?(@.type == 'object')]",
    "$..properties[*]",
    "$.paths[*][?(@.deprecated == true)]",
    "$.paths[*][get,post]",
    "$.paths[*][*].parameters[0]",
    "$.paths[*][*].parameters[-1]",
    "$.tags[0:1]",
    "$..type",
    "$.paths[*][?(@property == 'post')]",
    "$.paths.*~",
]


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_fast_walk_agrees_with_python_jsonpath(expression: str) -> None:
    query = compile_path(expression)
    assert query._fast is not None  # these paths take the fast walk
    fast = list(query.find(BIG))
    slow = list(replace(query, _fast=None).find(BIG))
    assert fast == slow and fast
