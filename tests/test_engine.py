"""The engine: a crashing rule becomes a finding and the other rules still run."""

from __future__ import annotations

import dataclasses

from apilint.checks import all_checks
from apilint.document import load_document
from apilint.engine import Settings, run_rules
from apilint.registry import find_rule, load_rules

from conftest import PITFALL_ALL, FIXTURES


def test_a_crashing_rule_is_contained(tmp_path) -> None:
    broken = dataclasses.replace(find_rule("lambda-uri-invalid"), check="explode")

    def explode(api, options):
        raise TypeError("deliberately broken rule")
        yield  # pragma: no cover

    checks = {**all_checks(), "explode": explode}
    rules = [broken, find_rule("method-unauthenticated"), find_rule("rule-crashed")]
    doc = load_document(FIXTURES / "examples" / "pitfalls.yaml")
    findings = run_rules(doc, Settings(), rules=rules, checks=checks).findings
    crashed = [f for f in findings if f.name == "rule-crashed"]
    assert [(f.code, f.line) for f in crashed] == [("AGW900", 1)]
    assert "AGW401 (lambda-uri-invalid) crashed" in crashed[0].message
    assert "TypeError: deliberately broken rule" in crashed[0].message
    # the rule after the broken one still ran
    assert ("AGW301", 8) in {(f.code, f.line) for f in findings}


def test_select_and_ignore_by_code_or_name() -> None:
    doc = load_document(FIXTURES / "examples" / "pitfalls.yaml")
    only = run_rules(doc, Settings(select=("lambda-uri-invalid",))).findings
    assert {f.code for f in only} == {"AGW401"}
    assert {(f.code, f.line) for f in only} == {("AGW401", 22)}
    rest = run_rules(doc, Settings(ignore=("lambda-uri-invalid", "method-unauthenticated"))).findings
    assert {f.code for f in rest} == {"AGW507", "AGW302", "AGW501", "AGW201", "AGW402"}
    assert {(f.code, f.line) for f in rest} == {
        (c, n) for c, n in PITFALL_ALL if c not in ("AGW401", "AGW301")}


def test_rules_are_scoped_to_api_kind() -> None:
    root_rule = find_rule("root-security-ignored")
    assert root_rule.applies_to("rest", "3.0") and not root_rule.applies_to("http", "3.0")
    assert all(r.api for r in load_rules())
