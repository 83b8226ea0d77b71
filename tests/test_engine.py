"""The engine: a crashing rule becomes a finding and the other rules still run."""

from __future__ import annotations

import dataclasses

from helpers import FIXTURES, PITFALL_ALL

from apilint.catalog.registry import find_rule, load_rules
from apilint.checks import all_checks
from apilint.document import load_document
from apilint.engine.run import Settings, run_rules


def _explode(api, options):
    raise TypeError("deliberately broken rule")
    yield  # pragma: no cover


def test_a_crashing_rule_is_an_internal_error_not_a_finding() -> None:
    broken = dataclasses.replace(find_rule("lambda-uri-invalid"), check="explode")
    checks = {**all_checks(), "explode": _explode}
    rules = [broken, find_rule("method-unauthenticated")]
    doc = load_document(FIXTURES / "examples" / "pitfalls.yaml")
    result = run_rules(doc, Settings(), rules=rules, checks=checks)
    assert [(c.code, c.name, c.error) for c in result.crashes] == [
        ("AGW401", "lambda-uri-invalid", "TypeError: deliberately broken rule")
    ]
    assert "_explode" in result.crashes[0].trace
    # nothing is blamed on the file, and the rule after the broken one still ran
    assert {f.code for f in result.findings} == {"AGW301"}


def test_a_crashing_rule_exits_2_with_one_stderr_line(capsys, monkeypatch) -> None:
    from apilint.checks import CHECKS
    from apilint.cli import main

    monkeypatch.setitem(CHECKS, "lambda_uri_invalid", _explode)
    monkeypatch.delenv("APILINT_DEBUG", raising=False)
    pitfalls = str(FIXTURES / "examples" / "pitfalls.yaml")
    assert main(["lint", pitfalls, "--format", "json"]) == 2
    out, err = capsys.readouterr()
    import json

    payload = json.loads(out)
    assert "AGW401" not in {f["code"] for f in payload["results"]}
    assert ("AGW301", 8) in {(f["code"], f["line"]) for f in payload["results"]}
    assert payload["internal_errors"] == [
        {"file": pitfalls, "rule": "AGW401", "error": "TypeError: deliberately broken rule"}
    ]
    assert err.splitlines() == [
        f"apilint: internal error: rule AGW401 (lambda-uri-invalid) crashed on {pitfalls} "
        "(TypeError: deliberately broken rule); this is a bug in apilint, not a finding in the "
        "file: please report it with the file (run with --debug for the traceback); the other "
        "rules ran"
    ]
    # --debug adds the traceback
    assert main(["lint", pitfalls, "--format", "json", "--debug"]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "deliberately broken rule" in err


def test_select_and_ignore_by_code_or_name() -> None:
    doc = load_document(FIXTURES / "examples" / "pitfalls.yaml")
    only = run_rules(doc, Settings(select=("lambda-uri-invalid",))).findings
    assert {f.code for f in only} == {"AGW401"}
    assert {(f.code, f.line) for f in only} == {("AGW401", 22)}
    rest = run_rules(
        doc, Settings(ignore=("lambda-uri-invalid", "method-unauthenticated"))
    ).findings
    assert {f.code for f in rest} == {"AGW507", "AGW302", "AGW501", "AGW201", "AGW402"}
    assert {(f.code, f.line) for f in rest} == {
        (c, n) for c, n in PITFALL_ALL if c not in ("AGW401", "AGW301")
    }


def test_rules_are_scoped_to_api_kind() -> None:
    root_rule = find_rule("root-security-ignored")
    assert root_rule.applies_to("rest", "3.0") and not root_rule.applies_to("http", "3.0")
    assert all(r.api for r in load_rules())


def test_one_cause_reported_by_two_rules_is_linked() -> None:
    # Root-level security on a REST API: root-security-ignored reports the cause once, and each
    # open operation's method-unauthenticated finding names it instead of a second explanation.
    doc = load_document(FIXTURES / "examples" / "pitfalls.yaml")
    findings = run_rules(doc, Settings(select=("AGW301", "AGW302"))).findings
    by_code = {(f.code, f.line): f.message for f in findings}
    assert set(by_code) == {("AGW301", 8), ("AGW302", 4)}
    assert (
        "(the same cause as root-security-ignored AGW302 at the root `security`)"
        in by_code[("AGW301", 8)]
    )


# -- models built before the lint run (apilint.engine.run.Prebuilt) --------------------------------

_OPEN = """\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /a:
    get:
      x-amazon-apigateway-integration: {type: mock}
"""
_CLOSED = (
    _OPEN.replace("{type: mock}", "{type: mock}\n      security: [{k: []}]")
    + "components:\n  securitySchemes:\n    k: {type: apiKey, name: x-api-key, in: header}\n"
)


def _found(results: list) -> set[tuple[str, int]]:
    return {(f.code, f.span.line) for r in results for f in r.findings}


def _prebuilt_then_rewritten(tmp_path, names: list[str]):
    from apilint.engine.run import Prebuilt

    settings = Settings(select=("method-unauthenticated",))
    prebuilt = Prebuilt()
    tasks = []
    for name in names:
        path = tmp_path / name
        path.write_text(_OPEN)
        assert len(prebuilt.models(str(path), settings)) == 1
        path.write_text(_CLOSED)  # the run must lint the models it was given, not re-read
        tasks.append((str(path), settings))
    return prebuilt, tasks


def test_lint_path_takes_the_prebuilt_models_once(tmp_path) -> None:
    from apilint.engine.run import lint_path

    prebuilt, [(path, settings)] = _prebuilt_then_rewritten(tmp_path, ["api.yaml"])
    code = find_rule("method-unauthenticated").code
    assert _found(lint_path(path, settings, prebuilt=prebuilt)) == {(code, 5)}
    assert _found(lint_path(path, settings, prebuilt=prebuilt)) == set()  # taken: read anew


def test_forked_lint_workers_use_the_prebuilt_models(tmp_path) -> None:
    from apilint.engine.run import lint_tasks

    prebuilt, tasks = _prebuilt_then_rewritten(tmp_path, ["a.yaml", "b.yaml"])
    code = find_rule("method-unauthenticated").code
    results = lint_tasks(tasks, jobs=2, prebuilt=prebuilt)
    assert [_found(r) for r in results] == [{(code, 5)}, {(code, 5)}]
    assert [_found(r) for r in lint_tasks(tasks, jobs=2)] == [set(), set()]
