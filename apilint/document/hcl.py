"""HCL expressions (python-hcl2's raw Lark tree) as JSON-model data with positions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from apilint.common.findings import Span
from apilint.document.pointer import Tokens


class HclLocator:
    """Positions of the values converted from an HCL expression, by pointer."""

    def __init__(self, spans: dict[Tokens, Span]) -> None:
        #: The span of each converted value, by its exact pointer (not `spans`: that name is
        #: the method of the locators that place many pointers together).
        self.placed = spans

    def span(self, tokens: Tokens) -> Span:
        for i in range(len(tokens), -1, -1):  # the closest existing ancestor
            found = self.placed.get(tokens[:i])
            if found is not None:
                return found
        return Span(1, 1, 1, 1)


class Converter:
    """HCL expression → JSON-model data, recording each value's position."""

    def __init__(self, source: Callable[[Any], str], spans: dict[Tokens, Span]) -> None:
        self.source = source  # the text of a node, for what Terraform computes
        self.spans = spans

    def value(self, node: Any, tokens: Tokens, start: Any = None) -> Any:
        node = unwrap(node)
        self.spans[tokens] = span_of(start if start is not None else node, node)
        kind = getattr(node, "data", None)
        if kind == "object":
            out: dict[str, Any] = {}
            for elem in node.children:
                if getattr(elem, "data", None) == "object_elem":
                    key = self.key(elem.children[0])
                    out[key] = self.value(elem.children[-1], tokens + (key,), elem)
            return out
        if kind == "tuple":
            items = [
                c
                for c in node.children
                if getattr(c, "data", None) not in ("new_line_or_comment", None)
            ]
            return [self.value(item, tokens + (str(i),)) for i, item in enumerate(items)]
        if kind == "string":
            return self.string(node)
        if kind in ("int_lit", "float_lit"):
            text = str(node.children[0])
            return int(text) if kind == "int_lit" else float(text)
        if kind == "literal_value":
            return {"true": True, "false": False, "null": None}[str(node.children[0])]
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return heredoc_body(node)
        return "${" + self.source(node) + "}"  # computed by Terraform: unknown here

    def key(self, node: Any) -> str:
        node = (
            unwrap(node.children[0])
            if getattr(node, "data", None) == "object_elem_key"
            else unwrap(node)
        )
        kind = getattr(node, "data", None)
        if kind == "string":
            return self.string(node)
        if kind in ("identifier", "keyword"):
            return str(node.children[0])
        return self.source(node)

    def string(self, node: Any) -> str:
        out = []
        for part in node.children:
            if getattr(part, "data", None) != "string_part":
                continue
            child = part.children[0]
            if getattr(child, "data", None) is not None:  # an interpolation or a directive
                out.append(self.source(child))
            elif getattr(child, "type", "") == "ESCAPED_INTERPOLATION":
                out.append(str(child)[1:])  # $${x} is the literal text ${x}
            else:
                out.append(unescape(str(child)))
        return "".join(out)


def unwrap(node: Any) -> Any:
    """The expression inside `expr_term` wrappers."""
    while getattr(node, "data", None) == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    return node


def call(node: Any) -> tuple[str | None, list[Any]]:
    if getattr(node, "data", None) != "function_call":
        return None, []
    name = str(node.children[0].children[0])
    arguments = next((c for c in node.children if getattr(c, "data", None) == "arguments"), None)
    args = (
        [
            c
            for c in arguments.children
            if getattr(c, "data", None) not in ("new_line_or_comment", None)
        ]
        if arguments is not None
        else []
    )
    return name, args


def span_of(start: Any, end: Any) -> Span:
    return Span(start.meta.line, start.meta.column, end.meta.end_line, end.meta.end_column)


_ESCAPES = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        c = m.group(1)
        if c[0] in "uU":
            return chr(int(c[1:], 16))
        return {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}.get(c, "\\" + c)

    return _ESCAPES.sub(one, text) if "\\" in text else text


def heredoc_body(node: Any) -> str:
    """The text between a heredoc's `<<EOT` line and its closing marker."""
    raw = str(node.children[0])
    return raw[raw.index("\n") + 1 : raw.rstrip().rfind("\n") + 1]
