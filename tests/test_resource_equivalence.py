"""One API, written as OpenAPI, as CloudFormation resources and as Terraform resources
(fixtures/equivalence/), gives the same findings by operation: the front ends fill in one gateway
model. A new front end adds its file to FORMS. The messages name each form's own keys,
properties or arguments (apilint.model.wording; tests/test_wording.py pins them): spoken in
OpenAPI's words, they are the same, so the facts they report are."""

from __future__ import annotations

import pytest
from helpers import FIXTURES

from apilint.catalog.registry import load_rules
from apilint.engine.run import Settings, lint_path
from apilint.model import wording

EQUIVALENT = FIXTURES / "equivalence"
FORMS = ["cloudformation.yaml", "terraform/main.tf"]


def findings_by_operation(path: str) -> set[tuple[str, str | None, str]]:
    """(code, operation, message) of every finding of the rules that run on resources."""
    document_only = {r.code for r in load_rules() if r.needs_document}
    return {
        (f.code, f.operation, f.message)
        for result in lint_path(path, Settings())
        for f in result.findings
        if f.code not in document_only
    }


def outline(path: str) -> list[tuple[str | None, list[tuple[str, tuple[str, ...]]]]]:
    """The API kind and the resources with their methods, as the model has them."""
    return [(r.api_kind, r.outline) for r in lint_path(path, Settings())]


@pytest.mark.parametrize("form", FORMS)
def test_the_same_api_gives_the_same_findings(form: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # every form spoken in OpenAPI's words: what differs then is a fact of the model
    monkeypatch.setattr(wording, "front_end", lambda doc: "openapi")
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
    assert outline(str(EQUIVALENT / form)) == outline(str(EQUIVALENT / "openapi.yaml"))


#: A second API (fixtures/equivalence/authorizer/): a preflight behind a Lambda authorizer and a
#: bare function ARN, with every rule selected; each form reports at its own lines.
AUTHORIZER = EQUIVALENT / "authorizer"
AUTHORIZER_FORMS = {
    "openapi.yaml": {(301, 8), (402, 13), (503, 15), (501, 35), (401, 44), (507, 4)},
    "cloudformation.yaml": {(301, 32), (402, 38), (503, 45), (501, 18), (401, 76), (507, 3)},
    "terraform/main.tf": {(301, 30), (402, 45), (503, 53), (501, 15), (401, 111), (507, 2)},
}


@pytest.mark.parametrize("form", AUTHORIZER_FORMS)
def test_every_form_of_the_authorizer_api_reports_alike_at_its_own_lines(form: str) -> None:
    results = lint_path(str(AUTHORIZER / form), Settings(select=("ALL",)))
    assert [(r.error, r.skipped) for r in results] == [(None, None)]
    found = [(f.code, f.operation, f.line) for r in results for f in r.findings]
    assert sorted((code, op or "") for code, op, _ in found) == [
        ("AGW301", "GET /items"),  # open
        ("AGW401", "PUT /orders"),  # a bare function ARN as the uri
        ("AGW402", "GET /items"),  # Lambda called with GET
        ("AGW501", ""),  # /orders: PUT without a preflight
        ("AGW503", "OPTIONS /items"),  # the preflight needs the Lambda authorizer
        ("AGW507", ""),  # CORS in use, gateway responses without it
    ]
    assert {(int(code[3:]), line) for code, _, line in found} == AUTHORIZER_FORMS[form]
