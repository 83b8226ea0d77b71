"""`path:line:col: CODE [severity] message`, one line per finding: for editors and grep."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from apilint.engine.run import FileResult
from apilint.report import Catalog
from apilint.report.text import footer, header, ordered


def render(
    results: Sequence[FileResult], out: TextIO, colour: bool, rules: Catalog | None = None
) -> None:
    findings = ordered(results)
    for f in findings:
        out.write(header(f, colour) + "\n")
    footer(findings, out)
