"""The text edits behind apilint.document.edit's primitives: each file's text navigable by
pointer (a YAML file composed again with PyYAML, a JSON file's members scanned), and new text
rendered in the style around it. Imported only when fixes are computed (--fix, --diff, SARIF,
the language server's code actions): a plain lint run never needs it. Its callers (the
primitives of apilint.document.edit) have checked that fixes are computed for the document."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from apilint.common.fixes import Edit, Edits
from apilint.common.regex import lazy
from apilint.document.model import Document
from apilint.document.pointer import Tokens, get


@dataclass(frozen=True)
class _Node:
    """A value in the text: where it is, what it is, and (for members) where its entry starts."""

    start: int
    end: int  # the end of its last character (a block collection: of its last leaf)
    kind: str  # "map" | "seq" | "scalar"
    flow: bool  # JSON, YAML flow collections and every scalar
    entry: int  # where its mapping entry (key) or sequence item (dash) starts
    style: str = ""  # a YAML scalar's quote or block indicator
    tag: str | None = None
    raw: Any = None  # the parser's node (YAML)
    key_end: int | None = None  # where its key ends (a YAML mapping entry)


class _Source:
    """One file's text, navigable by pointer."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"

    def node(self, tokens: Tokens) -> _Node | None:
        raise NotImplementedError

    def members(self, node: _Node) -> list[tuple[str, _Node]]:
        raise NotImplementedError


class _YamlSource(_Source):
    def __init__(self, text: str, root: Any) -> None:
        super().__init__(text)
        self.root = root
        self.quote = "'" if text.count("'") > text.count('"') else '"'
        self.step = _indent_step(text)
        self.compact_seq = _compact_sequences(text)

    def wrap(self, raw: Any, entry: int, key_end: int | None = None) -> _Node:
        from yaml import MappingNode, SequenceNode

        from apilint.document.source import _last

        kind = (
            "map"
            if isinstance(raw, MappingNode)
            else "seq"
            if isinstance(raw, SequenceNode)
            else "scalar"
        )
        flow = kind == "scalar" or bool(raw.flow_style)
        end = _last(raw).end_mark.index
        style = getattr(raw, "style", None) or ""
        if kind != "scalar" or style in ("|", ">"):
            while end > raw.start_mark.index and self.text[end - 1] in " \t\r\n":
                end -= 1
        tag = raw.tag if raw.tag.startswith("!") else None
        return _Node(raw.start_mark.index, end, kind, flow, entry, style, tag, raw, key_end)

    def node(self, tokens: Tokens) -> _Node | None:
        node = self.wrap(self.root, self.root.start_mark.index)
        for token in tokens:
            if node.tag or self.text[node.start : node.start + 1] in ("&", "*"):
                return None  # an intrinsic, or a node that aliases share
            child = dict(self.members(node)).get(token)
            if child is None or child.start < node.start:
                return None  # not in the text (SAM made it), or an alias of an earlier node
            node = child
        if node.tag or self.text[node.start : node.start + 1] in ("&", "*"):
            return None
        return node

    def members(self, node: _Node) -> list[tuple[str, _Node]]:
        raw = node.raw
        if node.kind == "map":
            if any(k.tag.endswith(":merge") for k, _ in raw.value):
                return []  # `<<` merges: which mapping holds a key is not where the data says
            return [
                (str(k.value), self.wrap(v, k.start_mark.index, k.end_mark.index))
                for k, v in raw.value
            ]
        if node.kind == "seq":
            return [
                (str(i), self.wrap(v, _dash(self.text, v.start_mark.index)))
                for i, v in enumerate(raw.value)
            ]
        return []


class _JsonSource(_Source):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        from apilint.document.source import JsonLocator

        self.locator = JsonLocator(text)

    def node(self, tokens: Tokens) -> _Node | None:
        start = len(self.text) - len(self.text.lstrip())
        node = self._node(start, len(self.text.rstrip()), start)
        for token in tokens:
            child = dict(self.members(node)).get(token)
            if child is None:
                return None
            node = child
        return node

    def _node(self, start: int, end: int, entry: int) -> _Node:
        opener = self.text[start : start + 1]
        kind = "map" if opener == "{" else "seq" if opener == "[" else "scalar"
        return _Node(start, end, kind, True, entry)

    def members(self, node: _Node) -> list[tuple[str, _Node]]:
        if node.kind == "scalar":
            return []
        try:
            index = self.locator.members(node.start)
        except (StopIteration, ValueError, RecursionError, IndexError):
            return []
        return [(token, self._node(vs, ve, ms)) for token, (ms, vs, ve) in index.items()]


@functools.lru_cache(maxsize=4)
def _source(text: str, fmt: str) -> _Source | None:
    if fmt == "json":
        return _JsonSource(text)
    from apilint.document.libyaml_loader import compose

    try:
        root = compose(text, "")
    except Exception:  # noqa: BLE001 - a text we cannot read again has no fixes
        return None
    return _YamlSource(text, root) if root is not None else None


def _open(doc: Document, tokens: Tokens) -> tuple[_Source, _Node] | None:
    text = doc.source_text()
    if text is None or doc.fmt not in ("json", "yaml"):
        return None
    fmt = "json" if text.lstrip()[:1] in ("{", "[") and doc.fmt == "json" else "yaml"
    source = _source(text, fmt)
    if source is None:
        return None
    node = source.node(doc.base + tokens)
    return (source, node) if node is not None else None


# -- the primitives -------------------------------------------------------------------------


def set_value(doc: Document, tokens: Tokens, value: Any) -> Edits | None:
    """Replace the value at `tokens` (a scalar or flow collection in the text)."""
    if doc.fmt == "hcl":
        return _set_hcl(doc, tokens, value)
    opened = _open(doc, tokens)
    if opened is None:
        return None
    source, node = opened
    if isinstance(source, _YamlSource):
        quote = node.style if node.style in ("'", '"') else None
        text = _yaml_flow(value, source.quote, quote)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not node.flow:  # a block collection becomes a flow value on its key's line
        if node.key_end is None or isinstance(value, (dict, list)) and value:
            return None
        colon = source.text.find(":", node.key_end, node.start)
        if colon < 0:
            return None
        return (Edit(start=colon + 1, end=node.end, text=" " + text),)
    return (Edit(start=node.start, end=node.end, text=text),)


def add_entries(doc: Document, tokens: Tokens, entries: dict[str, Any]) -> Edits | None:
    """Insert keys (which it must not have) at the end of the mapping at `tokens`."""
    opened = _open(doc, tokens)
    if opened is None or opened[1].kind != "map" or not entries:
        return None
    source, node = opened
    members = source.members(node)
    if any(k in entries for k, _ in members):
        return None
    if isinstance(source, _YamlSource) and not node.flow:
        column = _column(source.text, members[0][1].entry)
        lines: list[str] = []
        for key, value in entries.items():
            lines.extend(_yaml_entry(source, key, value, column))
        return _after_line(source, members[-1][1].end, lines)
    rendered: list[tuple[str | None, Any]] = [(_key(source, k), v) for k, v in entries.items()]
    return _flow_insert(source, node, members, rendered)


def append_items(doc: Document, tokens: Tokens, values: list[Any]) -> Edits | None:
    """Append items to the sequence at `tokens`."""
    opened = _open(doc, tokens)
    if opened is None or opened[1].kind != "seq" or not values:
        return None
    source, node = opened
    members = source.members(node)
    if isinstance(source, _YamlSource) and not node.flow:
        column = _column(source.text, members[0][1].entry)
        lines = []
        for value in values:
            lines.extend(_yaml_item(source, value, column))
        return _after_line(source, members[-1][1].end, lines)
    return _flow_insert(source, node, members, [(None, v) for v in values])


def remove(doc: Document, tokens: Tokens) -> Edits | None:
    """Delete the mapping entry or sequence item at `tokens` (never a collection's only one)."""
    if not tokens:
        return None
    opened = _open(doc, tokens[:-1])
    if opened is None:
        return None
    source, parent = opened
    members = source.members(parent)
    keys = [k for k, _ in members]
    if tokens[-1] not in keys or len(members) < 2:
        return None
    i = keys.index(tokens[-1])
    text = source.text
    node = members[i][1]
    if not parent.flow:
        line_start = text.rfind("\n", 0, node.entry) + 1
        if text[line_start : node.entry].strip():
            return None  # shares its line with a dash or key: a block we would have to re-flow
        end = text.find("\n", node.end)
        return (Edit(start=line_start, end=len(text) if end < 0 else end + 1, text=""),)
    if i + 1 < len(members):
        return (Edit(start=node.entry, end=members[i + 1][1].entry, text=""),)
    return (Edit(start=members[i - 1][1].end, end=node.end, text=""),)


# -- inserting ------------------------------------------------------------------------------


def _after_line(source: _Source, end: int, lines: list[str]) -> Edits:
    """Lines inserted after the line on which `end` falls (after its comment, if any)."""
    text, nl = source.text, source.newline
    eol = text.find("\n", end)
    body = nl.join(lines) + nl
    if eol < 0:
        return (Edit(start=len(text), end=len(text), text=nl + body),)
    return (Edit(start=eol + 1, end=eol + 1, text=body),)


def _flow_insert(
    source: _Source,
    node: _Node,
    members: list[tuple[str, _Node]],
    items: list[tuple[str | None, Any]],
) -> Edits | None:
    """Entries (key text, value) or items (None, value) at the end of a flow collection or JSON
    container, separated as its last members are."""
    text = source.text
    if members:
        last = members[-1][1]
        if len(members) > 1:
            sep = text[members[-2][1].end : last.entry]
        else:
            sep = "," + (text[node.start + 1 : last.entry] or " ")
        if "#" in sep or "," not in sep:
            return None
        at = last.end
        column = _column(text, last.entry)
    else:
        inner = text[node.start + 1 : node.end - 1]
        if inner.strip():
            return None
        sep, at, column = "", node.start + 1, 0
    multiline = "\n" in sep
    colon = _colon(source, members)
    parts = []
    for key, value in items:
        rendered = _flow_value(source, value, column, multiline, node.start)
        parts.append(rendered if key is None else key + colon + rendered)
    first = sep if members else ""
    return (Edit(start=at, end=at, text=first + (sep or ", ").join(parts)),)


def _flow_value(source: _Source, value: Any, column: int, multiline: bool, opener: int) -> str:
    if isinstance(source, _YamlSource):
        return _yaml_flow(value, source.quote)
    if not multiline or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    step = max(column - _column(source.text, _line_start_indent(source.text, opener)), 1)
    dumped = json.dumps(value, ensure_ascii=False, indent=step)
    pad = " " * column
    return (source.newline + pad).join(dumped.split("\n"))


def _colon(source: _Source, members: list[tuple[str, _Node]]) -> str:
    if isinstance(source, _YamlSource) or not members:
        return ": "
    last = members[-1][1]
    found = re.search(r"\s*:\s*$", source.text[last.entry : last.start])
    return found.group() if found else ": "


def _key(source: _Source, key: str) -> str:
    if isinstance(source, _YamlSource):
        return _yaml_scalar(key, source.quote, flow=True)
    return json.dumps(key, ensure_ascii=False)


# -- YAML rendering -------------------------------------------------------------------------

_PLAIN = lazy(r"[A-Za-z_/$.][A-Za-z0-9_ ./$(){}+-]*")
_PLAIN_FLOW = lazy(r"[A-Za-z_/$.][A-Za-z0-9_ ./$()+-]*")


def _yaml_scalar(value: Any, quote: str, flow: bool = False, keep: str | None = None) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    text = str(value)
    plain = (_PLAIN_FLOW() if flow else _PLAIN()).fullmatch(text)
    if keep is None and plain and text == text.strip() and ": " not in text and " #" not in text:
        import yaml

        if yaml.safe_load(text) == text:
            return text
    quote = '"' if "'" in text else keep or quote
    if quote == "'" and "\n" not in text and text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return json.dumps(text, ensure_ascii=False)


def _yaml_flow(value: Any, quote: str, keep: str | None = None) -> str:
    if isinstance(value, dict):
        inner = ", ".join(
            f"{_yaml_scalar(k, quote, flow=True)}: {_yaml_flow(v, quote)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_flow(v, quote) for v in value) + "]"
    return _yaml_scalar(value, quote, flow=True, keep=keep)


def _yaml_entry(source: _YamlSource, key: str, value: Any, column: int) -> list[str]:
    """`key: value` as block lines at `column`."""
    pad = " " * column
    head = pad + _yaml_scalar(key, source.quote) + ":"
    if isinstance(value, dict) and value:
        lines = [head]
        for k, v in value.items():
            lines.extend(_yaml_entry(source, k, v, column + source.step))
        return lines
    if isinstance(value, list) and value:
        lines = [head]
        inner = column if source.compact_seq else column + source.step
        for v in value:
            lines.extend(_yaml_item(source, v, inner))
        return lines
    return [head + " " + _yaml_flow(value, source.quote)]


def _yaml_item(source: _YamlSource, value: Any, column: int) -> list[str]:
    """`- value` as block lines with the dash at `column`."""
    pad = " " * column
    if isinstance(value, dict) and value:
        lines = []
        for k, v in value.items():
            lines.extend(_yaml_entry(source, k, v, column + 2))
        return [pad + "- " + lines[0][column + 2 :], *lines[1:]]
    if isinstance(value, list) and value:
        return [pad + "- " + _yaml_flow(value, source.quote)]
    return [pad + "- " + _yaml_flow(value, source.quote)]


def _indent_step(text: str) -> int:
    """The smallest indentation of the file's lines (2 when it has none)."""
    indents = [len(m.group(1)) for m in re.finditer(r"^( +)[^ \r\n#-]", text, re.MULTILINE)]
    return min(indents, default=2) or 2


def _compact_sequences(text: str) -> bool:
    """Whether block sequences start at their key's column (`key:\\n- a`)."""
    compact = len(re.findall(r"^( *)[^ \r\n#-][^\r\n]*:[ \t]*\r?\n\1- ", text, re.MULTILINE))
    indented = len(re.findall(r"^( *)[^ \r\n#-][^\r\n]*:[ \t]*\r?\n\1 +- ", text, re.MULTILINE))
    return compact > indented


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1)


def _line_start_indent(text: str, offset: int) -> int:
    """The offset of the first non-blank character of the line holding `offset`."""
    start = text.rfind("\n", 0, offset) + 1
    return start + len(text[start:offset]) - len(text[start:offset].lstrip(" \t"))


def _dash(text: str, item_start: int) -> int:
    """Where the `- ` of a block sequence item starts (the item itself for flow items)."""
    i = item_start
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i - 1 if i > 0 and text[i - 1] == "-" else item_start


# -- Terraform jsonencode -------------------------------------------------------------------

_HCL_LITERAL = lazy(r'"(?:[^"\\$%]|\\.)*"|-?\d+(?:\.\d+)?|true|false')


def _set_hcl(doc: Document, tokens: Tokens, value: Any) -> Edits | None:
    """A plain literal replaced by another (a string, number or boolean), nothing else."""
    text = doc.source_text()
    placed = getattr(doc.locator, "placed", None)  # an HclLocator's
    if text is None or not isinstance(placed, dict) or isinstance(value, (dict, list)):
        return None
    span = placed.get(doc.base + tokens)
    if span is None:
        return None
    from apilint.document.lines import LineIndex

    lines = LineIndex(text)
    starts = lines._line_starts()
    if span.end_line > len(starts):
        return None
    start = starts[span.line - 1] + span.column - 1
    end = starts[span.end_line - 1] + span.end_column - 1
    found = _HCL_LITERAL().search(text, start, end)
    if found is None or found.end() != end:
        return None
    try:
        current = json.loads(found.group())
    except ValueError:
        return None
    if current != get(doc.data, tokens) or (
        isinstance(value, str) and ("${" in value or "%{" in value)
    ):
        return None
    return (Edit(start=found.start(), end=found.end(), text=json.dumps(value, ensure_ascii=False)),)
