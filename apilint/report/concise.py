"""`path:line:col: CODE [severity] message`, one line per finding: for editors and grep."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from apilint.common.findings import FileResult
from apilint.report.text import footer, header, ordered


def render(results: Sequence[FileResult], out: TextIO, colour: bool) -> None:
    findings = ordered(results)
    for f in findings:
        out.write(header(f, colour) + "\n")
    footer(findings, out)
