"""Baselines: accept today's findings, gate on new ones.

A baseline records each finding by rule, file and JSON pointer (plus the operation, for the
reader) — never by line, which drifts with every edit above it. Files are stored relative to the
baseline's own directory, so the baseline works from any working directory and on any machine.
Identical keys are counted, so a second copy of an accepted problem is still new.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from apilint.common.errors import UsageError
from apilint.common.files import read_text_bounded, write_atomic
from apilint.common.findings import FileResult, Finding
from apilint.document.loader import DEFAULT_MAX_BYTES

FORMAT_VERSION = 1
Key = tuple[str, str, str]  # (code, file relative to the baseline, pointer)


@dataclass(frozen=True)
class Entry:
    code: str
    file: str
    pointer: str
    operation: str | None
    message: str

    @property
    def key(self) -> Key:
        return (self.code, self.file, self.pointer)


def _relative(file: str, base: Path) -> str:
    """`file` relative to `base` (already resolved), as baselines store it."""
    path = Path(os.path.abspath(file))
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, base)).as_posix()


def _entry(finding: Finding, base: Path) -> Entry:
    return Entry(
        finding.code,
        _relative(finding.file, base),
        finding.pointer,
        finding.operation,
        finding.message,
    )


def write(results: Sequence[FileResult], target: Path) -> int:
    base = target.parent.resolve()
    entries = sorted(
        (_entry(f, base) for r in results for f in r.findings),
        key=lambda e: (e.file, e.pointer, e.code, e.message),
    )
    payload = {
        "version": FORMAT_VERSION,
        "tool": "apilint",
        "findings": [asdict(e) for e in entries],
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    # At once: an interrupted write must not leave a truncated baseline that accepts less.
    write_atomic(target, (json.dumps(payload, indent=2) + "\n").encode("utf-8"))
    return len(entries)


def read(path: Path) -> list[Entry]:
    where = str(path)
    try:
        payload: Any = json.loads(read_text_bounded(path, DEFAULT_MAX_BYTES))
    except OSError as exc:
        raise UsageError(f"cannot read baseline {where}: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where}: not a JSON baseline ({exc})") from None
    except RecursionError:  # the stdlib parser recurses once per level
        raise UsageError(f"{where}: not a JSON baseline (nested too deep)") from None
    if (
        not isinstance(payload, dict)
        or payload.get("version") != FORMAT_VERSION
        or not isinstance(payload.get("findings"), list)
    ):
        raise UsageError(
            f"{where}: not an apilint baseline (expected version {FORMAT_VERSION} "
            "and a findings list; make one with `apilint baseline`)"
        )
    entries = []
    for i, item in enumerate(payload["findings"]):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) for k in ("code", "file", "pointer")
        ):
            raise UsageError(f"{where}: findings[{i}] needs code, file and pointer strings")
        entries.append(
            Entry(
                item["code"],
                item["file"],
                item["pointer"],
                item.get("operation"),
                str(item.get("message", "")),
            )
        )
    return entries


def apply(
    results: Sequence[FileResult], entries: Sequence[Entry], base: Path
) -> tuple[list[FileResult], list[Entry]]:
    """The results without the findings the baseline accepts, and the stale entries of the
    linted files."""
    base = base.resolve()
    budget = Counter(e.key for e in entries)
    linted = {_relative(r.path, base) for r in results if r.error is None and not r.skipped}
    filtered = []
    for result in results:
        kept = []
        for finding in result.findings:
            key = (finding.code, _relative(finding.file, base), finding.pointer)
            if budget[key] > 0:
                budget[key] -= 1
            else:
                kept.append(finding)
        filtered.append(replace(result, findings=kept))
    # Only files linted in this run can prove an entry stale (pre-commit passes a few files).
    stale = []
    for entry in entries:
        if entry.file in linted and budget[entry.key] > 0:
            budget[entry.key] -= 1
            stale.append(entry)
    return filtered, stale
