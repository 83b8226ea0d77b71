"""One API written as OpenAPI, as CloudFormation resources and as Terraform resources gives the
same findings by operation (fixtures/equivalence), each at its own file's lines."""

from __future__ import annotations

import pytest
from helpers import FIXTURES

from apilint.engine.run import Settings, lint_path

HERE = FIXTURES / "equivalence"
FRONT_ENDS = {
    "openapi": HERE / "openapi.yaml",
    "cloudformation": HERE / "cloudformation.yaml",
    "terraform": HERE / "terraform" / "main.tf",
}
BY_OPERATION = {
    ("AGW301", "GET /items"),  # open
    ("AGW402", "GET /items"),  # Lambda called with GET
    ("AGW503", "OPTIONS /items"),  # the preflight needs the Lambda authorizer
    ("AGW501", None),  # /orders: PUT without a preflight
    ("AGW401", "PUT /orders"),  # a bare function ARN as the uri
    ("AGW507", None),  # CORS in use, gateway responses without it
}
#: Where each front end reports them: (code, line) in its own file.
LINES = {
    "openapi": {(301, 8), (402, 13), (503, 15), (501, 35), (401, 44), (507, 4)},
    "cloudformation": {(301, 32), (402, 38), (503, 45), (501, 18), (401, 76), (507, 3)},
    "terraform": {(301, 30), (402, 45), (503, 53), (501, 15), (401, 111), (507, 2)},
}


def _findings(name: str) -> list[tuple[str, str | None, int]]:
    results = lint_path(str(FRONT_ENDS[name]), Settings(select=("ALL",)))
    assert [(r.error, r.skipped) for r in results] == [(None, None)]
    return [(f.code, f.operation, f.line) for r in results for f in r.findings]


@pytest.mark.parametrize("name", FRONT_ENDS)
def test_every_front_end_gives_the_same_findings_by_operation(name: str) -> None:
    found = _findings(name)
    assert {(code, operation) for code, operation, _ in found} == BY_OPERATION
    assert len(found) == len(BY_OPERATION)  # none of them twice


@pytest.mark.parametrize("name", FRONT_ENDS)
def test_each_front_end_reports_at_its_own_lines(name: str) -> None:
    assert {(int(code[3:]), line) for code, _, line in _findings(name)} == LINES[name]
