"""GitLab Code Quality (the Code Climate JSON subset GitLab reads) for merge request widgets.

Fields GitLab uses: https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
(`description`, `check_name`, `fingerprint`, `severity`, `location.path`,
`location.lines.begin`). Paths are relative to the repository root, as GitLab resolves them.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from apilint.catalog.registry import Rule
from apilint.common.findings import FileResult, Severity
from apilint.report import Catalog, json_document, repository_path, rules_by_code
from apilint.report.sarif import fingerprint

#: GitLab's scale is info, minor, major, critical, blocker.
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(
    results: Sequence[FileResult], out: TextIO, colour: bool, rules: Catalog | None = None
) -> None:
    out.write(json_document(issues(results, rules)) + "\n")


def issues(results: Sequence[FileResult], catalog: Catalog | None = None) -> list[dict[str, Any]]:
    rules = rules_by_code(catalog)
    out = []
    seen: Counter[tuple[str, str, str]] = Counter()
    path_of = functools.cache(repository_path)  # once per file: it walks up to the repository
    for result in results:
        for f in result.findings:
            path = path_of(f.file)
            key = (f.code, path, f.pointer)
            seen[key] += 1  # two findings of one rule at one node stay two issues
            out.append(
                {
                    "type": "issue",
                    "check_name": f"{f.code} {f.name}",
                    "description": f"{f.code} {f.message}",
                    "categories": ["Security" if _security(rules.get(f.code)) else "Bug Risk"],
                    "severity": SEVERITIES[f.severity],
                    "fingerprint": fingerprint(f.code, path, f.pointer, seen[key] - 1),
                    "location": {"path": path, "lines": {"begin": f.line}},
                }
            )
    return out


def _security(rule: Rule | None) -> bool:
    return rule is not None and (rule.category == "security" or "security" in rule.tags)
