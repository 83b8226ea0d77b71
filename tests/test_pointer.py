"""JSON Pointers (RFC 6901, apilint/document/pointer.py), as `$ref`s spell them."""

from __future__ import annotations

import pytest

from apilint.document.pointer import decode, encode


@pytest.mark.parametrize(
    ("pointer", "tokens"),
    [
        ("", ()),
        ("#", ()),
        ("/", ("",)),
        ("#/components/schemas/Pet", ("components", "schemas", "Pet")),
        ("/paths//get", ("paths", "", "get")),
        ("#/paths/~1pets~1{id}/get", ("paths", "/pets/{id}", "get")),
        ("#/a~0b/~01", ("a~b", "~1")),
        ("#/components/schemas/Big%20Pet", ("components", "schemas", "Big Pet")),
        ("#/x/%7E1", ("x", "/")),  # a URI fragment's %7E is `~`, then unescaped
    ],
)
def test_decode(pointer: str, tokens: tuple[str, ...]) -> None:
    assert decode(pointer) == tokens


def test_decode_refuses_a_pointer_without_a_slash() -> None:
    with pytest.raises(ValueError, match="must start with '/'"):
        decode("#components")


def test_encode_is_decodes_inverse() -> None:
    tokens = ("paths", "/pets/{id}", "a~b", "", "get")
    assert encode(tokens) == "/paths/~1pets~1{id}/a~0b//get"
    assert decode(encode(tokens)) == tokens


@pytest.mark.parametrize(
    ("tokens", "pointer"),
    [
        pytest.param(("a", "b"), "/a/b", id="plain"),
        pytest.param(("~/", "/~", "~1"), "/~0~1/~1~0/~01", id="escapes"),
        pytest.param(("",), "/", id="one-empty"),
        pytest.param(("a\0b", "/c"), "/a\0b/~1c", id="nul-in-token"),
        pytest.param(("\0", "\0/"), "/\0/\0~1", id="only-nul"),
    ],
)
def test_encode_escapes_each_token(tokens: tuple[str, ...], pointer: str) -> None:
    # A token holding the character the fast path joins by takes the token-by-token path.
    assert encode(tokens) == pointer
