"""The CORS fixes of `apilint lint --fix` (issue 21): the preflight they add works — served by
`apilint serve` on 127.0.0.1, a browser-like preflight gets 200 (204 from an HTTP API's managed
CORS) and the three Access-Control-Allow-* headers a browser checks — and each fix keeps the
bytes around its edits in YAML, JSON (2 and 4 space indent) and a SAM template body."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest
from helpers import run
from test_serve_support import call

from apilint.serve import running

ORIGIN = "https://app.example.com"

SWAGGER2 = f"""swagger: "2.0"
info: {{title: pets, version: "1"}}
securityDefinitions:
  api_key: {{type: apiKey, name: x-api-key, in: header}}
paths:
  /pets:
    put:
      security: [{{api_key: []}}]
      consumes: [application/json]
      parameters:
        - {{name: body, in: body, schema: {{type: object}}}}
        - {{name: X-Trace, in: header, type: string, required: true}}
      responses:
        "200":
          description: updated
          headers:
            Access-Control-Allow-Origin: {{type: string}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {{application/json: '{{"statusCode": 200}}'}}
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "'{ORIGIN}'"
"""

OAS3 = f"""openapi: 3.0.1
info: {{title: pets, version: "1"}}
paths:
  /pets/{{id}}:
    delete:
      security: [{{api_key: []}}]
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
      responses:
        "204":
          description: deleted
          headers:
            Access-Control-Allow-Origin: {{schema: {{type: string}}}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {{application/json: '{{"statusCode": 204}}'}}
        responses:
          default:
            statusCode: "204"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "'{ORIGIN}'"
components:
  securitySchemes:
    api_key: {{type: apiKey, name: x-api-key, in: header}}
"""

HTTP = """openapi: 3.0.1
info: {title: pets, version: "1"}
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /pets:
    put:
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        "200":
          description: ok
          headers:
            Access-Control-Allow-Origin: {schema: {type: string}}
      x-amazon-apigateway-integration:
        type: AWS_PROXY
        payloadFormatVersion: "2.0"
        uri: arn:aws:lambda:us-east-1:123456789012:function:pets
"""


def fixed(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str], *flags: str) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(text)
    code, _, err = run(capsys, "lint", "--fix", *flags, str(path))
    assert code in (0, 1), err
    return path


def preflight(base: str, path: str, method: str, headers: str) -> tuple[int, dict[str, str]]:
    """What a browser sends before a non-simple cross-origin call, and the CORS headers back."""
    reply = call(
        base,
        "OPTIONS",
        path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": headers,
        },
    )
    cors = {k.lower(): v for k, v in reply.headers if k.lower().startswith("access-control-")}
    return reply.status, cors


def browser_allows(cors: dict[str, str], method: str, headers: str) -> bool:
    """The Fetch standard's CORS check of a preflight response (no credentials)."""
    origin = cors.get("access-control-allow-origin")
    methods = {m.strip().upper() for m in cors.get("access-control-allow-methods", "").split(",")}
    allowed = {h.strip().lower() for h in cors.get("access-control-allow-headers", "").split(",")}
    asked = {h.strip().lower() for h in headers.split(",")}
    return (
        origin in (ORIGIN, "*")
        and (method in methods or "*" in methods)
        and all(h in allowed or ("*" in allowed and h != "authorization") for h in asked)
    )


@pytest.mark.parametrize(
    "text, path, method, asked, expected",
    [
        pytest.param(
            SWAGGER2,
            "/pets",
            "PUT",
            "content-type,x-api-key,x-trace",
            {
                "access-control-allow-origin": ORIGIN,
                "access-control-allow-methods": "PUT,OPTIONS",
                "access-control-allow-headers": "X-Api-Key,Content-Type,X-Trace",
            },
            id="rest-swagger2",
        ),
        pytest.param(
            OAS3,
            "/pets/7",
            "DELETE",
            "x-api-key",
            {
                "access-control-allow-origin": ORIGIN,
                "access-control-allow-methods": "DELETE,OPTIONS",
                "access-control-allow-headers": "X-Api-Key",
            },
            id="rest-oas3",
        ),
    ],
)
def test_fixed_rest_api_answers_the_browser_preflight(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    path: str,
    method: str,
    asked: str,
    expected: dict[str, str],
) -> None:
    spec = fixed(tmp_path, text, capsys)  # the origin is the API's own: a safe fix
    with running(spec, {}) as base:
        assert preflight(base, path, method, asked) == (200, expected)
    assert browser_allows(expected, method, asked)


def test_fixed_http_api_answers_the_browser_preflight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = fixed(tmp_path, HTTP, capsys)
    assert spec.read_text() == HTTP  # no origin to take from the API: unsafe only
    spec = fixed(tmp_path, HTTP, capsys, "--unsafe-fixes")
    expected = {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "PUT,OPTIONS",
        "access-control-allow-headers": "Content-Type",
    }
    with running(spec, {}) as base:
        # API Gateway answers a managed-CORS preflight itself, with 204 (http-api-cors.html)
        assert preflight(base, "/pets", "PUT", "content-type") == (204, expected)
    assert browser_allows(expected, "PUT", "content-type")


def only_inserted(before: str, after: str) -> list[str]:
    """The texts inserted into `before` to make `after`; fails on any other change."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    ops = matcher.get_opcodes()
    assert all(op in ("equal", "insert") for op, *_ in ops), [o for o in ops if o[0] != "equal"]
    return [after[j1:j2] for op, _, _, j1, j2 in ops if op == "insert"]


PREFLIGHT_OAS3 = {
    "responses": {
        "200": {
            "description": "CORS preflight",
            "headers": {
                name: {"schema": {"type": "string"}}
                for name in (
                    "Access-Control-Allow-Origin",
                    "Access-Control-Allow-Methods",
                    "Access-Control-Allow-Headers",
                )
            },
        }
    },
    "security": [],
    "x-amazon-apigateway-integration": {
        "type": "mock",
        "requestTemplates": {"application/json": '{"statusCode": 200}'},
        "responses": {
            "default": {
                "statusCode": "200",
                "responseParameters": {
                    "method.response.header.Access-Control-Allow-Origin": f"'{ORIGIN}'",
                    "method.response.header.Access-Control-Allow-Methods": "'DELETE,OPTIONS'",
                    "method.response.header.Access-Control-Allow-Headers": "'X-Api-Key'",
                },
            }
        },
    },
}


def _json(indent: int) -> str:
    import yaml

    return json.dumps(yaml.safe_load(OAS3), indent=indent) + "\n"


def _sam() -> str:
    body = "\n".join("        " + line for line in OAS3.splitlines())
    return (
        'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'
        "Resources:\n  PetsApi:  # the API the page calls\n    Type: AWS::Serverless::Api\n"
        f"    Properties:\n      StageName: prod\n      DefinitionBody:\n{body}\n"
    )


@pytest.mark.parametrize(
    "name, text, body",
    [
        pytest.param("api.yaml", OAS3, (), id="yaml-block"),
        pytest.param("api.json", _json(2), (), id="json-indent-2"),
        pytest.param("api.json", _json(4), (), id="json-indent-4"),
        pytest.param(
            "template.yaml",
            _sam(),
            ("Resources", "PetsApi", "Properties", "DefinitionBody"),
            id="sam-body",
        ),
    ],
)
def test_preflight_fix_only_inserts_in_the_style_around_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, body: tuple
) -> None:
    import yaml

    path = tmp_path / name
    path.write_text(text)
    code, _, err = run(capsys, "lint", "--fix", "--select", "cors-preflight-missing", str(path))
    assert code == 0, err
    after = path.read_text()
    inserted = only_inserted(text, after)
    assert len(inserted) == 1
    if name.endswith(".json"):  # the file's indent, every line a multiple of it
        indent = 2 if '\n  "openapi"' in text else 4
        lines = [ln for ln in inserted[0].splitlines() if ln.strip()]
        assert all((len(ln) - len(ln.lstrip(" "))) % indent == 0 for ln in lines)
    data = yaml.safe_load(after)
    for key in body:
        data = data[key]
    assert data["paths"]["/pets/{id}"]["options"] == PREFLIGHT_OAS3
    run(capsys, "lint", "--fix", str(path))
    only_inserted(after, path.read_text())  # the safe gateway-responses fix: inserts too
    run(capsys, "lint", "--fix", "--unsafe-fixes", str(path))
    settled = path.read_text()
    run(capsys, "lint", "--fix", "--unsafe-fixes", str(path))
    assert path.read_text() == settled  # fixing twice changes nothing the second time


ALLOW_HEADERS_BAD = """openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    put:
      security: [{api_key: []}]  # key and a JSON body: two headers to allow
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {"200": {description: updated}}
    options:
      responses: {"200": {description: CORS preflight}}
      x-amazon-apigateway-integration:
        type: mock
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "'*'"
              method.response.header.Access-Control-Allow-Methods: "'PUT,OPTIONS'"
              method.response.header.Access-Control-Allow-Headers: "'Content-Type'"
components:
  securitySchemes:
    api_key: {type: apiKey, name: x-api-key, in: header}
"""


@pytest.mark.parametrize(
    "rule, old, new",
    [
        pytest.param(
            "cors-allow-headers-incomplete",
            "\"'Content-Type'\"",
            "\"'Content-Type,X-Api-Key'\"",
            id="allow-headers",
        ),
        pytest.param(
            "cors-preflight-incomplete",
            "\"'PUT,OPTIONS'\"",
            "\"'PUT,OPTIONS,DELETE'\"",
            id="allow-methods",
        ),
    ],
)
def test_list_fixes_change_only_the_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, old: str, new: str
) -> None:
    text = ALLOW_HEADERS_BAD.replace(
        '      responses: {"200": {description: updated}}\n',
        '      responses: {"200": {description: updated}}\n    delete: {responses: {}}\n',
    )
    path = tmp_path / "api.yaml"
    path.write_text(text)
    run(capsys, "lint", "--fix", "--select", rule, str(path))
    assert path.read_text() == text.replace(old, new, 1)


MOCK_GET = """openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      responses: RESPONSES
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default: {statusCode: "200"}
    put:
      responses:
        "200":
          description: updated
          headers:
            Access-Control-Allow-Origin: {schema: {type: string}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.Access-Control-Allow-Origin: "ORIGINS"
"""


def test_preflight_fix_maps_the_origin_on_the_resources_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    text = MOCK_GET.replace("RESPONSES", '{"200": {description: pets}}')
    spec = fixed(tmp_path, text.replace("ORIGINS", f"'{ORIGIN}'"), capsys)
    get = yaml.safe_load(spec.read_text())["paths"]["/pets"]["get"]
    assert get["responses"]["200"]["headers"] == {
        "Access-Control-Allow-Origin": {"schema": {"type": "string"}}
    }
    assert get["x-amazon-apigateway-integration"]["responses"]["default"] == {
        "statusCode": "200",
        "responseParameters": {"method.response.header.Access-Control-Allow-Origin": f"'{ORIGIN}'"},
    }
    code, out, _ = run(capsys, "lint", "-q", str(spec))
    assert "AGW50" not in out, out  # preflight, origins and gateway responses all in place


def test_preflight_fix_is_withheld_where_an_answer_cannot_declare_the_origin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # GET has no method response to declare Allow-Origin on: the preflight alone would expose
    # cors-method-origin-missing, so no fix is offered, not even an unsafe one
    text = MOCK_GET.replace("RESPONSES", "{}").replace("ORIGINS", f"'{ORIGIN}'")
    flags = ("--select", "cors-preflight-missing", "--unsafe-fixes")
    assert fixed(tmp_path, text, capsys, *flags).read_text() == text


def test_preflight_fix_with_several_origins_is_unsafe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    text = MOCK_GET.replace("RESPONSES", '{"200": {description: pets}}')
    text = text.replace("ORIGINS", f"'{ORIGIN}'") + (
        "  /owners:\n    patch:\n      responses: {}\n"
        "      x-amazon-apigateway-integration:\n        type: mock\n        responses:\n"
        "          default:\n            statusCode: '200'\n            responseParameters:\n"
        "              method.response.header.Access-Control-Allow-Origin: \"'https://b.example'\"\n"
    )
    flags = ("--select", "cors-preflight-missing")
    assert fixed(tmp_path, text, capsys, *flags).read_text() == text  # which one? not safe
    spec = fixed(tmp_path, text, capsys, *flags, "--unsafe-fixes")
    pets = yaml.safe_load(spec.read_text())["paths"]["/pets"]
    mapped = pets["options"]["x-amazon-apigateway-integration"]["responses"]["default"]
    assert mapped["responseParameters"]["method.response.header.Access-Control-Allow-Origin"] == (
        f"'{ORIGIN}'"
    )


HTTP_CORS_INCOMPLETE = """openapi: 3.0.1
info: {title: pets, version: "1"}
x-amazon-apigateway-importexport-version: "1.0"
x-amazon-apigateway-cors:
  allowMethods: [GET, OPTIONS]  # DELETE forgotten
  allowHeaders: [Content-Type]
paths:
  /pets:
    get:
      x-amazon-apigateway-integration: {type: AWS_PROXY, payloadFormatVersion: "2.0", uri: u}
    delete:
      x-amazon-apigateway-integration: {type: AWS_PROXY, payloadFormatVersion: "2.0", uri: u}
"""


def test_http_cors_incomplete_fix_adds_methods_safely_and_an_origin_only_unsafely(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = ("--select", "cors-preflight-incomplete")
    safe = fixed(tmp_path, HTTP_CORS_INCOMPLETE, capsys, *flags).read_text()
    assert safe == HTTP_CORS_INCOMPLETE.replace("[GET, OPTIONS]", "[GET, OPTIONS, DELETE]")
    unsafe = fixed(tmp_path, HTTP_CORS_INCOMPLETE, capsys, *flags, "--unsafe-fixes").read_text()
    assert unsafe == safe.replace(
        "  allowHeaders: [Content-Type]\n",
        '  allowHeaders: [Content-Type]\n  allowOrigins:\n    - "*"\n',
    )
