"""Run the selected rules over one document's gateway model; a crashing rule becomes a finding."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from apilint.checks import Check, Violation, all_checks
from apilint.document import Document, NotAnApi, load_document
from apilint.document.pointer import encode
from apilint.document.refs import Workspace
from apilint.errors import ApilintError, LoadError
from apilint.findings import Finding, Span
from apilint.model import build_api
from apilint.registry import Rule, load_rules

CRASH_RULE = "rule-crashed"


@dataclass
class Settings:
    api_type: str | None = None  # "rest" | "http" | None (detect)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule name -> options
    select: tuple[str, ...] = ()  # codes or names; empty = every rule enabled by default
    ignore: tuple[str, ...] = ()


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    skipped: str | None = None  # why the file was skipped (not an API)
    error: ApilintError | None = None
    api_kind: str | None = None


def _selected(rules: Iterable[Rule], settings: Settings) -> list[Rule]:
    chosen = []
    for rule in rules:
        ids = {rule.code, rule.name}
        if settings.select:
            if not ids & set(settings.select):
                continue
        elif not rule.default_enabled:
            continue
        if ids & set(settings.ignore):
            continue
        chosen.append(rule)
    return chosen


def _finding(rule: Rule, v: Violation) -> Finding:
    try:
        span = v.doc.span(v.tokens)
    except Exception:  # a locator must never cost the finding itself
        span = Span(1, 1, 1, 1)
    return Finding(rule.code, rule.name, rule.severity, v.message, v.doc.path, encode(v.tokens),
                   span, v.operation)


def run_rules(doc: Document, settings: Settings, rules: Iterable[Rule] | None = None,
              checks: dict[str, Check] | None = None) -> FileResult:
    rules = tuple(rules) if rules is not None else load_rules()
    checks = checks if checks is not None else all_checks()
    result = FileResult(doc.path)
    ws = Workspace(doc)
    ws.scan()
    api = build_api(doc, ws, settings.api_type)
    result.api_kind = api.kind
    crash_rule = next((r for r in rules if r.name == CRASH_RULE), None)
    for rule in _selected(rules, settings):
        if not rule.applies_to(api.kind, doc.version):
            continue
        options = {**rule.default_options(), **settings.options.get(rule.name, {})}
        try:
            fn = checks[rule.check]
            found = [_finding(rule, v) for v in fn(api, options)]
        except Exception as exc:  # noqa: BLE001 - containment is the point
            if crash_rule is None:
                raise
            detail = f"{type(exc).__name__}: {exc}"[:300]
            found = [Finding(crash_rule.code, crash_rule.name, crash_rule.severity,
                             f"rule {rule.code} ({rule.name}) crashed and was skipped: {detail}; "
                             "please report this with the definition that triggers it",
                             doc.path, "", Span(1, 1, 1, 1))]
        result.findings.extend(found)
    result.findings.sort(key=Finding.sort_key)
    return result


def lint_file(path: str, settings: Settings, shown: str | None = None) -> FileResult:
    shown = shown if shown is not None else path
    try:
        loaded = load_document(path, shown)
        if isinstance(loaded, NotAnApi):
            return FileResult(shown, skipped=loaded.reason)
        return run_rules(loaded, settings)
    except ApilintError as exc:
        return FileResult(shown, error=exc)
    except RecursionError:
        return FileResult(shown, error=LoadError("the document is nested too deeply to process",
                                                 shown))
    except MemoryError:
        return FileResult(shown, error=LoadError("out of memory while reading the document", shown))


#: Parallel linting pays off from this much input (forking and pickling results cost ~10 ms).
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
PARALLEL_MIN_FILES = 16


def _lint_one(args: tuple[str, Settings]) -> FileResult:
    return lint_file(*args)


def lint_files(paths: list[str], settings: Settings, jobs: int | None = None) -> list[FileResult]:
    """Lint many files, on all cores when the input is large enough; results keep input order."""
    if jobs is None:
        total = 0
        for p in paths:
            try:
                total += os.path.getsize(p)
            except OSError:
                pass
        big = len(paths) >= PARALLEL_MIN_FILES or (len(paths) > 1 and total >= PARALLEL_MIN_BYTES)
        jobs = min(os.cpu_count() or 1, len(paths)) if big else 1
    if jobs <= 1 or len(paths) <= 1:
        return [lint_file(p, settings) for p in paths]
    import multiprocessing

    # fork: workers inherit the loaded modules and rules, so they start in milliseconds.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ctx.Pool(jobs) as pool:
        return pool.map(_lint_one, [(p, settings) for p in paths], chunksize=1)


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files as given; a directory contributes its *.yaml, *.yml and *.json files, sorted."""
    out: list[str] = []
    for p in paths:
        if os.path.isdir(p):
            for base, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                out.extend(os.path.join(base, f) for f in sorted(files)
                           if f.lower().endswith((".yaml", ".yml", ".json")))
        else:
            out.append(p)
    return out
