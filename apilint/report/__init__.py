"""Output formats: one small module each, all rendering the same list of file results.

A module `apilint.report.<name>` has `render(results, out, colour, rules)`; it is imported only
when its format is asked for. `rules` is the rule catalog of the run (built-in and custom rules,
catalog_of), which describes the findings' codes. The few helpers several formats share live here, so that they agree
(on which paths count as inside the working directory, on when a span's end is usable, ...).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from importlib import import_module
from pathlib import Path
from typing import Any, TextIO

from apilint.catalog.registry import Rule, load_rules
from apilint.common import files
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.common.regex import lazy

#: The rules a run may report, by code.
Catalog = Mapping[str, Rule]
Renderer = Callable[[Sequence[FileResult], TextIO, bool, "Catalog | None"], None]

FORMATS = ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")

#: Most severe first: the order summaries list them in.
SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise KeyError(name)
    module = import_module(f"apilint.report.{name}")
    render: Renderer = module.render
    return render


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def severity_counts(findings: Iterable[Finding]) -> str:
    """`3 errors, 1 warning`: the severities that occur, most severe first."""
    counts = Counter(f.severity for f in findings)
    return ", ".join(plural(counts[s], str(s)) for s in SEVERITIES if counts[s])


def rules_by_code(catalog: Catalog | None = None) -> dict[str, Rule]:
    """The built-in catalog keyed by code, with `apilint test`'s checks and the run's `catalog`
    (its custom rules); a finding's code may be missing (a test double)."""
    from apilint.catalog.contract_checks import (
        rules as contract_rules,  # metadata only: no schemathesis
    )

    builtin = {rule.code: rule for rule in (*load_rules(), *contract_rules())}
    return {**builtin, **catalog} if catalog else builtin


def catalog_of(results: Iterable[FileResult]) -> Catalog:
    """The rule catalog of a run: built-in rules, contract checks, and the custom rules of every
    configuration its results were linted with. Built when a renderer first reads it: most
    formats (text, json, ...) never do, and the contract checks' metadata is 2 ms to import."""
    from apilint.engine.ruleset import run_catalog

    sources = {r.rule_sources for r in results}
    rulesets = {r.ruleset for r in results}
    return _Deferred(lambda: rules_by_code(run_catalog(sources, rulesets)))


class _Deferred(Mapping[str, Rule]):
    def __init__(self, build: Callable[[], dict[str, Rule]]) -> None:
        self._build = build
        self._built: dict[str, Rule] | None = None

    def _catalog(self) -> dict[str, Rule]:
        if self._built is None:
            self._built = self._build()
        return self._built

    def __getitem__(self, code: str) -> Rule:
        return self._catalog()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._catalog())

    def __len__(self) -> int:
        return len(self._catalog())


def relative_path(path: str, cwd: str) -> str | None:
    """`path` relative to `cwd`, with forward slashes; None when it lies outside `cwd`."""
    try:
        rel = os.path.relpath(os.path.join(cwd, path), cwd)  # join keeps `path` if absolute
    except ValueError:  # another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")


def repository_root(start: str | None = None) -> str | None:
    """The nearest folder at or above `start` (the working directory) that holds `.git`: CI
    annotates paths from there, whatever `working-directory` the job runs in."""
    found = files.repository_root(Path(os.path.abspath(start or os.getcwd())))
    return str(found) if found is not None else None


def repository_path(path: str, cwd: str | None = None) -> str:
    """`path` relative to the repository root (forward slashes); relative to the working
    directory outside a repository, and as given when it lies outside both."""
    cwd = cwd or os.getcwd()
    root = repository_root(cwd) or cwd
    rel = relative_path(os.path.join(cwd, path), root)
    return rel if rel is not None else path.replace(os.sep, "/")


def has_end(span: Span) -> bool:
    """False for an end before the start (a mapping that ends in a YAML alias gets the end of
    the anchored node, earlier in the file): such a region is invalid SARIF (SARIF1007), and the
    start alone is still useful."""
    return (span.end_line, span.end_column) >= (span.line, span.column)


def error_location(result: FileResult) -> str:
    """`path[:line[:column]]` of the file's load error."""
    where = result.path
    if result.error is not None and result.error.line is not None:
        where += f":{result.error.line}"
        if result.error.column is not None:
            where += f":{result.error.column}"
    return where


def json_document(payload: Any) -> str:
    """`json.dumps(payload, indent=2)` made safe for a CI log (apilint.common.escape.json_text),
    for a report's payload: dicts with string keys, lists, strings, integers, booleans, None
    (no floats: orjson writes their exponents differently). orjson writes it, in C: the json
    module's indented encoder is pure Python, 60 ms of the 5,475 findings of Stripe's definition
    and 200 ms of their SARIF. Its only difference, raw non-ASCII and DEL where json's
    ensure_ascii writes `\\uXXXX`, is escaped after; what orjson refuses (an integer beyond 64
    bits, a lone surrogate) goes to the json module."""
    import orjson

    from apilint.common.escape import json_text

    try:
        dumped = orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        import json

        return json_text(json.dumps(payload, indent=2))
    if not dumped.isascii() or "\x7f" in dumped:
        # Outside strings the text is ASCII without DEL, so every match is inside a string.
        dumped = _NOT_ASCII().sub(_ascii_escape, dumped)
    return json_text(dumped)


#: What json's ensure_ascii escapes and orjson writes as it is. Lazy: compiling this range
#: is 4 ms, a twentieth of a pre-commit run, and only non-ASCII output needs it.
_NOT_ASCII = lazy(r"[\x7f-\U0010ffff]")


def _ascii_escape(match: re.Match[str]) -> str:
    """The json module's escape: `\\uXXXX`, a surrogate pair beyond the BMP."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 | code >> 10:04x}\\u{0xDC00 | code & 0x3FF:04x}"
