"""JSON files are read with orjson from their bytes when it reads them as the stdlib parser
does, and by the stdlib parser (which sees duplicate keys) otherwise: a file lints the same
either way, and every text orjson misreads goes the stdlib way."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from apilint.common.errors import LoadError
from apilint.document.json_loader import load_json, load_json_bytes
from apilint.document.loader import load_document
from apilint.document.model import Document

HEAD = '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {},\n'


def _load(tmp_path: Path, content: bytes) -> Document:
    path = tmp_path / "api.json"
    path.write_bytes(content)
    doc = load_document(path)
    assert isinstance(doc, Document)
    return doc


def _document(tmp_path: Path, content: bytes) -> tuple[object, list[tuple[str, str, int, int]]]:
    doc = _load(tmp_path, content)
    issues = [(i.kind, i.detail, i.span.line, i.span.column) for i in doc.parse_issues]
    return doc.data, issues


@pytest.mark.parametrize(
    "tail,issues",
    [
        # orjson keeps one value of a repeated key without a word: the member counts differ
        ('"x-a": [1, 2],\n"x-a": 3}', [("duplicate-key", "x-a", 3, 1)]),
        # the dropped value's commas would be matched by escaped ones: the escape decides
        ('"x-a": 1,\n"x-a": "\\u002c"}', [("duplicate-key", "x-a", 3, 1)]),
        ('"x-a": 1,\n"x-\\u0061": "\\u002C"}', [("duplicate-key", "x-a", 3, 1)]),
        # orjson reads integers past 64 bits as floats; the stdlib keeps the integer
        ('"x-big": 18446744073709551616}', []),
        ('"x-big": -9223372036854775809}', []),
        ('"x-big": 123456789012345678901234567890123}', []),
        # a float past 2**63 is written like one (the stdlib reads it the same, more slowly)
        ('"x-f": 1.5e300, "x-text": "e+1"}', []),
        # what orjson refuses and the stdlib reads
        ('"x-nan": NaN, "x-inf": [Infinity, -Infinity], "x-huge": 1e400}', []),
        ('"x-lone": "\\ud800"}', []),
    ],
)
def test_what_orjson_misreads_is_read_the_stdlib_way(
    tail: str, issues: list[tuple[str, str, int, int]], tmp_path: Path
) -> None:
    text = HEAD + tail
    assert load_json_bytes(text.encode()) is None
    data, found = _document(tmp_path, text.encode())
    expected, _, _ = load_json(text)
    assert repr(data) == repr(expected)
    assert found == issues


@pytest.mark.parametrize(
    "tail",
    [
        '"x-max": 18446744073709551615, "x-min": -9223372036854775808, "x-f": 1.5e-300}',
        '"x-text": "q=addClass+in:file", "x-emoji": "\\ud83d\\ude00 \U0001f600"}',
        '"x-commas": ",,,", "x-escaped": "\\u0063", "x-neg": [-0.0, -0, 1E-7, 2.5e-324]}',
    ],
)
def test_what_orjson_reads_as_the_stdlib_does_is_read_the_fast_way(
    tail: str, tmp_path: Path
) -> None:
    text = HEAD + tail
    fast = load_json_bytes(text.encode())
    expected, _, _ = load_json(text)
    data, issues = _document(tmp_path, text.encode())
    assert fast is not None and repr(fast[0]) == repr(expected) == repr(data)
    assert issues == []


def test_a_bom_is_dropped_before_either_parser_reads(tmp_path: Path) -> None:
    text = HEAD + '"x-a": 1,\n"x-a": 2}'
    data, issues = _document(tmp_path, codecs.BOM_UTF8 + text.encode())
    assert data == json.loads(text)
    assert issues == [("duplicate-key", "x-a", 3, 1)]


def test_invalid_utf8_in_a_string_is_refused_at_its_byte(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as caught:
        _document(tmp_path, (HEAD + '"x-a": "\xff"}').encode("latin-1"))
    assert (caught.value.message, caught.value.line, caught.value.column) == (
        "not UTF-8 text (byte 0xff)",
        2,
        9,
    )


def test_a_fast_read_document_keeps_its_bytes_until_a_fix_asks_for_text(tmp_path: Path) -> None:
    text = HEAD + '"x-e": "\U0001f600"}'
    doc = _load(tmp_path, codecs.BOM_UTF8 + text.encode())
    assert doc.text == text.encode()
    assert doc.source_text() == text
    assert doc.source_text() is doc.source_text()  # decoded once
    span = doc.span(("x-e",))
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 1, 2, 11)
