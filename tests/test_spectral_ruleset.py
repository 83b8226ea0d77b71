"""Reading Spectral rulesets as Spectral 6 merges them: extends and its modes, severity entries,
formats, overrides per file; notes for what is not run, usage errors for what Spectral refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT

from apilint.common.errors import UsageError
from apilint.common.findings import Severity
from apilint.custom.spectral_files import rules_for, versions_of
from apilint.custom.spectral_ruleset import Reader

DATA = ROOT / "tests" / "data" / "spectral"

RULE = "given: $.info\n    then:\n      field: contact\n      function: truthy"


def _ruleset(tmp_path: Path, text: str, name: str = ".spectral.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _active(path: Path, file: str = "api.yaml") -> dict[str, Severity | None]:
    ruleset = Reader().read(path)
    return {r.name: r.severity for r in rules_for(ruleset, str(path.parent / file))}


def test_the_fixture_ruleset_merges_its_local_extends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages name ruleset files relative to the working directory
    ruleset = Reader().read(DATA / "ruleset.yaml")
    assert ruleset.rules["info-contact"].source == "tests/data/spectral/base.yaml"
    assert ruleset.rules["https-only"].source == "tests/data/spectral/ruleset.yaml"
    # recommended: false in the extended file, extended without a mode: off.
    assert not ruleset.rules["operation-summary-optional"].active
    assert ruleset.rules["no-apigateway-auth-extension"].severity is Severity.INFO  # hint
    assert ruleset.rules["https-only"].formats == {"oas2"}
    # The ruleset's formats apply to its own rules, not to those of base.yaml.
    assert ruleset.rules["operation-operationId"].formats == {"oas2", "oas3"}
    assert ruleset.rules["info-contact"].formats is None
    assert ruleset.js_functions == {"operation-count"}
    assert ruleset.notes == []


def test_overrides_apply_to_the_files_their_globs_match() -> None:
    ruleset = Reader().read(DATA / "ruleset.yaml")
    json_rules = {r.name: r.severity for r in rules_for(ruleset, str(DATA / "a" / "x.json"))}
    yaml_rules = {r.name: r.severity for r in rules_for(ruleset, str(DATA / "x.yaml"))}
    assert "info-contact" not in json_rules and yaml_rules["info-contact"] is Severity.WARNING
    assert json_rules["summary-short"] is Severity.ERROR
    assert yaml_rules["summary-short"] is Severity.INFO
    # A file outside the ruleset's folder: `**` does not climb out of it (minimatch).
    outside = {r.name for r in rules_for(ruleset, str(DATA.parent / "x.json"))}
    assert "info-contact" in outside


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        pytest.param("all", {"kept", "optional"}, id="all"),
        pytest.param("recommended", {"kept"}, id="recommended"),
        pytest.param("off", set(), id="off"),
    ],
)
def test_extends_modes(tmp_path: Path, mode: str, expected: set[str]) -> None:
    _ruleset(
        tmp_path,
        f"rules:\n  kept:\n    {RULE}\n  optional:\n    recommended: false\n    {RULE}\n",
        "base.yaml",
    )
    path = _ruleset(tmp_path, f"extends: [[./base.yaml, {mode}]]\n")
    assert set(_active(path)) == expected


def test_severity_entries_change_extended_rules(tmp_path: Path) -> None:
    _ruleset(tmp_path, f"rules:\n  a:\n    {RULE}\n  b:\n    {RULE}\n  c:\n    {RULE}\n", "b.yaml")
    path = _ruleset(
        tmp_path,
        "extends: ./b.yaml\nrules:\n  a: error\n  b: off\n  c:\n    severity: 3\n",
    )
    assert _active(path) == {"a": Severity.ERROR, "c": Severity.INFO}
    ruleset = Reader().read(path)
    # A partial mapping keeps what it does not name.
    assert ruleset.rules["c"].given == ("$.info",)


def test_extends_may_not_leave_the_repository(tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    _ruleset(tmp_path, f"rules:\n  a:\n    {RULE}\n", "outside.yaml")
    path = _ruleset(tmp_path / "repo", "extends: ../outside.yaml\n")
    with pytest.raises(UsageError, match=r"extends: \.\./outside\.yaml is outside .*repo"):
        Reader().read(path)


def test_a_ruleset_that_extends_itself_is_read_once(tmp_path: Path) -> None:
    path = _ruleset(tmp_path, f"extends: ./.spectral.yaml\nrules:\n  a:\n    {RULE}\n")
    assert _active(path) == {"a": Severity.WARNING}


def test_built_in_remote_and_package_extends_are_notes(tmp_path: Path) -> None:
    path = _ruleset(
        tmp_path,
        "extends:\n  - spectral:oas\n  - https://example.com/r.yaml\n  - '@acme/rules'\n"
        f"rules:\n  a:\n    {RULE}\n",
    )
    ruleset = Reader().read(path)
    texts = [str(n) for n in ruleset.notes]
    assert [n.rule for n in ruleset.notes] == [None, None, None]
    assert "spectral:oas" in texts[0] and "apilint rules" in texts[0]
    assert "https://example.com/r.yaml" in texts[1] and "network" in texts[1]
    assert "@acme/rules" in texts[2]
    assert all(t.startswith(f"{path.resolve()}: note: ") for t in texts)
    assert set(_active(path)) == {"a"}


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(
            "extends: ./missing.yaml\n",
            "extends: ./missing.yaml: no such ruleset file",
            id="extends",
        ),
        pytest.param("rules:\n  a: [1]\n", "rules.a: expected a rule", id="rule-type"),
        pytest.param(
            f"rules:\n  a:\n    severity: fatal\n    {RULE}\n", "rules.a.severity", id="sev"
        ),
        pytest.param("rules:\n  a: error\n", "rules.a: sets the severity", id="sev-unknown"),
        pytest.param(
            "rules:\n  a:\n    given: 3\n    then: {function: truthy}\n",
            "rules.a.given",
            id="given",
        ),
        pytest.param(
            "rules:\n  a:\n    given: $\n    then: {field: x}\n", "rules.a.then", id="then"
        ),
        pytest.param("overrides:\n  - rules: {}\n", "overrides[0].files", id="overrides"),
        pytest.param("extends: [[./b.yaml, most]]\n", "extends[0]", id="extends-mode"),
        pytest.param("rules: [\n", "invalid ruleset", id="yaml"),
        pytest.param("- a\n", "must be a mapping", id="not-mapping"),
    ],
)
def test_what_spectral_refuses_is_a_usage_error(tmp_path: Path, text: str, where: str) -> None:
    path = _ruleset(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        Reader().read(path)
    assert caught.value.message.startswith(f"{path.resolve()}:")
    assert where in caught.value.message


def test_a_javascript_ruleset_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = _ruleset(tmp_path, "export default {}\n", ".spectral.js")
    with pytest.raises(UsageError, match="JavaScript rulesets cannot be read"):
        Reader().read(path)


@pytest.mark.parametrize(
    ("formats", "versions"),
    [
        pytest.param(None, None, id="none"),
        pytest.param({"oas2"}, ("2.0",), id="oas2"),
        pytest.param({"oas3"}, ("3.0", "3.1"), id="oas3"),
        pytest.param({"oas3.1", "asyncapi2"}, ("3.1",), id="oas3.1"),
        pytest.param({"asyncapi2"}, (), id="asyncapi"),
    ],
)
def test_formats_map_to_openapi_versions(
    formats: set[str] | None, versions: tuple[str, ...] | None
) -> None:
    assert versions_of(frozenset(formats) if formats is not None else None) == versions


def test_aliases_expand_in_given(tmp_path: Path) -> None:
    path = _ruleset(
        tmp_path,
        "aliases:\n  PathItem: ['$.paths[*]']\n  Operation: ['#PathItem[get,put]']\n"
        "rules:\n  a:\n    given: '#Operation.responses'\n    then: {function: truthy}\n",
    )
    assert Reader().read(path).rules["a"].given == ("$.paths[*][get,put].responses",)


def test_a_scoped_alias_makes_the_rule_a_problem_not_an_error(tmp_path: Path) -> None:
    path = _ruleset(
        tmp_path,
        "aliases:\n  Op:\n    targets:\n      - formats: [oas2]\n        given: ['$.paths[*].get']\n"
        "rules:\n  a:\n    given: '#Op'\n    then: {function: truthy}\n",
    )
    problem = Reader().read(path).rules["a"].problem
    assert problem is not None and "scoped alias #Op" in problem


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        pytest.param("{}", "alias 'Op' is not defined", id="undefined"),
        pytest.param("{Op: ['#Op']}", "alias 'Op' is circular (Op -> Op)", id="circular"),
        pytest.param("{Op: 3}", "alias 'Op': expected a list of JSONPaths", id="type"),
    ],
)
def test_bad_aliases_are_usage_errors(tmp_path: Path, aliases: str, message: str) -> None:
    path = _ruleset(
        tmp_path,
        f"aliases: {aliases}\nrules:\n  a:\n    given: '#Op'\n    then: {{function: truthy}}\n",
    )
    with pytest.raises(UsageError, match=re.escape(f"rules.a.given: {message}")):
        Reader().read(path)


def test_an_unknown_ruleset_key_is_a_usage_error(tmp_path: Path) -> None:
    path = _ruleset(tmp_path, "rulez: {}\n")
    with pytest.raises(UsageError, match="rulez: unknown key"):
        Reader().read(path)


def test_what_is_read_but_not_applied_is_a_note(tmp_path: Path) -> None:
    _ruleset(tmp_path, "rules: {}\n", "other.yaml")
    path = _ruleset(
        tmp_path,
        f"parserOptions: {{duplicateKeys: off}}\nrules:\n  a:\n    {RULE}\n"
        "overrides:\n  - files: ['api.yaml#/info']\n    rules: {a: off}\n"
        "  - files: ['*.json']\n    extends: [./other.yaml]\n",
    )
    reasons = [n.reason for n in Reader().read(path).notes]
    assert len(reasons) == 3
    assert reasons[0].startswith("parserOptions are not applied")
    assert reasons[1] == (
        "overrides[0]: the severities it sets under the JSON pointer of 'api.yaml#/info' "
        "are not applied"
    )
    assert reasons[2] == "overrides[1]: the rulesets it extends are not applied"
    # The pointer override changes nothing (said so above), not the whole file.
    assert _active(path) == {"a": Severity.WARNING}


def test_documentation_urls_name_each_rule(tmp_path: Path) -> None:
    path = _ruleset(
        tmp_path,
        f"documentationUrl: https://example.com/rules\nrules:\n  a:\n    {RULE}\n"
        f"  b:\n    documentationUrl: https://example.com/b\n    {RULE}\n",
    )
    rules = Reader().read(path).rules
    assert rules["a"].documentation == "https://example.com/rules#a"
    assert rules["b"].documentation == "https://example.com/b"
