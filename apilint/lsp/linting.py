"""Lint one editor buffer the way `apilint lint FILE` lints the file, with every open buffer
standing for its file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from apilint.commands.lint import Options, lint
from apilint.common.errors import ApilintError
from apilint.common.findings import Finding
from apilint.document import loader


@dataclass(frozen=True)
class Outcome:
    """What linting a buffer found: the findings in that file, the error that stopped it
    (unreadable mid-edit), and internal errors (apilint's bugs, never shown as findings)."""

    findings: tuple[Finding, ...] = ()
    error: ApilintError | None = None
    crashes: tuple[str, ...] = ()
    #: The file holds no API (a workflow YAML, a Terraform file without API Gateway).
    skipped: bool = False
    #: Every finding of the run by file (a `$ref`d fragment's findings belong to the fragment).
    by_file: Mapping[str, tuple[Finding, ...]] = field(default_factory=dict)


def lint_buffer(path: Path, buffers: Mapping[Path, bytes], fixes: bool = False) -> Outcome:
    """Lint `path` as saved in `buffers` (resolved path -> text of every open document).

    `fixes`: compute the findings' fixes (code actions ask; diagnostics do not pay for them).
    Not thread-safe (the buffers are a module-level map of the loader): the server lints from
    one worker thread only."""
    try:
        with loader.providing(buffers):
            results, _ = lint(Options(paths=(str(path),), jobs=1, collect_fixes=fixes))
    except ApilintError as exc:  # a configuration error: shown on the file, like a parse error
        return Outcome(error=exc)
    target = os.path.realpath(path)
    by_file: dict[str, list[Finding]] = {}
    error = None
    crashes: list[str] = []
    skipped = bool(results) and all(r.skipped is not None for r in results)
    for result in results:
        crashes.extend(c.describe(result.title) for c in result.crashes)
        if result.error is not None and error is None:
            error = result.error
        for f in result.findings:
            by_file.setdefault(os.path.realpath(f.file), []).append(f)
    return Outcome(
        findings=tuple(by_file.get(target, ())),
        error=error,
        crashes=tuple(crashes),
        skipped=skipped,
        by_file={k: tuple(v) for k, v in by_file.items()},
    )
