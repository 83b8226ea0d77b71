"""YAML → plain JSON-model data, keeping the libyaml node tree for positions.

We compose with libyaml (C) and build the data ourselves instead of using PyYAML's constructor:
keys become strings (YAML `200:` is an int, JSON/OpenAPI keys are strings), timestamps stay text,
CloudFormation short-form tags (`!Sub`, `!Ref`, ...) become their long form, duplicate keys are
recorded, and alias expansion is bounded (a "billion laughs" file is an error, not an OOM).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from apilint.common.errors import LoadError, ParseError
from apilint.common.findings import Span
from apilint.common.regex import lazy
from apilint.document.model import KeyIssue
from apilint.document.source import FixedLocator, YamlLocator

_T = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = _T + "str", _T + "int", _T + "float", _T + "bool", _T + "null"
_MERGE = _T + "merge"

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML without libyaml: slower, same results
    _Loader = yaml.SafeLoader

#: What aliases may add to a document, across all of them: nodes, and characters of scalars.
#: The text without aliases is bounded by the file size limit; aliases multiply it (a "billion
#: laughs" of 9 levels of 9 aliases is 387 million nodes), and every later step — the model,
#: each rule, each report — walks what they expand to. Real reuse (a shared response, CORS
#: headers, a schema) adds thousands.
MAX_ALIAS_NODES = 1_000_000
MAX_ALIAS_TEXT = 16 * 1024 * 1024
MAX_DEPTH = 512


class _Builder:
    def __init__(self, path: str, anchors: bool) -> None:
        self.path = path
        self.anchors = anchors
        self.scalars = yaml.constructor.SafeConstructor()
        self.memo: dict[int, Any] = {}
        self.sizes: dict[int, tuple[int, int]] = {}  # expanded (nodes, characters) of a node
        self.active: set[int] = set()
        self.issues: list[KeyIssue] = []
        #: Scalar nodes built so far, to know an alias of a scalar (only needed with anchors).
        self.seen: set[int] | None = set() if anchors else None
        self.added = [0, 0]  # nodes, characters that aliases added so far

    def error(self, node: Node, message: str) -> LoadError:
        return LoadError(message, self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR or not tag.startswith(_T):
            return node.value
        try:
            if tag == _INT:
                return self.scalars.construct_yaml_int(node)
            if tag == _FLOAT:
                return self.scalars.construct_yaml_float(node)
            if tag == _BOOL:
                return self.scalars.construct_yaml_bool(node)
            if tag == _NULL:
                return None
        except (ValueError, yaml.YAMLError):
            pass
        return node.value  # timestamps, binary, ...: keep the text, JSON has no such types

    def _aliased(self, where: Node, nodes: int, chars: int) -> None:
        """An alias adds its whole expanded size to what the document's aliases add; past the
        bounds the document is refused at `where` (the key holding the alias, or the list)."""
        self.added[0] += nodes
        self.added[1] += chars
        if self.added[0] > MAX_ALIAS_NODES:
            raise self.error(
                where,
                f"YAML aliases expand to more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?)",
            )
        if self.added[1] > MAX_ALIAS_TEXT:
            raise self.error(
                where,
                f"YAML aliases expand to more than {MAX_ALIAS_TEXT:,} characters (an alias bomb?)",
            )

    def build(self, node: Node, depth: int, where: Node) -> tuple[Any, int, int]:
        """Return (value, expanded nodes, expanded characters of scalars); `where` is the
        position that stands for `node` when it is an alias (its own marks are the anchor's)."""
        if isinstance(node, ScalarNode):
            if self.seen is not None:
                if id(node) in self.seen:
                    self._aliased(where, 1, len(node.value))
                self.seen.add(id(node))
            value = self.scalar(node)
            if node.tag.startswith("!"):
                value = _intrinsic(node.tag, value)
            return value, 1, len(node.value)
        key = id(node)
        # Only a document with anchors reaches a node twice (through an alias): without them
        # the bookkeeping is 40% of building a large template, for nothing.
        if self.anchors:
            if key in self.memo:  # an alias: share the object, but count its full size
                nodes, chars = self.sizes[key]
                self._aliased(where, nodes, chars)
                return self.memo[key], nodes, chars
            if key in self.active:
                raise self.error(node, "recursive YAML alias: a node contains itself")
            self.active.add(key)
        if depth > MAX_DEPTH:
            raise self.error(node, f"nesting deeper than {MAX_DEPTH} levels")
        nodes, chars = 1, 0
        if isinstance(node, SequenceNode):
            items: list[Any] = []
            for item in node.value:
                value, n, c = self.build(item, depth + 1, node)
                items.append(value)
                nodes, chars = nodes + n, chars + c
            result: Any = items
        else:
            assert isinstance(node, MappingNode)
            mapping: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    n, c = self._merge(mapping, value_node, depth, key_node)
                    nodes, chars = nodes + n, chars + c
                    continue
                if not isinstance(key_node, ScalarNode):
                    raise self.error(
                        key_node, "mapping keys must be plain scalars, not a mapping or sequence"
                    )
                name = key_node.value
                if name in mapping:
                    self.issues.append(KeyIssue("duplicate-key", name, _span(key_node)))
                value, n, c = self.build(value_node, depth + 1, key_node)
                mapping[name] = value
                nodes, chars = nodes + n, chars + c + len(name)
            result = mapping
        if node.tag.startswith("!"):
            result = _intrinsic(node.tag, result)
        if self.anchors:
            self.active.discard(key)
            self.memo[key] = result
            self.sizes[key] = (nodes, chars)
        return result, nodes, chars

    def _merge(
        self, mapping: dict[str, Any], node: Node, depth: int, where: Node
    ) -> tuple[int, int]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        nodes = chars = 0
        for source in sources:
            value, n, c = self.build(source, depth + 1, where)
            if not isinstance(value, dict):
                raise self.error(source, "a YAML merge key (<<) needs a mapping")
            for k, v in value.items():
                mapping.setdefault(k, v)
            nodes, chars = nodes + n, chars + c
        return nodes, chars


def _intrinsic(tag: str, value: Any) -> Any:
    """CloudFormation short form `!Sub x` → long form `{"Fn::Sub": x}`; unknown local tags alike."""
    name = tag[1:]
    if name == "Ref" or name == "Condition":
        return {name: value}
    if name == "GetAtt" and isinstance(value, str):
        return {"Fn::GetAtt": value.split(".", 1)}
    return {f"Fn::{name}": value}


def _span(node: Node) -> Span:
    return Span(
        node.start_mark.line + 1,
        node.start_mark.column + 1,
        node.end_mark.line + 1,
        node.end_mark.column + 1,
    )


_BRACKET = lazy(r"[\[\]{}]")
#: Every byte but the brackets, deleted to leave the brackets of a text in order.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _check_flow_depth(text: str, path: str) -> None:
    """libyaml's composer recurses in C: tens of thousands of nested `[`/`{` overflow the C
    stack (a segfault, not a RecursionError), so deep flow nesting is refused before it runs.
    Brackets in quoted text count too; only an unbalanced run of hundreds could matter."""
    if text.count("[") + text.count("{") <= MAX_DEPTH or not _too_deep(text):
        return
    depth = 0
    for m in _BRACKET().finditer(text):
        depth = depth + 1 if m.group() in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, m.start()) + 1
            raise LoadError(
                f"nesting deeper than {MAX_DEPTH} levels",
                path,
                line,
                m.start() - text.rfind("\n", 0, m.start()),
            )


def _too_deep(text: str) -> bool:
    """Whether `[`/`{` nest deeper than MAX_DEPTH: over the brackets alone, which bytes.translate
    picks out at C speed (a regex finds each bracket 5 times slower on a 4 MB template)."""
    depth = 0
    for byte in text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif depth:
            depth -= 1
    return False


def compose(text: str, path: str) -> Node | None:
    """The first document's node tree (None for an empty stream)."""
    _check_flow_depth(text, path)
    loader = _Loader(text)
    try:
        if not loader.check_node():
            return None
        node: Node | None = loader.get_node()
        return node  # later documents of a stream are not API definitions we lint
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise ParseError(
            f"invalid YAML: {problem}",
            path,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        raise _unacceptable(text, path, exc) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {exc}", path) from None
    except RecursionError:
        raise LoadError("invalid YAML: nesting too deep to parse", path) from None
    finally:
        loader.dispose()


def _unacceptable(text: str, path: str, exc: yaml.reader.ReaderError) -> LoadError:
    """A character YAML refuses (NUL, ESC, ...), at its line and column. The reader's own
    message spans two lines, and its position counts bytes in libyaml but characters in PyYAML;
    every such character is refused, so the first in the text is the one it stopped at."""
    char = exc.character if isinstance(exc.character, str) else chr(exc.character)
    at = text.find(char)
    line, column = (
        (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (None, None)
    )
    return LoadError(
        f"invalid YAML: unacceptable character #x{ord(char):04x}: {exc.reason}", path, line, column
    )


def _may_hold_anchors(text: str) -> bool:
    """Whether `text` may hold an anchor: an `&` where a node can start (after a blank or a line
    break, a flow indicator, a flow `:`, or at the start) with a name after it. `R&D` and `a & b`
    in prose are none; a document without anchors has no aliases to bound."""
    at = text.find("&")
    while at >= 0:
        before = text[at - 1 : at]
        if (not before or before.isspace() or before in "[{,:") and text[at + 1 : at + 2].strip():
            return True
        at = text.find("&", at + 1)
    return False


def load_libyaml(text: str, path: str) -> tuple[Any, Any, list[KeyIssue]]:
    """(data, locator, issues) read by libyaml, the way PyYAML and API Gateway's importer
    read YAML 1.1."""
    node = compose(text, path)
    if node is None:
        return None, FixedLocator(), []
    builder = _Builder(path, anchors=_may_hold_anchors(text))
    try:
        data, _, _ = builder.build(node, 0, node)
    except RecursionError:
        raise LoadError("nesting too deep to process", path) from None
    return data, YamlLocator(node), builder.issues
