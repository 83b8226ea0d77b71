"""`apilint lint`: load, check and report many files; decide the exit code."""

from __future__ import annotations

import sys
from typing import Sequence

from apilint.engine import FileResult, Settings, expand_paths, lint_files
from apilint.errors import UsageError
from apilint.findings import Severity
from apilint.registry import find_rules_or_error
from apilint.report import FORMATS, renderer


def _outputs(formats: Sequence[str]) -> list[tuple[str, str | None]]:
    outputs = []
    for spec in formats:
        name, _, target = spec.partition("=")
        if name not in FORMATS:
            raise UsageError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
        outputs.append((name, target or None))
    return outputs


def exit_code(results: Sequence[FileResult], fail_on: str) -> int:
    if any(r.error for r in results):
        return 2
    if fail_on == "never":
        return 0
    threshold = Severity.parse(fail_on)
    return 1 if any(f.severity >= threshold for r in results for f in r.findings) else 0


def run_lint(paths: Sequence[str], formats: Sequence[str], fail_on: str, api_type: str | None,
             select: tuple[str, ...], ignore: tuple[str, ...], quiet: bool, colour: bool,
             jobs: int | None = None) -> int:
    try:
        outputs = _outputs(formats)
        selected = tuple(r.name for r in find_rules_or_error(select))
        ignored = tuple(r.name for r in find_rules_or_error(ignore))
    except UsageError as exc:
        sys.stderr.write(f"apilint: {exc.message}\n")
        return 2
    settings = Settings(api_type=api_type, select=selected, ignore=ignored)
    results = lint_files(expand_paths(paths), settings, jobs)
    for result in results:
        if result.error is not None:
            sys.stderr.write(f"{result.error}\n")
        elif result.skipped and not quiet:
            sys.stderr.write(f"{result.path}: note: skipped: {result.skipped}\n")
    for name, target in outputs:
        render = renderer(name)
        if target is None:
            render(results, sys.stdout, colour and name == "text")
        else:
            try:
                with open(target, "w", encoding="utf-8") as out:
                    render(results, out, False)
            except OSError as exc:
                sys.stderr.write(f"apilint: cannot write {target}: {exc.strerror or exc}\n")
                return 2
    return exit_code(results, fail_on)
