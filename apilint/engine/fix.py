"""`lint --fix`: apply the fixes findings carry, re-lint, repeat until nothing changes.

Each round applies, per file, every fix whose edits overlap no fix taken before it (in file
order) on the text of that round; a fix that overlaps waits for the next round, where it is
computed again on the changed text (or is gone). The texts are handed to the loader in place
of the files (loader.PROVIDED), so nothing is written until the caller decides to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from apilint.common.findings import FileResult, Finding
from apilint.common.fixes import Edit, Fix, apply_edits
from apilint.document import loader

#: Rounds before giving up: a fix that keeps making work for another is a bug, not a loop.
MAX_ROUNDS = 10

_BOM = "\ufeff"


@dataclass
class FixedFile:
    """A file the fixes changed: its text before and after (each with its BOM, if any)."""

    path: str  # as the findings name it
    before: str
    after: str
    #: Each round's text and the edits applied to it (tests prove the bytes around them kept).
    rounds: list[tuple[str, tuple[Edit, ...]]] = field(default_factory=list)


@dataclass
class FixRun:
    files: dict[str, FixedFile] = field(default_factory=dict)
    applied: int = 0  # fixes applied, over all rounds
    refused: int = 0  # fixes still overlapping another when the rounds ran out

    def changed(self) -> list[FixedFile]:
        return [f for f in self.files.values() if f.after != f.before]


def wanted(finding: Finding, unsafe: bool) -> Fix | None:
    """The fix of a finding that this run applies."""
    fix = finding.fix
    if fix is None or not fix.edits or (fix.applicability == "unsafe" and not unsafe):
        return None
    return fix


def choose(fixes: list[Fix]) -> tuple[list[Fix], int]:
    """The fixes of one file that can be applied together (first come in file order wins),
    and how many overlap one of them (left for the next round)."""
    taken: list[Fix] = []
    refused = 0
    seen: set[tuple[object, ...]] = set()
    for fix in sorted(fixes, key=lambda f: min((e.start, e.end) for e in f.edits)):
        if fix.edits in seen:
            continue  # two readings of one definition (Fn::If) found the same thing
        if any(fix.overlaps(other) for other in taken):
            refused += 1
            continue
        seen.add(fix.edits)
        taken.append(fix)
    return taken, refused


def fix_task(
    relint: Callable[[], list[FileResult]],
    results: list[FileResult],
    unsafe: bool,
    run: FixRun,
    max_bytes: int = loader.DEFAULT_MAX_BYTES,
) -> list[FileResult]:
    """Fix what one lint task found, re-linting it (`relint`, with the fixed texts standing
    for the files) after each round; the results of the last round."""
    touched = {f.file for r in results for f in r.findings}
    if any(p in run.files and run.files[p].after != run.files[p].before for p in touched):
        # An earlier task fixed a file this one reads too (a shared $ref): the offsets of these
        # findings are of the old text, so they are found again on the fixed one first.
        with provided(run):
            results = relint()
    for _ in range(MAX_ROUNDS):
        by_file: dict[str, list[Fix]] = {}
        for finding in (f for r in results for f in r.findings):
            fix = wanted(finding, unsafe)
            if fix is not None and not _remote(finding.file):
                by_file.setdefault(finding.file, []).append(fix)
        progress = False
        run.refused = 0
        for path, fixes in by_file.items():
            taken, refused = choose(fixes)
            run.refused += refused
            current = _current(run, path, max_bytes)
            if current is None:
                continue
            after = _apply(current.after, taken)
            if after != current.after:
                current.rounds.append((current.after, tuple(e for f in taken for e in f.edits)))
                current.after = after
                run.applied += len(taken)
                progress = True
        if not progress:
            break
        with provided(run):
            results = relint()
    return results


def _apply(text: str, fixes: list[Fix]) -> str:
    bom = _BOM if text.startswith(_BOM) else ""
    return bom + apply_edits(text[len(bom) :], [e for f in fixes for e in f.edits])


def _current(run: FixRun, path: str, max_bytes: int) -> FixedFile | None:
    """The file's text as fixed so far (read the first time it is asked for)."""
    known = run.files.get(path)
    if known is not None:
        return known
    try:
        raw = loader.source_bytes(path, max_bytes)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    run.files[path] = FixedFile(path, text, text)
    return run.files[path]


@contextmanager
def provided(run: FixRun) -> Iterator[None]:
    """The fixed texts stand for their files while the block runs."""
    with loader.providing({Path(f.path): f.after.encode("utf-8") for f in run.files.values()}):
        yield


def _remote(path: str) -> bool:
    return "://" in path  # a fetched $ref: the file to fix is not ours


def remaining_fixable(results: list[FileResult]) -> tuple[int, int]:
    """Findings left with a safe fix, and with an unsafe one."""
    safe = unsafe = 0
    for f in (f for r in results for f in r.findings):
        if f.fix is not None and f.fix.edits:
            if f.fix.applicability == "safe":
                safe += 1
            else:
                unsafe += 1
    return safe, unsafe
