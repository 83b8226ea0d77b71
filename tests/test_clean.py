"""Correct definitions (REST OAS 3.0 YAML, REST Swagger 2.0 JSON, HTTP API) draw no error or
warning from any rule: the pitfalls' rules are not allowed to be noisy."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES

from apilint.common.findings import Severity
from apilint.engine.run import Settings, lint_file

CLEAN = sorted((FIXTURES / "clean").iterdir())


@pytest.mark.parametrize("path", CLEAN, ids=[p.name for p in CLEAN])
def test_correct_definition_has_no_error_or_warning(path: Path) -> None:
    result = lint_file(str(path), Settings())
    assert result.error is None and result.skipped is None
    assert [
        (f.code, f.line, f.message) for f in result.findings if f.severity >= Severity.WARNING
    ] == []
    assert result.api_kind == ("http" if path.name.startswith("http") else "rest")


def test_the_clean_set_covers_the_shapes_that_must_not_be_flagged() -> None:
    text = "\n".join(p.read_text() for p in CLEAN)
    for construct in (
        "x-amazon-apigateway-any-method",
        "{proxy+}",
        "options",
        "${stageVariables.",
        "${AWS::Region}",
        "x-amazon-apigateway-cors",
        '"swagger": "2.0"',
    ):
        assert construct in text, construct
