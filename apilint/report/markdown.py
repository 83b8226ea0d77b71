"""A GitHub-flavoured Markdown summary for a PR comment or `$GITHUB_STEP_SUMMARY`.

Tables are capped: a PR comment holds at most 65,536 characters and a step summary 1 MiB, and
nobody reads the 500th row of a table anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from apilint.common.escape import markdown_code, markdown_prose, markdown_text
from apilint.common.findings import FileResult, Finding
from apilint.report import error_location, plural, severity_counts

MAX_ROWS = 200


def render(results: Sequence[FileResult], out: TextIO, colour: bool) -> None:
    out.write("\n".join(lines(results)) + "\n")


def lines(results: Sequence[FileResult], max_rows: int = MAX_ROWS) -> list[str]:
    findings = [f for r in results for f in r.findings]
    errors = [r for r in results if r.error is not None]
    skipped = [r for r in results if r.skipped]
    checked = len(results) - len(errors) - len(skipped)
    out = ["## apilint", ""]
    if findings:
        with_findings = len({f.file for f in findings})
        out.append(
            f"Found **{plural(len(findings), 'problem')}** ({severity_counts(findings)}) "
            f"in {with_findings} of {plural(checked, 'file')}."
        )
    else:
        out.append(f"No problems found in {plural(checked, 'file')}.")
    notes = []
    if errors:
        notes.append(f"{plural(len(errors), 'file')} could not be loaded")
    if skipped:
        notes.append(f"{plural(len(skipped), 'file')} skipped (not an API definition)")
    if notes:
        out += ["", "; ".join(notes) + "."]
    if findings:
        out += ["", "### Rules", ""] + _rules_table(findings)
        out += ["", "### Findings", ""] + _findings_table(findings, max_rows)
    if errors:
        out += ["", "### Files that could not be loaded", ""]
        for r in errors:
            assert r.error is not None
            out.append(
                f"- {markdown_code(error_location(r), cell=False)}: "
                f"{markdown_prose(r.error.message, cell=False)}"
            )
    return out


def _rules_table(findings: list[Finding]) -> list[str]:
    counts = Counter((f.code, f.name, f.severity) for f in findings)
    # Most severe first, then most frequent: the order a reviewer should work through them.
    rows = sorted(counts.items(), key=lambda item: (-item[0][2], -item[1], item[0][0]))
    table = ["| Code | Rule | Severity | Count |", "| --- | --- | --- | ---: |"]
    table += [
        f"| {markdown_text(code)} | {markdown_text(name)} | {severity} | {n} |"
        for (code, name, severity), n in rows
    ]
    return table


def _findings_table(findings: list[Finding], max_rows: int) -> list[str]:
    table = ["| Location | Code | Severity | Message |", "| --- | --- | --- | --- |"]
    for f in findings[:max_rows]:
        table.append(
            f"| {markdown_code(f'{f.file}:{f.line}')} | {markdown_text(f.code)} | "
            f"{f.severity} | {markdown_prose(f.message)} |"
        )
    if len(findings) > max_rows:
        rest = len(findings) - max_rows
        table += ["", f"… and {rest} more (see the full report, e.g. `--format text`)."]
    return table
