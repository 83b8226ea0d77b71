"""Mutate real definitions and check that apilint survives every one of them.

Shared by tests/test_fuzz.py (a bounded run in CI) and scripts/fuzz.py (a long run). The
mutations are those of hand-edited and generated definitions gone wrong: keys deleted, values
of the wrong type, odd scalars, deep nesting, duplicated paths and keys, and truncated text.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from apilint.cli import main
from apilint.registry import load_rules

from conftest import CORPUS, FIXTURES

SOURCES = sorted(
    [p for p in (CORPUS / "real").glob("*") if p.suffix in (".yaml", ".json")]
    + [p for p in (FIXTURES / "clean").glob("*") if p.suffix in (".yaml", ".json")]
    + [FIXTURES / "examples" / "pitfalls.yaml"]
    + sorted((FIXTURES / "rules").glob("*/swagger2-rest.yaml"))[:6]
    + sorted((FIXTURES / "rules").glob("*/http.yaml"))[:6]
    # CloudFormation templates with embedded definitions (JSON: no short tags to lose).
    + [FIXTURES / "templates" / "cloudformation-json" / "template.json",
       FIXTURES / "rules" / "lambda-reference-dangling" / "cloudformation.json"])

ODD_VALUES: list[Any] = [None, True, 0, -1, 1e308, "", "${var}", "é\u202e", "x" * 5000, [], {},
                         [[[[[]]]]], {"$ref": "#/nowhere"}, {"$ref": "#"}, {"$ref": "http://x/y"},
                         {"$ref": "../../etc/passwd"}, {"Fn::Sub": "arn:${AWS::Region}"},
                         "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations",
                         {"type": "object", "properties": {"a": {"type": "array"}}}]


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


_CACHE: dict[Path, Any] = {}


def source_data(path: Path) -> Any:
    if path not in _CACHE:
        _CACHE[path] = _load(path)
    return copy.deepcopy(_CACHE[path])


def _containers(node: Any) -> list[Any]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (dict, list)):
            out.append(n)
            stack.extend(n.values() if isinstance(n, dict) else n)
    return out


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[str, str]:
    """(file suffix, text) of a mutated real definition."""
    source = draw(st.sampled_from(SOURCES))
    data = source_data(source)
    for _ in range(draw(st.integers(1, 4))):
        nodes = _containers(data)
        if not nodes:
            break
        node = nodes[draw(st.integers(0, len(nodes) - 1))]
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            continue
        key = keys[draw(st.integers(0, len(keys) - 1))]
        action = draw(st.sampled_from(["delete", "odd", "swap", "nest", "duplicate-path"]))
        if action == "delete":
            del node[key]
        elif action == "odd":
            node[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif action == "swap":  # a scalar where a container was, or a list where a map was
            value = node[key]
            node[key] = [value] if isinstance(value, dict) else (
                {"value": value} if isinstance(value, list) else [value])
        elif action == "nest":
            deep: Any = "bottom"
            for _ in range(draw(st.integers(50, 400))):
                deep = {"a": deep}
            node[key] = deep
        elif isinstance(data, dict) and isinstance(data.get("paths"), dict) and data["paths"]:
            paths = data["paths"]
            first = next(iter(paths))
            twin = re.sub(r"\{[^}]*\}", "{other}", first) if "{" in first else first + "/"
            paths[twin] = copy.deepcopy(paths[first])
    as_json = draw(st.booleans()) if source.suffix == ".yaml" else True
    if as_json:
        text = json.dumps(data, indent=draw(st.sampled_from([None, 2])), default=str)
    else:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
        if draw(st.booleans()) and "\npaths:" in text:
            text += "paths: {}\n"  # a duplicate top-level key
    if draw(st.integers(0, 9)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # truncated mid-write
    return (".json" if as_json else ".yaml"), text


def check_survives(path: Path) -> None:
    """Lint `path` in every format: exit 0/1/2, no traceback, only well-formed findings."""
    codes = {r.code for r in load_rules()}
    lines = path.read_text(encoding="utf-8", errors="replace").count("\n") + 1
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["lint", str(path), "-f", "json", "-f", "text=/dev/null",
                       "-f", "sarif=/dev/null", "-f", "html=/dev/null", "-f", "junit=/dev/null"])
    assert status in (0, 1, 2), status
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert "internal error" not in err.getvalue(), err.getvalue()
    payload = json.loads(out.getvalue())
    if status == 2:
        assert payload["errors"] and err.getvalue().count("\n") == 1, err.getvalue()
    assert not payload["internal_errors"], payload["internal_errors"]
    for f in payload["results"]:
        assert f["code"] in codes, f
        assert 1 <= f["line"] <= lines and f["column"] >= 1, f
        assert f["message"] and f["severity"] in ("error", "warning", "info"), f
