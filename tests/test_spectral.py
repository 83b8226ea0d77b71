"""`apilint lint --ruleset` side by side with the real Spectral CLI (@stoplight/spectral-cli 6,
installed by .ci/run in .ci/tools/spectral): on the same files with the same ruleset, both
report the same (rule, line) pairs; the rules apilint cannot run are listed as notes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import CORPUS, ROOT, corpus_params, require_shared, require_tool, run

DATA = ROOT / "tests" / "data" / "spectral"
RULESET = DATA / "ruleset.yaml"
SPECTRAL = ROOT / ".ci" / "tools" / "spectral" / "node_modules" / ".bin" / "spectral"
INSTALL = (
    "npm install --prefix .ci/tools/spectral --no-save --no-audit --no-fund "
    "@stoplight/spectral-cli@6"
)
#: The fixture's rules apilint cannot run: a custom JavaScript function and a JavaScript filter.
#: Spectral runs them; apilint lists each as a note, so they are left out of the comparison.
NOT_RUN = {"few-paths", "internal-operations-use-iam"}
#: Our own definitions: OpenAPI 3 in YAML, Swagger 2.0 in JSON (the corpus adds the other two
#: combinations: Swagger 2.0 YAML, OpenAPI 3 JSON), and $refs Spectral resolves: shared and
#: circular definitions, and a rule that reads the document as written (`resolved: false`).
OWN = [DATA / "petstore-oas3.yaml", DATA / "petstore-swagger.json", DATA / "refs-oas3.yaml"]

Pairs = set[tuple[str, int]]


def _rule_names() -> set[str]:
    """The rules the fixture ruleset and the one it extends define (Spectral also reports its
    own diagnostics, `parser`, `invalid-ref`, `unrecognized-format`, which are no rules)."""
    names: set[str] = set()
    for name in ("ruleset.yaml", "base.yaml"):
        names.update(yaml.safe_load((DATA / name).read_text())["rules"])
    return names


def _spectral(paths: list[Path]) -> dict[str, Pairs]:
    """Spectral's (rule, 1-based start line) pairs per file (realpath)."""
    done = subprocess.run(
        [str(SPECTRAL), "lint", "-q", "-f", "json", "-r", str(RULESET), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: it found errors
    names = _rule_names()
    out: dict[str, Pairs] = {os.path.realpath(p): set() for p in paths}
    for result in json.loads(done.stdout):
        if result["code"] in names:
            line = result["range"]["start"]["line"] + 1  # Spectral's ranges are 0-based
            out[os.path.realpath(result["source"])].add((result["code"], line))
    return out


def _apilint(capsys: pytest.CaptureFixture[str], paths: list[Path]) -> tuple[dict[str, Pairs], Any]:
    code, out, err = run(capsys, "lint", "-f", "json", "--ruleset", str(RULESET), *map(str, paths))
    assert code in (0, 1), err
    report = json.loads(out)
    found: dict[str, Pairs] = {os.path.realpath(p): set() for p in paths}
    for finding in report["results"]:
        prefix, _, name = finding["code"].partition("/")
        if prefix == "spectral":
            found[os.path.realpath(finding["file"])].add((name, finding["line"]))
    return found, report


def _corpus() -> list[Path]:
    folder = CORPUS / "real"
    return sorted(folder.iterdir()) if folder.is_dir() else []


@pytest.fixture(scope="module")
def spectral_found() -> dict[str, Pairs]:
    """Spectral's pairs for our definitions and the corpus, from one run (node starts once)."""
    require_tool(SPECTRAL.exists(), f"the Spectral CLI ({SPECTRAL})", INSTALL)
    return _spectral(OWN + _corpus())


def _compare(
    capsys: pytest.CaptureFixture[str], theirs: dict[str, Pairs], paths: list[Path]
) -> None:
    ours, report = _apilint(capsys, paths)
    for path in paths:
        key = os.path.realpath(path)
        expected = {pair for pair in theirs[key] if pair[0] not in NOT_RUN}
        got = {pair for pair in ours[key] if pair[0] not in NOT_RUN}
        assert got == expected, path.name
    assert {n["rule"] for n in report["notes"]} == NOT_RUN


@pytest.mark.slow  # runs node
def test_own_definitions_side_by_side(
    spectral_found: dict[str, Pairs], capsys: pytest.CaptureFixture[str]
) -> None:
    reported = {rule for p in OWN for rule, _ in spectral_found[os.path.realpath(p)]}
    # The fixture is meant to exercise every rule: a vacuous comparison would prove nothing.
    assert reported == _rule_names() - {
        "operation-summary-optional"  # recommended: false in base.yaml, so off
    }
    _compare(capsys, spectral_found, OWN)


@pytest.mark.slow  # runs node
@pytest.mark.parametrize("path", corpus_params("real"), ids=lambda p: getattr(p, "name", str(p)))
def test_corpus_side_by_side(
    spectral_found: dict[str, Pairs], capsys: pytest.CaptureFixture[str], path: Path | None
) -> None:
    require_shared("corpus")
    assert path is not None
    _compare(capsys, spectral_found, [path])


def test_the_corpus_covers_both_versions_in_both_syntaxes() -> None:
    """With OWN, the side by side covers Swagger 2.0 and OpenAPI 3 in YAML and in JSON from
    real definitions too."""
    manifest = json.loads(require_shared("corpus", "manifest.json").read_text())
    kinds = {
        (e["oas_version"].split()[0], e["format"])
        for e in manifest
        if e["file"].startswith("real/") and (CORPUS / e["file"]).exists()
    }
    assert {
        ("swagger", "yaml"),
        ("swagger", "json"),
        ("openapi", "yaml"),
        ("openapi", "json"),
    } <= kinds
