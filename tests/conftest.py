from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

_EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
_OPTIONS = re.compile(r"#\s*options:\s*(\{.*\})\s*$")


def expectations(path: Path) -> set[tuple[str, int]]:
    """(code, line) pairs a fixture declares.

    YAML: a `# expect: CODE[, CODE]` comment names findings on the next line.
    JSON: a sidecar `<file>.expect` with one `CODE LINE` pair per line (reviewed by hand).
    """
    if path.suffix == ".json":
        sidecar = path.with_name(path.name + ".expect")
        pairs = set()
        for line in sidecar.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                code, number = line.split()[:2]
                pairs.add((code, int(number)))
        return pairs
    pairs = set()
    lines = path.read_text().splitlines()
    for i, line in enumerate(lines):
        m = _EXPECT.search(line)
        if m and line.strip().startswith("#"):
            for code in m.group(1).split(","):
                pairs.add((code.strip(), i + 2))
    return pairs


def fixture_options(path: Path) -> dict:
    if path.suffix == ".json":
        sidecar = path.with_name(path.name + ".expect")
        for line in sidecar.read_text().splitlines():
            m = _OPTIONS.search(line)
            if m:
                return json.loads(m.group(1))
        return {}
    for line in path.read_text().splitlines()[:5]:
        m = _OPTIONS.search(line)
        if m:
            return json.loads(m.group(1))
    return {}


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS
