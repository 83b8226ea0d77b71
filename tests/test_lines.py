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


@pytest.mark.parametrize("seed", range(3))
def test_positions_in_ascii_chunks_beside_wider_ones(seed: int) -> None:
    """Mostly ASCII with a character beyond it here and there: a chunk of ASCII bytes gives
    its columns without counting characters, one that holds another byte (or follows a line
    start in one) counts them; both ways and the one pass agree with counting."""
    pick = random.Random(seed)
    lines = []
    for _ in range(400):
        line = ["x"] * pick.choice([0, 3, 40, 700, 1500])
        if line and pick.random() < 0.1:
            line[pick.randrange(len(line))] = pick.choice("é☃😀")
        lines.append("".join(line))
    data = "\n".join(lines).encode("utf-8")
    probes = [p for p in range(0, len(data), 7) if data[p] & 0xC0 != 0x80]
    expected = [_naive(data, p) for p in probes]
    assert LineIndex(data).positions(probes) == expected
    index = LineIndex(data)
    index.prepare()
    assert [index.position(p) for p in probes] == expected
    assert index.positions(probes) == expected
