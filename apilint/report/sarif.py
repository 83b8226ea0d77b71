"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, rules from metadata.

GitHub's reading of SARIF (which properties it uses, its size limits, `security-severity`):
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

from apilint import __version__
from apilint.catalog.registry import Rule
from apilint.common.escape import markdown_code, markdown_prose, markdown_text
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.common.fixes import Fix
from apilint.report import (
    Catalog,
    has_end,
    json_document,
    relative_path,
    repository_root,
    rules_by_code,
)

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/apilint/apilint"


#: Built-in rule codes; custom rule codes cannot take this form (apilint.custom.loader).
_BUILTIN_CODE = re.compile(r"AGW[0-9]{3}")


def rule_page_url(code: str, name: str) -> str | None:
    """The page apilint publishes for a rule: a built-in rule's own (docs/rules/NAME.md,
    generated from its metadata), the README's table for a contract check. None for custom and
    Spectral rules: apilint has no page for them (a link would lead nowhere)."""
    if _BUILTIN_CODE.fullmatch(code):
        return f"{INFORMATION_URI}/blob/main/docs/rules/{name}.md"
    if code.startswith(("contract/", "probe/")):
        return f"{INFORMATION_URI}#contract-testing-a-deployed-api"
    return None


def _help_uri(rule: Rule) -> str | None:
    """The rule's page, else (a custom rule) its first https reference."""
    page = rule_page_url(rule.code, rule.name)
    if page is not None:
        return page
    for reference in rule.references:
        if reference.url.startswith("https://"):
            return _https_address(reference.url)
    return None


SRCROOT = "%SRCROOT%"
#: Bump the suffix only if the fingerprint recipe changes: every open alert would be re-created.
FINGERPRINT_KEY = "apilint/v1"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: GitHub ranks security alerts by this CVSS-like score (>= 7.0 high, >= 4.0 medium, else low);
#: it only reads it on rules tagged "security".
SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.INFO: "2.0"}

Json = dict[str, Any]


def render(
    results: Sequence[FileResult], out: TextIO, colour: bool, rules: Catalog | None = None
) -> None:
    out.write(json_document(build_log(results, rules=rules)) + "\n")


def build_log(
    results: Sequence[FileResult], cwd: str | None = None, rules: Catalog | None = None
) -> Json:
    # URIs are relative to the repository root (%SRCROOT%), as code scanning resolves them,
    # whatever directory apilint ran in (a job with `working-directory: infra`).
    cwd = cwd if cwd is not None else os.getcwd()
    root = repository_root(cwd) or cwd
    findings = [f for r in results for f in r.findings]
    # Only the rules that produced results: the renderer cannot tell which rules were selected,
    # and listing the whole catalog would claim that ignored rules ran (and bloat every upload).
    first = {f.code: f for f in reversed(findings)}
    codes = sorted(first)
    index = {code: i for i, code in enumerate(codes)}
    catalog = rules_by_code(rules)
    descriptors = [_descriptor(first[code], catalog.get(code)) for code in codes]
    notifications = _notifications(results, cwd, root)
    run: Json = {
        "tool": {
            "driver": {
                "name": "apilint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not any(r.error for r in results),
                "toolExecutionNotifications": notifications,
            }
        ],
        # apilint counts columns in characters, not UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}},
        "results": _results(findings, index, cwd, root),
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def artifact_location(path: str, cwd: str, root: str | None = None) -> Json:
    """A relative URI under %SRCROOT% (`root`: the repository root, or `cwd` outside a
    repository) when the file is inside it, else an absolute file URI."""
    root = root or cwd
    rel = relative_path(os.path.join(cwd, path), root)
    if rel is None:
        return {"uri": Path(os.path.normpath(os.path.join(cwd, path))).as_uri()}
    return {"uri": quote(_bytes(rel), safe="/"), "uriBaseId": SRCROOT}


def _bytes(text: str) -> bytes:
    """A file name's bytes: one that is not UTF-8 comes back from the OS as lone surrogates
    (PEP 383) and maps to its own bytes; any other lone surrogate (a JSON `\\ud800`) to the
    bytes Python would use, rather than a UnicodeEncodeError."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def fingerprint(code: str, uri: str, pointer: str, occurrence: int = 0) -> str:
    """Rule + file + JSON pointer: unlike line numbers, they survive edits elsewhere in the file."""
    key = f"{code}\0{uri}\0{pointer}" + (f"\0{occurrence}" if occurrence else "")
    return hashlib.sha256(_bytes(key)).hexdigest()[:32]


def _descriptor(example: Finding, rule: Rule | None) -> Json:
    if rule is None:  # a rule outside the catalog: all we know is what its finding says
        return {
            "id": example.code,
            "name": example.name,
            "defaultConfiguration": {"level": LEVELS[example.severity]},
        }
    # The category leads the tags, so a rule of the security category is tagged "security".
    tags = list(dict.fromkeys((rule.category, *rule.tags)))
    properties: Json = {"tags": tags}
    if "security" in tags:
        properties["security-severity"] = SECURITY_SEVERITY[rule.severity]
    descriptor: Json = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }
    uri = _help_uri(rule)
    if uri is not None:
        descriptor["helpUri"] = uri
    return descriptor


def _help(rule: Rule) -> Json:
    # Custom and Spectral rules come with the pull request: their text is escaped for markdown
    # like every other piece of input (code scanning renders help.markdown).
    text, markdown = rule.fix, markdown_prose(rule.fix, cell=False)
    if rule.references:
        text += "\n\nReferences:\n" + "\n".join(f"- {r.title}: {r.url}" for r in rule.references)
        markdown += "\n\n**References**\n\n" + "\n".join(
            f"- {_link(r.title, r.url)}" for r in rule.references
        )
    return {"text": text, "markdown": markdown}


def _link(title: str, url: str) -> str:
    """A markdown link to an https page (its address percent-encoded so that nothing ends the
    destination early); any other address is shown as code, never followed."""
    if not url.startswith("https://"):
        return f"{markdown_text(title)}: {markdown_code(url, cell=False)}"
    return f"[{markdown_text(title)}]({_https_address(url)})"


def _https_address(url: str) -> str:
    """An https address percent-encoded so that nothing in it ends a link destination or a
    JSON string early; a lone surrogate (JSON `\ud800`) is encoded, not a crash."""
    return quote(_bytes(url), safe=_URL_SAFE)


#: Kept as written in a link destination; anything else (spaces, parentheses, <, >) is
#: percent-encoded so that it cannot end the destination.
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


def region(span: Span) -> Json:
    out: Json = {"startLine": span.line, "startColumn": span.column}
    if has_end(span):
        out.update(endLine=span.end_line, endColumn=span.end_column)
    return out


def _results(findings: list[Finding], index: dict[str, int], cwd: str, root: str) -> list[Json]:
    out = []
    seen: dict[tuple[str, str, str], int] = {}
    # once per file, not per finding (a path walk and a URI each); the dict is shared, unchanged
    location_of = functools.cache(lambda path: artifact_location(path, cwd, root))
    for f in findings:
        where = location_of(f.file)
        # Two findings of one rule on one node would share a fingerprint, and GitHub would merge
        # their alerts; number the repeats (in the engine's stable order) to keep them apart.
        key = (f.code, where["uri"], f.pointer)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        location: Json = {"physicalLocation": {"artifactLocation": where, "region": region(f.span)}}
        if f.operation:
            location["logicalLocations"] = [{"name": f.operation, "kind": "function"}]
        out.append(
            {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {
                    FINGERPRINT_KEY: fingerprint(f.code, where["uri"], f.pointer, occurrence)
                },
                "properties": {"pointer": f.pointer},
                **({"fixes": [_fix(f.fix, where)]} if f.fix is not None else {}),
            }
        )
    return out


def _fix(fix: Fix, where: Json) -> Json:
    """The fix's edits as SARIF replacements (character offsets into the file's text; they
    apply together, as `apilint lint --fix` applies them). Unsafe ones say so in properties:
    SARIF has no applicability of its own."""
    replacements = [
        {
            "deletedRegion": {"charOffset": e.start, "charLength": e.end - e.start},
            **({"insertedContent": {"text": e.text}} if e.text else {}),
        }
        for e in sorted(fix.edits, key=lambda e: (e.start, e.end))
    ]
    return {
        "description": {"text": fix.title},
        "artifactChanges": [{"artifactLocation": where, "replacements": replacements}],
        "properties": {"applicability": fix.applicability},
    }


def _notifications(results: Sequence[FileResult], cwd: str, root: str) -> list[Json]:
    """Files that could not be loaded (exit code 2) and, as notes, files that were skipped."""
    out = []
    for r in results:
        if r.error is None and not r.skipped:
            continue
        physical: Json = {"artifactLocation": artifact_location(r.path, cwd, root)}
        if r.error is not None and r.error.line is not None:
            start: Json = {"startLine": r.error.line}
            if r.error.column is not None:
                start["startColumn"] = r.error.column
            physical["region"] = start
        if r.error is not None:
            level, text = "error", r.error.message
        else:
            level, text = "note", f"skipped: {r.skipped}"
        out.append(
            {
                "level": level,
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
            }
        )
    return out
