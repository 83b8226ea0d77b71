"""Findings and load errors as LSP diagnostics: exact ranges, severity, code and rule page."""

from __future__ import annotations

from lsprotocol import types

from apilint.common.errors import ApilintError
from apilint.common.escape import visible
from apilint.common.findings import Finding, Severity, Span
from apilint.report.sarif import rule_page_url

SOURCE = "apilint"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def span_range(span: Span) -> types.Range:
    """apilint's 1-based, end-inclusive-start spans as a 0-based LSP range."""
    start = types.Position(line=max(span.line - 1, 0), character=max(span.column - 1, 0))
    end = types.Position(line=max(span.end_line - 1, 0), character=max(span.end_column - 1, 0))
    if (end.line, end.character) < (start.line, start.character):
        end = start
    return types.Range(start=start, end=end)


def finding_diagnostic(finding: Finding) -> types.Diagnostic:
    return types.Diagnostic(
        range=span_range(finding.span),
        # Messages quote the definition: controls and bidi marks are shown, never passed on.
        message=visible(f"{finding.message} [{finding.name}]"),
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=_page(finding),
        source=SOURCE,
        data={"rule": finding.name, "pointer": finding.pointer},
    )


def _page(finding: Finding) -> types.CodeDescription | None:
    url = rule_page_url(finding.code, finding.name)
    return types.CodeDescription(href=url) if url is not None else None


def error_diagnostic(error: ApilintError) -> types.Diagnostic:
    """A file apilint cannot read (malformed YAML mid-edit): at the error's position, or the
    first line when it has none."""
    line = max((error.line or 1) - 1, 0)
    column = max((error.column or 1) - 1, 0)
    at = types.Position(line=line, character=column)
    return types.Diagnostic(
        range=types.Range(start=at, end=types.Position(line=line, character=column + 1)),
        message=visible(error.message),
        severity=types.DiagnosticSeverity.Error,
        code="parse-error",
        source=SOURCE,
    )
