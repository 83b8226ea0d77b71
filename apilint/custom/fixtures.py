"""Fixture annotations (semgrep style), shared by apilint's own tests and `apilint rules test`:

- YAML, Terraform: a comment `# expect: CODE[, CODE]` names findings on the next line;
- JSON (no comments): a sidecar `<file>.expect`, one `CODE LINE` pair a line (`#` comments);
- `# options: {...}` in the first five lines (or in the sidecar) sets the rule's options.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_EXPECT = re.compile(r"#\s*expect:\s*(.+)$")
_OPTIONS = re.compile(r"#\s*options:\s*(\{.*\})\s*$")
#: The files a fixture folder may hold (sidecars and account data are read beside them).
SUFFIXES = (".yaml", ".yml", ".json", ".tf")


def expectations(path: Path) -> set[tuple[str, int]]:
    """(code, line) pairs a fixture declares."""
    if path.suffix == ".json":
        sidecar = path.with_name(path.name + ".expect")
        pairs = set()
        for line in sidecar.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                code, number = line.split()[:2]
                pairs.add((code, int(number)))
        return pairs
    pairs = set()
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = _EXPECT.search(line)
        if m and line.strip().startswith("#"):
            for code in m.group(1).split(","):
                pairs.add((code.strip(), i + 2))
    return pairs


def fixture_options(path: Path) -> dict[str, Any]:
    """The `# options: {...}` of a fixture (its sidecar's for JSON), or {}."""
    if path.suffix == ".json":
        lines = path.with_name(path.name + ".expect").read_text(encoding="utf-8").splitlines()
    else:
        lines = path.read_text(encoding="utf-8").splitlines()[:5]
    for line in lines:
        m = _OPTIONS.search(line)
        if m:
            options: dict[str, Any] = json.loads(m.group(1))
            return options
    return {}
