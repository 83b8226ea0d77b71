"""Speed work must not change results: the Stripe document's findings are pinned by digest,
and its YAML rendering must give exactly the findings of its JSON rendering."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SHARED, require_shared

from apilint.engine.run import Settings, lint_file

PERF = SHARED / "perfcorpus"


@pytest.fixture(autouse=True)
def _perfcorpus() -> None:
    require_shared("perfcorpus")


#: sha256 over the sorted (code, line, column, pointer, message) lines of large-stripe.json.
#: Stripe's spec is not an API Gateway definition: 452 operations without integrations (AGW403,
#: and open: AGW301), 738 model names with dots or underscores (AGW250), `nullable` and friends
#: (AGW251), and so on; the count moves when a rule is added, the digest when any finding does.
STRIPE_DIGEST = "0232e4df10a1205f6b273e5db38959fe086a8f18883c86f4edcc1603126267a3"
STRIPE_COUNT = 5475


def _lines(path: Path) -> list[str]:
    result = lint_file(str(path), Settings())
    assert result.error is None
    return sorted(
        f"{f.code}\t{f.line}\t{f.column}\t{f.pointer}\t{f.message}" for f in result.findings
    )


def test_stripe_findings_digest() -> None:
    lines = _lines(PERF / "large-stripe.json")
    assert len(lines) == STRIPE_COUNT
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == STRIPE_DIGEST


def test_stripe_yaml_and_json_agree() -> None:
    def by_pointer(path: Path) -> set[tuple[str, str, str]]:
        result = lint_file(str(path), Settings())
        return {(f.code, f.pointer, f.message) for f in result.findings}

    assert by_pointer(PERF / "large-stripe.yaml") == by_pointer(PERF / "large-stripe.json")


def test_generated_export_is_clean_at_the_quota_edge(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate_export import generate

    path = tmp_path / "export.yaml"
    path.write_text(generate())
    result = lint_file(str(path), Settings())
    assert result.error is None and result.findings == []
    from apilint.document import load_document
    from apilint.document.refs import Workspace
    from apilint.model import build_api

    doc = load_document(path)
    ws = Workspace(doc)
    ws.scan()
    api = build_api(doc, ws)
    assert (len(api.resources), len(api.methods)) == (300, 1500)


def test_bulk_json_locator_matches_the_incremental_one() -> None:
    # Past JsonLocator.BULK_AFTER lookups a rapidyaml parse locates the rest: same spans.
    from apilint.document import load_document
    from apilint.document.pointer import decode
    from apilint.document.ryml_loader import json_locator
    from apilint.document.source import JsonLocator

    path = PERF / "large-stripe.json"
    pointers = [decode(f.pointer) for f in lint_file(str(path), Settings()).findings]
    text = load_document(path).locator.text
    incremental, bulk = JsonLocator(text), json_locator(text)
    incremental.BULK_AFTER = len(pointers) + 1
    assert bulk is not None
    assert [bulk.span(t) for t in pointers] == [incremental.span(t) for t in pointers]
