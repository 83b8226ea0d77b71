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
from helpers import FIXTURES, run

from apilint.document.cfn import render
from apilint.document.intrinsics import ReadingLocator, readings
from apilint.document.terraform import substitute
from apilint.engine.run import Settings, lint_path

FORMS = sorted(p for p in (FIXTURES / "templates").iterdir() if p.is_dir())


def expected(folder: Path) -> set[tuple[str, str, int]]:
    out = set()
    for line in (folder / "expected.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            code, where = line.split()
            file, number = where.rsplit(":", 1)
            out.add((code, file, int(number)))
    return out


def found(
    capsys: pytest.CaptureFixture[str], *argv: str, base: Path
) -> tuple[int, set[tuple[str, str, int]], str]:
    code, out, err = run(capsys, "lint", "--format", "json", *argv)
    results = json.loads(out)["results"]
    return (
        code,
        {
            (f["code"], Path(os.path.relpath(f["file"], base)).as_posix(), f["line"])
            for f in results
        },
        err,
    )


@pytest.mark.parametrize("folder", FORMS, ids=[p.name for p in FORMS])
def test_template_form_yields_exactly_the_reviewed_findings(capsys, folder: Path) -> None:
    code, findings, err = found(capsys, str(folder), base=folder)
    assert findings == expected(folder)
    _, out, _ = run(capsys, "lint", "--format", "json", str(folder))
    errors = any(f["severity"] == "error" for f in json.loads(out)["results"])
    assert code == (1 if errors else 0) and "error" not in err.lower()


def test_the_forms_cover_every_way_a_definition_is_kept() -> None:
    names = {p.name for p in FORMS}
    assert {
        "sam-yaml",
        "cloudformation-json",
        "aws-include",
        "terraform-jsonencode",
        "terraform-templatefile",
        "split-definition",
        "sam-definition-uri",
    } <= names
    split = FIXTURES / "templates" / "split-definition"
    assert {f for _, f, _ in expected(split)} == {  # findings in all three files
        "openapi.yaml",
        "paths/pets.yaml",
        "schemas/pet.yaml",
    }


def test_short_tags_load_and_findings_point_into_the_template(capsys) -> None:
    template = FIXTURES / "templates" / "sam-yaml" / "template.yaml"
    code, out, _ = run(capsys, "lint", "--format", "json", str(template))
    by_code = {f["code"]: f for f in json.loads(out)["results"]}
    assert by_code["AGW422"]["pointer"] == (
        "/Resources/PetsApi/Properties/DefinitionBody/paths/"
        "~1pets~1{petId}/get/x-amazon-apigateway-integration/uri"
    )
    assert by_code["AGW422"]["operation"] == "GET /pets/{petId}"
    assert (by_code["AGW422"]["line"], by_code["AGW422"]["column"]) == (53, 17)


def test_template_and_definition_detected_as_the_resource_type_says() -> None:
    template = FIXTURES / "templates" / "sam-yaml" / "template.yaml"
    results = lint_path(str(template), Settings())
    assert [(r.label, r.api_kind) for r in results] == [("PetsApi", "rest"), ("ItemsApi", "http")]


def test_included_file_is_linted_through_its_template_however_it_is_named(capsys) -> None:
    folder = FIXTURES / "templates" / "aws-include"
    # Named on its own (as a pre-commit hook passes it), the include file is read through the
    # template of its repository that includes it: no AGW008, and the template's context
    # (PlaceOrder is no resource of it: AGW422)...
    _, alone, _ = found(capsys, str(folder / "openapi.yaml"), base=folder)
    assert (
        alone
        == expected(folder)
        == {("AGW301", "openapi.yaml", 17), ("AGW422", "openapi.yaml", 23)}
    )
    # ...the same through the tree, and named with its template each finding comes once.
    code, out, _ = run(capsys, "lint", "--format", "json", str(folder))
    assert sorted((f["code"], f["line"]) for f in json.loads(out)["results"]) == [
        ("AGW301", 17),
        ("AGW422", 23),
    ]
    code, out, _ = run(
        capsys,
        "lint",
        "--format",
        "json",
        str(folder / "openapi.yaml"),
        str(folder / "template.yaml"),
    )
    assert sorted((f["code"], f["line"]) for f in json.loads(out)["results"]) == [
        ("AGW301", 17),
        ("AGW422", 23),
    ]


# -- the shared corpus: real SAM templates ----------------------------------------------------

EMBEDDED: dict[str, set[tuple[str, int]]] = {
    # aws-sam-cli's start-api test template. No info.version (imported; other tools reject it);
    # `responses: {}` sits inside the integrations, so 7 operations have none, which aws_proxy
    # integrations do not need; SAM Cors is set
    # but DEFAULT_4XX/5XX carry no CORS header; every method is open; /nofunctionfound names
    # WhatFunction, which the template does not define (the manifest's note). The OPTIONS that
    # SAM generates from Cors (line 17) allow only GET, which POST /echo*body need (AGW502).
    "aws__aws-sam-cli__start_api-swagger-template.yaml": {
        ("AGW011", 25),
        ("AGW507", 23),
        ("AGW502", 17),
        *{("AGW301", n) for n in (32, 40, 48, 55, 63, 71, 79, 87)},
        ("AGW422", 59),
    },
    # SAM's inline_swagger example: `swagger` twice in the DefinitionBody (2.0, then '2.0'), no
    # info.version, an empty `responses` (on an aws_proxy integration: harmless), and GET /get
    # open.
    "aws__serverless-application-model__inline_swagger-template.yaml": {
        ("AGW011", 11),
        ("AGW009", 23),
        ("AGW301", 16),
    },
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


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        pytest.param({"Ref": "AWS::Region"}, "${AWS::Region}", id="ref"),
        pytest.param({"Fn::GetAtt": ["Fn", "Arn"]}, "${Fn.Arn}", id="getatt-list"),
        pytest.param({"Fn::GetAtt": "Fn.Arn"}, "${Fn.Arn}", id="getatt-short"),
        pytest.param(
            {"Fn::Sub": ["a/${X}/${Y}", {"X": {"Fn::GetAtt": ["F", "Arn"]}, "Y": 3}]},
            "a/${F.Arn}/3",
            id="sub-variables",
        ),
        pytest.param(
            {"Fn::Sub": "${!Literal}-${AWS::AccountId}"},
            "${!Literal}-${AWS::AccountId}",
            id="sub-escape",
        ),
        pytest.param({"Fn::Join": ["-", ["a", {"Ref": "B"}, 1]]}, "a-${B}-1", id="join"),
        pytest.param({"Fn::If": ["Prod", {"Ref": "AWS::NoValue"}, "x"]}, "x", id="if-novalue"),
        pytest.param({"Fn::ImportValue": "shared-arn"}, "${Fn::ImportValue}", id="unknown"),
        pytest.param(
            {"a": {"Ref": "AWS::NoValue"}, "b": [1, {"Ref": "AWS::NoValue"}]},
            {"b": [1]},
            id="novalue-drops",
        ),
    ],
)
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
    (stack / "template.yaml").write_text(
        text.replace("Location: openapi.yaml", "Location: ../api.yaml")
    )
    return stack / "template.yaml"


def test_include_outside_the_template_directory_is_not_read_unless_allowed(
    capsys, tmp_path
) -> None:
    template = _outside_include(tmp_path)
    code, out, err = run(capsys, "lint", str(template))
    assert code == 0 and out == ""
    assert (
        "note: skipped: a CloudFormation template without a definition to lint: "
        "OrdersApi.DefinitionBody AWS::Include '../api.yaml' is outside the template's "
        "directory; not read (--allow-outside-refs reads it)"
    ) in err
    code, findings, _ = found(capsys, "--allow-outside-refs", str(template), base=tmp_path)
    assert code == 1 and findings == {("AGW301", "api.yaml", 17), ("AGW422", "api.yaml", 23)}


def test_ref_outside_the_root_directory_is_a_finding_unless_allowed(capsys, tmp_path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "pet.yaml").write_text("type: object\n")
    api = tmp_path / "api"
    api.mkdir()
    (api / "openapi.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Pet:\n      $ref: ../shared/pet.yaml\n"
    )
    _, refused, _ = found(capsys, "--select", "AGW003", str(api / "openapi.yaml"), base=tmp_path)
    assert refused == {("AGW003", "api/openapi.yaml", 7)}
    code, allowed, _ = found(
        capsys,
        "--select",
        "AGW003",
        "--allow-outside-refs",
        str(api / "openapi.yaml"),
        base=tmp_path,
    )
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
    assert findings == {
        (c, "app/" + f, n) for c, f, n in expected(FIXTURES / "templates" / "sam-yaml")
    }
    # A file without an API found by the walk is skipped silently; named, it gets a note.
    assert err == ""
    code, out, err = run(capsys, "lint", str(tmp_path / "app" / "notes.yaml"))
    assert code == 0 and "note: skipped: not an OpenAPI/Swagger document" in err


def test_template_without_a_readable_definition_is_skipped_with_the_reason(
    capsys, tmp_path
) -> None:
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n"
        "      BodyS3Location: {Bucket: b, Key: k}\n"
    )
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


HEREDOC = """locals {
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
"""


def test_heredoc_body_through_a_local_keeps_file_positions(capsys, tmp_path) -> None:
    (tmp_path / "main.tf").write_text(HEREDOC)
    code, findings, err = found(capsys, str(tmp_path / "main.tf"), base=tmp_path)
    # the mock integration has no integration responses (AGW427): reported at its own line
    assert findings == {("AGW301", "main.tf", 8), ("AGW427", "main.tf", 10)}
    results = lint_path(str(tmp_path / "main.tf"), Settings())
    assert [r.label for r in results] == ["aws_api_gateway_rest_api.a"]
    code, out, err = run(capsys, "lint", "--format", "json", str(tmp_path / "main.tf"))
    assert (
        json.loads(out)["results"][0]["pointer"]
        == "/resource/aws_api_gateway_rest_api/a/body/paths/~1a/get"
    )


def test_terraform_without_api_bodies_is_skipped(capsys, tmp_path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_api_gateway_rest_api" "a" {\n  body = data.http.spec.response_body\n}\n'
    )
    code, out, err = run(capsys, "lint", str(tmp_path / "main.tf"))
    assert code == 0 and out == ""
    assert (
        "the body of aws_api_gateway_rest_api.a is computed (data.http.spec.response_body); "
        "not linted"
    ) in err


# -- a definition file read in its context ----------------------------------------------------

FRAGMENT = FIXTURES / "templates" / "include-fragment"


def _repo(tmp_path: Path, git: bool = True) -> Path:
    """The include-fragment fixture as a repository of its own (a pre-commit checkout)."""
    repo = tmp_path / "repo"
    shutil.copytree(FRAGMENT, repo)
    if git:
        (repo / ".git").mkdir()
    return repo


def test_fragment_named_alone_is_linted_through_the_template_of_its_repository(
    capsys, tmp_path
) -> None:
    repo = _repo(tmp_path)
    code, findings, err = found(capsys, str(repo / "api" / "orders.yaml"), base=repo)
    assert findings == {("AGW051", "api/orders.yaml", 13), ("AGW301", "api/orders.yaml", 19)}
    assert code == 0 and err == ""
    code, findings, _ = found(capsys, str(repo / "api" / "events.yaml"), base=repo)
    assert findings == set() and code == 0
    results = lint_path(str(repo / "api" / "orders.yaml"), Settings())
    assert [(r.label, r.api_kind, r.via) for r in results] == [
        ("OrdersApi", "rest", str(repo / "template.yaml"))
    ]


def test_template_elsewhere_in_the_repository_is_found_too(capsys, tmp_path) -> None:
    repo = _repo(tmp_path)
    (repo / "infra").mkdir()
    text = (repo / "template.yaml").read_text().replace("Location: api/", "Location: ../api/")
    (repo / "infra" / "template.yaml").write_text(text)
    (repo / "template.yaml").unlink()
    code, findings, _ = found(capsys, str(repo / "api" / "orders.yaml"), base=repo)
    assert findings == {("AGW051", "api/orders.yaml", 13), ("AGW301", "api/orders.yaml", 19)}


def test_fragment_no_template_includes_gets_an_info_not_an_error(capsys, tmp_path) -> None:
    repo = _repo(tmp_path)
    (repo / "template.yaml").unlink()
    code, findings, _ = found(capsys, str(repo / "api" / "events.yaml"), base=repo)
    # Fn::Sub naming the IngestHost and Stage parameters: a fragment, not a direct-import file.
    assert findings == {("AGW012", "api/events.yaml", 17)} and code == 0


def test_outside_a_repository_only_the_files_own_directory_is_searched(capsys, tmp_path) -> None:
    repo = _repo(tmp_path, git=False)
    _, findings, _ = found(capsys, str(repo / "api" / "events.yaml"), base=repo)
    assert findings == {("AGW012", "api/events.yaml", 17)}  # ../template.yaml is not read
    (repo / "api" / "template.yaml").write_text(
        (repo / "template.yaml").read_text().replace("Location: api/", "Location: ")
    )
    _, findings, _ = found(capsys, str(repo / "api" / "events.yaml"), base=repo)
    assert findings == set()


def test_fragment_named_with_its_template_or_in_two_templates_reports_each_finding_once(
    capsys, tmp_path
) -> None:
    repo = _repo(tmp_path)
    expected_ = [("AGW051", "api/orders.yaml", 13), ("AGW301", "api/orders.yaml", 19)]

    def listed(*argv: str) -> list[tuple[str, str, int]]:
        code, out, _ = run(capsys, "lint", "--format", "json", *argv)
        return sorted(
            (f["code"], Path(os.path.relpath(f["file"], repo)).as_posix(), f["line"])
            for f in json.loads(out)["results"]
        )

    assert listed(str(repo / "api" / "orders.yaml"), str(repo / "template.yaml")) == expected_
    assert listed(str(repo / "template.yaml"), str(repo / "api" / "orders.yaml")) == expected_
    assert listed(str(repo)) == expected_
    shutil.copy(repo / "template.yaml", repo / "second.yaml")
    assert listed(str(repo / "api" / "orders.yaml")) == expected_
    assert listed(str(repo)) == expected_


def test_a_definition_uri_file_named_alone_keeps_its_error(capsys, tmp_path) -> None:
    folder = tmp_path / "repo"
    shutil.copytree(FIXTURES / "templates" / "sam-definition-uri", folder)
    (folder / ".git").mkdir()  # the template is a directory above the file
    # SAM uploads a DefinitionUri file as it is: its Fn::Sub is never resolved.
    code, findings, _ = found(capsys, str(folder / "api" / "shop.yaml"), base=folder)
    assert findings == {("AGW008", "api/shop.yaml", 16)} and code == 1


def _sam(tmp_path: Path, body: str, kind: str = "AWS::Serverless::Api") -> Path:
    lines = body.strip("\n").splitlines()
    indented = "\n".join("        " + line for line in lines)
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
        f"    Type: {kind}\n    Properties:\n      StageName: prod\n"
        f"      {'Body' if kind.startswith('AWS::ApiGateway') else 'DefinitionBody'}:\n"
        f"{indented}\n"
    )
    return tmp_path / "template.yaml"


_NONE_BODY = """
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /health:
    get:
      security: [{NONE: []}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock, responses: {default: {statusCode: "200"}}}
"""


@pytest.mark.parametrize(
    ("kind", "want"),
    [
        # SAM's marker for Authorizer: NONE: a public method (AGW301), no undefined scheme.
        pytest.param("AWS::Serverless::Api", {("AGW301", 12)}, id="sam"),
        # Outside SAM nothing gives NONE a meaning: an undefined scheme (the line of the name).
        pytest.param(
            "AWS::ApiGateway::RestApi", {("AGW301", 12), ("AGW306", 13)}, id="cloudformation"
        ),
    ],
)
def test_sam_none_is_no_undefined_scheme(tmp_path, kind: str, want: set[tuple[str, int]]) -> None:
    results = lint_path(str(_sam(tmp_path, _NONE_BODY, kind)), Settings())
    assert {(f.code, f.line) for r in results for f in r.findings} == want
    messages = [f.message for r in results for f in r.findings if f.code == "AGW301"]
    assert ("SAM's NONE" in messages[0]) == kind.startswith("AWS::Serverless")


_PAYLOAD_ONLY = """
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: https://example.com/a
        payloadFormatVersion: "1.0"
"""


# REST ignores payloadFormatVersion (AGW051, a warning); GET /a is open either way (AGW301).
_AS_REST = {("AGW051", 18), ("AGW301", 12)}


@pytest.mark.parametrize(
    ("kind", "api_kind", "want"),
    [
        pytest.param("AWS::Serverless::Api", "rest", _AS_REST, id="sam-api"),
        pytest.param("AWS::ApiGateway::RestApi", "rest", _AS_REST, id="rest-api"),
        pytest.param("AWS::Serverless::HttpApi", "http", {("AGW301", 12)}, id="sam-http-api"),
        pytest.param("AWS::ApiGatewayV2::Api", "http", {("AGW301", 12)}, id="v2-api"),
    ],
)
def test_the_resource_type_decides_rest_or_http(
    tmp_path, kind: str, api_kind: str, want: set[tuple[str, int]]
) -> None:
    (tmp_path / "alone.yaml").write_text(_PAYLOAD_ONLY)
    # Alone, a stray payloadFormatVersion makes it read as HTTP...
    assert [r.api_kind for r in lint_path(str(tmp_path / "alone.yaml"), Settings())] == ["http"]
    # ...in a template, the resource type decides.
    results = lint_path(str(_sam(tmp_path, _PAYLOAD_ONLY, kind)), Settings())
    assert [(r.label, r.api_kind) for r in results if r.label] == [("Api", api_kind)]
    assert {(f.code, f.line) for r in results for f in r.findings} == want


def test_both_branches_of_fn_if_in_json_long_form(tmp_path) -> None:
    ok = {"default": {"statusCode": "200"}}
    body = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "security": [{"sigv4": []}],
                    "responses": {"200": {"description": "ok"}},
                    "x-amazon-apigateway-integration": {
                        "Fn::If": [
                            "Prod",
                            {"type": "mock", "timeoutInMillis": 29000, "responses": ok},
                            {"type": "mock", "timeoutInMillis": 10, "responses": ok},
                        ]
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                "sigv4": {
                    "type": "apiKey",
                    "name": "Authorization",
                    "in": "header",
                    "x-amazon-apigateway-authtype": "awsSigv4",
                }
            }
        },
    }
    template = {
        "Resources": {"Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": body}}}
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=1))
    results = lint_path(str(path), Settings())
    lines = path.read_text().splitlines()
    second = next(i for i, line in enumerate(lines, 1) if '"timeoutInMillis": 10' in line)
    assert {(f.code, f.line) for r in results for f in r.findings} == {("AGW414", second)}
    assert len(results) == 1  # one result for the API, both readings joined


def test_readings_map_each_branch_to_its_place() -> None:
    value = {
        "a": {"Fn::If": ["C", {"x": 1}, {"x": 2}]},
        "l": [{"Ref": "AWS::NoValue"}, {"Fn::If": ["C", "p", "q"]}],
    }
    first, second = readings(value)
    assert first.data == {"a": {"x": 1}, "l": ["p"]}
    assert second.data == {"a": {"x": 2}, "l": ["q"]}
    assert first.moves[("a",)] == ("a", "Fn::If", "1")
    assert second.moves[("a",)] == ("a", "Fn::If", "2")
    # The item that moved up over the dropped AWS::NoValue is found where it is written.
    locator = ReadingLocator(_Echo(), (), second.moves)
    assert locator.source(("l", "0")) == ("l", "1", "Fn::If", "2")
    assert locator.source(("a", "x")) == ("a", "Fn::If", "2", "x")
    # Equal branches are one node: a single reading.
    assert len(readings({"a": {"Fn::If": ["C", [1], [1]]}})) == 1


class _Echo:
    def span(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        return tokens


# -- the shared corpus: files written for AWS::Include ----------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "first", "codes"),
    [
        # Its repository includes it into an AWS::Serverless::Api; the schema warnings
        # (securityDefinitions in OpenAPI 3, `type` in parameters) and CORS findings are its own.
        pytest.param(
            "aws-samples__amazon-api-gateway-url-shortener__api.yaml",
            "Api",
            54,
            {"AGW011", "AGW301", "AGW506", "AGW507"},
            id="url-shortener",
        ),
        # Included into an AWS::Serverless::HttpApi; no info.version (AGW011).
        pytest.param(
            "aws-samples__sessions-with-aws-sam__http-api-direct-integration-api.yaml",
            "HttpApi",
            13,
            {"AGW011", "AGW301"},
            id="http-direct-integration",
        ),
    ],
)
def test_corpus_include_fragments_are_no_direct_import_errors(
    capsys, corpus: Path, tmp_path, name: str, kind: str, first: int, codes: set[str]
) -> None:
    shutil.copy(corpus / "real" / name, tmp_path / "api.yaml")
    _, alone, _ = found(capsys, str(tmp_path / "api.yaml"), base=tmp_path)
    assert ("AGW012", "api.yaml", first) in alone
    assert {c for c, _, _ in alone} == codes | {"AGW012"}  # an info, no AGW008
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n"
        f"    Type: AWS::Serverless::{kind}\n    Properties:\n      StageName: prod\n"
        "      DefinitionBody:\n        Fn::Transform:\n          Name: AWS::Include\n"
        "          Parameters: {Location: api.yaml}\n"
    )
    _, through, _ = found(capsys, str(tmp_path / "api.yaml"), base=tmp_path)
    assert {c for c, _, _ in through} == codes


def test_names_from_the_input_reach_the_message_quoted(tmp_path) -> None:
    (tmp_path / "api.yaml").write_text(
        'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n'
        '      responses: {"200": {description: ok}}\n      x-amazon-apigateway-integration:\n'
        '        type: mock\n        uri: {Ref: "X\\e[31mRED"}\n'
    )
    findings = [
        f
        for r in lint_path(str(tmp_path / "api.yaml"), Settings())
        for f in r.findings
        if f.code == "AGW012"
    ]
    assert [(f.line, "\x1b" in f.message, "'X\\x1b[31mRED'" in f.message) for f in findings] == [
        (9, False, True)
    ]


def test_both_branches_of_fn_if_in_an_included_fragment(capsys, tmp_path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "api.yaml").write_text(
        'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n'
        '      security: [{sigv4: []}]\n      responses: {"200": {description: ok}}\n'
        "      x-amazon-apigateway-integration:\n        type: mock\n"
        "        timeoutInMillis:\n          Fn::If: [IsProd, 29000, 10]\n"
        '        responses: {default: {statusCode: "200"}}\n'
        "components:\n  securitySchemes:\n    sigv4: {type: apiKey, name: Authorization, "
        "in: header, x-amazon-apigateway-authtype: awsSigv4}\n"
    )
    (tmp_path / "template.yaml").write_text(
        "Conditions:\n  IsProd: {Fn::Equals: [a, b]}\nResources:\n  Api:\n"
        "    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body:\n"
        "        Fn::Transform: {Name: AWS::Include, Parameters: {Location: api.yaml}}\n"
    )
    for named in ("api.yaml", "template.yaml"):
        _, findings, _ = found(capsys, str(tmp_path / named), base=tmp_path)
        assert findings == {("AGW414", "api.yaml", 11)}, named


def test_the_repository_walk_is_bounded(tmp_path, monkeypatch) -> None:
    from apilint.document import includers

    repo = _repo(tmp_path)
    (repo / "z").mkdir()
    (repo / "z" / "template.yaml").write_text(
        (repo / "template.yaml").read_text().replace("Location: api/", "Location: ../api/")
    )
    (repo / "template.yaml").unlink()
    for n in range(3):  # directories walked before the template's
        (repo / f"a{n}").mkdir()
        (repo / f"a{n}" / "x.yaml").write_text("x: 1\n")
    monkeypatch.setattr(includers, "MAX_FILES", 3)
    monkeypatch.setattr(includers, "_INDEXES", {})
    target = (repo / "api" / "orders.yaml").resolve()
    assert includers.includers(target, 1 << 20) == []  # gave up before reaching template.yaml
    monkeypatch.setattr(includers, "MAX_FILES", 5000)
    monkeypatch.setattr(includers, "_INDEXES", {})
    assert includers.includers(target, 1 << 20) == [repo.resolve() / "z" / "template.yaml"]


@pytest.mark.parametrize(
    ("key", "arg", "names"),
    [
        pytest.param(
            "Fn::Sub",
            "arn:${AWS::Partition}:x:${AWS::Region}:${!Literal}",
            set(),
            id="sub-pseudo-only",
        ),
        pytest.param(
            "Fn::Sub",
            "https://${Host}/${Stage}/${Api.Arn}",
            {"Host", "Stage", "Api"},
            id="sub-names",
        ),
        pytest.param(
            "Fn::Sub",
            ["${Table}/${Local}", {"Local": {"Ref": "Other"}}],
            {"Table", "Other"},
            id="sub-variables",
        ),
        pytest.param("Ref", "AWS::Region", set(), id="ref-pseudo"),
        pytest.param("Ref", "Stage", {"Stage"}, id="ref-parameter"),
        pytest.param("Fn::GetAtt", ["Role", "Arn"], {"Role"}, id="getatt"),
        pytest.param("Fn::Join", ["", ["a", {"Ref": "AWS::Region"}]], set(), id="join-pseudo"),
        pytest.param("Fn::If", ["IsProd", "a", {"Ref": "Host"}], {"IsProd", "Host"}, id="if"),
        pytest.param("Fn::FindInMap", ["Map", "k", "v"], {"Map"}, id="find-in-map"),
        pytest.param("Fn::ImportValue", "shared-arn", {"shared-arn"}, id="import-value"),
    ],
)
def test_template_names_tell_a_fragment_from_a_direct_import_file(key, arg, names) -> None:
    from apilint.checks.templates import template_names

    assert template_names(key, arg) == names


def test_one_lint_run_checks_the_repository_index_once(tmp_path, monkeypatch) -> None:
    """Within a run the tree is stat'ed once, not again for each file; the next run sees a
    template moved since."""
    from apilint.document import includers

    repo = _repo(tmp_path)
    target = (repo / "api" / "orders.yaml").resolve()
    monkeypatch.setattr(includers, "_INDEXES", {})
    stats: list[str] = []
    stamp = includers._stamp
    monkeypatch.setattr(includers, "_stamp", lambda p: stats.append(p) or stamp(p))
    with includers.one_run():
        assert includers.includers(target, 1 << 20) == [repo.resolve() / "template.yaml"]
        built = len(stats)
        assert includers.includers(target, 1 << 20) == [repo.resolve() / "template.yaml"]
        assert len(stats) == built  # trusted: no stat
    (repo / "infra").mkdir()
    (repo / "template.yaml").rename(repo / "infra" / "template.yaml")
    with includers.one_run():
        # the old index no longer matches the tree: read again (the template's Location now
        # points at infra/api/, so nothing includes the target)
        assert includers.includers(target, 1 << 20) == []
    assert len(stats) > 2 * built
