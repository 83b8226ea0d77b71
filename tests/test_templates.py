"""Definitions where teams keep them: CloudFormation/SAM templates, Terraform, split files.

Each folder under fixtures/templates/ is linted as a directory (the way CI runs apilint) and
must yield exactly the (rule, file, line) set its expected.txt lists.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, run

from apilint.document.cfn import render
from apilint.document.terraform import substitute
from apilint.engine import Settings, lint_path

FORMS = sorted(p for p in (FIXTURES / "templates").iterdir() if p.is_dir())


def expected(folder: Path) -> set[tuple[str, str, int]]:
    out = set()
    for line in (folder / "expected.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            code, where = line.split()
            file, number = where.rsplit(":", 1)
            out.add((code, file, int(number)))
    return out


def found(capsys: pytest.CaptureFixture[str], *argv: str, base: Path
          ) -> tuple[int, set[tuple[str, str, int]], str]:
    code, out, err = run(capsys, "lint", "--format", "json", *argv)
    results = json.loads(out)["results"]
    return code, {(f["code"], Path(os.path.relpath(f["file"], base)).as_posix(), f["line"])
                  for f in results}, err


@pytest.mark.parametrize("folder", FORMS, ids=[p.name for p in FORMS])
def test_template_form_yields_exactly_the_reviewed_findings(capsys, folder: Path) -> None:
    code, findings, err = found(capsys, str(folder), base=folder)
    assert findings == expected(folder)
    assert code == 1 and "error" not in err.lower()


def test_the_forms_cover_every_way_a_definition_is_kept() -> None:
    names = {p.name for p in FORMS}
    assert {"sam-yaml", "cloudformation-json", "aws-include", "terraform-jsonencode",
            "terraform-templatefile", "split-definition", "sam-definition-uri"} <= names
    split = FIXTURES / "templates" / "split-definition"
    assert {f for _, f, _ in expected(split)} == {  # findings in all three files
        "openapi.yaml", "paths/pets.yaml", "schemas/pet.yaml"}


def test_short_tags_load_and_findings_point_into_the_template(capsys) -> None:
    template = FIXTURES / "templates" / "sam-yaml" / "template.yaml"
    code, out, _ = run(capsys, "lint", "--format", "json", str(template))
    by_code = {f["code"]: f for f in json.loads(out)["results"]}
    assert by_code["AGW422"]["pointer"] == ("/Resources/PetsApi/Properties/DefinitionBody/paths/"
                                            "~1pets~1{petId}/get/x-amazon-apigateway-integration/uri")
    assert by_code["AGW422"]["operation"] == "GET /pets/{petId}"
    assert (by_code["AGW422"]["line"], by_code["AGW422"]["column"]) == (53, 17)


def test_template_and_definition_detected_as_the_resource_type_says() -> None:
    template = FIXTURES / "templates" / "sam-yaml" / "template.yaml"
    results = lint_path(str(template), Settings())
    assert [(r.label, r.api_kind) for r in results] == [("PetsApi", "rest"), ("ItemsApi", "http")]


def test_included_file_is_linted_once_when_the_tree_is_linted(capsys) -> None:
    folder = FIXTURES / "templates" / "aws-include"
    # Named on its own, the include file is a standalone definition with raw intrinsics...
    _, alone, _ = found(capsys, str(folder / "openapi.yaml"), base=folder)
    assert ("AGW008", "openapi.yaml", 16) in alone
    assert alone == {("AGW008", "openapi.yaml", 16), ("AGW301", "openapi.yaml", 17)}
    # ...linted through the tree, only the template's reading of it counts.
    _, tree, _ = found(capsys, str(folder), base=folder)
    assert ("AGW008", "openapi.yaml", 16) not in tree
    assert tree == expected(folder)


# -- the shared corpus: real SAM templates ----------------------------------------------------

EMBEDDED: dict[str, set[tuple[str, int]]] = {
    # aws-sam-cli's start-api test template. No info.version (imported; other tools reject it);
    # `responses: {}` sits inside the integrations, so 7 operations have none, which aws_proxy
    # integrations do not need; SAM Cors is set
    # but DEFAULT_4XX/5XX carry no CORS header; every method is open; /nofunctionfound names
    # WhatFunction, which the template does not define (the manifest's note). The OPTIONS that
    # SAM generates from Cors (line 17) allow only GET, which POST /echo*body need (AGW502).
    "aws__aws-sam-cli__start_api-swagger-template.yaml": {
        ("AGW011", 25), ("AGW507", 23), ("AGW502", 17),
        *{("AGW301", n) for n in (32, 40, 48, 55, 63, 71, 79, 87)}, ("AGW422", 59)},
    # SAM's inline_swagger example: `swagger` twice in the DefinitionBody (2.0, then '2.0'), no
    # info.version, an empty `responses` (on an aws_proxy integration: harmless), and GET /get
    # open.
    "aws__serverless-application-model__inline_swagger-template.yaml": {
        ("AGW011", 11), ("AGW009", 23), ("AGW301", 16)},
}


@pytest.mark.parametrize("name", sorted(EMBEDDED))
def test_embedded_corpus_templates(corpus: Path, name: str) -> None:
    results = lint_path(str(corpus / "embedded" / name), Settings())
    assert all(r.error is None and r.skipped is None for r in results)
    assert {(f.code, f.line) for r in results for f in r.findings} == EMBEDDED[name]
    assert not any(r.crashes for r in results)


def test_every_embedded_corpus_file_is_pinned(corpus: Path) -> None:
    assert set(EMBEDDED) == {p.name for p in (corpus / "embedded").iterdir()}


# -- intrinsic functions ----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "rendered"), [
    pytest.param({"Ref": "AWS::Region"}, "${AWS::Region}", id="ref"),
    pytest.param({"Fn::GetAtt": ["Fn", "Arn"]}, "${Fn.Arn}", id="getatt-list"),
    pytest.param({"Fn::GetAtt": "Fn.Arn"}, "${Fn.Arn}", id="getatt-short"),
    pytest.param({"Fn::Sub": ["a/${X}/${Y}", {"X": {"Fn::GetAtt": ["F", "Arn"]}, "Y": 3}]},
                 "a/${F.Arn}/3", id="sub-variables"),
    pytest.param({"Fn::Sub": "${!Literal}-${AWS::AccountId}"}, "${!Literal}-${AWS::AccountId}",
                 id="sub-escape"),
    pytest.param({"Fn::Join": ["-", ["a", {"Ref": "B"}, 1]]}, "a-${B}-1", id="join"),
    pytest.param({"Fn::If": ["Prod", {"Ref": "AWS::NoValue"}, "x"]}, "x", id="if-novalue"),
    pytest.param({"Fn::ImportValue": "shared-arn"}, "${Fn::ImportValue}", id="unknown"),
    pytest.param({"a": {"Ref": "AWS::NoValue"}, "b": [1, {"Ref": "AWS::NoValue"}]}, {"b": [1]},
                 id="novalue-drops"),
])
def test_intrinsics_render_as_placeholders(value, rendered) -> None:
    assert render(value) == rendered


def test_render_copies_only_what_changes() -> None:
    untouched = {"x": [1, {"y": "z"}]}
    assert render(untouched) is untouched
    mixed = {"keep": untouched, "sub": {"Fn::Sub": "s"}}
    out = render(mixed)
    assert out == {"keep": untouched, "sub": "s"} and out["keep"] is untouched
    assert mixed["sub"] == {"Fn::Sub": "s"}  # the template's data is not modified


def test_templatefile_variables_fill_values_not_keys() -> None:
    data = {"${a}": "x-${a}-${ b }-${c}", "n": [1, "${a}"]}
    assert substitute(data, {"a": "1", "b": "2"}) == {"${a}": "x-1-2-${c}", "n": [1, "1"]}


# -- reading beyond the file: directories, outside files ---------------------------------------

def _outside_include(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "templates" / "aws-include" / "openapi.yaml", tmp_path / "api.yaml")
    stack = tmp_path / "stack"
    stack.mkdir()
    text = (FIXTURES / "templates" / "aws-include" / "template.yaml").read_text()
    (stack / "template.yaml").write_text(text.replace("Location: openapi.yaml",
                                                      "Location: ../api.yaml"))
    return stack / "template.yaml"


def test_include_outside_the_template_directory_is_not_read_unless_allowed(capsys, tmp_path
                                                                           ) -> None:
    template = _outside_include(tmp_path)
    code, out, err = run(capsys, "lint", str(template))
    assert code == 0 and out == ""
    assert ("note: skipped: a CloudFormation template without a definition to lint: "
            "OrdersApi.DefinitionBody AWS::Include '../api.yaml' is outside the template's "
            "directory; not read (--allow-outside-refs reads it)") in err
    code, findings, _ = found(capsys, "--allow-outside-refs", str(template), base=tmp_path)
    assert code == 1 and findings == {("AGW301", "api.yaml", 17), ("AGW422", "api.yaml", 23)}


def test_ref_outside_the_root_directory_is_a_finding_unless_allowed(capsys, tmp_path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pet.yaml").write_text("type: object\n")
    api = tmp_path / "api"
    api.mkdir()
    (api / "openapi.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Pet:\n      $ref: ../shared/pet.yaml\n")
    _, refused, _ = found(capsys, "--select", "AGW003", str(api / "openapi.yaml"), base=tmp_path)
    assert refused == {("AGW003", "api/openapi.yaml", 7)}
    code, allowed, _ = found(capsys, "--select", "AGW003", "--allow-outside-refs",
                             str(api / "openapi.yaml"), base=tmp_path)
    assert allowed == set() and code == 0


def test_directory_walk_respects_gitignore_and_skips_build_output(capsys, tmp_path) -> None:
    source = FIXTURES / "templates" / "sam-yaml" / "template.yaml"
    for where in ("app", "app/.aws-sam/build", "app/node_modules/pkg", "app/generated"):
        (tmp_path / where).mkdir(parents=True, exist_ok=True)
        shutil.copy(source, tmp_path / where / "template.yaml")
    (tmp_path / "app" / ".gitignore").write_text("generated/\n")
    (tmp_path / "app" / "package.json").write_text('{"name": "app"}')
    (tmp_path / "app" / "notes.yaml").write_text("openapi_notes: nothing to lint\n")
    code, findings, err = found(capsys, str(tmp_path), base=tmp_path)
    assert {f for _, f, _ in findings} == {"app/template.yaml"}
    assert findings == {(c, "app/" + f, n)
                        for c, f, n in expected(FIXTURES / "templates" / "sam-yaml")}
    # A file without an API found by the walk is skipped silently; named, it gets a note.
    assert err == ""
    code, out, err = run(capsys, "lint", str(tmp_path / "app" / "notes.yaml"))
    assert code == 0 and "note: skipped: not an OpenAPI/Swagger document" in err


def test_template_without_a_readable_definition_is_skipped_with_the_reason(capsys, tmp_path
                                                                           ) -> None:
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n"
        "      BodyS3Location: {Bucket: b, Key: k}\n")
    code, out, err = run(capsys, "lint", str(tmp_path / "t.yaml"))
    assert code == 0
    assert "Api.BodyS3Location is an S3 object; lint the file you upload" in err


def test_missing_include_is_one_clear_error(capsys, tmp_path) -> None:
    text = (FIXTURES / "templates" / "aws-include" / "template.yaml").read_text()
    (tmp_path / "template.yaml").write_text(text)
    code, out, err = run(capsys, "lint", str(tmp_path / "template.yaml"))
    assert code == 2 and "Traceback" not in err
    assert "OrdersApi.DefinitionBody AWS::Include 'openapi.yaml': no such file" in err


# -- Terraform --------------------------------------------------------------------------------

def test_invalid_hcl_is_one_line_with_its_position(capsys, tmp_path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_rest_api" "a" {\n  body = {\n}\n')
    code, out, err = run(capsys, "lint", str(tmp_path / "main.tf"))
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith(f"{tmp_path / 'main.tf'}:4:") and "invalid HCL" in err


HEREDOC = '''locals {
  spec = <<EOT
{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "responses": {"200": {"description": "ok"}},
        "x-amazon-apigateway-integration": {"type": "mock", "timeoutInMillis": ${var.t}}
      }
    }
  }
}
EOT
}

resource "aws_api_gateway_rest_api" "a" {
  name = "a"
  body = local.spec
}

resource "aws_api_gateway_rest_api" "computed" {
  name = "c"
  body = data.http.spec.response_body
}
'''


def test_heredoc_body_through_a_local_keeps_file_positions(capsys, tmp_path) -> None:
    (tmp_path / "main.tf").write_text(HEREDOC)
    code, findings, err = found(capsys, str(tmp_path / "main.tf"), base=tmp_path)
    # the mock integration has no integration responses (AGW427): reported at its own line
    assert findings == {("AGW301", "main.tf", 8), ("AGW427", "main.tf", 10)}
    results = lint_path(str(tmp_path / "main.tf"), Settings())
    assert [r.label for r in results] == ["aws_api_gateway_rest_api.a"]
    code, out, err = run(capsys, "lint", "--format", "json", str(tmp_path / "main.tf"))
    assert json.loads(out)["results"][0]["pointer"] == \
        "/resource/aws_api_gateway_rest_api/a/body/paths/~1a/get"


def test_terraform_without_api_bodies_is_skipped(capsys, tmp_path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_api_gateway_rest_api" "a" {\n'
                                      '  body = data.http.spec.response_body\n}\n')
    code, out, err = run(capsys, "lint", str(tmp_path / "main.tf"))
    assert code == 0 and out == ""
    assert ("the body of aws_api_gateway_rest_api.a is computed (data.http.spec.response_body); "
            "not linted") in err
