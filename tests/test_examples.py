"""Examples are tests: each rule's bad example raises it, its good example does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.aws.inventory_file import build_inventory
from apilint.catalog.registry import Rule, load_rules
from apilint.engine.run import Settings, lint_path, load_api
from apilint.model.inventory import Deployment

RULES = [r for r in load_rules() if r.category != "internal"]


def _codes(rule: Rule, text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "example.yaml"
    path.write_text(text)
    settings = Settings(select=(rule.name,), options={rule.name: rule.example_options})
    if rule.scope == "account":
        settings.inventory = build_inventory(
            [("example", item) for item in rule.example_inventory], None, "the example inventory"
        )
        settings.deployment = Deployment(**rule.example_deployment)
    if rule.scope == "drift":  # compared with the stage's export the rule file gives
        deployed = tmp_path / "deployed.json"
        deployed.write_text(rule.example_deployed)
        settings.deployed = load_api(str(deployed))
    results = lint_path(str(path), settings)
    assert results and all(r.error is None and r.skipped is None for r in results), [
        (r.error, r.skipped) for r in results
    ]
    return [f.code for r in results for f in r.findings]


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_bad_example_raises_the_rule(rule: Rule, tmp_path: Path) -> None:
    assert rule.code in _codes(rule, rule.bad_example, tmp_path)


@pytest.mark.parametrize("rule", RULES, ids=[r.name for r in RULES])
def test_good_example_is_clean(rule: Rule, tmp_path: Path) -> None:
    assert _codes(rule, rule.good_example, tmp_path) == []
