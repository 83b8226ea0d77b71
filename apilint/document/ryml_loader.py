"""The fast YAML path: rapidyaml (C++) parses and emits JSON, the stdlib json module loads it.

rapidyaml reads plain scalars by YAML 1.2 rules while PyYAML (and API Gateway's importer) use
YAML 1.1: `yes`, `on`, `~`, `0x1F`, `1_000`, `12:30`, `1e3`, `.inf` come out differently. This
path therefore *declines* — returns None so the caller uses the libyaml path — whenever the
document holds a plain scalar whose reading could differ, and whenever it uses tags, anchors,
merge keys, complex keys or several documents. What it accepts it reads exactly as the libyaml
path does (tests compare the two on every YAML file we have).

Finding such scalars: rapidyaml writes each into its JSON as a string holding the scalar's text
(`"yes"`, `"0x1F"`; `.Inf` as `".inf"`), as a number with an exponent (`1e3`), or as something
json refuses (`+12`, `-017`). So the emitted JSON is searched once for such strings (json's
float hook sees the exponents), and the source only where one of them ends a scalar; a document
without them costs no search of its text beyond the rare characters that mark tags, anchors,
directives and document markers.

Positions: the tree is parsed in place, so every key and value is a view into our buffer; its
address minus the buffer's address is the byte offset.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any

from apilint.common.findings import Span
from apilint.common.regex import lazy
from apilint.document.addresses import address, view_address
from apilint.document.lines import LineIndex
from apilint.document.members import no_key_repeated

try:
    import ryml
except ImportError:  # pragma: no cover - rapidyaml is a dependency; the libyaml path still works
    ryml = None

#: rapidyaml's node type bits: the locator reads a node's Tree.type() once instead of calling a
#: predicate per question (has_key, is_container, is_flow...: each call into C++ costs about as
#: much as the type itself).
_KEY, _VAL, _MAP, _SEQ, _FLOW, _KEYQUO, _VALQUO = (
    (ryml.KEY, ryml.VAL, ryml.MAP, ryml.SEQ, ryml.FLOW_SL | ryml.FLOW_ML, ryml.KEYQUO, ryml.VALQUO)
    if ryml is not None
    else (0,) * 7
)
_CONTAINER = _MAP | _SEQ
if ryml is not None:
    # The Tree's methods are Python wrappers of these C functions (SWIG's): the locator calls
    # them directly, a frame less for each of ~100,000 calls on a large definition.
    from ryml._ryml import Tree_find_child as _find_child
    from ryml._ryml import Tree_first_child as _first_child
    from ryml._ryml import Tree_key as _key
    from ryml._ryml import Tree_last_child as _last_child
    from ryml._ryml import Tree_next_sibling as _next_sibling
    from ryml._ryml import Tree_type as _type
    from ryml._ryml import Tree_val as _val
_NONE = int(ryml.NONE) if ryml is not None else -1
#: The members of a node not read into a table yet (by identity; a scalar's are None).
_UNREAD: list[int] = []

# Plain scalars that YAML 1.1 (PyYAML, API Gateway's importer) reads differently from rapidyaml:
# booleans and nulls beyond true/false/null (not `y`/`n`: PyYAML's resolver, and so the libyaml
# path, reads those as strings), octal/hex/binary/underscored/sexagesimal numbers, exponents
# without a dot or sign, infinities and NaNs other than plain lowercase inf/nan.
_RISKY = (
    r"(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|True|TRUE|False|FALSE|~|Null|NULL"
    r"|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|[-+]?(?:Inf|INF|NaN|NAN)|\+(?:inf|nan)|-nan"
    r"|[-+]?0[0-9_]+(?:\.[0-9_]*)?|[-+]?0[xob][0-9a-fA-F_]+"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?[0-9.][0-9._]*_[0-9._]*|\+[0-9.][0-9._]*"
    r"|-?[0-9]+[eE][-+]?[0-9]+|-?[0-9]*\.[0-9]*[eE][0-9]+)"
)
_TAG = lazy(r"(?:[:\[{,?-][ \t]+|[\[{,])![^\s]|^[ \t]*![^\s]", re.M)
_COMPLEX_KEY = lazy(r"^[ \t]*\?(?:[ \t]|$)", re.M)
_DOC_MARKER = lazy(r"^(?:---|\.\.\.)(?:[ \t]|$)", re.M)
#: A surrogate spelt as an escape: rapidyaml encodes it into bytes that are not UTF-8 (and the
#: spans of the whole file are lost); libyaml refuses it with its position.
_SURROGATE_ESCAPE_AT = r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}"
_SURROGATE_ESCAPE = lazy(_SURROGATE_ESCAPE_AT)
_SURROGATE_ESCAPE_BYTES = lazy(_SURROGATE_ESCAPE_AT.encode())
#: An anchor (`&name` where a node starts). Documents with anchors go to the libyaml path,
#: which bounds what their aliases expand to; rapidyaml would also take `&a$` (libyaml refuses
#: the name) and read its aliases as strings.
_ANCHOR = lazy(r"(?:^[ \t]*|[:?-][ \t]+|[\[{,][ \t]*)&[^\s\[\]{},]", re.M)
#: Where a plain scalar can end: the end of its line (after blanks and a comment; before CRLF's
#: `\r`) or a flow indicator.
_PLAIN_END = rb"(?=[ \t]*(?:#[^\n]*)?\r?$|[ \t]*[,\]}])"
#: A risky plain scalar where YAML puts one: after a block indicator and a blank, after a flow
#: indicator, or after the indentation alone (a value on the line after its key, an entry of a
#: flow collection that spans lines); searched only on the lines where a suspect ends a scalar.
_RISKY_AT = lazy(rb"(?:^|[?-][ \t]|[:\[{,])[ \t]*" + _RISKY.encode() + _PLAIN_END, re.M)
#: More distinct suspects than this: each costs a search of the text, so libyaml decides.
MAX_SUSPECTS = 16
#: A line that starts with a directive or a document marker (or the text starts with one).
_LINE_START_MARK = lazy(r"\n(?:%|---|\.\.\.)")
#: Strings of the emitted JSON that need a second look. Any string (a key too): an alias left
#: unresolved (rapidyaml writes `*name`), a merge key, an infinity or NaN (rapidyaml writes
#: plain `inf`/`nan`, strings for YAML 1.1, as ".inf"/".nan"). A value only: one that reads
#: differently in YAML 1.1 when it is a plain scalar (keys stay text on both paths). One search
#: starting with a literal `"` (found at C speed) and one look at the character after it (the
#: first characters of every alternative; most strings fail there), the closing quote of a
#: value not followed by the `:` of a key.
_SUSPECT_JSON = lazy(
    rf'"(?=[-+.~0-9yYnNoOTFIN*<])(?:(\*[A-Za-z0-9_.-]+|<<|-?\.(?:inf|nan))"|({_RISKY})"(?!:))'
)


def _declines_text(text: str) -> bool:
    """What the text shows before any parsing: tags, anchors, complex keys, directives, more
    than one document, a surrogate spelt as an escape. Each search starts from a character
    that is rare in definitions (one pass at C speed when it is absent)."""
    if (
        _found("!", _TAG(), text)
        or _found("&", _ANCHOR(), text)
        or _found("?", _COMPLEX_KEY(), text)
    ):
        return True
    if text.startswith(("%", "---", "...")) or _LINE_START_MARK().search(text):
        if text.startswith("%") or "\n%" in text or _extra_document_marker(text):
            return True
    return "\\" in text and _SURROGATE_ESCAPE().search(text) is not None


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


def _risky_plain(original: bytes, suspects: set[str]) -> bool:
    """Whether one of `suspects` (texts of the emitted JSON that YAML 1.1 reads differently as
    plain scalars, and exponents) ends a risky plain scalar in the source. Every plain scalar
    stands on one line as the JSON holds it (a multi-line one is folded with spaces: never a
    suspect), so each suspect is searched for (one search each, starting with its literal), and
    the lines where it ends a scalar are searched for a risky one."""
    for suspect in suspects:
        ends = re.compile(re.escape(suspect.encode()) + _PLAIN_END, re.M)
        for found in ends.finditer(original):
            start = original.rfind(b"\n", 0, found.start()) + 1
            end = original.find(b"\n", found.end())
            if _RISKY_AT().search(original, start, len(original) if end < 0 else end):
                return True
    return False


_OPENER = lazy(rb"\s*:?\s*[\[{]\s*[\]}]")
_CLOSER = lazy(rb"[ \t\r\n]*[\]}]")
_EMPTY = lazy(rb"[\[{]\s*[\]}]")
#: Quoted scalars as written (parsing in place unescapes them, so their views are shorter).
_QUOTED = {ord("'"): re.compile(rb"'(?:[^']|'')*'"), ord('"'): re.compile(rb'"(?:[^"\\]|\\.)*"')}


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
        self.base = address(buffer)
        self.original = original
        #: The JSON rapidyaml emitted for a YAML document (load_fast), until take_json.
        self.json: str | None = None
        self.lines = LineIndex(original)  # tree offsets are byte offsets
        root = tree.root_id()
        self.root = tree.first_child(root) if tree.is_stream(root) else root
        # node -> its members (a map: key -> child; a sequence: the children in order; a
        # scalar: None), read once
        self._members: dict[int, dict[str, int] | list[int] | None] = {}
        # node -> how many tokens were looked up in it by rapidyaml's own search so far
        self._searched: dict[int, int] = {}
        self._spans: dict[tuple[str, ...], Span] = {}

    def take_json(self) -> str | None:
        """The JSON rapidyaml emitted for the document, once: the workspace's `$ref` scan
        searches it as it searches a JSON file's text, and nothing needs it after (a copy of
        the document as large as its text, not kept alive for the rest of the run)."""
        emitted, self.json = self.json, None
        return emitted

    def _direct(self, node: int, token: str) -> int:
        """The child of `node` under `token` by rapidyaml's own search (C++, no table): a few
        look-ups into a node cost less so than reading all its members from Python."""
        t = self.tree
        kind = _type(t, node)
        if kind & _MAP:
            return int(_find_child(t, node, token.encode("utf-8")))
        if kind & _SEQ and token.isdigit() and int(token) < t.num_children(node):
            return int(t.child(node, int(token)))
        return int(ryml.NONE)

    def _children(self, node: int) -> dict[str, int] | list[int] | None:
        """The members of `node`, None for a scalar: for a node looked into often. find_child,
        child and num_children walk the siblings one by one: locating findings under each of
        20,000 paths was quadratic (43 s) with them alone."""
        t = self.tree
        members: dict[str, int] | list[int] | None = None
        kind = _type(t, node)
        if kind & _CONTAINER:
            children = []
            child = _first_child(t, node)
            while child != ryml.NONE:
                children.append(child)
                child = _next_sibling(t, child)
            if kind & _MAP:
                # the last of duplicate keys, as JSON parsers keep it (YAML with duplicates
                # never gets here: load_fast declines it); str() decodes the view in place
                members = {str(_key(t, c), "utf-8", "replace"): c for c in children}
            else:
                members = children
        self._members[node] = members
        return members

    def _offset(self, view: Any, quoted: int) -> int:
        return view_address(view) - self.base - (1 if quoted else 0)

    def _start(self, node: int) -> int:
        t = self.tree
        kind = _type(t, node)
        if kind & _KEY:
            return self._offset(_key(t, node), kind & _KEYQUO)
        if kind & _VAL and not kind & _CONTAINER:
            start = self._offset(_val(t, node), kind & _VALQUO)
            return self._block_indicator(start) if self._is_block(start) else start
        first = _first_child(t, node)
        if first != ryml.NONE:
            start = self._start(first)
            return self._opener_before(start) if kind & _FLOW else start
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
            pos = self._scalar_end(_key(t, parent), t.is_key_quoted(parent))
        else:
            pos = 0
        m = _EMPTY().search(self.original, pos)
        return m.start() if m else pos

    def _end(self, node: int) -> int:
        t = self.tree
        closers = 0  # flow collections on the way down end at their closing bracket
        kind = _type(t, node)
        while kind & _CONTAINER:
            last = _last_child(t, node)
            if last == ryml.NONE:
                break
            if kind & _FLOW:
                closers += 1
            node, kind = last, _type(t, last)
        end = self._leaf_end(node, kind)
        for _ in range(closers):
            m = _CLOSER().match(self.original, end)
            if not m:
                break
            end = m.end()
        return end

    def _scalar_end(self, view: Any, quoted: int) -> int:
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

    def _leaf_end(self, node: int, kind: int) -> int:
        """The end of a node without children (`kind`: its type bits)."""
        t = self.tree
        if kind & _VAL and not kind & _CONTAINER:
            return self._scalar_end(_val(t, node), kind & _VALQUO)
        if kind & _KEY:
            end = self._scalar_end(_key(t, node), kind & _KEYQUO)
            if kind & _CONTAINER:  # an empty `[]` / `{}` after its key
                opener = _OPENER().search(self.original, end)
                if opener:
                    return opener.end()
            return end
        if kind & _CONTAINER:  # a keyless empty `[]` / `{}`
            m = _EMPTY().match(self.original, self._empty_start(node))
            if m:
                return m.end()
        return self._start(node) + 1

    def span(self, tokens: tuple[str, ...]) -> Span:
        # Several rules report the same node (an operation without security and without an
        # integration): one in ten look-ups on the big definitions.
        span = self._spans.get(tokens)
        if span is None:
            span = self._spans[tokens] = self._locate(tokens)
        return span

    #: Tokens looked up in a node by rapidyaml's search before its members are read into a table.
    #: rapidyaml compares a member's key in 5 ns, reading it into a table from Python takes
    #: 2 us: a table costs about as much as 500 searches through the whole node. So a node
    #: gets one only after this many searches (their cost then at most half the table's), and
    #: stays linear: 20,000 look-ups in one map of 20,000 cost 256 searches and one table.
    #: (At 8, GitHub's 10,000 findings read 150 tables, 15 ms of members.)
    SEARCHES = 256

    def spans(self, pointers: Sequence[tuple[str, ...]]) -> list[Span]:
        """span() of each pointer, located together: the distinct pointers in order, so that
        each walks down only from where it leaves the one before it (GitHub's 10,000 share all
        but 2 of their 7 tokens), and their offsets turned into lines and columns in one pass
        over the text (LineIndex.positions)."""
        known = self._spans
        wanted = sorted({p for p in pointers if p not in known})
        bounds = [self._bounds(node) for node in self._nodes(wanted)]
        ends = [self._end_at(start, end) for start, end in bounds]
        found = self.lines.positions([start for start, _ in bounds] + [at for at, _ in ends])
        for i, (pointer, (_, is_block)) in enumerate(zip(wanted, ends)):
            (line, column), (end_line, end_column) = found[i], found[len(wanted) + i]
            known[pointer] = Span(
                line, column, end_line, end_column if is_block else end_column + 1
            )
        return [known[p] for p in pointers]

    def _nodes(self, pointers: list[tuple[str, ...]]) -> list[int]:
        """The node of each of the sorted `pointers` (or of its closest existing ancestor)."""
        nodes = []
        path = [self.root]  # path[i]: the node i tokens down the previous pointer
        previous: tuple[str, ...] = ()
        for tokens in pointers:
            shared, walked = 0, len(path) - 1
            for token, before in zip(tokens, previous):
                if shared == walked or token != before:
                    break
                shared += 1
            del path[shared + 1 :]
            node = path[-1]
            for token in tokens[shared:]:
                node = self._child(node, token)
                if node == _NONE:
                    break
                path.append(node)
            nodes.append(path[-1])
            previous = tokens
        return nodes

    def _child(self, node: int, token: str) -> int:
        """The child of `node` under `token`, or NONE."""
        members = self._members.get(node, _UNREAD)
        if members is _UNREAD:
            searched = self._searched.get(node, 0)
            if not self.duplicate_keys and searched < self.SEARCHES:
                self._searched[node] = searched + 1
                return self._direct(node, token)
            members = self._children(node)
        if isinstance(members, dict):
            return members.get(token, _NONE)
        if members is not None and token.isdigit() and int(token) < len(members):
            return members[int(token)]
        return _NONE

    def keys(self, tokens: tuple[str, ...]) -> list[str]:
        """The keys of the map at `tokens` (exactly there), in order; [] for anything else."""
        node = self.root
        for token in tokens:
            node = self._child(node, token)
            if node == _NONE:
                return []
        members = self._members.get(node, _UNREAD)
        if members is _UNREAD:
            members = self._children(node)
        return list(members) if isinstance(members, dict) else []

    def _locate(self, tokens: tuple[str, ...]) -> Span:
        node = self.root
        for token in tokens:
            child = self._child(node, token)
            if child == _NONE:  # not found
                break
            node = child
        start, end = self._bounds(node)
        at, is_block = self._end_at(start, end)
        line, column = self.lines.position(start)
        end_line, end_column = self.lines.position(at)
        return Span(line, column, end_line, end_column if is_block else end_column + 1)

    def _end_at(self, start: int, end: int) -> tuple[int, bool]:
        """Where a span's end is read (its last character), and whether it is a block
        scalar's: one ends at the start of the line after it, as libyaml marks it, so its end
        is read there and is not one past it."""
        if start < end and self.original[end - 1 : end] == b"\n":
            return end, True
        return max(end - 1, start), False

    def _bounds(self, node: int) -> tuple[int, int]:
        """Where the node starts and ends (byte offsets, the end exclusive)."""
        t = self.tree
        kind = _type(t, node)
        if kind & _KEY and kind & _VAL and not kind & _CONTAINER:
            # `key: scalar`, most findings (type bits read once, no walk down): what _start
            # and _end find for it
            start = self._offset(_key(t, node), kind & _KEYQUO)
            return start, self._scalar_end(_val(t, node), kind & _VALQUO)
        return self._start(node), self._end(node)


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


def json_locator(text: str | bytes, duplicate_keys: bool = False) -> RymlLocator | None:
    """A locator over JSON text or its UTF-8 bytes (JSON is YAML to rapidyaml): one C++
    parse, then every lookup is a walk of the tree. None when rapidyaml is missing, the text
    does not parse, or it spells a surrogate as an escape (rapidyaml's bytes for it are not
    UTF-8: the key is not found)."""
    # The regex alone: `"\\u" in text` before it took 12.7 ms on GitHub's 13 MB (a str of
    # 4-byte characters: it holds emoji), the regex 3.9 ms (Stripe: 4.8 and 2.7 ms).
    if ryml is None or (
        _SURROGATE_ESCAPE().search(text)
        if isinstance(text, str)
        else _SURROGATE_ESCAPE_BYTES().search(text)
    ):
        return None
    try:
        with _quiet_stderr():
            locator = _parse(text)
        locator.duplicate_keys = duplicate_keys
        return locator
    except Exception:  # noqa: BLE001 - the caller keeps its own locator
        return None


def ryml_locator(raw: bytes) -> RymlLocator | None:
    """The locator load_fast builds for a YAML file's bytes (None without rapidyaml)."""
    if ryml is None:
        return None
    with _quiet_stderr():
        return _parse(raw)


def _parse(text: str | bytes) -> RymlLocator:
    """Parse in place (keys and values stay views into our buffer, so offsets are positions)."""
    original = text.encode("utf-8") if isinstance(text, str) else text
    buffer = bytearray(original)
    return RymlLocator(ryml.parse_in_place(buffer), buffer, original)


def load_fast(text: str, raw: bytes | None = None) -> tuple[Any, RymlLocator] | None:
    """(data, locator), or None when the libyaml path must decide. `raw`: the text's UTF-8
    bytes, when the caller has them."""
    if ryml is None or _declines_text(text):
        return None
    parsed = _parse_and_emit(text if raw is None else raw)
    if parsed is None:
        return None
    locator, emitted = parsed
    anywhere: set[str] = set()
    values: set[str] = set()
    for found in _SUSPECT_JSON().finditer(emitted):
        (anywhere if found[1] else values).add(found[1] or found[2])
    if any(s[0] == "*" or s == "<<" for s in anywhere):
        return None  # an alias or a merge key: libyaml expands them (within bounds)
    if anywhere:  # infinities and NaNs
        if re.search(r"\.(?:inf|nan)", text, re.I):
            return None  # a real .inf/.nan (or quoted ".inf") is in the source: let libyaml read it
        for written in anywhere:  # plain inf/nan: `".inf"` back to `"inf"`
            emitted = emitted.replace(f'"{written}"', '"' + written.replace(".", "", 1) + '"')
    exponents: set[str] = set()
    try:
        # stdlib json: its float hook sees exponents (orjson has none, and a search of the
        # emitted text for them costs more than the difference).
        data = json.loads(emitted, parse_float=partial(_float, exponents))
    except ValueError:
        return None
    # A repeated key: the libyaml path reports it with its position. Checked on the data
    # (no pairs hook building each map in Python: 16 of Stripe's 38 ms).
    if not no_key_repeated(emitted, data):
        return None
    suspects = values | exponents
    if len(suspects) > MAX_SUSPECTS or _risky_plain(locator.original, suspects):
        return None
    locator.json = emitted
    return data, locator


def _parse_and_emit(text: str | bytes) -> tuple[RymlLocator, str] | None:
    try:
        with _quiet_stderr():
            locator = _parse(text)
            tree = locator.tree
            root = tree.root_id()
            if tree.is_stream(root):
                if tree.num_children(root) != 1:
                    return None  # several documents (or none): libyaml decides
                root = tree.first_child(root)
            emitted = _emit_json(tree, root, 2 * len(locator.original) + 64)
    except Exception:  # noqa: BLE001 - any trouble: the libyaml path decides and explains
        return None
    if not emitted:  # an empty document (only comments): nothing is emitted
        return None
    return locator, emitted


def _emit_json(tree: Any, root: int, guess: int) -> str:
    """rapidyaml's JSON of the tree, emitted into a buffer of `guess` bytes (or, when that is
    too small, of the size it asks for) and decoded: emit_json_malloc makes the same str at
    about twice the cost (20 against 12 ms on Stripe's YAML)."""
    buffer = bytearray(guess)
    too_small, length = ryml.emit_json_to_substr(tree, root, buffer)
    if too_small:
        buffer = bytearray(length)
        too_small, length = ryml.emit_json_to_substr(tree, root, buffer)
    del buffer[length:]  # shrinks in place
    return buffer.decode("utf-8")


def _float(exponents: set[str], digits: str) -> float:
    """json's float, noting its exponent as written (`e3` of `1e3`): rapidyaml leaves a plain
    scalar's exponent as it stands, and YAML 1.1 reads some numbers with one as strings."""
    at = max(digits.find("e"), digits.find("E"))
    if at >= 0:
        exponents.add(digits[at:])
    return float(digits)
