"""`path:line:col: CODE [severity] message`, grep-able; colour only on a terminal."""

from __future__ import annotations

from typing import Sequence, TextIO

from apilint.engine import FileResult
from apilint.escape import terminal_line, visible
from apilint.findings import Severity
from apilint.report import plural, severity_counts

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def render(results: Sequence[FileResult], out: TextIO, colour: bool) -> None:
    findings = [f for r in results for f in r.findings]
    for f in findings:
        where = terminal_line(f"{f.file}:{f.line}:{f.column}:")
        code = visible(f"{f.code} [{f.severity}]")
        if colour:
            where = f"{_BOLD}{where}{_RESET}"
            code = f"{_COLOURS[f.severity]}{code}{_RESET}"
        out.write(f"{where} {code} {visible(f.message)}\n")
    if findings:
        files = len({f.file for r in results for f in r.findings})
        out.write(f"Found {plural(len(findings), 'problem')} ({severity_counts(findings)}) "
                  f"in {plural(files, 'file')}.\n")
