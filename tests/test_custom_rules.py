"""Custom rules run like built-in ones: at the node's position in definitions, SAM templates and
Terraform bodies, silenced by x-apilint-ignore, in every report, with baselines, `explain`,
`rules test`; a broken rule file is one line naming file and field, exit 2."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, expectations, git, run

from apilint.commands.rule_tests import check_rules
from apilint.custom.fixtures import SUFFIXES
from apilint.engine.ruleset import rule_set
from apilint.engine.run import Settings, lint_path
from apilint.report import FORMATS

EXAMPLES = ROOT / "examples" / "rules"
CASES = sorted(p for p in (EXAMPLES / "fixtures").glob("*/*") if p.suffix in SUFFIXES)
SOURCE = (str(EXAMPLES),)


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_example_rule_fixtures(path: Path) -> None:
    name = path.parent.name
    results = lint_path(str(path), Settings(select=(name,), custom=SOURCE))
    assert all(r.error is None and not r.crashes for r in results)
    found = {(f.code, f.line) for r in results for f in r.findings}
    assert found == expectations(path)


def test_each_example_rule_covers_a_definition_sam_and_terraform() -> None:
    for custom in rule_set(SOURCE).custom:
        names = {p.name for p in custom.fixtures}
        assert {"oas3.yaml", "sam.yaml", "main.tf"} <= names, custom.rule.name
        # ... and each has a suppressed case, which the exact expectations prove silent.
        assert all("x-apilint-ignore" in p.read_text() for p in custom.fixtures)


def test_suppression_is_what_silences_them(tmp_path: Path) -> None:
    source = EXAMPLES / "fixtures" / "no-plain-http-backend" / "oas3.yaml"
    bare = tmp_path / "oas3.yaml"
    bare.write_text(source.read_text().replace("x-apilint-ignore:", "x-unrelated:"))
    results = lint_path(str(bare), Settings(select=("no-plain-http-backend",), custom=SOURCE))
    assert {f.line for r in results for f in r.findings} == {10, 23}


def test_rules_test_passes_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "test", str(EXAMPLES))
    assert code == 0
    assert "ok   acme/no-plain-http-backend (no-plain-http-backend): 5 passed" in out
    assert out.endswith("4 rule(s), 20 case(s): all passed\n")


def _pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(EXAMPLES, folder)
    return folder


def test_rules_test_reports_a_wrong_fixture_and_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _pack(tmp_path)
    fixture = folder / "fixtures" / "no-plain-http-backend" / "oas3.yaml"
    fixture.write_text(fixture.read_text().replace("uri: https://pets", "uri: http://pets"))
    rule = folder / "operation-id-and-tag.yaml"
    rule.write_text(rule.read_text().replace("tags: [pets]\n          responses", "responses"))
    code, out, _ = run(capsys, "rules", "test", str(folder))
    assert code == 1
    assert (
        "     - fixtures/no-plain-http-backend/oas3.yaml: unexpected "
        "acme/no-plain-http-backend at line 16\n" in out
    )
    assert "     - good example: the rule reports it (line 5)\n" in out
    outcomes = {o.rule.rule.name: o for o in check_rules(folder)}
    assert not outcomes["every-method-cognito"].failed


def _config(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    config = tmp_path / ".apilint.toml"
    config.write_text(text)
    return config


def _api(tmp_path: Path) -> Path:
    api = tmp_path / "api.yaml"
    shutil.copy(EXAMPLES / "fixtures" / "no-plain-http-backend" / "oas3.yaml", api)
    return api


BROKEN = [
    pytest.param("code: acme/", "code: [acme/", ":4: invalid YAML", id="bad-yaml"),
    pytest.param(
        "function: pattern",
        "function: nope",
        ": then.function: unknown function 'nope'",
        id="unknown-function",
    ),
    pytest.param(
        "given:\n  integrations:\n    where:\n      type: [http, http_proxy]\n",
        "given: $.paths[\n",
        ": given: invalid JSONPath '$.paths['",
        id="invalid-jsonpath",
    ),
    pytest.param(
        'functionOptions: {notMatch: "^http://"}',
        "functionOptions: {notMatch: 5}",
        ": then.functionOptions: notMatch: 5 is not of type",
        id="option-of-wrong-type",
    ),
    # a YAML parser keeps the second `severity` without a word
    pytest.param(
        "severity: warning",
        "severity: warning\nseverity: info",
        ":6: duplicate key 'severity'",
        id="repeated-key",
    ),
    pytest.param("fact: uri", "fact: url", ": then.fact: unknown fact 'url'", id="unknown-fact"),
    # apilint's contract checks and Spectral rules own these namespaces (and their links)
    pytest.param(
        "code: acme/no-plain-http-backend",
        "code: contract/no-plain-http-backend",
        ": code: 'contract/no-plain-http-backend' is not a custom rule code",
        id="contract-namespace",
    ),
    pytest.param(
        "code: acme/no-plain-http-backend",
        "code: AGW999",
        ": code: 'AGW999' is not a custom rule code",
        id="agw-code",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BROKEN)
def test_a_broken_rule_file_is_one_line_exit_2(
    old: str, new: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (EXAMPLES / "no-plain-http-backend.yaml").read_text()
    assert old in text
    (rules / "rule.yaml").write_text(text.replace(old, new, 1))
    _config(tmp_path, 'rules = ["rules"]\n')
    code, out, err = run(capsys, "lint", str(_api(tmp_path)))
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(f"apilint: {rules / 'rule.yaml'}{message}"), lines[0]


def test_rules_outside_the_repository_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _config(repo, 'rules = ["../elsewhere"]\n')
    (tmp_path / "elsewhere").mkdir()
    code, _, err = run(capsys, "lint", str(_api(repo)))
    assert code == 2
    assert "rules: '../elsewhere' lies outside" in err


def _lint_config(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "acme")
    _config(tmp_path, 'rules = ["acme"]\n')
    return _api(tmp_path)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_format_carries_the_custom_rule(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _lint_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(
        capsys, "lint", "api.yaml", "-f", fmt, "--select", "acme/no-plain-http-backend"
    )
    assert code == 0 and err == ""  # a warning: below the default fail-on
    assert "acme/no-plain-http-backend" in out or "no-plain-http-backend" in out
    assert api.name in out


def test_sarif_describes_the_custom_rule_from_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _lint_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "lint", "api.yaml", "-f", "sarif", "--select", "no-plain-http-backend")
    (descriptor,) = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    assert descriptor["id"] == "acme/no-plain-http-backend"
    assert descriptor["shortDescription"]["text"] == (
        "HTTP integrations call their backend over https:// only."
    )
    # apilint publishes no page for a custom rule: its help link is its own first reference
    assert (
        descriptor["helpUri"]
        == "https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html"
    )
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 10


def test_baseline_keeps_custom_findings_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _lint_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    selected = ("--select", "every-method-cognito", "--fail-on", "warning")
    code, _, _ = run(capsys, "lint", "api.yaml", *selected)
    assert code == 1
    assert run(capsys, "baseline", "api.yaml", "-o", "base.json", *selected[:2])[0] == 0
    assert "acme/every-method-cognito" in (tmp_path / "base.json").read_text()
    code, out, _ = run(capsys, "lint", "api.yaml", "--baseline", "base.json", *selected)
    assert code == 0 and "acme/" not in out


def test_explain_and_list_read_the_configuration_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _lint_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "explain", "acme/lambda-in-our-account")
    assert code == 0
    assert out.startswith("acme/lambda-in-our-account lambda-in-our-account [error]\n")
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    assert {"acme/operation-id-and-tag", "AGW401"} <= {r["code"] for r in json.loads(out)}


def test_rules_docs_writes_the_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "docs", str(EXAMPLES), "--out", str(tmp_path / "docs"))
    assert code == 0 and out == f"wrote 5 file(s) to {tmp_path / 'docs'}\n"
    page = (tmp_path / "docs" / "rules" / "no-plain-http-backend.md").read_text()
    assert page.startswith("<!-- Generated by `apilint rules docs`")
    assert "# acme/no-plain-http-backend no-plain-http-backend\n" in page


def test_diff_base_keeps_only_new_custom_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    api = _lint_config(tmp_path)
    monkeypatch.chdir(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "old")
    api.write_text(
        api.read_text().replace("uri: https://pets.example.com/pets", "uri: http://new.example/p")
    )
    selected = ("--select", "no-plain-http-backend", "-f", "json")
    _, out, _ = run(capsys, "lint", "api.yaml", *selected)
    assert {f["line"] for f in json.loads(out)["results"]} == {10, 16}
    _, out, _ = run(capsys, "lint", "api.yaml", "--diff-base", "main", *selected)
    assert {(f["code"], f["line"]) for f in json.loads(out)["results"]} == {
        ("acme/no-plain-http-backend", 16)
    }


def test_a_namespace_selects_its_rules() -> None:
    from apilint.catalog.registry import select_rules

    rules = rule_set(SOURCE).rules
    assert {r.code for r in select_rules("acme/", rules)} == {
        "acme/every-method-cognito",
        "acme/lambda-in-our-account",
        "acme/no-plain-http-backend",
        "acme/operation-id-and-tag",
    }


def test_an_edited_rule_file_is_read_again(tmp_path: Path) -> None:
    folder = _pack(tmp_path)
    rule = folder / "no-plain-http-backend.yaml"
    assert (
        str(rule_set((str(folder),)).by_code()["acme/no-plain-http-backend"].severity) == "warning"
    )
    rule.write_text(rule.read_text().replace("severity: warning", "severity: info"))
    os.utime(rule, ns=(rule.stat().st_atime_ns, rule.stat().st_mtime_ns + 10**9))
    assert str(rule_set((str(folder),)).by_code()["acme/no-plain-http-backend"].severity) == "info"


def test_a_rule_option_feeds_its_function(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "acme")
    shutil.copy(
        EXAMPLES / "fixtures" / "lambda-in-our-account" / "oas3.yaml", tmp_path / "api.yaml"
    )
    monkeypatch.chdir(tmp_path)
    selected = ("--select", "lambda-in-our-account", "-f", "json")
    _config(tmp_path, 'rules = ["acme"]\n')
    _, out, _ = run(capsys, "lint", "api.yaml", *selected)
    assert [(f["line"], f["message"]) for f in json.loads(out)["results"]] == [
        (10, "GET /pets calls a Lambda function in account 999999999999, which is not one of ours")
    ]
    _config(
        tmp_path,
        'rules = ["acme"]\n[options."acme/lambda-in-our-account"]\n'
        'accounts = ["123456789012", "999999999999"]\n',
    )
    code, out, _ = run(capsys, "lint", "api.yaml", *selected)
    assert code == 0 and json.loads(out)["results"] == []
    _config(
        tmp_path, 'rules = ["acme"]\n[options."acme/lambda-in-our-account"]\naccounts = ["x"]\n'
    )
    code, _, err = run(capsys, "lint", "api.yaml", *selected)
    assert code == 2 and "options.acme/lambda-in-our-account.accounts" in err


def test_function_options_from_an_undeclared_option(tmp_path: Path) -> None:
    from apilint.common.errors import UsageError
    from apilint.custom.loader import load_rule_file

    rule = tmp_path / "r.yaml"
    text = (EXAMPLES / "lambda-in-our-account.yaml").read_text()
    rule.write_text(
        text.replace(
            "functionOptionsFrom: {values: accounts}", "functionOptionsFrom: {values: acounts}"
        )
    )
    with pytest.raises(UsageError) as raised:
        load_rule_file(rule)
    assert raised.value.message == (
        f"{rule}: then.functionOptionsFrom.values: the rule declares no option 'acounts'"
    )
