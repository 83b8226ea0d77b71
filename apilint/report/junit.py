"""JUnit XML for CI test tabs: one suite per file, one failing case per finding.

The de-facto schema (Jenkins, GitLab, Azure DevOps all read this subset):
https://github.com/testmoapp/junitxml
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TextIO

from apilint.catalog.registry import Rule

# XML 1.0 cannot carry most control characters, even escaped, and a raw newline would reach a CI
# log that prints the file: every string from the input is shown with its controls escaped.
from apilint.common.escape import xml as _text
from apilint.common.findings import FileResult, Finding
from apilint.report import error_location, rules_by_code

#: The name of the one case a file gets when it has nothing else to show (clean or skipped).
CLEAN_CASE = "apilint"
LOAD_CASE = "load"


def render(results: Sequence[FileResult], out: TextIO, colour: bool) -> None:
    root = build_tree(results)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def case_name(f: Finding) -> str:
    return f"{f.code} {f.name} at {f.line}:{f.column}"


def build_tree(results: Sequence[FileResult]) -> ET.Element:
    root = ET.Element("testsuites", name="apilint")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    rules = rules_by_code()
    for result in results:
        suite = ET.SubElement(root, "testsuite", name=_text(result.title))
        counts = dict.fromkeys(totals, 0)
        if result.error is not None:
            case = _case(suite, result.path, LOAD_CASE)
            error = ET.SubElement(
                case, "error", type="load-error", message=_text(result.error.message)
            )
            error.text = _text(f"{error_location(result)}: {result.error.message}")
            counts["tests"], counts["errors"] = 1, 1
        elif result.skipped:
            case = _case(suite, result.path, CLEAN_CASE)
            ET.SubElement(case, "skipped", message=_text(result.skipped))
            counts["tests"], counts["skipped"] = 1, 1
        elif not result.findings:
            _case(suite, result.path, CLEAN_CASE)
            counts["tests"] = 1
        for f in result.findings:
            case = _case(suite, result.path, case_name(f))
            failure = ET.SubElement(case, "failure", type=str(f.severity), message=_text(f.message))
            failure.text = _details(f, rules.get(f.code))
            counts["tests"] += 1
            counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        root.set(key, str(value))
    return root


def _case(suite: ET.Element, path: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=_text(path), name=_text(name))


def _details(f: Finding, rule: Rule | None) -> str:
    lines = [f"{f.file}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}"]
    if f.operation:
        lines.append(f"operation: {f.operation}")
    if f.pointer:
        lines.append(f"pointer: {f.pointer}")
    if rule is not None and rule.fix:  # None: a rule outside the catalog
        lines.append(f"fix: {rule.fix}")
    return "\n".join(_text(line) for line in lines)
