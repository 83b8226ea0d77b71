"""`given` JSONPaths: values with the pointer tokens of each node, in Spectral's dialect."""

from __future__ import annotations

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
