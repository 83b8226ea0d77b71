"""GitHub Actions workflow commands: each finding becomes an annotation on the PR diff.

Syntax: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
Escaping is @actions/core's `escapeData` / `escapeProperty` (packages/core/src/command.ts), so a
path with a comma cannot end the command early, after apilint.common.escape has shown control
characters (a newline in a message reads `\\n`, as in every text format). GitHub shows at most
10 annotations of each level per step; the markdown format is the full list.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import TextIO

from apilint.common.escape import github_data, github_property
from apilint.common.findings import FileResult, Severity
from apilint.report import Catalog, has_end, repository_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def command(name: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(
        f"{key}={github_property(str(value))}"
        for key, value in properties.items()
        if value is not None
    )
    return f"::{name}{' ' + props if props else ''}::{github_data(message)}"


def workspace_path(path: str) -> str:
    """Annotations only attach to files named relative to the repository root, whatever
    directory the job runs in (`working-directory: infra` still annotates infra/main.tf)."""
    return repository_path(os.path.normpath(path))


def render(
    results: Sequence[FileResult], out: TextIO, colour: bool, rules: Catalog | None = None
) -> None:
    path_of = functools.cache(workspace_path)  # once per file: it walks up to the repository
    for result in results:
        file = path_of(result.path)
        if result.error is not None:
            out.write(
                command(
                    "error",
                    {
                        "file": file,
                        "line": result.error.line,
                        "col": result.error.column,
                        "title": "apilint: cannot load file",
                    },
                    result.error.message,
                )
                + "\n"
            )
        for f in result.findings:
            span, ends = f.span, has_end(f.span)
            out.write(
                command(
                    COMMANDS[f.severity],
                    {
                        "file": path_of(f.file),
                        "line": span.line,
                        "col": span.column,
                        "endLine": span.end_line if ends else None,
                        "endColumn": span.end_column if ends else None,
                        "title": f"{f.code} {f.name}",
                    },
                    f.message,
                )
                + "\n"
            )
