"""Format-preserving edits (apilint.document.edit): the text outside each edit keeps its bytes,
and what is inserted reads back as the data that was asked for."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from apilint.common.fixes import Edit, Fix
from apilint.document import Document, load_document
from apilint.document.definitions import load_definitions
from apilint.document.edit import (
    add_entries,
    append_items,
    computing,
    make_fix,
    patched,
    remove,
    set_value,
)
from apilint.document.model import Sources
from apilint.document.pointer import get

YAML = """openapi: 3.0.1  # top
info: {title: t, version: '1'}
paths:
  /a:
    get:  # comment
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: GET   # wrong
        uri: arn
      security:
        - a: []
      tags: [x]
components:
  securitySchemes: {}
"""

JSON = (
    '{\r\n    "openapi": "3.0.1",\r\n    "info": {"title": "t", "version": "1"},\r\n'
    '    "paths": {\r\n        "/a": {\r\n            "get": {\r\n'
    '                "responses": {}\r\n            }\r\n        }\r\n    }\r\n}\r\n'
)

OPTIONS = {"security": [], "responses": {"200": {"description": "ok"}}, "x-l": ["a", {"b": 1}]}


@pytest.fixture(autouse=True)
def _computing() -> Iterator[None]:
    with computing():
        yield


def doc_of(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / name
    path.write_bytes(text.encode())
    loaded = load_document(path)
    assert isinstance(loaded, Document)
    return loaded


def applied(doc: Document, edits: tuple[Edit, ...] | None) -> str:
    assert edits is not None
    out = patched(doc, edits)
    assert out is not None
    return out


def reread(tmp_path: Path, name: str, text: str) -> Any:
    return doc_of(tmp_path, "again-" + name, text).data


def test_set_value_keeps_the_comment_and_the_rest(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    out = applied(doc, set_value(doc, METHOD, "POST"))
    assert out == YAML.replace("httpMethod: GET   # wrong", "httpMethod: POST   # wrong")


def test_set_value_keeps_the_quotes_of_the_value_it_replaces(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    out = applied(doc, set_value(doc, ("info", "version"), "2"))
    assert "version: '2'}" in out and out.count("\n") == YAML.count("\n")


def test_add_entries_to_a_block_mapping_renders_nested_block_yaml(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    out = applied(doc, add_entries(doc, ("paths", "/a"), {"options": OPTIONS}))
    assert out.startswith(YAML.split("components:")[0])
    assert out.endswith("components:\n  securitySchemes: {}\n")
    assert "    options:\n      security: []\n      responses:\n        '200':\n" in out
    data = reread(tmp_path, "a.yaml", out)
    assert data["paths"]["/a"]["options"] == OPTIONS
    assert data["paths"]["/a"]["get"] == doc.data["paths"]["/a"]["get"]


def test_add_entries_to_flow_mappings_quotes_what_needs_it(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    out = applied(doc, add_entries(doc, ("info",), {"x": "'*'", "y": "a: b"}))
    assert "info: {title: t, version: '1', x: \"'*'\", y: 'a: b'}\n" in out
    empty = applied(doc, add_entries(doc, ("components", "securitySchemes"), {"k": {"t": 1}}))
    assert empty.endswith("securitySchemes: {k: {t: 1}}\n")
    assert reread(tmp_path, "b.yaml", out)["info"]["x"] == "'*'"


def test_append_items_to_block_and_flow_sequences(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    get_ = ("paths", "/a", "get")
    block = applied(doc, append_items(doc, (*get_, "security"), [{"b": []}]))
    assert "        - a: []\n        - b: []\n      tags: [x]\n" in block
    flow = applied(doc, append_items(doc, (*get_, "tags"), ["y z"]))
    assert "tags: [x, y z]\n" in flow
    assert get(reread(tmp_path, "a.yaml", block), (*get_, "security")) == [{"a": []}, {"b": []}]


def test_remove_takes_whole_lines_in_block_style(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    out = applied(doc, remove(doc, ("paths", "/a", "get", "tags")))
    assert out == YAML.replace("      tags: [x]\n", "")
    only = doc_of(tmp_path, "b.yaml", "openapi: 3.0.1\npaths:\n  /a:\n    get: {}\n")
    assert remove(only, ("paths", "/a", "get")) is None  # never a mapping's only entry


def test_json_keeps_crlf_indent_and_separators(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.json", JSON)
    out = applied(doc, add_entries(doc, ("paths", "/a"), {"options": {"security": []}}))
    assert out == JSON.replace(
        "            }\r\n        }",
        '            },\r\n            "options": {\r\n                "security": []\r\n'
        "            }\r\n        }",
    )
    inline = applied(doc, add_entries(doc, ("info",), {"x": 1}))
    assert '"info": {"title": "t", "version": "1", "x": 1},' in inline
    assert applied(doc, set_value(doc, ("info", "title"), "T")) == JSON.replace('"t"', '"T"')
    assert applied(doc, remove(doc, ("info", "title"))) == JSON.replace('"title": "t", ', "")


def test_crlf_yaml_gets_crlf_lines(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML.replace("\n", "\r\n"))
    out = applied(doc, add_entries(doc, ("paths", "/a"), {"options": {"security": []}}))
    assert "\r\n    options:\r\n      security: []\r\ncomponents:" in out
    assert "\n" not in out.replace("\r\n", "")


def test_aliases_anchors_and_generated_nodes_have_no_edit(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.1\nx-h: &h {a: 1}\npaths:\n  /a:\n    get:\n"
        "      x-y: *h\n      responses: {}\n"
    )
    doc = doc_of(tmp_path, "a.yaml", text)
    assert add_entries(doc, ("x-h",), {"b": 2}) is None
    assert set_value(doc, ("paths", "/a", "get", "x-y", "a"), 3) is None
    assert set_value(doc, ("paths", "/b"), 1) is None
    assert make_fix("t", "safe", set_value(doc, ("paths", "/b"), 1)) is None


#: Where the integration method of GET /a is.
METHOD = ("paths", "/a", "get", "x-amazon-apigateway-integration", "httpMethod")


def embedded(path: Path, text: str) -> Document:
    """The definition a template (SAM, Terraform) at `path` holds."""
    path.write_text(text)
    sources = load_definitions(str(path), str(path), 10**7, False)
    assert isinstance(sources, Sources) and len(sources.docs) == 1
    return sources.docs[0]


def test_definition_inside_a_sam_template_is_edited_in_the_template(tmp_path: Path) -> None:
    template = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
        "    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n"
        "      DefinitionBody:\n        openapi: 3.0.1\n        info: {title: t, version: '1'}\n"
        "        paths:\n          /a:\n            get:\n              responses: {}\n"
        "              x-amazon-apigateway-integration:\n                type: aws_proxy\n"
        "                httpMethod: GET\n                uri: arn\n"
    )
    doc = embedded(tmp_path / "template.yaml", template)
    fix = make_fix("Use POST", "safe", set_value(doc, METHOD, "POST"))
    assert isinstance(fix, Fix) and fix.applicability == "safe"
    out = applied(doc, fix.edits)
    assert out == template.replace("httpMethod: GET", "httpMethod: POST")
    added = applied(doc, add_entries(doc, ("paths", "/a"), {"options": {"security": []}}))
    assert "                uri: arn\n            options:\n              security: []\n" in added
    assert yaml.safe_load(added)["Resources"]["Api"]["Properties"]["DefinitionBody"]["paths"]["/a"][
        "options"
    ] == {"security": []}


def test_terraform_jsonencode_takes_plain_value_changes_only(tmp_path: Path) -> None:
    tf = (
        'resource "aws_api_gateway_rest_api" "api" {\n  name = "x"\n  body = jsonencode({\n'
        '    openapi = "3.0.1"\n    info = { title = "t", version = "1" }\n    paths = {\n'
        '      "/a" = {\n        get = {\n          x-amazon-apigateway-integration = {\n'
        '            type       = "aws_proxy"\n            httpMethod = "GET"\n'
        '            uri        = "arn"\n          }\n        }\n      }\n    }\n  })\n}\n'
    )
    doc = embedded(tmp_path / "main.tf", tf)
    out = applied(doc, set_value(doc, METHOD, "POST"))
    assert out == tf.replace('httpMethod = "GET"', 'httpMethod = "POST"')
    assert add_entries(doc, ("paths", "/a"), {"options": {}}) is None
    assert set_value(doc, ("paths", "/a", "get"), {"a": 1}) is None


def test_set_value_turns_a_block_collection_into_an_empty_flow_one(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    out = applied(doc, set_value(doc, ("paths", "/a", "get", "security"), []))
    assert out == YAML.replace("      security:\n        - a: []\n", "      security: []\n")
    assert set_value(doc, ("paths", "/a", "get", "security"), [{"b": []}]) is None


def test_nothing_is_computed_unless_asked(tmp_path: Path) -> None:
    doc = doc_of(tmp_path, "a.yaml", YAML)
    with computing(False):
        assert set_value(doc, ("info", "title"), "T") is None
    assert set_value(doc, ("info", "title"), "T") is not None


def test_an_api_built_from_resources_gets_no_edits(tmp_path: Path) -> None:
    # Its document is the OpenAPI written for the resources, laid over the template's text: the
    # root's tokens are the template's root, where `x-amazon-apigateway-gateway-responses` would
    # become a template section CloudFormation refuses ('Invalid template property').
    template = (
        "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n"
        "      Name: a\n  Get:\n    Type: AWS::ApiGateway::Method\n    Properties:\n"
        "      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n"
        "      HttpMethod: GET\n      AuthorizationType: NONE\n"
        "      Integration: {Type: MOCK}\n"
    )
    doc = embedded(tmp_path / "template.yaml", template)
    assert doc.built_from == "CloudFormation resources"
    assert add_entries(doc, (), {"x-amazon-apigateway-gateway-responses": {}}) is None
    assert set_value(doc, ("info", "title"), "T") is None
    assert remove(doc, ("info",)) is None
