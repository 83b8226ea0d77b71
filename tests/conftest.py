from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

#: The bundled example and the six rules it demonstrates (the catalog grows; output tests that
#: pin exact text select these).
PITFALLS = FIXTURES / "examples" / "pitfalls.yaml"
PITFALL_RULES = ("AGW201", "AGW301", "AGW302", "AGW401", "AGW402", "AGW501")
#: (code, line) of every finding in pitfalls.yaml with every rule enabled.
PITFALL_ALL = {("AGW507", 2), ("AGW302", 4), ("AGW501", 7), ("AGW301", 8), ("AGW201", 10),
               ("AGW402", 21), ("AGW401", 22)}

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


def rendered(module: Any, results: list[Any]) -> str:
    """What a report module renders for `results`, without colour."""
    out = io.StringIO()
    module.render(results, out, False)
    return out.getvalue()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    from apilint.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS
