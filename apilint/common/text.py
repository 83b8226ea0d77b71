"""Text from outside (a server's answer, a request line) made safe to show: no terminal escapes,
carriage returns or bidi overrides reach a terminal, a log or a report."""

from __future__ import annotations

from collections.abc import Iterable

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with every character str.isprintable() refuses (controls, including CR, LF and
    ESC; format characters such as U+202E; lone surrogates; white space but the space) written
    as an escape: `\\n`, `\\r`, `\\t` as repr() writes them, else `\\xNN`, `\\uNNNN`."""
    if text.isprintable():
        return text
    return "".join(
        c
        if c.isprintable()
        else _NAMED.get(c)
        or (
            f"\\x{ord(c):02x}"
            if ord(c) < 0x100
            else f"\\u{ord(c):04x}"
            if ord(c) < 0x10000
            else f"\\U{ord(c):08x}"
        )
        for c in text
    )


def close_matches(
    word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6
) -> list[str]:
    """difflib.get_close_matches, imported when a message about a misspelling wants its
    did-you-mean: difflib (and heapq) are a millisecond of every run otherwise."""
    import difflib

    return difflib.get_close_matches(word, candidates, n, cutoff)
