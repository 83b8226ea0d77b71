"""`{"version": 1, "results": [...]}`: a versioned envelope with snake_case keys."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from apilint.common.findings import FileResult
from apilint.report import Catalog, json_document

if TYPE_CHECKING:
    from apilint.custom.spectral_ruleset import Note

SCHEMA_VERSION = 1


def render(
    results: Sequence[FileResult],
    out: TextIO,
    colour: bool,
    rules: Catalog | None = None,
    notes: Sequence[Note] = (),
) -> None:
    """`notes`: the rules of a Spectral ruleset that did not run, and why."""
    from apilint import __version__

    payload = {
        "version": SCHEMA_VERSION,
        "apilint_version": __version__,
        "results": [f.as_dict() for r in results for f in r.findings],
        "errors": [
            {
                "file": r.path,
                "message": r.error.message,
                "line": r.error.line,
                "column": r.error.column,
            }
            for r in results
            if r.error
        ],
        # apilint's own bugs: a rule that raised (exit 2); never a finding in the file.
        "internal_errors": [
            {"file": r.path, "rule": c.code, "error": c.error} for r in results for c in r.crashes
        ],
        "skipped": [{"file": r.path, "reason": r.skipped} for r in results if r.skipped],
        "notes": [note.as_dict() for note in notes],
    }
    out.write(json_document(payload) + "\n")
