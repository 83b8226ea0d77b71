"""Offsets in a source text to line and column, for every locator (JSON, YAML, rapidyaml)."""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence

from apilint.common.findings import Span


class LineIndex:
    """Offset → (line, column), both 1-based; columns count characters.

    Takes text or its UTF-8 bytes: offsets index whichever was given (the rapidyaml locator has
    byte offsets), columns are always characters.
    """

    #: Bytes between the character counts kept for a long line (see _column).
    BLOCK = 4096

    def __init__(self, text: str | bytes) -> None:
        self.text = text
        self._starts: list[int] | None = None
        # Byte offsets are character offsets in ASCII text; else, per long line, the
        # characters before each BLOCK (minified JSON is one line: decoding the line up to
        # each finding was quadratic, 98 s of a 20,000-path file).
        self._ascii = isinstance(text, str) or text.isascii()
        self._blocks: dict[int, list[int]] = {}
        self._chunks: tuple[list[int], list[int], list[int]] | None = None
        self._newline = b"\n" if isinstance(text, bytes) else "\n"

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            # split, map, accumulate and add all run in C (a regex loop costs 5x more on 13 MB,
            # a generator expression 2x): line k + 1 starts after k + 1 newlines and the
            # lengths of lines 0..k.
            newline = b"\n" if isinstance(self.text, bytes) else "\n"
            lines = self.text.split(newline)  # type: ignore[arg-type]
            ends = itertools.accumulate(map(len, lines))
            self._starts = [0, *map(operator.add, ends, range(1, len(lines)))]
        return self._starts

    def span(self, start: int, end: int) -> Span:
        """The span of the text from `start` up to (not including) `end`."""
        line, col = self.position(start)
        end_line, end_col = self.position(max(end - 1, start))
        return Span(line, col, end_line, end_col + 1)

    #: Bytes (or characters) per chunk of the position table (see _chunk_table).
    CHUNK = 1024

    def position(self, offset: int) -> tuple[int, int]:
        lines_before, line_starts, last_wide = self._chunk_table()
        text, newline = self.text, self._newline
        k = min(max(offset, 0) // self.CHUNK, len(lines_before) - 1)
        chunk = k * self.CHUNK
        line, start = lines_before[k], line_starts[k]
        inside = text.count(newline, chunk, offset)  # type: ignore[arg-type]
        if inside:
            line += inside
            start = text.rfind(newline, chunk, offset) + 1  # type: ignore[arg-type]
        if self._ascii or last_wide[k] < start // self.CHUNK:
            # every chunk from the line's start to the offset is ASCII: a byte is a character
            return line + 1, offset - start + 1
        return line + 1, self._column(start, offset) + 1

    def prepare(self) -> None:
        """Build the table position() reads, ahead of time: positions() then reads it too,
        instead of a pass over the text for each batch (a positions process locates a file's
        findings batch by batch, and has time to spare before the first: apilint.document.aside)."""
        self._chunk_table()

    def positions(self, offsets: Sequence[int]) -> list[tuple[int, int]]:
        """position() of each offset (offsets are not negative), in one pass over the text in
        offset order: each step counts the newlines between one offset and the next, and the
        characters since the previous offset when they share a line, so a column costs no
        decoding of its line from the start (one long minified line stays linear)."""
        if self._chunks is not None:
            return [self.position(offset) for offset in offsets]
        text, newline, ascii_ = self.text, self._newline, self._ascii
        found = [(0, 0)] * len(offsets)
        line = line_start = last = characters = 0
        for i in sorted(range(len(offsets)), key=offsets.__getitem__):
            offset = offsets[i]
            inside = text.count(newline, last, offset)  # type: ignore[arg-type]
            if inside:
                line += inside
                last = line_start = text.rfind(newline, last, offset) + 1  # type: ignore[arg-type]
                characters = 0
            if ascii_:
                column = offset - line_start
            else:
                assert isinstance(text, bytes)
                characters = column = characters + _characters(text[last:offset])
            last = offset
            found[i] = (line + 1, column + 1)
        return found

    def _chunk_table(self) -> tuple[list[int], list[int], list[int]]:
        """Per CHUNK of the text: the newlines before it, where the line it starts in starts,
        and the last chunk up to it that holds a byte other than ASCII (-1: none; a column of
        ASCII bytes needs no counting of characters). A position then counts the newlines of
        one chunk; a table of every line start would split the text into all its lines first
        (47 ms of 13 MB, for 20,000 look-ups)."""
        if self._chunks is None:
            text, newline, size, ascii_ = self.text, self._newline, self.CHUNK, self._ascii
            lines_before, line_starts, last_wide = [], [], []
            line = start = 0
            wide = -1
            for k, chunk in enumerate(range(0, len(text) + 1, size)):
                lines_before.append(line)
                line_starts.append(start)
                if not ascii_ and not text[chunk : chunk + size].isascii():
                    wide = k  # (an ASCII text's columns never read the table's third list)
                last_wide.append(wide)
                inside = text.count(newline, chunk, chunk + size)  # type: ignore[arg-type]
                if inside:
                    line += inside
                    start = text.rfind(newline, chunk, chunk + size) + 1  # type: ignore[arg-type]
            self._chunks = lines_before, line_starts, last_wide
        return self._chunks

    def _column(self, start: int, offset: int) -> int:
        """Characters in the UTF-8 bytes start..offset: the bytes that do not continue a
        character (counting them is exact wherever a block boundary falls)."""
        text = self.text
        assert isinstance(text, bytes)
        if offset - start <= self.BLOCK:
            return _characters(text[start:offset])
        blocks = self._blocks.get(start)
        if blocks is None:
            end = text.find(b"\n", start)
            end = len(text) if end < 0 else end
            counts = (_characters(text[b : b + self.BLOCK]) for b in range(start, end, self.BLOCK))
            blocks = self._blocks[start] = [0, *itertools.accumulate(counts)]
        k = (offset - start) // self.BLOCK
        return blocks[k] + _characters(text[start + k * self.BLOCK : offset])


#: The bytes that continue a UTF-8 character (0b10xxxxxx).
_CONTINUATION = bytes(range(0x80, 0xC0))


def _characters(data: bytes) -> int:
    return len(data.translate(None, _CONTINUATION))
