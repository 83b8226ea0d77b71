"""Fixes as data: text edits on a file's original text, and how safe applying them is.

They live here (not in the document layer that computes them) because findings carry them and
every layer reads findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True, kw_only=True)
class Edit:
    """Replace the characters start..end (offsets into the ORIGINAL text of the file, end
    excluded) with `text`; start == end inserts."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, kw_only=True)
class Fix:
    """What applying the edits does (`title`, imperative) and whether the API then behaves as
    the author evidently meant with nothing else changed (`safe`) or changes behaviour
    (`unsafe`: only with --unsafe-fixes)."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def overlaps(self, other: Fix) -> bool:
        return any(_overlap(a, b) for a in self.edits for b in other.edits)


#: What each edit primitive (apilint.document.edit) makes: None when it cannot edit safely.
Edits = tuple[Edit, ...]


def _overlap(a: Edit, b: Edit) -> bool:
    if a == b:
        return False  # the same edit twice (two readings of one definition): applied once
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two inserts at one place: their order would be a guess
    return a.start < b.end and b.start < a.end


def apply_edits(text: str, edits: list[Edit]) -> str:
    """`text` with non-overlapping `edits` applied (each once; identical edits are one)."""
    out = []
    at = 0
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end)):
        out.append(text[at : edit.start])
        out.append(edit.text)
        at = edit.end
    out.append(text[at:])
    return "".join(out)
