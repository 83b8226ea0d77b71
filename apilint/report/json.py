"""`{"version": 1, "results": [...]}`: a versioned envelope with snake_case keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from apilint.common.escape import json_text
from apilint.common.findings import FileResult

SCHEMA_VERSION = 1


def render(results: Sequence[FileResult], out: TextIO, colour: bool) -> None:
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
    }
    out.write(json_text(json.dumps(payload, indent=2)) + "\n")
