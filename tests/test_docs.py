"""The rule catalog: docs generated from metadata are fresh, and the catalog meets its bar."""

from __future__ import annotations

import json
import marshal
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, ROOT, cached_catalog_of, expectations, export_expectations

from apilint.catalog import docs, registry
from apilint.catalog.registry import CATALOG, catalog_text, find_rule, load_rules, rules_stamp
from apilint.cli import main


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private per-user cache (XDG_CACHE_HOME), so tests neither read nor fill the real one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "apilint"


def _write(cached: Path, stamp: str | None, catalog: Any) -> None:
    assert stamp is not None
    cached.write_bytes(registry._sealed(stamp, marshal.dumps(catalog)))


def _copy_rules(tmp_path: Path) -> Path:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules, ignore=shutil.ignore_patterns(CATALOG))
    return rules


def test_committed_rule_docs_are_fresh() -> None:
    # CI runs this: a rule edited without `python -m apilint.catalog.docs` fails the build.
    assert docs.sync(ROOT / "docs", True) == []


def test_the_catalog_is_neither_committed_nor_written_by_docs(tmp_path: Path) -> None:
    # Committed, the catalog changed with every rule and any two rule changes conflicted on it.
    from helpers import git

    assert git(ROOT, "ls-files", "rules/" + CATALOG) == ""
    assert git(ROOT, "check-ignore", "rules/" + CATALOG).strip() == "rules/" + CATALOG
    docs.sync(tmp_path, check=False)
    assert not list(tmp_path.rglob("*.json"))


def test_catalog_is_cached_per_user_and_ignored_when_stale(tmp_path: Path, cache: Path) -> None:
    rules = _copy_rules(tmp_path)
    fresh = load_rules(rules)
    [cached] = cache.glob("catalog-*")  # the first load wrote it, named by the files' stamp
    catalog = cached_catalog_of(cached)
    assert cached.name == f"catalog-{rules_stamp(rules)}.marshal"
    assert catalog == json.loads(catalog_text(rules))
    entry = next(e for e in catalog["rules"] if e["file"] == "method-unauthenticated.yaml")
    entry["rule"]["summary"] = "read from the catalog"
    _write(cached, rules_stamp(rules), catalog)
    load_rules.cache_clear()
    assert find_rule("AGW301", load_rules(rules)).summary == "read from the catalog"
    # Editing a rule file changes the checksum: the YAML wins, and is cached under its own name.
    source = rules / "method-unauthenticated.yaml"
    source.write_text(source.read_text().replace("summary: ", "summary: Edited. ", 1))
    load_rules.cache_clear()
    assert find_rule("AGW301", load_rules(rules)).summary.startswith("Edited. ")
    assert len(list(cache.glob("catalog-*"))) == 2
    assert not list(cache.glob(".catalog-*"))  # written atomically: no temporary left behind
    assert [r.code for r in fresh] == [r.code for r in load_rules(rules)]


@pytest.mark.parametrize(
    "shift",
    [
        pytest.param(1_000_000, id="modification-time-changed"),
        # `cp -p`, `rsync -a`, tar and Nix give an edited file its old (or a fixed)
        # modification time: only the change time, which cannot be set, tells it apart.
        pytest.param(0, id="modification-time-set-back"),
    ],
)
def test_an_edit_that_keeps_the_size_of_a_rule_file_takes_effect(
    tmp_path: Path, cache: Path, shift: int
) -> None:
    # The cached catalog is found by the rule files' stamp (rules_stamp), not their content.
    import os
    import time

    rules = _copy_rules(tmp_path)
    assert not find_rule("AGW301", load_rules(rules)).summary.startswith("Z")
    source = rules / "method-unauthenticated.yaml"
    before = source.stat()
    time.sleep(0.05)  # past the file system's timestamp tick
    text = source.read_text()
    at = text.index("summary: ") + len("summary: ")
    source.write_text(text[:at] + "Z" + text[at + 1 :])
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns + shift))
    after = source.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns + shift)
    load_rules.cache_clear()
    assert find_rule("AGW301", load_rules(rules)).summary.startswith("Z")
    assert len(list(cache.glob("catalog-*"))) == 2


def test_a_damaged_cached_catalog_is_read_again_from_the_rules(tmp_path: Path, cache: Path) -> None:
    rules = _copy_rules(tmp_path)
    expected = load_rules(rules)
    [cached] = cache.glob("catalog-*")
    cached.write_bytes(cached.read_bytes()[:1000])  # truncated (a full disk, a killed writer)
    load_rules.cache_clear()
    assert load_rules(rules) == expected
    assert cached_catalog_of(cached) == json.loads(catalog_text(rules))  # rewritten


@pytest.mark.parametrize("where", [40, -1, -5000])
def test_a_cached_catalog_with_a_byte_changed_is_not_read(
    tmp_path: Path, cache: Path, where: int
) -> None:
    """One byte changed (a disk error, a bad copy) could enable or disable a rule silently: the
    payload's CRC tells, and the rule files decide."""
    rules = _copy_rules(tmp_path)
    expected = load_rules(rules)
    [cached] = cache.glob("catalog-*")
    raw = bytearray(cached.read_bytes())
    raw[where] ^= 0x01
    cached.write_bytes(bytes(raw))
    load_rules.cache_clear()
    assert load_rules(rules) == expected
    assert cached.read_bytes() != bytes(raw)  # not read: built from the rule files and rewritten


def test_a_cached_catalog_of_other_rule_files_is_not_read(tmp_path: Path, cache: Path) -> None:
    """A catalog renamed to the current stamp's name (a cache folder another user can write
    to): it was written for another stamp."""
    rules = _copy_rules(tmp_path)
    expected = load_rules(rules)
    [cached] = cache.glob("catalog-*")
    catalog = cached_catalog_of(cached)
    next(e for e in catalog["rules"] if e["rule"]["code"] == "AGW301")["rule"]["enabled"] = False
    _write(cached, "0badcafe-144", catalog)
    load_rules.cache_clear()
    assert load_rules(rules) == expected


def test_a_sealed_catalog_that_makes_no_rules_gives_way_to_the_rule_files(
    tmp_path: Path, cache: Path
) -> None:
    rules = _copy_rules(tmp_path)
    expected = load_rules(rules)
    [cached] = cache.glob("catalog-*")
    _write(cached, rules_stamp(rules), {"rules": [{"file": "x.yaml", "rule": {}}]})
    load_rules.cache_clear()
    assert load_rules(rules) == expected


def test_an_unwritable_cache_only_costs_speed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = _copy_rules(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # mkdir under a file fails
    assert find_rule("AGW301", load_rules(rules)).name == "method-unauthenticated"
    assert blocker.read_text() == ""


def test_the_cache_keeps_only_recent_catalogs(tmp_path: Path, cache: Path) -> None:
    import os

    from apilint.catalog.registry import CACHE_KEEP

    cache.mkdir(parents=True)
    for n in range(CACHE_KEEP + 4):
        # an older apilint's JSON catalogs are of the kind too
        old = cache / f"catalog-old{n:02d}.{'json' if n % 2 else 'marshal'}"
        old.write_text("{}")
        os.utime(old, (1000 + n, 1000 + n))
    load_rules(_copy_rules(tmp_path))
    kept = sorted(p.name for p in cache.glob("catalog-*"))
    assert len(kept) == CACHE_KEEP + 1
    assert [k for k in kept if k.startswith("catalog-old")] == [
        f"catalog-old{n:02d}.{'json' if n % 2 else 'marshal'}" for n in range(4, CACHE_KEEP + 4)
    ]  # the oldest went


def test_a_packaged_catalog_is_checked_once_then_read_from_the_cache(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed wheel carries the catalog next to the rules (hatch_build.py): the first run
    # checks it against the rule files and caches it; later runs find it by the files' stamp
    # and read no rule file.
    from apilint.catalog import registry

    rules = _copy_rules(tmp_path)
    catalog = json.loads(catalog_text(rules))
    catalog["rules"][0]["rule"]["summary"] = "read from the packaged catalog"
    (rules / CATALOG).write_text(json.dumps(catalog))
    code = catalog["rules"][0]["rule"]["code"]
    assert find_rule(code, load_rules(rules)).summary == "read from the packaged catalog"
    [cached] = cache.glob("catalog-*")
    assert cached_catalog_of(cached) == catalog
    load_rules.cache_clear()

    def unread(directory: Path) -> None:
        raise AssertionError(f"the rule files of {directory} were read")

    monkeypatch.setattr(registry, "_sources", unread)
    assert find_rule(code, load_rules(rules)).summary == "read from the packaged catalog"


def test_a_stale_packaged_catalog_is_not_read(tmp_path: Path, cache: Path) -> None:
    rules = _copy_rules(tmp_path)
    catalog = json.loads(catalog_text(rules))
    catalog["checksum"] = "made from other rule files"
    catalog["rules"][0]["rule"]["summary"] = "stale"
    (rules / CATALOG).write_text(json.dumps(catalog))
    code = catalog["rules"][0]["rule"]["code"]
    assert find_rule(code, load_rules(rules)).summary != "stale"


def test_sync_detects_a_stale_page_and_rewrites_it(tmp_path: Path) -> None:
    assert docs.sync(tmp_path, check=False)  # first run writes everything
    assert docs.sync(tmp_path, check=True) == []
    page = tmp_path / "rules" / "method-unauthenticated.md"
    page.write_text(page.read_text() + "hand edit\n")
    (tmp_path / "rules" / "retired-rule.md").write_text("old\n")
    assert docs.sync(tmp_path, check=True) == [
        "rules/method-unauthenticated.md",
        "rules/retired-rule.md",
    ]
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
    assert (
        "| AGW601 | [resource-quota-exceeded](rules/resource-quota-exceeded.md) | error |" in index
    )


def test_rules_json_is_what_the_rule_files_say(capsys) -> None:
    # Replaces a test that restated rule.schema.json (a count >= 60, required keys non-empty):
    # this one fails when the listing drifts from the YAML (a stale catalog, a field mapped
    # wrongly, the order, a rule missing from the listing).
    import yaml

    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    files = {
        p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (ROOT / "rules").glob("*.yaml")
    }
    assert [r["code"] for r in listed] == sorted(d["code"] for d in files.values())
    for entry in listed:
        raw = files[entry["name"]]
        assert (
            entry["code"],
            entry["severity"],
            entry["category"],
            entry["api"],
            entry["versions"],
            entry["enabled"],
            entry["scope"],
        ) == (
            raw["code"],
            raw["severity"],
            raw["category"],
            raw["api"],
            raw["versions"],
            raw.get("enabled", True),
            raw.get("scope", "definition"),
        ), entry["code"]
        assert entry["summary"] == raw["summary"].strip()
        assert entry["references"] == raw["references"]
        assert [o["name"] for o in entry["options"]] == list(raw.get("options") or {})
    quota = next(r for r in listed if r["code"] == "AGW601")
    assert quota["options"] == [
        {
            "name": "limit",
            "default": 300,
            "schema": {"type": "integer", "minimum": 1},
            "description": "The Resources per API quota of your account "
            "(it is adjustable through Service Quotas).",
        }
    ]
    assert quota["evidence"][0]["quote"] == (
        "Resources/Routes per REST/WebSocket API | Each supported Region: 300 | Yes"
    )


def test_every_rule_has_fixtures_that_raise_it() -> None:
    for rule in load_rules():
        if rule.category == "internal":
            continue  # made by the engine (suppressions), tested in test_engine / suppress
        folder = FIXTURES / "rules" / rule.name
        assert folder.is_dir(), f"{rule.code} {rule.name} has no fixtures"
        declared = set()
        for path in folder.iterdir():
            if path.suffix in (".yaml", ".json", ".tf"):
                declared |= {code for code, _ in expectations(path) | export_expectations(path)}
        assert rule.code in declared, f"no fixture of {rule.name} expects {rule.code}"


def _rule_files() -> list[tuple[str, dict]]:
    """(code, raw data) of every rule file, read without the schema (so a test can name the rule
    even when the schema would refuse to load the catalog)."""
    import yaml

    out = []
    for path in sorted((ROOT / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((data["code"], data))
    return out


_ERROR_RULES = [
    (code, data)
    for code, data in _rule_files()
    if data["severity"] == "error" and data["category"] != "internal"
]


@pytest.mark.parametrize("data", [d for _, d in _ERROR_RULES], ids=[c for c, _ in _ERROR_RULES])
def test_every_error_rule_quotes_its_evidence(data: dict) -> None:
    # The severity contract: `error` only with the AWS message or documentation sentence that
    # shows API Gateway rejects the definition or the API cannot work. No quote, no error.
    evidence = data.get("evidence") or []
    assert evidence, (
        f"{data['code']} {data['name']} is an error without evidence: quote the AWS "
        "message or documentation sentence, or make it a warning"
    )
    for item in evidence:
        assert len(item["quote"].strip()) >= 10
        assert item["source"]["url"].startswith("https://") and item["source"]["title"].strip()


def test_error_rules_are_the_reviewed_ones() -> None:
    # Guards the parametrised test above against an empty list (a broken filter passes vacuously).
    codes = {code for code, _ in _ERROR_RULES}
    assert {"AGW008", "AGW101", "AGW401", "AGW406", "AGW450"} <= codes
    assert not {"AGW302", "AGW306", "AGW402", "AGW003", "AGW508"} & codes  # demoted in review


def test_schema_refuses_an_error_rule_without_evidence(tmp_path: Path, cache: Path) -> None:
    from apilint.catalog.registry import RuleDefinitionError

    rules = _copy_rules(tmp_path)
    source = rules / "cache-key-undeclared.yaml"
    text = source.read_text()
    source.write_text(text[: text.index("evidence:")] + text[text.index("examples:") :])
    with pytest.raises(
        RuleDefinitionError,
        match=r"cache-key-undeclared\.yaml: .*evidence.* is a required property",
    ):
        load_rules(rules)
    # A warning needs none; internal rules (apilint's own crash report) are exempt.
    source.write_text(
        text[: text.index("evidence:")].replace("severity: error", "severity: warning")
        + text[text.index("examples:") :]
    )
    load_rules.cache_clear()
    assert str(find_rule("AGW453", load_rules(rules)).severity) == "warning"


def test_the_registry_refuses_a_reused_code_or_a_misnamed_file(tmp_path: Path, cache: Path) -> None:
    # Replaces a test that restated what load_rules and the schema guarantee (unique codes,
    # non-empty summary): this one fails if those guarantees are lost.
    from apilint.catalog.registry import RuleDefinitionError

    rules = _copy_rules(tmp_path)
    source = rules / "root-security-ignored.yaml"
    text = source.read_text()
    source.write_text(text.replace("code: AGW302", "code: AGW301", 1))
    with pytest.raises(RuleDefinitionError) as caught:
        load_rules(rules)
    assert str(caught.value) == (
        "root-security-ignored.yaml: AGW301 is already used by method-unauthenticated.yaml"
    )
    source.write_text(text)
    source.rename(rules / "root-security.yaml")
    load_rules.cache_clear()
    with pytest.raises(RuleDefinitionError) as caught:
        load_rules(rules)
    assert str(caught.value) == (
        "root-security.yaml: file name must be the rule name 'root-security-ignored'"
    )
    load_rules.cache_clear()


def test_evidence_reaches_explain_json_and_the_rule_page(capsys) -> None:
    rule = find_rule("cache-key-undeclared")
    assert [e.quote for e in rule.evidence] == [
        "To be valid values for cacheKeyParameters, these parameters must also be specified for "
        "Method requestParameters.",
        "BadRequestException: Invalid cache key parameter specified",
    ]
    assert main(["explain", "AGW453"]) == 0
    out = capsys.readouterr().out
    assert (
        'Evidence for severity error:\n  - "BadRequestException: Invalid cache key parameter specified"'
        in out.replace(
            '- "To be valid values for cacheKeyParameters, these parameters must also be '
            'specified for Method requestParameters."\n    (Integration.cacheKeyParameters: '
            "https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html)\n  ",
            "",
        )
    )
    assert main(["rules", "--format", "json"]) == 0
    listed = {r["code"]: r for r in json.loads(capsys.readouterr().out)}
    assert listed["AGW453"]["evidence"][1] == {
        "quote": "BadRequestException: Invalid cache key parameter specified",
        "source": {
            "title": "amazon-archives/aws-apigateway-importer#148 (import error)",
            "url": "https://github.com/amazon-archives/aws-apigateway-importer/issues/148",
        },
    }
    page = docs.rule_page(find_rule("gateway-response-status-invalid"))
    # Quoted AWS text renders literally: the regex's brackets and backslashes are escaped.
    assert (
        "> The HTTP status code for this GatewayResponse. Type: String Pattern: \\[1-5\\]\\\\d\\\\d"
        in page
    )


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_rule_counts_match_the_catalog() -> None:
    import re
    from collections import Counter

    rules = load_rules()
    by_severity = Counter(str(r.severity) for r in rules)
    text = " ".join(_readme().split())
    m = re.search(
        r"(\d+) rules \((\d+) errors: .*?; (\d+) warnings: .*?; (\d+) infos: advice\)", text
    )
    assert m, "README lost its rule count line"
    assert tuple(map(int, m.groups())) == (
        len(rules),
        by_severity["error"],
        by_severity["warning"],
        by_severity["info"],
    )
    by_category = Counter(r.category for r in rules)
    table = {
        row.group(1): int(row.group(2))
        for row in re.finditer(r"^\| ([a-zA-Z, ]+) \(AGW\d[\dx]x\) \| (\d+) \|", _readme(), re.M)
    }
    assert table == {
        "document": by_category["document"],
        "extensions": by_category["extensions"],
        "paths": by_category["paths"],
        "parameters, models": by_category["parameters"] + by_category["models"],
        "security": by_category["security"],
        "integrations": by_category["integrations"],
        "CORS, gateway responses": by_category["cors"],
        "quotas": by_category["quotas"],
        "templates": by_category["templates"],
        "drift": by_category["drift"],
    }


def test_readme_sample_output_is_what_apilint_prints(capsys) -> None:
    from helpers import PITFALLS, run

    sample = _readme().split("$ apilint lint fixtures/examples/pitfalls.yaml\n", 1)[1]
    sample = sample.split("```", 1)[0].rstrip("\n")
    code, out, _ = run(capsys, "lint", str(PITFALLS.relative_to(ROOT)))
    assert code == 1
    # Each finding block the README shows is printed as it stands, and so is the footer.
    blocks = [b for b in sample.split("\n\n") if b != "..."]
    assert len(blocks) == 3
    printed = out.rstrip("\n").split("\n\n")
    for block in blocks:
        assert block in printed, block
