"""One API, written as OpenAPI and as CloudFormation resources (fixtures/equivalence/), gives
the same findings by operation: the front ends fill in one gateway model. A new front end
(Terraform resources) adds its file to FORMS."""

from __future__ import annotations

import pytest
from helpers import FIXTURES

from apilint.catalog.registry import load_rules
from apilint.engine.run import Settings, lint_path

EQUIVALENT = FIXTURES / "equivalence"
FORMS = ["cloudformation.yaml"]


def findings_by_operation(path: str) -> set[tuple[str, str | None, str]]:
    """(code, operation, message) of every finding of the rules that run on resources."""
    document_only = {r.code for r in load_rules() if r.needs_document}
    return {
        (f.code, f.operation, f.message)
        for result in lint_path(path, Settings())
        for f in result.findings
        if f.code not in document_only
    }


@pytest.mark.parametrize("form", FORMS)
def test_the_same_api_gives_the_same_findings(form: str) -> None:
    expected = findings_by_operation(str(EQUIVALENT / "openapi.yaml"))
    # the API is written to break these, so a front end that builds nothing cannot pass
    assert {(code, op) for code, op, _ in expected} == {
        ("AGW301", "GET /items"),
        ("AGW402", "POST /items"),
        ("AGW502", "OPTIONS /items"),
        ("AGW501", None),
        ("AGW507", None),
    }
    assert findings_by_operation(str(EQUIVALENT / form)) == expected
