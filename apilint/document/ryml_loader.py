"""The fast YAML path: rapidyaml (C++) parses and emits JSON, the stdlib json module loads it.

rapidyaml reads plain scalars by YAML 1.2 rules while PyYAML (and API Gateway's importer) use
YAML 1.1: `yes`, `on`, `~`, `0x1F`, `1_000`, `12:30`, `1e3`, `.inf` come out differently. This
path therefore *declines* — returns None so the caller uses the libyaml path — whenever the text
or the emitted JSON holds anything whose reading could differ, and whenever the document uses
tags, anchors, merge keys, complex keys or several documents. What it accepts it reads exactly as
the libyaml path does (tests compare the two on every YAML file we have).

Positions: the tree is parsed in place, so every key and value is a view into our buffer; its
address minus the buffer's address is the byte offset.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from apilint.common.findings import Span
from apilint.common.regex import lazy
from apilint.document.lines import LineIndex

try:
    import ryml
except ImportError:  # pragma: no cover - rapidyaml is a dependency; the libyaml path still works
    ryml = None

# Plain scalars that YAML 1.1 (PyYAML, API Gateway's importer) reads differently from rapidyaml:
# booleans and nulls beyond true/false/null, octal/hex/binary/underscored/sexagesimal numbers,
# exponents without a dot or sign, infinities and NaNs other than plain lowercase inf/nan.
_RISKY = (
    r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|True|TRUE|False|FALSE|~|Null|NULL"
    r"|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]?(?:Inf|INF|NaN|NAN)|\+(?:inf|nan)|-nan"
    r"|[-+]?0[0-9_]+(?:\.[0-9_]*)?|[-+]?0[xob][0-9a-fA-F_]+"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?[0-9.][0-9._]*_[0-9._]*|\+[0-9.][0-9._]*"
    r"|-?[0-9]+[eE][-+]?[0-9]+|-?[0-9]*\.[0-9]*[eE][0-9]+)"
)
#: A risky plain scalar after an indicator (`key: yes`, `- 0x1F`, `? on`, `[1_000, ...`). One
#: search per indicator, each starting with its literal (which the regex engine finds at C
#: speed), and the first characters of every _RISKY alternative checked once before trying
#: them one by one: 3x faster on a 4 MB file than one pattern that starts with a character
#: class (tried at every position), and the same matches.
_RISKY_FIRST = r"(?=[-+.~0-9yYnNoOTFIN])"
_RISKY_PLAIN = tuple(
    lazy(rf"{re.escape(indicator)}[ \t]*{_RISKY_FIRST}{_RISKY}{after}", re.M)
    for indicator, after in [
        *((mark + blank, r"[ \t]*(?:#[^\n]*)?$") for mark in ":-?" for blank in " \t"),
        *((opener, r"[ \t]*[,\]}]") for opener in "[{,"),
    ]
)
_TAG = lazy(r"(?:[:\[{,?-][ \t]+|[\[{,])![^\s]|^[ \t]*![^\s]", re.M)
_COMPLEX_KEY = lazy(r"^[ \t]*\?(?:[ \t]|$)", re.M)
_DOC_MARKER = lazy(r"^(?:---|\.\.\.)(?:[ \t]|$)", re.M)
#: A surrogate spelt as an escape: rapidyaml encodes it into bytes that are not UTF-8 (and the
#: spans of the whole file are lost); libyaml refuses it with its position.
_SURROGATE_ESCAPE = lazy(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
#: An anchor (`&name` where a node starts). Documents with anchors go to the libyaml path,
#: which bounds what their aliases expand to; rapidyaml would also take `&a$` (libyaml refuses
#: the name) and read its aliases as strings.
_ANCHOR = lazy(r"(?:^[ \t]*|[:?-][ \t]+|[\[{,][ \t]*)&[^\s\[\]{},]", re.M)
#: An alias left unresolved by rapidyaml comes out as the string "*name".
_ALIAS_JSON = lazy(r'"\*[A-Za-z0-9_.-]+"')
#: rapidyaml writes plain `inf`/`nan` (strings for YAML 1.1) as ".inf"/".nan".
_INF_JSON = lazy(r'"(-?)\.(inf|nan)"')


def _declines_text(text: str) -> bool:
    if _found("!", _TAG(), text) or _found("&", _ANCHOR(), text):
        return True
    if "<<" in text or "\n%" in text or text.startswith("%"):  # a merge key or a directive
        return True
    if _found("?", _COMPLEX_KEY(), text):
        return True
    if _extra_document_marker(text):
        return True
    if "\\u" in text and _SURROGATE_ESCAPE().search(text):
        return True
    return any(risky().search(text) for risky in _RISKY_PLAIN)


def _found(needle: str, pattern: re.Pattern[str], text: str) -> bool:
    return next(_on_lines_with((needle,), pattern, text), None) is not None


def _on_lines_with(
    needles: tuple[str, ...], pattern: re.Pattern[str], text: str
) -> Iterator[re.Match[str]]:
    """The matches of `pattern` in `text`, in order, for a pattern that never spans lines and
    whose every match holds one of `needles`: searched only on the lines that hold a needle. A
    pattern that can start anywhere (`^[ \t]*`) makes the regex engine try every position of a
    4 MB file, 30 to 150 ms each; the needles are rare."""
    starts: set[int] = set()
    for needle in needles:
        i = text.find(needle)
        while i >= 0:
            start = text.rfind("\n", 0, i) + 1
            starts.add(start)
            end = text.find("\n", i)
            i = -1 if end < 0 else text.find(needle, end)
    for start in sorted(starts):
        end = text.find("\n", start)
        # the line alone: `^` and `$` (re.M) match at its ends as they do in the whole text
        yield from pattern.finditer(text, start, len(text) if end < 0 else end)


_OPENER = re.compile(rb"\s*:?\s*[\[{]\s*[\]}]")
_CLOSER = re.compile(rb"[ \t\r\n]*[\]}]")
_EMPTY = re.compile(rb"[\[{]\s*[\]}]")
#: Quoted scalars as written (parsing in place unescapes them, so their views are shorter).
_QUOTED = {ord("'"): re.compile(rb"'(?:[^']|'')*'"), ord('"'): re.compile(rb'"(?:[^"\\]|\\.)*"')}


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def _address(obj: Any) -> int:
    view = _PyBuffer()
    _get_buffer(obj, ctypes.byref(view), 0)
    try:
        return int(view.buf or 0)
    finally:
        _release_buffer(ctypes.byref(view))


def _extra_document_marker(text: str) -> bool:
    """True when the stream has more than one document (a leading `---` is fine)."""
    markers = list(_on_lines_with(("---", "..."), _DOC_MARKER(), text))
    if not markers:
        return False
    first = markers[0]
    before = text[: first.start()]
    leading = all(not line.strip() or line.lstrip().startswith("#") for line in before.splitlines())
    return len(markers) > 1 or not (leading and first.group().startswith("---"))


class RymlLocator:
    def __init__(
        self, tree: Any, buffer: bytearray, original: bytes, duplicate_keys: bool = False
    ) -> None:
        self.tree = tree
        #: Some map repeats a key (JSON only: load_fast declines such YAML): the lookups read
        #: every map whole, to find the last copy, as parsers keep it.
        self.duplicate_keys = duplicate_keys
        self.buffer = buffer  # keeps the memory the tree points into alive
        self.base = _address(buffer)
        self.original = original
        self.lines = LineIndex(original)  # tree offsets are byte offsets
        root = tree.root_id()
        self.root = tree.first_child(root) if tree.is_stream(root) else root
        # node -> its members (a map: key -> child; a sequence: the children in order; a
        # scalar: None), read once
        self._members: dict[int, dict[str, int] | list[int] | None] = {}
        self._looked_into: set[int] = set()

    def _direct(self, node: int, token: str) -> int:
        """The child of `node` under `token` by rapidyaml's own search (C++, no table): one
        lookup into a node costs less so than reading all its members from Python."""
        t = self.tree
        if t.is_map(node):
            return int(t.find_child(node, token.encode("utf-8")))
        if t.is_seq(node) and token.isdigit() and int(token) < t.num_children(node):
            return int(t.child(node, int(token)))
        return int(ryml.NONE)

    def _children(self, node: int) -> dict[str, int] | list[int] | None:
        """The members of `node`, None for a scalar: for a node looked into again. find_child,
        child and num_children walk the siblings one by one: locating findings under each of
        20,000 paths was quadratic (43 s) with them alone."""
        t = self.tree
        members: dict[str, int] | list[int] | None = None
        if t.is_container(node):
            children = []
            child = t.first_child(node)
            while child != ryml.NONE:
                children.append(child)
                child = t.next_sibling(child)
            if t.is_map(node):
                # the last of duplicate keys, as JSON parsers keep it (YAML with duplicates
                # never gets here: load_fast declines it)
                members = {bytes(t.key(c)).decode("utf-8", "replace"): c for c in children}
            else:
                members = children
        self._members[node] = members
        return members

    def _offset(self, view: Any, quoted: bool) -> int:
        return _address(view) - self.base - (1 if quoted else 0)

    def _start(self, node: int) -> int:
        t = self.tree
        if t.has_key(node):
            return self._offset(t.key(node), t.is_key_quoted(node))
        if t.has_val(node) and not t.is_container(node):
            start = self._offset(t.val(node), t.is_val_quoted(node))
            return self._block_indicator(start) if self._is_block(start) else start
        if t.num_children(node):
            first = self._start(t.first_child(node))
            return self._opener_before(first) if t.is_flow(node) else first
        return self._empty_start(node)

    def _opener_before(self, offset: int) -> int:
        """A keyless flow collection starts at its bracket, before its first entry."""
        text, i = self.original, offset - 1
        while i >= 0 and text[i] in b" \t\r\n":
            i -= 1
        return i if i >= 0 and text[i] in b"[{" else offset

    def _empty_start(self, node: int) -> int:
        """A keyless empty `[]`/`{}` (a list entry) has no view: find it after what precedes it."""
        t = self.tree
        prev, parent = t.prev_sibling(node), t.parent(node)
        if prev != ryml.NONE:
            pos = self._end(prev)
        elif parent != ryml.NONE and t.has_key(parent):
            pos = self._scalar_end(t.key(parent), t.is_key_quoted(parent))
        else:
            pos = 0
        m = _EMPTY.search(self.original, pos)
        return m.start() if m else pos

    def _end(self, node: int) -> int:
        t = self.tree
        closers = 0  # flow collections on the way down end at their closing bracket
        while t.is_container(node) and t.num_children(node):
            if t.is_flow(node):
                closers += 1
            node = t.last_child(node)
        end = self._leaf_end(node)
        for _ in range(closers):
            m = _CLOSER.match(self.original, end)
            if not m:
                break
            end = m.end()
        return end

    def _scalar_end(self, view: Any, quoted: bool) -> int:
        if quoted:
            opening = self._offset(view, True)
            if self._is_block(opening):
                return self._block_end(opening + 1)
            m = _QUOTED[self.original[opening]].match(self.original, opening)
            if m:
                return m.end()
        return self._offset(view, False) + len(view)

    def _is_block(self, opening: int) -> bool:
        """rapidyaml flags `|` and `>` block scalars as quoted; their view starts on the line
        after the indicator, so what precedes it is a line break, not a quote."""
        return self.original[opening : opening + 1] in (b"\n", b"\r")

    def _block_indicator(self, opening: int) -> int:
        line_start = self.original.rfind(b"\n", 0, opening) + 1
        header = self.original[line_start:opening]
        found = max(header.rfind(b"|"), header.rfind(b">"))
        return line_start + found if found >= 0 else opening

    def _block_end(self, start: int) -> int:
        """Where a block scalar ends, as libyaml marks it: at the start of the first line after
        it that is not blank (its lines are indented at least as deep as its first)."""
        text = self.original
        first_end = text.find(b"\n", start)
        first = text[start : first_end if first_end >= 0 else len(text)]
        indent = len(first) - len(first.lstrip(b" "))
        pos = start
        while pos < len(text):
            nl = text.find(b"\n", pos)
            line = text[pos : len(text) if nl < 0 else nl].rstrip(b"\r")
            body = line.lstrip(b" ")
            if body and len(line) - len(body) < indent:
                break
            if nl < 0:
                return len(text)
            pos = nl + 1
        return pos

    def _leaf_end(self, node: int) -> int:
        t = self.tree
        if t.has_val(node) and not t.is_container(node):
            return self._scalar_end(t.val(node), t.is_val_quoted(node))
        if t.has_key(node):
            end = self._scalar_end(t.key(node), t.is_key_quoted(node))
            if t.is_container(node):  # an empty `[]` / `{}` after its key
                opener = _OPENER.search(self.original, end)
                if opener:
                    return opener.end()
            return end
        if t.is_container(node):  # a keyless empty `[]` / `{}`
            m = _EMPTY.match(self.original, self._empty_start(node))
            if m:
                return m.end()
        return self._start(node) + 1

    def span(self, tokens: tuple[str, ...]) -> Span:
        node, known, once = self.root, self._members, self._looked_into
        for token in tokens:
            if node in known:
                members = known[node]
            elif node in once or self.duplicate_keys:
                members = self._children(node)
            else:
                once.add(node)
                child = self._direct(node, token)
                if child == ryml.NONE:
                    break
                node = child
                continue
            if isinstance(members, dict):
                child = members.get(token, ryml.NONE)
            elif members is not None and token.isdigit() and int(token) < len(members):
                child = members[int(token)]
            else:
                break
            if child == ryml.NONE:  # not found
                break
            node = child
        start, end = self._start(node), self._end(node)
        if start < end and self.original[end - 1 : end] == b"\n":
            # A block scalar ends at the start of the line after it, as libyaml marks it.
            line, column = self.lines.position(start)
            return Span(line, column, *self.lines.position(end))
        return self.lines.span(start, end)


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml's C++ error handler prints to fd 2 before raising; the libyaml path then
    explains the problem properly, so that raw text must not reach the user."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def json_locator(text: str, duplicate_keys: bool = False) -> RymlLocator | None:
    """A locator over JSON text (JSON is YAML to rapidyaml): one C++ parse, then every lookup is
    a walk of the tree. None when rapidyaml is missing, the text does not parse, or it spells
    a surrogate as an escape (rapidyaml's bytes for it are not UTF-8: the key is not found)."""
    if ryml is None or ("\\u" in text and _SURROGATE_ESCAPE().search(text)):
        return None
    try:
        with _quiet_stderr():
            locator = _parse(text)
        locator.duplicate_keys = duplicate_keys
        return locator
    except Exception:  # noqa: BLE001 - the caller keeps its own locator
        return None


def _parse(text: str) -> RymlLocator:
    """Parse in place (keys and values stay views into our buffer, so offsets are positions)."""
    original = text.encode("utf-8")
    buffer = bytearray(original)
    return RymlLocator(ryml.parse_in_place(buffer), buffer, original)


def load_fast(text: str) -> tuple[Any, RymlLocator] | None:
    """(data, locator), or None when the libyaml path must decide."""
    if ryml is None or _declines_text(text):
        return None
    try:
        with _quiet_stderr():
            locator = _parse(text)
            tree = locator.tree
            root = tree.root_id()
            if tree.is_stream(root):
                if tree.num_children(root) != 1:
                    return None  # several documents (or none): libyaml decides
                root = tree.first_child(root)
            emitted = ryml.emit_json_malloc(tree, root)
    except Exception:  # noqa: BLE001 - any trouble: the libyaml path decides and explains
        return None
    if emitted is None:  # an empty document (only comments): nothing is emitted
        return None
    if "*" in emitted and _ALIAS_JSON().search(emitted):
        return None
    if '.inf"' in emitted or '.nan"' in emitted:
        if re.search(r"\.(?:inf|nan)", text, re.I):
            return None  # a real .inf/.nan (or quoted ".inf") is in the source: let libyaml read it
        emitted = _INF_JSON().sub(r'"\1\2"', emitted)
    try:
        # stdlib json with a pairs hook: as fast as orjson here, and it sees duplicate keys,
        # which the libyaml path reports with their positions.
        data = json.loads(emitted, object_pairs_hook=_no_duplicates)
    except (ValueError, _Duplicate):
        return None
    return data, locator


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _Duplicate
    return mapping
