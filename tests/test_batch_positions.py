"""Positions located together (RymlLocator.spans, LineIndex.positions, engine.spans_of) are the
positions located one at a time, on real definitions and on the shapes that make positions
hard; the memoryview address read and the text report's frames read from bytes."""

from __future__ import annotations

import ctypes
import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, PITFALLS, rendered, require_shared

from apilint.common.escape import visible
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.document import addresses, load_document
from apilint.document.intrinsics import ReadingLocator
from apilint.document.lines import LineIndex
from apilint.document.model import Document
from apilint.document.pointer import decode
from apilint.document.ryml_loader import RymlLocator, json_locator, load_fast
from apilint.document.source import JsonLocator
from apilint.document.yaml_loader import load_yaml
from apilint.engine import run as engine
from apilint.report import text as text_report

Tokens = tuple[str, ...]


def _every_node(data: Any, step: int = 1) -> list[Tokens]:
    """Every `step`-th node of the data, each with a child that is not there, and an index past
    the end of each sequence: what findings point at, closest ancestors included."""
    wanted: list[Tokens] = []
    stack: list[tuple[Tokens, Any]] = [((), data)]
    while stack:
        tokens, node = stack.pop()
        wanted.append(tokens)
        if isinstance(node, dict):
            wanted.append((*tokens, "absent", "deeper"))
            stack += [((*tokens, str(k)), v) for k, v in node.items()]
        elif isinstance(node, list):
            wanted.append((*tokens, str(len(node))))
            stack += [((*tokens, str(i)), v) for i, v in enumerate(node)]
    return wanted[::step]


def _fresh(text: str, fmt: str) -> RymlLocator:
    """A new rapidyaml locator of the text (no span cached, no table read)."""
    if fmt == "json":
        located = json_locator(text)
        assert located is not None
        return located
    fast = load_fast(text)
    assert fast is not None, "the text must take the rapidyaml path"
    return fast[1]


def _agree(text: str, fmt: str, pointers: Sequence[Tokens]) -> list[Span]:
    """The batch's spans, checked against one locator per look-up order: one at a time in the
    given order, and one at a time in reverse (another order of table reads)."""
    together = _fresh(text, fmt).spans(pointers)
    one, reverse = _fresh(text, fmt), _fresh(text, fmt)
    assert together == [one.span(p) for p in pointers]
    assert together[::-1] == [reverse.span(p) for p in reversed(pointers)]
    return together


# -- real definitions ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["large-stripe.json", "large-stripe.yaml"])
def test_the_batch_locates_every_node_of_a_large_definition_as_one_at_a_time(name: str) -> None:
    path = require_shared("perfcorpus", name)
    text = path.read_text(encoding="utf-8")
    fmt = "json" if name.endswith(".json") else "yaml"
    data = json.loads(text) if fmt == "json" else load_fast(text)[0]  # type: ignore[index]
    pointers = _every_node(data, step=5)
    assert len(pointers) > 25_000
    _agree(text, fmt, pointers)


def test_the_engine_locates_the_findings_of_a_large_definition_as_one_at_a_time() -> None:
    path = require_shared("perfcorpus", "large-stripe.json")
    result = engine.lint_file(str(path), engine.Settings())
    doc = load_document(path)
    assert isinstance(doc, Document) and isinstance(doc.locator, JsonLocator)
    one = JsonLocator(doc.locator.text)
    assert len(result.findings) > 5000
    assert [f.span for f in result.findings] == [
        one.span(decode(f.pointer)) for f in result.findings
    ]


def _tree_data(path: Path) -> tuple[str, str, Any] | None:
    """(text, format, data) of a fixture a rapidyaml locator reads, else None (the libyaml
    path and the JSON walk locate those: test_a_document_without_a_batch_locator_...)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            data = json.loads(text)
        except ValueError:
            return None
        return (text, "json", data) if json_locator(text) is not None else None
    fast = load_fast(text)
    return (text, "yaml", fast[0]) if fast is not None else None


FIXTURE_FILES = [
    p
    for p in sorted(FIXTURES.rglob("*"))
    if p.suffix in (".json", ".yaml", ".yml") and p.is_file() and _tree_data(p) is not None
]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_batch_locates_every_node_of_each_fixture_as_one_at_a_time(path: Path) -> None:
    read = _tree_data(path)
    assert read is not None
    text, fmt, data = read
    _agree(text, fmt, _every_node(data))


def test_a_document_without_a_batch_locator_locates_each_pointer_alone() -> None:
    # anchors: the libyaml path reads it, and its locator has no batch
    text = "a: &x {k: [1, 2]}\nb: *x\nc:\n  d: |\n    block\n"
    assert load_fast(text) is None
    data, locator, _ = load_yaml(text, "t.yaml")
    assert not hasattr(locator, "spans")
    doc = Document("t.yaml", Path("t.yaml"), data, locator, "yaml", "3.0")
    pointers = _every_node(data)
    assert doc.spans(pointers) == [locator.span(p) for p in pointers]
    # through the alias: the anchored node's place
    assert doc.spans([("c", "d"), ("b", "k", "1")]) == [Span(4, 3, 6, 1), Span(1, 15, 1, 16)]


def test_a_wrapping_locator_moves_each_pointer_before_the_batch() -> None:
    # A reading of an Fn::If hands its other attributes to the file's locator: its pointers
    # must still be moved to where the source holds them.
    text = '{"a": {"b": 1}, "x": {"b": 2}}'
    inner = JsonLocator(text)
    reading = ReadingLocator(inner, (), {("x",): ("a",)})
    doc = Document("t.json", Path("t.json"), {}, reading, "json", "3.0")
    assert doc.spans([("x", "b"), ("a",)]) == [Span(1, 8, 1, 14), Span(1, 2, 1, 15)]
    assert doc.spans([("x", "b")]) == [doc.span(("x", "b"))]


# -- the shapes that make positions hard ---------------------------------------------------------

BLOCKS = (
    "a:\n"
    "  lit: |\n"
    "    one\n"
    "\n"
    "    two\n"
    "  folded: >-\n"
    "    x y\n"
    "  keep: |+\n"
    "    kept\n"
    "\n"
    "  list:\n"
    "    - |\n"
    "      in a list\n"
    "    - plain\n"
    "b: last\n"
)


def test_block_scalars_end_where_libyaml_marks_them() -> None:
    pointers = [("a", "lit"), ("a", "folded"), ("a", "keep"), ("a", "list", "0"), ("b",), ()]
    assert _agree(BLOCKS, "yaml", pointers) == [
        Span(2, 3, 6, 1),
        Span(6, 3, 8, 1),
        Span(8, 3, 11, 1),
        Span(12, 7, 14, 1),
        Span(15, 1, 15, 8),
        Span(1, 1, 15, 8),
    ]


FLOW = "root:\n  seq: [1, [2, 3], {k: v}]\n  map: {a: 1, b: [x]}\n  empty: []\n  none: {}\n"


def test_flow_collections_and_empty_ones() -> None:
    pointers = [
        ("root", "seq"),
        ("root", "seq", "1"),
        ("root", "seq", "1", "1"),
        ("root", "seq", "2", "k"),
        ("root", "map", "b", "0"),
        ("root", "empty"),
        ("root", "empty", "0"),
        ("root", "none"),
        ("root", "none", "x"),
    ]
    assert _agree(FLOW, "yaml", pointers) == [
        Span(2, 3, 2, 27),  # `seq: [1, [2, 3], {k: v}]`
        Span(2, 12, 2, 18),  # `[2, 3]`
        Span(2, 16, 2, 17),
        Span(2, 21, 2, 25),  # `k: v`
        Span(3, 19, 3, 20),
        Span(4, 3, 4, 12),
        Span(4, 3, 4, 12),
        Span(5, 3, 5, 11),
        Span(5, 3, 5, 11),
    ]


def test_json_empty_containers_in_a_list_and_a_duplicate_key() -> None:
    text = '{\n  "a": [[], {}, [1]],\n  "d": {"x": 1},\n  "d": {"y": "é"}\n}\n'
    located = JsonLocator(text, duplicate_keys=True)
    pointers = [("a", "0"), ("a", "1"), ("a", "2", "0"), ("d",), ("d", "y"), ("d", "x")]
    together = located.spans(pointers)
    one = JsonLocator(text, duplicate_keys=True)
    assert together == [one.span(p) for p in pointers]
    assert together == [
        Span(2, 9, 2, 11),
        Span(2, 13, 2, 15),
        Span(2, 18, 2, 19),
        Span(4, 3, 4, 18),  # the copy the parser keeps
        Span(4, 9, 4, 17),
        Span(4, 3, 4, 18),  # not in the kept copy: the object
    ]


def test_crlf_and_characters_beyond_ascii_count_as_one_column_each() -> None:
    text = 'a:\r\n  "é😀": "ü"\r\n  b: [x, "😀"]\r\n'
    pointers = [("a", "é😀"), ("a", "b", "1"), ("a", "b"), ("a",)]
    assert _agree(text, "yaml", pointers) == [
        Span(2, 3, 2, 12),  # `"é😀": "ü"`: nine characters
        Span(3, 10, 3, 13),  # `"😀"`
        Span(3, 3, 3, 14),
        Span(1, 1, 3, 14),
    ]


def test_a_minified_line_stays_linear_and_exact() -> None:
    data = {f"k{i}": {"v": ["é" * (i % 3), i]} for i in range(3000)}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    pointers = [(f"k{i}", "v", "1") for i in range(2, 3000, 3)]
    spans = _agree(text, "json", pointers)
    assert {s.line for s in spans} == {1}
    # columns count characters (of a text with 3,000 "é"): those before k2999's number
    column = text.index("2999]", text.index('"k2999"')) + 1
    assert spans[-1] == Span(1, column, 1, column + 4)
    assert column < len(text.encode("utf-8")) - 3000


def test_repeated_pointers_and_the_root_are_answered_in_the_order_asked() -> None:
    text = '{"a": {"b": 1}, "c": 2}'
    pointers = [("c",), ("a", "b"), ("c",), (), ("a", "b")]
    assert _agree(text, "json", pointers) == [
        Span(1, 17, 1, 23),
        Span(1, 8, 1, 14),
        Span(1, 17, 1, 23),
        Span(1, 1, 1, 24),
        Span(1, 8, 1, 14),
    ]


# -- offsets to lines and columns in one pass ----------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("as_bytes", [False, True])
def test_positions_of_many_offsets_are_each_offsets_position(seed: int, as_bytes: bool) -> None:
    pick = random.Random(seed)
    lines = [
        "".join(pick.choice("ab {é☃😀") for _ in range(pick.choice([0, 3, 900, 5000])))
        for _ in range(40)
    ]
    text = "\r\n".join(lines[:20]) + "\n" + "\n".join(lines[20:])
    data: str | bytes = text.encode("utf-8") if as_bytes else text
    starts = list(range(len(data) + 1))
    if isinstance(data, bytes):  # rapidyaml's offsets fall where characters start
        starts = [o for o in starts if o == len(data) or data[o] & 0xC0 != 0x80]
    offsets = [pick.choice(starts) for _ in range(3000)] + [0, len(data), len(data)]
    pick.shuffle(offsets)
    assert LineIndex(data).positions(offsets) == [LineIndex(data).position(o) for o in offsets]


# -- the engine ----------------------------------------------------------------------------------


class _Refusing:
    """A locator whose batch fails: the engine locates its pointers one at a time."""

    def __init__(self, broken: Tokens) -> None:
        self.broken = broken

    def spans(self, pointers: list[Tokens]) -> list[Span]:
        raise RuntimeError("no batch")

    def span(self, tokens: Tokens) -> Span:
        if tokens == self.broken:
            raise KeyError(tokens)
        return Span(len(tokens), 1, len(tokens), 2)


def test_a_failing_batch_costs_only_the_failing_pointer_its_place() -> None:
    doc, other = (load_document(PITFALLS) for _ in range(2))
    assert isinstance(doc, Document) and isinstance(other, Document)
    doc.locator = _Refusing(("x", "y"))
    wanted = [(doc, ("a",)), (other, ("paths",)), (doc, ("x", "y")), (doc, ("a", "b", "c"))]
    spans = engine.spans_of(wanted)
    assert spans[0] == Span(1, 1, 1, 2)
    assert spans[1] == other.span(("paths",))
    assert spans[2] == Span(1, 1, 1, 1)  # the one the locator cannot place
    assert spans[3] == Span(3, 1, 3, 2)


def test_with_debugging_a_failing_batch_is_an_error_not_a_slower_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # --debug / APILINT_DEBUG: a bug of the batch shows, instead of only costing time.
    doc = load_document(PITFALLS)
    assert isinstance(doc, Document)
    doc.locator = _Refusing(("x", "y"))
    monkeypatch.setenv("APILINT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="no batch"):
        engine.spans_of([(doc, ("a",)), (doc, ("x", "y"))])


def test_the_findings_the_engine_makes_after_the_rules_are_located_too(tmp_path: Path) -> None:
    # An unused x-apilint-ignore entry is a finding the engine makes after the rules ran.
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.1\n"
        "info: {title: t, version: '1'}\n"
        "x-apilint-ignore:\n"
        "  - rule: AGW301\n"
        "paths: {}\n"
    )
    result = engine.lint_file(str(path), engine.Settings(select=("ALL",)))
    assert {(f.code, f.pointer, f.span) for f in result.findings} == {
        ("AGW901", "/x-apilint-ignore/0", Span(4, 5, 4, 17)),  # the unused entry
        ("AGW109", "/paths", Span(5, 1, 5, 10)),
    }


# -- memoryview addresses ------------------------------------------------------------------------


def test_a_views_address_read_from_the_object_is_the_buffer_protocols() -> None:
    buffer = bytearray(b"0123456789" * 10)
    base = addresses.address(buffer)
    for start, stop in [(0, 1), (7, 50), (99, 100), (3, 3)]:
        view = memoryview(buffer)[start:stop]
        assert addresses.view_address(view) - base == start
        assert addresses.address(view) - base == start


def test_a_read_only_buffers_address_comes_from_the_buffer_protocol() -> None:
    data = b"0123456789"
    assert addresses.address(data) == ctypes.cast(ctypes.c_char_p(data), ctypes.c_void_p).value
    view = memoryview(data)[3:]
    assert addresses.address(view) - addresses.address(data) == 3
    assert addresses.view_address(view) - addresses.address(data) == 3


def test_without_a_known_place_the_buffer_protocol_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(addresses, "_held_at", lambda: None)
    read = addresses._view_reader()
    buffer = bytearray(b"abcdef")
    assert read is addresses.address
    assert read(memoryview(buffer)[4:]) - addresses.address(buffer) == 4


# -- the text report's frames --------------------------------------------------------------------


def _finding(path: Path, span: Span) -> Finding:
    return Finding("AGW001", "x", Severity.WARNING, "m", str(path), "/a", span)


def test_frames_read_lines_as_bytes_the_way_the_locators_count_them(tmp_path: Path) -> None:
    # a lone CR ends a line, CRLF is one break, a byte that is not UTF-8 shows as U+FFFD
    path = tmp_path / "api.yaml"
    path.write_bytes(b"one\rtwo: \xff\xfe x\r\nthree: \xe2\x82\nfour")
    findings = [_finding(path, Span(2, 6, 2, 9)), _finding(path, Span(3, 1, 3, 6))]
    findings.append(_finding(path, Span(4, 1, 4, 5)))
    findings.append(_finding(path, Span(9, 1, 9, 2)))  # past the end: no frame
    shown = rendered(text_report, [FileResult(str(path), findings=findings)])
    frames = [line for line in shown.splitlines() if " | " in line or line.endswith("|")]
    assert frames == [
        "  |",
        "2 | two: \ufffd\ufffd x",
        "  |      ^^^",
        "  |",
        "3 | three: \ufffd",
        "  | ^^^^^",
        "  |",
        "4 | four",
        "  | ^^^^",
    ]


def test_the_text_report_separates_findings_by_one_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text("a: 1\nb: 2\n")
    findings = [_finding(path, Span(1, 1, 1, 2)), _finding(path, Span(2, 1, 2, 2))]
    blocks = rendered(text_report, [FileResult(str(path), findings=findings)]).split("\n\n")
    assert len(blocks) == 3  # two findings, then the footer
    assert blocks[0].startswith(f"{path}:1:1: AGW001 [warning] m\n")
    assert blocks[1].startswith(f"{path}:2:1: AGW001 [warning] m\n")
    assert blocks[2] == "Found 2 problems (2 warnings) in 1 file.\n"


def _frame_of_whole_line(f: Finding, line: str) -> str:
    """The frame as computed from the whole decoded line (before only its start was read)."""
    text = visible(line.expandtabs(2))
    width = text_report.FRAME_WIDTH
    cut = text[:width] + ("..." if len(text) > width else "")
    start = min(max(f.span.column - 1, 0), len(cut))
    if f.span.end_line == f.span.line:
        end = min(max(f.span.end_column - 1, start + 1), len(cut))
    else:
        token = text_report._TOKEN().match(cut, start)
        end = token.end() if token and token.end() > start else len(cut)
    gutter = " " * len(str(f.span.line))
    marks = "^" * max(end - start, 1)
    return f"{gutter} |\n{f.span.line} | {cut}\n{gutter} | {' ' * start}{marks}\n"


@pytest.mark.parametrize("seed", range(4))
def test_a_frame_reads_only_the_start_of_its_line_and_shows_the_same(
    seed: int, tmp_path: Path
) -> None:
    # tabs, controls, `##[` and characters of 1 to 4 bytes around the frame's width; bytes
    # that are not UTF-8; lines far longer than the frame (a minified file)
    pick = random.Random(seed)
    alphabet = [b"a", b" ", b"\t", b"\x1b", b"#", b"##[", b"\xc3\xa9", b"\xe2\x98\x83"]
    alphabet += [b"\xf0\x9f\x98\x80", b"\xff", b"\xe2\x82", b'"k": ', b"{"]
    lines = [
        b"".join(pick.choice(alphabet) for _ in range(pick.choice([0, 40, 115, 125, 3000])))
        for _ in range(60)
    ]
    path = tmp_path / "api.json"
    path.write_bytes(b"\n".join(lines) + b"\n")
    sources = text_report._Sources()
    for number, raw in enumerate(lines, 1):
        whole = raw.decode("utf-8", "replace")
        for column, end_line, end_column in [(1, number, 2), (60, number, 200), (300, 9999, 1)]:
            f = _finding(path, Span(number, column, end_line, end_column))
            shown = sources.line(str(path), number)
            assert shown is not None
            assert text_report._frame(f, shown, False) == _frame_of_whole_line(f, whole)
