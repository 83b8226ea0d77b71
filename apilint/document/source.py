"""Source maps: JSON Pointer → line/column, computed lazily, only for nodes that have findings.

Both locators answer for the *closest existing ancestor* when a pointer goes past the data
(a finding about a missing key points at the object that lacks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from apilint.common.findings import Span
from apilint.common.regex import lazy
from apilint.document.lines import LineIndex
from apilint.document.pointer import Tokens

_WS = lazy(r"[ \t\n\r]*")


class JsonLocator:
    """Finds pointers in JSON text: with one rapidyaml parse of the text (C++, a tree of
    offsets) from the first lookup, or, where that is missing or fails, by walking only the
    containers on the way to the target.

    The walk indexes each container once (member → offsets) with the C JSON scanner, which
    builds every value it skips: indexing the root alone costs as much as a parse of the whole
    file, so even one finding is located faster with the tree.
    """

    #: Lookups walked before the tree is built (tests raise it to compare the two ways).
    BULK_AFTER = 0

    def __init__(
        self,
        text: str | bytes,
        parse_int: Callable[[str], Any] | None = None,
        duplicate_keys: bool = True,
    ) -> None:
        # The text, or its UTF-8 bytes as read (no BOM): the tree parses the bytes, and only
        # the walk, where the tree cannot be built, needs them decoded.
        self.original = text
        # duplicate_keys: whether some object may repeat a key (the loader knows; when it is
        # sure none does, the tree looks a key up without reading the whole object).
        self.duplicate_keys = duplicate_keys
        self._parse_int = parse_int  # what the loader read integers with (one too long for int())
        self._lookups = 0
        self._bulk: Any = None
        # container start offset -> {token: (member_start, value_start, value_end)}
        self._members: dict[int, dict[str, tuple[int, int, int]]] = {}
        self._root: tuple[int, int, int] | None = None

    @cached_property
    def text(self) -> str:
        source = self.original
        return source if isinstance(source, str) else source.decode("utf-8")

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def _scan(self) -> Callable[[str, int], tuple[Any, int]]:
        # JSONDecoder sets scan_once in __init__; typeshed declares no such attribute.
        decoder = json.JSONDecoder(parse_int=self._parse_int)
        scan: Callable[[str, int], tuple[Any, int]] = decoder.scan_once  # type: ignore[attr-defined]
        return scan

    def members(self, start: int) -> dict[str, tuple[int, int, int]]:
        """The members of the container that starts at `start`: token → (member start,
        value start, value end)."""
        return self._index(start)

    def _index(self, start: int) -> dict[str, tuple[int, int, int]]:
        cached = self._members.get(start)
        if cached is not None:
            return cached
        text, scan = self.text, self._scan
        members: dict[str, tuple[int, int, int]] = {}
        opener = text[start]
        i = _WS().match(text, start + 1).end()  # type: ignore[union-attr]
        n = 0
        while i < len(text) and text[i] not in "]}":
            member_start = i
            if opener == "{":
                key, i = scan(text, i)
                i = _WS().match(text, i).end() + 1  # type: ignore[union-attr]  # the ':'
                i = _WS().match(text, i).end()  # type: ignore[union-attr]
                token = str(key)
            else:
                token = str(n)
                n += 1
            value_start = i
            _, i = scan(text, i)
            members[token] = (member_start, value_start, i)  # later duplicates win, as in parsers
            i = _WS().match(text, i).end()  # type: ignore[union-attr]
            if i < len(text) and text[i] == ",":
                i = _WS().match(text, i + 1).end()  # type: ignore[union-attr]
        self._members[start] = members
        return members

    def spans(self, pointers: Sequence[Tokens]) -> list[Span]:
        """span() of each pointer: the tree locates them together."""
        if self._lookups + len(pointers) > self.BULK_AFTER and self._tree():
            self._lookups += len(pointers)
            found: list[Span] = self._bulk.spans(pointers)
            return found
        return [self.span(t) for t in pointers]

    def _tree(self) -> bool:
        """Whether the rapidyaml tree is there (parsed on the first call)."""
        if self._bulk is None:
            from apilint.document.ryml_loader import json_locator

            self._bulk = json_locator(self.original, self.duplicate_keys) or False
        return bool(self._bulk)

    def span(self, tokens: Tokens) -> Span:
        self._lookups += 1
        if self._lookups > self.BULK_AFTER and self._tree():
            span: Span = self._bulk.span(tokens)
            return span
        if self._root is None:
            start = _WS().match(self.text, 0).end()  # type: ignore[union-attr]
            self._root = (start, start, len(self.text.rstrip()))
        member_start, value_start, value_end = self._root
        for token in tokens:
            if self.text[value_start : value_start + 1] not in ("{", "["):
                break
            try:
                entry = self._index(value_start).get(token)
            except (StopIteration, ValueError, RecursionError, IndexError):
                break
            if entry is None:
                break
            member_start, value_start, value_end = entry
        return self.lines.span(member_start, value_end)


class YamlLocator:
    """Finds pointers in a composed YAML node tree (libyaml marks, 0-based)."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._maps: dict[int, dict[str, tuple[Any, Any]]] = {}

    def _pairs(self, node: Any) -> dict[str, tuple[Any, Any]]:
        cached = self._maps.get(id(node))
        if cached is None:
            cached = {}
            for key, value in node.value:
                cached[str(getattr(key, "value", key))] = (key, value)
            self._maps[id(node)] = cached
        return cached

    def span(self, tokens: Tokens) -> Span:
        from yaml import MappingNode, SequenceNode

        start_node = end_node = self.root
        node = self.root
        for token in tokens:
            if node.tag == _short_tag(token):
                continue  # `!If [...]` is `{Fn::If: [...]}` in the data: the node is both
            if isinstance(node, MappingNode):
                pair = self._pairs(node).get(token)
                if pair is None:
                    break
                start_node, end_node = pair
                node = pair[1]
            elif (
                isinstance(node, SequenceNode) and token.isdigit() and int(token) < len(node.value)
            ):
                node = node.value[int(token)]
                start_node = end_node = node
            else:
                break
        line, col = start_node.start_mark.line + 1, start_node.start_mark.column + 1
        end = _last(end_node).end_mark
        if (end.line, end.column) < (start_node.start_mark.line, start_node.start_mark.column):
            # The value is an alias: its node (and end) is the anchored one, earlier in the file.
            end = start_node.end_mark
        return Span(line, col, end.line + 1, end.column + 1)


def _short_tag(token: str) -> str | None:
    """The CloudFormation short-form tag of an intrinsic key (`Fn::If` → `!If`)."""
    if token.startswith("Fn::"):
        return "!" + token[4:]
    return "!" + token if token in ("Ref", "Condition") else None


def _last(node: Any) -> Any:
    """The node whose end is this node's true end: a block collection's last descendant (libyaml
    ends block collections at the next token, on a later line); flow collections end at their
    closing bracket already."""
    from yaml import MappingNode, SequenceNode

    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


class FixedLocator:
    """Everything maps to one place (used for documents built from nothing, e.g. examples)."""

    def __init__(self, span: Span | None = None) -> None:
        self._span = span or Span(1, 1, 1, 1)

    def span(self, tokens: Tokens) -> Span:
        return self._span
