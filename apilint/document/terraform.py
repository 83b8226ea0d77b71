"""Terraform: the API definitions in `aws_api_gateway_rest_api` / `aws_apigatewayv2_api` `body`.

The configuration is parsed with python-hcl2's grammar (the raw Lark tree keeps positions). A
body written as `jsonencode({...})` (or `yamlencode`) becomes data whose positions are those of
the HCL object; a heredoc is parsed as the JSON/YAML it holds; `templatefile("api.yaml", {...})`
and `file("api.yaml")` lint that file with the call's literal variables filled in. Everything
Terraform computes (references, other functions) stays a `${...}` placeholder: unknown, never
an error.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apilint.common.errors import LoadError
from apilint.common.findings import Span
from apilint.document.hcl import Converter, HclLocator, call, heredoc_body, unescape, unwrap
from apilint.document.loader import SUPPRESSION_KEY, Linker, detect_version, parse, read_text
from apilint.document.model import Document
from apilint.document.pointer import Tokens
from apilint.document.tf_module import label, sibling_files

#: Terraform resource type → the API kind it creates.
API_RESOURCES = {"aws_api_gateway_rest_api": "rest", "aws_apigatewayv2_api": "http"}
_ENCODERS = ("jsonencode", "yamlencode")
_DECODERS = ("jsondecode", "yamldecode")


@dataclass(frozen=True)
class TerraformModule:
    """What rules need to know about the Terraform configuration around a definition."""

    path: str  # the .tf file that holds the API resource
    address: str  # e.g. aws_api_gateway_rest_api.pets
    #: `type.name` of every resource and `data.type.name` of every data source declared in
    #: the module's directory.
    declared: frozenset[str]
    #: `fail_on_warnings = true`: import warnings fail the apply.
    fail_on_warnings: bool = False


class ShiftedLocator:
    """A locator for text that starts `lines` lines into the file (a heredoc), asked with
    pointers that begin with `depth` tokens of the file's own."""

    def __init__(self, inner: Any, lines: int, depth: int) -> None:
        self.inner = inner
        self.lines = lines
        self.depth = depth

    def span(self, tokens: Tokens) -> Span:
        return _shift(self.inner.span(tokens[self.depth :]), self.lines)


def _shift(s: Span, lines: int) -> Span:
    return Span(s.line + lines, s.column, s.end_line + lines, s.end_column)


#: Reads the APIs a module builds from resources: (file, its text, its tree, shown name) →
#: (documents, notes). apilint.document.tf_resources.resource_apis; passed in by the caller
#: (definitions), as that module builds on this one.
ResourceReader = Callable[[Path, str, Any, str], tuple[list[Document], list[str]]]


def scan(
    path: Path, linker: Linker, resources: ResourceReader | None = None
) -> tuple[list[Document], list[str]]:
    text = read_text(path, linker.shown, linker.max_bytes)
    tree = _parse(text, linker.shown)
    blocks = _blocks(tree)
    apis = [
        (labels, attrs)
        for kind, labels, attrs in blocks
        if kind == "resource" and len(labels) == 2 and labels[0] in API_RESOURCES
    ]
    if not apis:
        return [], []
    built: list[Document] = []
    notes: list[str] = []
    if resources is not None and any("body" not in attrs for _, attrs in apis):
        built, notes = resources(path, text, tree, linker.shown)  # resources build the API
    apis = [(labels, attrs) for labels, attrs in apis if "body" in attrs]
    locals_ = {
        name: expr for kind, _, attrs in blocks if kind == "locals" for name, expr in attrs.items()
    }
    reader = _Reader(path, text, linker, locals_)
    declared = _declared(path, blocks)
    docs: list[Document] = built
    for labels, attrs in apis:
        address = ".".join(labels)
        doc = reader.definition(attrs["body"], address, notes, base=("resource", *labels, "body"))
        if doc is not None:
            strict = (
                "fail_on_warnings" in attrs
                and reader.source(attrs["fail_on_warnings"]).strip() == "true"
            )
            docs.append(
                dataclasses.replace(
                    doc,
                    iac=TerraformModule(linker.shown, address, declared, strict),
                    kind_hint=API_RESOURCES[labels[0]],
                    label=address,
                )
            )
    return docs, notes


def _parse(text: str, shown: str) -> Any:
    import hcl2.api
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        return hcl2.api.parses_to_tree(text)
    except UnexpectedInput as exc:
        detail = str(exc).splitlines()[0]
        raise LoadError(
            f"invalid HCL: {detail}",
            shown,
            getattr(exc, "line", None),
            getattr(exc, "column", None),
        ) from None
    except (LarkError, RecursionError) as exc:
        raise LoadError(f"invalid HCL: {exc}", shown) from None


@functools.lru_cache(maxsize=64)
def _sibling_blocks(path: Path, mtime_ns: int) -> list[tuple[str, list[str], dict[str, Any]]]:
    """The blocks of another .tf file of the module, parsed once per run however many of its
    files are linted."""
    try:
        return _blocks(_parse(read_text(path, str(path)), str(path)))
    except LoadError:
        return []  # linted on its own when it matters; here it only adds names


def _blocks(tree: Any) -> list[tuple[str, list[str], dict[str, Any]]]:
    """Top-level blocks as (type, labels, attribute name → expression node)."""
    from lark import Tree

    out = []
    body = tree.children[0]
    for block in body.children:
        if not (isinstance(block, Tree) and block.data == "block"):
            continue
        names = [
            c
            for c in block.children
            if isinstance(c, Tree)
            and c.data in ("identifier", "string", "keyword", "literal_value")
        ]
        if not names:
            continue
        kind, labels = label(names[0]), [label(n) for n in names[1:]]
        inner = next((c for c in block.children if isinstance(c, Tree) and c.data == "body"), None)
        attrs = {}
        for attr in inner.children if inner is not None else ():
            if isinstance(attr, Tree) and attr.data == "attribute":
                attrs[label(attr.children[0])] = attr.children[-1]
        out.append((kind, labels, attrs))
    return out


def _declared(path: Path, blocks: list[tuple[str, list[str], dict[str, Any]]]) -> frozenset[str]:
    """Resources and data sources of the module: this file and the other .tf files beside it."""
    every = list(blocks)
    for other, mtime_ns in sibling_files(path):
        every.extend(_sibling_blocks(other, mtime_ns))
    names = set()
    for kind, labels, _ in every:
        if kind in ("resource", "data") and len(labels) == 2:
            names.add(("data." if kind == "data" else "") + ".".join(labels))
    return frozenset(names)


class _Reader:
    def __init__(self, path: Path, text: str, linker: Linker, locals_: dict[str, Any]) -> None:
        self.path, self.text, self.linker, self.locals = path, text, linker, locals_
        self.shown = linker.shown

    def source(self, node: Any) -> str:
        return self.text[node.meta.start_pos : node.meta.end_pos]

    def definition(
        self, expr: Any, address: str, notes: list[str], base: Tokens, depth: int = 0
    ) -> Document | None:
        """The definition a `body` expression holds; `base` is its pointer in the file."""
        node = unwrap(expr)
        name, args = call(node)
        if name in _ENCODERS and len(args) == 1:
            inner = unwrap(args[0])
            inner_name, _ = call(inner)
            if inner_name in _DECODERS or inner_name in ("templatefile", "file"):
                return self.definition(inner, address, notes, base, depth + 1)
            if getattr(inner, "data", None) == "object":
                spans: dict[Tokens, Span] = {}
                data = Converter(self.source, spans).value(inner, base)
                version = detect_version(data)
                if version is None:
                    notes.append(
                        f"the body of {address} has no 'openapi' or 'swagger' key; not linted"
                    )
                    return None
                return Document(
                    path=self.shown,
                    abspath=self.path.resolve(),
                    data=data,
                    locator=HclLocator(spans),
                    fmt="hcl",
                    version=version,
                    base=base,
                    placeholders=True,
                    suppressions=SUPPRESSION_KEY in self.source(inner),
                    text=self.text,
                )
        if name in _DECODERS and len(args) == 1:
            return self.definition(args[0], address, notes, base, depth + 1)
        if name in ("templatefile", "file") and args:
            return self._file(args, name, address, notes)
        kind = getattr(node, "data", None)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self._heredoc(node, address, notes, base)
        reference = self.source(node)
        if reference.startswith("local.") and reference[6:] in self.locals and depth < 8:
            return self.definition(self.locals[reference[6:]], address, notes, base, depth + 1)
        notes.append(f"the body of {address} is computed ({_short(reference)}); not linted")
        return None

    def _file(self, args: list[Any], name: str, address: str, notes: list[str]) -> Document | None:
        location = self._path(unwrap(args[0]))
        if location is None:
            notes.append(
                f"{name}() in {address} names a file apilint cannot work out "
                f"({_short(self.source(args[0]))}); not linted"
            )
            return None
        doc = self.linker.open(location, f"{name}() in {address}", "configuration", notes)
        if doc is None:
            return None
        variables = self._variables(args[1]) if name == "templatefile" and len(args) > 1 else {}
        return dataclasses.replace(doc, data=substitute(doc.data, variables)) if variables else doc

    def _path(self, node: Any) -> str | None:
        """The file a path expression names: a string, with `${path.module}` and the like."""
        if getattr(node, "data", None) != "string":
            return None
        out = []
        for part in node.children:
            if getattr(part, "data", None) != "string_part":
                continue
            child = part.children[0]
            if getattr(child, "data", None) == "interpolation":
                if self.source(child.children[1]).strip() not in (
                    "path.module",
                    "path.root",
                    "path.cwd",
                ):
                    return None
                out.append(".")
            else:
                out.append(unescape(str(child)))
        return "".join(out)

    def _variables(self, node: Any) -> dict[str, str]:
        """templatefile variables: literal ones by value, the rest as a `${...}` of their
        expression, so references (say, to a Lambda function) stay visible to the rules."""
        node = unwrap(node)
        if getattr(node, "data", None) != "object":
            return {}
        out = {}
        spans: dict[Tokens, Span] = {}
        converter = Converter(self.source, spans)
        for elem in node.children:
            if getattr(elem, "data", None) != "object_elem":
                continue
            key = converter.key(elem.children[0])
            value = converter.value(unwrap(elem.children[-1]), ())
            if isinstance(value, bool):
                out[key] = "true" if value else "false"
            elif isinstance(value, (str, int, float)):
                out[key] = str(value)
        return out

    def _heredoc(self, node: Any, address: str, notes: list[str], base: Tokens) -> Document | None:
        body = heredoc_body(node)
        if node.data == "heredoc_template_trim":
            body = _dedent(body)
        data, locator, issues, fmt = parse(body, self.shown, False)
        version = detect_version(data) if isinstance(data, dict) else None
        if version is None:
            notes.append(f"the heredoc body of {address} holds no OpenAPI definition; not linted")
            return None
        return Document(
            path=self.shown,
            abspath=self.path.resolve(),
            data=data,
            locator=ShiftedLocator(locator, node.meta.line, len(base)),
            fmt=fmt,
            version=version,
            base=base,
            parse_issues=[i._replace(span=_shift(i.span, node.meta.line)) for i in issues],
            placeholders="${" in body,
            suppressions=SUPPRESSION_KEY in body,
        )


def _dedent(text: str) -> str:
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


_PLACEHOLDER = re.compile(r"\$\{\s*([A-Za-z_][A-Za-z0-9_-]*)\s*\}")


def substitute(value: Any, variables: dict[str, str]) -> Any:
    """`value` with `${name}` filled in wherever `name` is a known variable (string values
    only: keys keep their text so that positions still match the file). Copies what changes."""
    if isinstance(value, str):
        if "${" not in value:
            return value
        return _PLACEHOLDER.sub(lambda m: variables.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        out = {k: substitute(v, variables) for k, v in value.items()}
        return value if all(out[k] is value[k] for k in value) else out
    if isinstance(value, list):
        items = [substitute(v, variables) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else items
    return value
