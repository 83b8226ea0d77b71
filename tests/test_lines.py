"""Offsets to line and column (apilint/document/lines.py) against counting them one by one."""

from __future__ import annotations

import random

import pytest

from apilint.document.lines import LineIndex


def _naive(text: str | bytes, offset: int) -> tuple[int, int]:
    before = text[:offset]
    newline = b"\n" if isinstance(before, bytes) else "\n"
    last = before.rfind(newline)  # type: ignore[arg-type]
    line = before[last + 1 :]
    width = len(line.decode("utf-8", "replace")) if isinstance(line, bytes) else len(line)
    return before.count(newline) + 1, width + 1  # type: ignore[arg-type]


def _text(seed: int) -> str:
    """Lines of every length around the chunk and block sizes, some of one character beyond
    ASCII, CRLF endings, blank lines, and no newline at the end."""
    pick = random.Random(seed)
    pieces = []
    for _ in range(60):
        length = pick.choice([0, 1, 5, 80, 1023, 1024, 1025, 3000, 4097, 9000])
        pieces.append("".join(pick.choice("ab c{}é☃😀") for _ in range(length)))
    return "\r\n".join(pieces[:20]) + "\n" + "\n".join(pieces[20:])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("as_bytes", [False, True])
def test_position_is_lines_and_characters_before_it(seed: int, as_bytes: bool) -> None:
    text = _text(seed)
    data: str | bytes = text.encode("utf-8") if as_bytes else text
    index = LineIndex(data)
    newlines = [i for i in range(len(data)) if data[i : i + 1] in (b"\n", "\n")]
    probes = {0, len(data), *newlines, *(i + 1 for i in newlines), *range(0, len(data), 997)}
    if as_bytes:  # offsets of a rapidyaml tree fall where characters start
        probes = {p for p in probes if p == len(data) or data[p] & 0xC0 != 0x80}  # type: ignore[operator]
    assert {p: index.position(p) for p in sorted(probes)} == {
        p: _naive(data, p) for p in sorted(probes)
    }


def test_position_on_one_line_longer_than_many_chunks() -> None:
    text = ("é" * 5000 + "x" * 5000).encode("utf-8")
    index = LineIndex(text)
    assert [index.position(o) for o in (0, 9998, 10000, 15000)] == [
        (1, 1),
        (1, 5000),
        (1, 5001),
        (1, 10001),
    ]
