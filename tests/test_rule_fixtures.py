"""Every fixture under fixtures/rules/<rule-name>/ yields exactly the findings it declares."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import (
    FIXTURES,
    RESOURCE_CORE,
    deployed_export,
    expectations,
    export_expectations,
    fixture_options,
)

from apilint.aws.inventory_file import read_inventory
from apilint.catalog.registry import find_rule
from apilint.document import load_document
from apilint.engine.run import Settings, lint_path, load_api, run_rules
from apilint.model.inventory import Deployment

CASES = sorted(p for p in (FIXTURES / "rules").glob("*/*") if p.suffix in (".yaml", ".json", ".tf"))


def lint_one_rule(path: Path) -> set[tuple[str, int]]:
    """(code, line) of the rule's findings in the fixture (a definition, a CloudFormation/SAM
    template or a Terraform file)."""
    rule = find_rule(path.parent.name)
    settings = Settings(select=(rule.name,), options={rule.name: fixture_options(path)})
    if rule.scope == "account":  # account/inventory.json and deployment.json beside it
        settings.inventory = read_inventory([str(path.parent / "account" / "inventory.json")])
        deployment = path.parent / "account" / "deployment.json"
        if deployment.is_file():
            settings.deployment = Deployment(**json.loads(deployment.read_text()))
    if rule.scope == "drift":  # the stage's export: deployed/<name>.json beside it
        settings.deployed = load_api(str(deployed_export(path)))
    results = lint_path(str(path), settings)
    assert results and all(r.error is None and r.skipped is None for r in results), [
        (r.error, r.skipped) for r in results
    ]
    return {(f.code, f.line) for r in results for f in r.findings if f.file == str(path)}


def findings_in_export(path: Path) -> set[tuple[str, int]]:
    """(code, line) of a drift rule's findings on what only the stage has (in the export)."""
    rule = find_rule(path.parent.name)
    settings = Settings(select=(rule.name,), deployed=load_api(str(deployed_export(path))))
    export = str(deployed_export(path))
    return {
        (f.code, f.line)
        for r in lint_path(str(path), settings)
        for f in r.findings
        if f.file == export
    }


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_fixture_findings(path: Path) -> None:
    assert lint_one_rule(path) == expectations(path)


DRIFT_CASES = [p for p in CASES if find_rule(p.parent.name).scope == "drift"]


@pytest.mark.parametrize(
    "path", DRIFT_CASES, ids=[f"{p.parent.name}/{p.name}" for p in DRIFT_CASES]
)
def test_drift_fixture_findings_in_the_export(path: Path) -> None:
    """Findings on what only the stage has point into the export: its sidecar
    (deployed/<name>.json.expect) declares them; an export without one expects none there."""
    assert findings_in_export(path) == export_expectations(path)


def test_every_fixture_declares_something_or_is_a_clean_case() -> None:
    # A fixture that expects nothing must say so in its name, so an annotation typo cannot
    # silently turn a bad case into a vacuous one.
    for path in CASES:
        if not expectations(path) and not export_expectations(path):
            assert "clean" in path.stem, f"{path} declares no expected finding"


CORE = [
    "cors-preflight-missing",
    "cors-preflight-incomplete",
    "cors-preflight-requires-auth",
    "method-unauthenticated",
    "root-security-ignored",
    "resource-quota-exceeded",
    "lambda-uri-invalid",
    "lambda-http-method-not-post",
    "nested-query-parameter",
]


@pytest.mark.parametrize("name", CORE)
def test_core_rules_have_the_fixture_matrix(name: str) -> None:
    """Swagger 2.0 and OAS 3.0, YAML and JSON, and HTTP APIs where the rule applies."""
    rule = find_rule(name)
    files = list((FIXTURES / "rules" / name).iterdir())
    kinds = set()
    for f in files:
        if f.suffix not in (".yaml", ".json") or f.name.startswith("cfn-"):
            continue  # the OpenAPI matrix; templates of resources are held below
        doc = load_document(f)
        from apilint.model.build import detect_kind

        kinds.add((doc.version, f.suffix, detect_kind(doc)[0]))
    assert ("2.0", ".yaml", "rest") in kinds
    assert ("3.0", ".yaml", "rest") in kinds
    assert any(k[1] == ".json" for k in kinds)
    if "http" in rule.api:
        assert any(k[2] == "http" for k in kinds)


JSON_TWINS = sorted(p for p in CASES if p.suffix == ".json" and p.with_suffix(".yaml").exists())


@pytest.mark.parametrize("path", JSON_TWINS, ids=[f"{p.parent.name}/{p.name}" for p in JSON_TWINS])
def test_json_twin_matches_yaml_original_by_pointer(path: Path) -> None:
    def pointers(p: Path) -> set[tuple[str, str]]:
        rule = find_rule(p.parent.name)
        settings = Settings(select=(rule.name,), options={rule.name: fixture_options(p)})
        return {(f.code, f.pointer) for f in run_rules(load_document(p), settings).findings}

    assert pointers(path) == pointers(path.with_suffix(".yaml"))
    assert pointers(path)  # twins are made of cases with findings


@pytest.mark.parametrize("name", RESOURCE_CORE)
def test_core_rules_have_a_cloudformation_resources_fixture(name: str) -> None:
    path = FIXTURES / "rules" / name / "cfn-resources.yaml"
    assert expectations(path), f"{path} must declare findings"
    assert not find_rule(name).needs_document
