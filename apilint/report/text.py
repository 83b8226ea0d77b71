"""`path:line:col: CODE [severity] message`, grep-able; colour only on a terminal."""

from __future__ import annotations

from collections import Counter
from typing import Sequence, TextIO

from apilint.engine import FileResult
from apilint.findings import Severity

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def render(results: Sequence[FileResult], out: TextIO, colour: bool) -> None:
    counts: Counter[Severity] = Counter()
    files = 0
    for result in results:
        if result.findings:
            files += 1
        for f in result.findings:
            counts[f.severity] += 1
            where = f"{f.file}:{f.line}:{f.column}:"
            code = f"{f.code} [{f.severity}]"
            if colour:
                where = f"{_BOLD}{where}{_RESET}"
                code = f"{_COLOURS[f.severity]}{code}{_RESET}"
            out.write(f"{where} {code} {f.message}\n")
    total = sum(counts.values())
    if total:
        parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in
                 (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
        out.write(f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
                  f"in {files} file{'s' if files != 1 else ''}.\n")
