"""The resources of a Terraform module (every .tf file of one directory), with the position of
each attribute, for the front end that builds an API from `aws_api_gateway_*` resources.

Values are converted as the `body` reader converts them (apilint.document.hcl): literals stay
literals, anything Terraform computes becomes a `${...}` placeholder of its expression, so
`aws_api_gateway_resource.items.id` reads `${aws_api_gateway_resource.items.id}`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apilint.common.errors import LoadError
from apilint.common.findings import Span
from apilint.document.hcl import Converter, span_of
from apilint.document.loader import read_text
from apilint.document.pointer import Tokens


@dataclass(eq=False)
class Block:
    """One block (a resource or a nested block such as `cors_configuration`)."""

    kind: str  # "resource", "data", ... or the nested block's name
    labels: tuple[str, ...]
    path: Path  # the .tf file
    text: str  # that file's text (to read expressions Terraform computes)
    node: Any  # the Lark tree
    #: Where the block is in the file's JSON-model view: `("resource", type, name)`, a nested
    #: block's name after its parent's (what finding pointers show).
    tokens: Tokens
    attrs: dict[str, Any] = field(default_factory=dict)  # name -> attribute node
    blocks: dict[str, list[Block]] = field(default_factory=dict)

    @property
    def address(self) -> str:
        return ".".join(self.labels)

    @property
    def span(self) -> Span:
        """The block's first line (`resource "type" "name" {`)."""
        meta = self.node.meta
        return Span(meta.line, meta.column, meta.line, meta.column + 1)

    @property
    def repeated(self) -> str | None:
        """`count` or `for_each` when the block is one of several instances (or none)."""
        return next((k for k in ("count", "for_each") if k in self.attrs), None)

    def source(self, node: Any) -> str:
        return self.text[node.meta.start_pos : node.meta.end_pos]

    def literal(self, name: str) -> Any:
        """The attribute's value (None when absent): literals as they are, what Terraform
        computes as a `${...}` placeholder of its expression."""
        attr = self.attrs.get(name)
        if attr is None:
            return None
        return Converter(self.source, {}).value(attr.children[-1], ())

    def attr_span(self, name: str) -> Span:
        attr = self.attrs.get(name)
        return span_of(attr, attr) if attr is not None else self.span

    def nested(self, name: str) -> Block | None:
        found = self.blocks.get(name)
        return found[0] if found else None


@dataclass
class Module:
    """The blocks of a module, by address (`aws_api_gateway_method.get`)."""

    resources: dict[str, Block]
    declared: frozenset[str]  # every resource and data source address

    def of_type(self, kind: str) -> Iterator[Block]:
        return (b for b in self.resources.values() if b.labels[0] == kind)


def read_module(path: Path, text: str, tree: Any) -> Module:
    """The module around `path`: its own blocks (already parsed) and those of every other .tf
    file of its directory (a file that does not parse adds nothing here; it fails on its own)."""
    blocks = list(_blocks(tree, path, text))
    for other, mtime_ns in sibling_files(path):
        blocks.extend(_file_blocks(other, mtime_ns))
    resources = {b.address: b for b in blocks if b.kind == "resource" and len(b.labels) == 2}
    declared = {b.address for b in resources.values()}
    declared |= {"data." + b.address for b in blocks if b.kind == "data" and len(b.labels) == 2}
    return Module(resources, frozenset(declared))


def sibling_files(path: Path) -> list[tuple[Path, int]]:
    """(file, modification time) of the other .tf files of `path`'s module (its directory)."""
    here = path.resolve()
    found = []
    for other in sorted(path.parent.glob("*.tf")):
        try:
            target = other.resolve()
            # A link to a file of another directory is not part of this module.
            if target != here and target.parent == here.parent:
                found.append((target, target.stat().st_mtime_ns))
        except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
            continue
    return found


@functools.lru_cache(maxsize=64)
def _file_blocks(path: Path, mtime_ns: int) -> list[Block]:
    import hcl2.api
    from lark.exceptions import LarkError

    try:
        text = read_text(path, str(path))
        return list(_blocks(hcl2.api.parses_to_tree(text), path, text))
    except (LoadError, LarkError, RecursionError):
        return []


def _blocks(tree: Any, path: Path, text: str) -> Iterator[Block]:
    for node in _children(tree.children[0], "block"):
        yield _block(node, path, text)


def _block(node: Any, path: Path, text: str, parent: Tokens = ()) -> Block:
    names = [
        c
        for c in node.children
        if getattr(c, "data", None) in ("identifier", "string", "keyword", "literal_value")
    ]
    kind = label(names[0]) if names else ""
    labels = tuple(label(n) for n in names[1:])
    block = Block(kind, labels, path, text, node, parent + (kind, *labels))
    inner = next((c for c in node.children if getattr(c, "data", None) == "body"), None)
    if inner is not None:
        for attr in _children(inner, "attribute"):
            block.attrs[label(attr.children[0])] = attr
        for child in _children(inner, "block"):
            nested = _block(child, path, text, block.tokens)
            block.blocks.setdefault(nested.kind, []).append(nested)
    return block


def _children(node: Any, kind: str) -> Iterator[Any]:
    return (c for c in node.children if getattr(c, "data", None) == kind)


def label(node: Any) -> str:
    return "".join(str(t) for t in node.scan_values(lambda v: v.type not in ("DBLQUOTE",)))


#: `${aws_x.name.attr}`, `${aws_x.name[0].attr}`: a whole value that is one reference.
_REFERENCE = re.compile(
    r"\$\{\s*([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?\.([a-z_]+)\s*\}"
)


@dataclass(frozen=True)
class Reference:
    address: str
    attribute: str
    indexed: bool  # `[...]`: one instance of a block with count / for_each


def reference(value: Any) -> Reference | None:
    """The resource attribute a value refers to, when it is exactly one reference."""
    m = _REFERENCE.fullmatch(value.strip()) if isinstance(value, str) else None
    if m is None:
        return None
    return Reference(f"{m.group(1)}.{m.group(2)}", m.group(4), m.group(3) is not None)
