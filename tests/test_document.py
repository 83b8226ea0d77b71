"""Loading: formats, versions, source positions, placeholders, references."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from apilint.document import NotAnApi, load_document
from apilint.engine.run import Settings, lint_file

OPS = "paths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_unquoted_swagger_float_is_accepted(tmp_path: Path) -> None:
    doc = load_document(
        write(tmp_path, "a.yaml", "swagger: 2.0\ninfo: {title: x, version: '1'}\n" + OPS)
    )
    assert doc.version == "2.0"
    found = lint_file(str(tmp_path / "a.yaml"), Settings(select=("schema-invalid",))).findings
    assert found == []


def test_openapi_31_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "a.yaml", "openapi: 3.1.0\ninfo: {title: x, version: '1'}\n" + OPS)
    found = {(f.code, f.line) for f in lint_file(str(path), Settings()).findings}
    assert ("AGW002", 1) in found and ("AGW001", 1) not in found


def test_yaml_keys_become_strings_and_positions_point_at_keys(tmp_path: Path) -> None:
    doc = load_document(
        write(
            tmp_path,
            "a.yaml",
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n"
            "      responses:\n        200: {description: ok}\n",
        )
    )
    assert "200" in doc.data["paths"]["/a"]["get"]["responses"]
    span = doc.span(("paths", "/a", "get", "responses", "200"))
    assert (span.line, span.column) == (6, 9)
    # a pointer past the data answers for the closest ancestor
    assert doc.span(("paths", "/a", "post")).line == 3


def test_json_positions_match_the_text(tmp_path: Path) -> None:
    text = (
        '{\n  "openapi": "3.0.1",\n  "paths": {\n    "/a": {"get": {"responses": {}}},\n'
        '    "/b~c/d": {\n      "put": {}\n    }\n  }\n}\n'
    )
    doc = load_document(write(tmp_path, "a.json", text))
    span = doc.span(("paths", "/a", "get"))
    assert (span.line, span.column) == (4, 12)
    span = doc.span(("paths", "/b~c/d", "put"))
    assert (span.line, span.column, span.end_line, span.end_column) == (6, 7, 6, 16)


def test_terraform_templatefile_placeholders_are_unknowns(tmp_path: Path) -> None:
    text = (
        '{"openapi": "3.0.1", "info": {"title": "${title}", "version": "1"},\n'
        ' "paths": {"/a": {"get": {\n'
        '   "responses": {"200": {"description": "ok"}},\n'
        '   "security": [{"jwt": []}],\n'
        '   "x-amazon-apigateway-integration": {"type": "aws_proxy", "httpMethod": "POST",\n'
        '     "timeoutInMillis": ${timeout},\n'
        '     "uri": "arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${fn_arn}/invocations"}}}},\n'
        ' "components": {"securitySchemes": {"jwt": {"type": "apiKey", "name": "Authorization",\n'
        '   "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}}}}\n'
    )
    path = write(tmp_path, "api.json.tftpl", text)
    result = lint_file(str(path), Settings())
    assert result.error is None
    assert result.findings == []


def test_yaml_template_with_placeholders(tmp_path: Path) -> None:
    text = (
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      security: [{iam: []}]\n      responses: {'200': {description: ok}}\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n        httpMethod: POST\n"
        "        uri: ${lambda_invoke_arn}\n"
        "components:\n  securitySchemes:\n    iam: {type: apiKey, name: Authorization, in: header,"
        " x-amazon-apigateway-authtype: awsSigv4}\n"
    )
    path = write(tmp_path, "api.yaml.tpl", text)
    assert lint_file(str(path), Settings()).findings == []


def test_not_an_api(tmp_path: Path) -> None:
    assert isinstance(load_document(write(tmp_path, "c.yaml", "key: value\n")), NotAnApi)
    assert isinstance(load_document(write(tmp_path, "c.json", "[1, 2]")), NotAnApi)


def test_relative_file_refs_are_followed_and_reported_in_their_file(tmp_path: Path) -> None:
    (tmp_path / "params").mkdir()
    write(
        tmp_path / "params",
        "filter.yaml",
        "name: filter\nin: query\nstyle: deepObject\nschema: {type: object}\n",
    )
    root = write(
        tmp_path,
        "api.yaml",
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n"
        "paths:\n  /a:\n    get:\n      parameters:\n        - $ref: params/filter.yaml\n"
        "      responses: {'200': {description: ok}}\n",
    )
    found = lint_file(str(root), Settings(select=("nested-query-parameter",))).findings
    assert [(f.code, Path(f.file).name, f.line) for f in found] == [("AGW201", "filter.yaml", 1)]


def test_refs_outside_the_root_directory_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "api").mkdir()
    write(tmp_path, "secret.yaml", "name: x\nin: query\nschema: {type: string}\n")
    root = write(
        tmp_path / "api",
        "api.yaml",
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n"
        "paths:\n  /a:\n    get:\n      parameters:\n        - $ref: ../secret.yaml\n"
        "      responses: {'200': {description: ok}}\n",
    )
    found = lint_file(str(root), Settings(select=("ref-unresolved",))).findings
    assert [(f.code, f.line) for f in found] == [("AGW003", 7)]
    assert "outside the definition's directory" in found[0].message


def test_remote_refs_are_never_fetched(tmp_path: Path, monkeypatch) -> None:
    calls: list[object] = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("network access during lint")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    root = write(
        tmp_path,
        "api.yaml",
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n"
        "paths:\n  /a:\n    get:\n      responses:\n"
        "        '200': {$ref: 'https://example.com/common.yaml#/responses/Ok'}\n",
    )
    found = lint_file(str(root), Settings()).findings
    assert ("AGW004", 7) in {(f.code, f.line) for f in found}
    assert calls == []


def test_duplicate_keys_are_recorded(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "d.yaml", "openapi: 3.0.1\nopenapi: 3.0.2\npaths: {}\n"))
    assert [(i.kind, i.detail, i.span.line) for i in doc.parse_issues] == [
        ("duplicate-key", "openapi", 2)
    ]


@pytest.mark.parametrize(
    "tag,expected",
    [
        ("!Sub 'arn:${AWS::Region}'", {"Fn::Sub": "arn:${AWS::Region}"}),
        ("!Ref Fn", {"Ref": "Fn"}),
        ("!GetAtt Fn.Arn", {"Fn::GetAtt": ["Fn", "Arn"]}),
    ],
)
def test_cloudformation_short_tags_load(tmp_path: Path, tag: str, expected: object) -> None:
    doc = load_document(write(tmp_path, "t.yaml", f"openapi: 3.0.1\nx-value: {tag}\npaths: {{}}\n"))
    assert doc.data["x-value"] == expected


def test_files_reached_from_a_json_root_are_scanned_for_their_own_refs(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(
        "Ok:\n  description: ok\n  content:\n"
        "    application/json:\n      schema: {$ref: '#/Missing'}\n"
    )
    root = write(
        tmp_path,
        "api.json",
        '{"openapi": "3.0.1", "info": {"title": "x", "version": "1"},\n'
        ' "paths": {"/a": {"get": {"responses": {\n'
        '   "200": {"$ref": "common.yaml#/Ok"}}}}}}\n',
    )
    found = lint_file(str(root), Settings(select=("ref-unresolved",))).findings
    assert [(f.code, Path(f.file).name, f.line) for f in found] == [("AGW003", "common.yaml", 5)]


def test_the_same_ref_resolves_in_the_document_that_writes_it(tmp_path: Path) -> None:
    # `$ref` ends are remembered per (document, ref): the root's broken '#/components/...' is
    # reported at each of its sites, and common.yaml's identical string finds its own target.
    (tmp_path / "common.yaml").write_text(
        "P:\n  $ref: '#/components/parameters/P'\n"
        "components:\n  parameters:\n"
        "    P: {name: filter, in: query, style: deepObject, schema: {type: object}}\n"
    )
    root = write(
        tmp_path,
        "api.yaml",
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n"
        "paths:\n  /a:\n    get:\n      parameters:\n"
        "        - $ref: '#/components/parameters/P'\n"
        "        - $ref: 'common.yaml#/P'\n"
        "      responses: {'200': {description: ok}}\n"
        "  /b:\n    get:\n      parameters:\n"
        "        - $ref: '#/components/parameters/P'\n"
        "      responses: {'200': {description: ok}}\n",
    )
    settings = Settings(select=("ref-unresolved", "nested-query-parameter"))
    found = lint_file(str(root), settings).findings
    assert {(f.code, Path(f.file).name, f.line) for f in found} == {
        ("AGW003", "api.yaml", 7),
        ("AGW003", "api.yaml", 13),
        ("AGW201", "common.yaml", 5),
    }


YAML_REFS = (
    "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n"
    "paths:\n  /a:\n    get:\n      responses:\n"
    "        '200': {$ref: '#/components/responses/Ok'}\n"
    "components:\n  responses:\n    Ok:\n      description: ok\n      content:\n"
    "        application/json:\n          schema: {$ref: '#/components/schemas/Pet'}\n"
    "          example: {$ref: '#/components'}\n"
    "  schemas:\n    Pet: {type: object}\n"
)


@pytest.mark.parametrize(
    ("edit", "findings", "walks"),
    [
        # As for a JSON file, the distinct targets are read from the text, not by walking
        # the data: the JSON rapidyaml emitted for it.
        pytest.param(("", ""), [], [], id="targets-fine"),
        # The text search cannot tell an example's `$ref` from a reference: it fails there,
        # and the walk, which skips literal data, finds no reference that fails.
        pytest.param(("'#/components'}", "'#/nothing'}"), [], [1], id="literal-data"),
        pytest.param(("schemas/Pet'}", "schemas/Cat'}"), [("AGW003", 14)], [1], id="broken"),
        # Substituted `${...}`s can make the data differ from the text that was parsed.
        pytest.param(("title: x", "title: '${name}'"), [], [1], id="placeholders"),
    ],
)
def test_yaml_refs_are_checked_from_the_text_unless_a_target_fails(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: tuple[str, str],
    findings: list[tuple[str, int]],
    walks: list[int],
) -> None:
    import apilint.document.refs as refs

    walked: list[int] = []
    real = refs.iter_refs
    monkeypatch.setattr(refs, "iter_refs", lambda data: walked.append(1) or real(data))
    root = write(tmp_path, "api.yaml", YAML_REFS.replace(*edit))
    found = lint_file(str(root), Settings(select=("ref-unresolved",))).findings
    assert [(f.code, f.line) for f in found] == findings
    assert walked == walks


_JOINED_REF = {"Fn::Join": ["", ["#/definitions/", "Nope"]]}
_BODY = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {
            "get": {"responses": {"200": {"description": "ok", "schema": {"$ref": _JOINED_REF}}}}
        }
    },
}


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        # A template's body: an intrinsic builds the `$ref`, so the data (rendered intrinsics)
        # is not the text the search reads.
        pytest.param(
            "template.yaml",
            "Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n"
            "      Body:\n        swagger: '2.0'\n        info: {title: t, version: '1'}\n"
            "        paths:\n          /a:\n            get:\n              responses:\n"
            "                '200':\n                  description: ok\n"
            "                  schema:\n                    $ref:\n"
            "                      Fn::Join: ['', ['#/definitions/', Nope]]\n",
            15,
            id="yaml-template-intrinsic",
        ),
        pytest.param(
            "template.json",
            json.dumps(
                {
                    "Resources": {
                        "Api": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Body": _BODY}}
                    }
                },
                indent=1,
            ),
            0,
            id="json-template-intrinsic",
        ),
        # A `$ref` key spelt with an escape is a `$ref` to JSON parsers, not to the search.
        pytest.param(
            "api.json",
            json.dumps(_BODY).replace(
                '"$ref": ' + json.dumps(_JOINED_REF), '"$r\\u0065f": "#/definitions/Nope"'
            ),
            1,
            id="escaped-key",
        ),
    ],
)
def test_a_ref_the_text_search_cannot_read_is_found_by_walking_the_data(
    tmp_path: Path, name: str, text: str, line: int
) -> None:
    root = write(tmp_path, name, text)
    found = lint_file(str(root), Settings(select=("ref-unresolved",))).findings
    if not line:  # (pretty JSON: the line of the `"$ref"` key)
        line = text.splitlines().index(next(t for t in text.splitlines() if '"$ref"' in t)) + 1
    assert [
        (f.code, f.line, "'#/definitions/Nope' points to nothing" in f.message) for f in found
    ] == [("AGW003", line, True)]


YAML_LITERAL_FILE_REF = (
    "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n"
    "components:\n  schemas:\n    S:\n      type: object\n      example: {$ref: bad.yaml}\n"
)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_file_named_only_in_an_example_is_not_read(tmp_path: Path, fmt: str) -> None:
    # The text search reads every `"$ref":`, literal data included; loading the file an
    # example names linted it (here: a `$ref` cycle made the whole definition an error).
    write(tmp_path, "bad.yaml", "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n")
    body = {
        "openapi": "3.0.1",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"S": {"type": "object", "example": {"$ref": "bad.yaml"}}}},
    }
    text = json.dumps(body) if fmt == "json" else YAML_LITERAL_FILE_REF
    root = write(tmp_path, f"api.{fmt}", text)
    result = lint_file(str(root), Settings(select=("ref-unresolved",)))
    assert (result.error, [(f.code, f.file) for f in result.findings]) == (None, [])
