"""The entry point for APIs built without an OpenAPI body (apilint.document.resources) and the
rules' `needs`: findings point at the resource property, document-only rules do not run."""

from __future__ import annotations

from pathlib import Path

from apilint.catalog.explain import explain_text
from apilint.catalog.registry import load_rules
from apilint.document.loader import read_document
from apilint.document.model import Document
from apilint.document.resources import resource_document
from apilint.engine.run import Settings, run_rules

TEMPLATE = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      AuthorizationType: NONE
      Integration:
        Type: MOCK
"""


def _doc(tmp_path: Path) -> Document:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE)
    holder = read_document(path, str(path), 1 << 20)
    assert isinstance(holder, Document)
    method = ("Resources", "Get", "Properties")
    data = {
        "openapi": "3.0.1",
        "info": {"title": "Api", "version": "1"},
        "paths": {
            "/": {
                "get": {
                    "x-amazon-apigateway-integration": {"type": "mock"},
                    # a keyword OpenAPI does not know: only a document rule would report it
                    "x-unknown": 1,
                    "bogus": 1,
                }
            }
        },
    }
    moves = {
        ("paths", "/"): ("Resources", "Api"),
        ("paths", "/", "get"): method,
        ("paths", "/", "get", "x-amazon-apigateway-integration"): method + ("Integration",),
    }
    return resource_document(
        holder, data, moves, built_from="CloudFormation resources", kind="rest", label="Api"
    )


def test_a_finding_points_at_the_resource_property(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    settings = Settings(select=("method-unauthenticated", "integration-responses-missing"))
    found = {
        (f.code, f.span.line, f.pointer, f.operation) for f in run_rules(doc, settings).findings
    }
    assert found == {
        ("AGW301", 6, "/Resources/Get/Properties", "GET /"),
        ("AGW427", 9, "/Resources/Get/Properties/Integration", "GET /"),
    }


def test_rules_that_need_the_document_do_not_run(tmp_path: Path) -> None:
    doc = _doc(tmp_path)
    settings = Settings(select=("schema-invalid", "openapi-schema-violation", "unknown-extension"))
    as_openapi = run_rules(
        read_document(_write(tmp_path, doc), "api.yaml", 1 << 20),  # type: ignore[arg-type]
        settings,
    )
    assert as_openapi.findings, "the same document written as OpenAPI must raise them"
    assert run_rules(doc, settings).findings == []


def _write(tmp_path: Path, doc: Document) -> Path:
    import json

    path = tmp_path / "api.json"
    path.write_text(json.dumps(doc.data))
    return path


def test_every_rule_says_where_it_runs() -> None:
    rules = {r.name: r for r in load_rules()}
    assert rules["method-unauthenticated"].needs == {"auth"}
    assert "document" in rules["schema-invalid"].needs
    assert rules["schema-invalid"].where_it_runs.startswith("OpenAPI definitions only")
    assert "CloudFormation resources" in rules["lambda-uri-invalid"].where_it_runs
    assert "Runs on: OpenAPI definitions, and APIs built from CloudFormation" in explain_text(
        rules["method-unauthenticated"]
    )
