"""The rule catalog: docs generated from metadata are fresh, and the catalog meets its bar."""

from __future__ import annotations

import json
from pathlib import Path

from apilint import docs
from apilint.cli import main
from apilint.registry import CATALOG, find_rule, load_rules

from conftest import FIXTURES, ROOT, expectations

FIELDS = ("code", "name", "severity", "category", "api", "versions", "tags", "summary",
          "rationale", "fix", "references", "options", "examples", "enabled")


def test_committed_rule_docs_are_fresh() -> None:
    # CI runs this: a rule edited without `python -m apilint.docs` fails the build.
    assert docs.sync(ROOT / "docs", True, ROOT / "rules" / CATALOG) == []


def test_catalog_is_used_when_current_and_ignored_when_stale(tmp_path: Path) -> None:
    import json
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    catalog = json.loads((rules / CATALOG).read_text())
    entry = next(e for e in catalog["rules"] if e["file"] == "method-unauthenticated.yaml")
    entry["rule"]["summary"] = "read from the catalog"
    (rules / CATALOG).write_text(json.dumps(catalog))
    assert find_rule("AGW301", load_rules(rules)).summary == "read from the catalog"
    # Editing a rule file makes the catalog stale: the YAML wins.
    source = rules / "method-unauthenticated.yaml"
    text = source.read_text()
    source.write_text(text.replace("summary: ", "summary: Edited. ", 1))
    load_rules.cache_clear()
    assert find_rule("AGW301", load_rules(rules)).summary.startswith("Edited. ")


def test_sync_detects_a_stale_page_and_rewrites_it(tmp_path: Path) -> None:
    assert docs.sync(tmp_path, check=False)  # first run writes everything
    assert docs.sync(tmp_path, check=True) == []
    page = tmp_path / "rules" / "method-unauthenticated.md"
    page.write_text(page.read_text() + "hand edit\n")
    (tmp_path / "rules" / "retired-rule.md").write_text("old\n")
    assert docs.sync(tmp_path, check=True) == ["rules/method-unauthenticated.md",
                                                "rules/retired-rule.md"]
    docs.sync(tmp_path, check=False)
    assert docs.sync(tmp_path, check=True) == []
    assert not (tmp_path / "rules" / "retired-rule.md").exists()


def test_rule_page_carries_the_metadata() -> None:
    rule = next(r for r in load_rules() if r.name == "resource-quota-exceeded")
    page = docs.rule_page(rule)
    assert page.splitlines()[2] == "# AGW601 resource-quota-exceeded"
    assert "## Why it matters on API Gateway" in page and rule.rationale in page
    assert "| `limit` | `300` |" in page
    for ref in rule.references:
        assert f"[{ref.title}]({ref.url})" in page
    index = docs.index_page(load_rules())
    assert "| AGW601 | [resource-quota-exceeded](rules/resource-quota-exceeded.md) | error |" in index


def test_catalog_has_at_least_sixty_rules_with_complete_json_metadata(capsys) -> None:
    assert main(["rules", "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)
    assert len(rules) >= 60
    assert {r["name"] for r in rules} == {p.stem for p in (ROOT / "rules").glob("*.yaml")}
    for rule in rules:
        assert set(FIELDS) <= set(rule), rule["code"]
        assert rule["references"] and all(r["url"].startswith("https://")
                                          for r in rule["references"]), rule["code"]
        assert rule["api"] and rule["versions"] and rule["summary"] and rule["fix"]


def test_every_rule_has_fixtures_that_raise_it() -> None:
    for rule in load_rules():
        if rule.category == "internal":
            continue  # made by the engine (suppressions), tested in test_engine / suppress
        folder = FIXTURES / "rules" / rule.name
        assert folder.is_dir(), f"{rule.code} {rule.name} has no fixtures"
        declared = set()
        for path in folder.iterdir():
            if path.suffix in (".yaml", ".json", ".tf"):
                declared |= {code for code, _ in expectations(path)}
        assert rule.code in declared, f"no fixture of {rule.name} expects {rule.code}"
