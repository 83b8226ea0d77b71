"""What the integration and CORS findings say and where: messages that fit the API kind and the
actual fault (issue 16). Each case compares the exact (code, severity, line, column) set and
the message text that matters."""

from __future__ import annotations

from pathlib import Path

from apilint.catalog.registry import find_rule
from apilint.engine.run import Settings, lint_path

LAMBDA_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:pets/invocations"
)


def lint(tmp_path: Path, text: str, *rules: str) -> list[tuple[str, str, int, int, str]]:
    path = tmp_path / "api.yaml"
    path.write_text(text)
    results = lint_path(str(path), Settings(select=rules))
    assert results and all(r.error is None and r.skipped is None for r in results)
    return sorted(
        (f.code, str(f.severity), f.line, f.column, f.message) for r in results for f in r.findings
    )


def where(found: list[tuple[str, str, int, int, str]]) -> set[tuple[str, str, int, int]]:
    return {f[:4] for f in found}


# -- new rules -----------------------------------------------------------------------------------

NO_RESPONSES = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: GET
        uri: https://backend.example.com/pets
    options:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {}
"""


def test_integration_without_responses_names_the_500_each_type_answers(tmp_path: Path) -> None:
    found = lint(tmp_path, NO_RESPONSES, "integration-responses-missing")
    assert where(found) == {("AGW427", "warning", 7, 7), ("AGW427", "warning", 16, 9)}
    http, mock = found
    assert http[4].startswith("the http integration of GET /pets has no integration responses")
    assert "No match for output mapping" in http[4]
    assert 'answers 500 {"message": "Internal server error"}' in mock[4]
    assert "No match for output mapping" not in mock[4]


CREDENTIALS = """\
openapi: 3.0.1
info: {title: queue, version: "1"}
paths:
  /send:
    post:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:sqs:path/123456789012/q
        credentials: arn:aws:iam::123456789012:user/deploy
        responses: {default: {statusCode: "200"}}
    put:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: arn:aws:apigateway:us-east-1:sqs:path/123456789012/q
        credentials: arn:aws:iam::${AWS::AccountId}:role/${stageVariables.role}
        responses: {default: {statusCode: "200"}}
"""


def test_credentials_user_arn_is_named_and_placeholders_are_unknown(tmp_path: Path) -> None:
    found = lint(tmp_path, CREDENTIALS, "integration-credentials-invalid")
    assert where(found) == {("AGW428", "warning", 11, 9)}
    assert found[0][4].startswith(
        "the integration of POST /send has credentials 'arn:aws:iam::123456789012:user/deploy': "
        "it names an IAM user, and API Gateway can assume only roles."
    )


MAPPING_TYPES = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: '{"statusCode": 200}'
        responses:
          default:
            statusCode: "200"
            responseParameters: [method.response.header.X-Id]
"""


def test_mapping_field_of_the_wrong_type_cites_the_import_failure(tmp_path: Path) -> None:
    found = lint(tmp_path, MAPPING_TYPES, "integration-mapping-type-invalid")
    assert where(found) == {("AGW429", "error", 9, 9), ("AGW429", "error", 13, 13)}
    request, response = found
    assert request[4].startswith(
        "in the integration of GET /pets, requestTemplates is a string, not a map; "
    )
    assert "Unable to parse API definition because of a malformed integration" in request[4]
    assert response[4].startswith(
        "in integration response 'default' of GET /pets, responseParameters is a list, not a map; "
    )
    assert "{method.response.header.X: integration.response.header.X}" in response[4]


# -- messages that fit the API -------------------------------------------------------------------


def test_lambda_method_not_post_is_one_rule_on_rest_and_http(tmp_path: Path) -> None:
    # One severity for both kinds: AWS documents POST for Lambda invocations but shows no
    # import failure for either, so the split into a REST error and an HTTP warning that the
    # review asked about is not needed (the rule's severity is the evidence review's call).
    rest = f"""\
openapi: 3.0.1
info: {{title: pets, version: "1"}}
paths:
  /pets:
    get:
      responses: {{"200": {{description: ok}}}}
      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: GET, uri: "{LAMBDA_URI}"}}
"""
    http = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: AWS_PROXY
        payloadFormatVersion: "2.0"
        httpMethod: GET
        uri: arn:aws:lambda:us-east-1:123456789012:function:pets
"""
    level = str(find_rule("lambda-http-method-not-post").severity)
    found = lint(tmp_path, rest, "lambda-http-method-not-post")
    assert where(found) == {("AGW402", level, 7, 58)}
    found = lint(tmp_path, http, "lambda-http-method-not-post")
    assert where(found) == {("AGW402", level, 11, 9)}
    assert "uses httpMethod 'GET'; Lambda's Invoke API only accepts POST" in found[0][4]


def test_http_api_preflight_missing_points_to_the_cors_configuration(tmp_path: Path) -> None:
    text = """\
openapi: 3.0.1
info: {title: cors, version: "1"}
x-amazon-apigateway-importexport-version: "1.0"
paths:
  /pets:
    delete:
      responses:
        "204":
          description: ok
          headers:
            Access-Control-Allow-Origin: {schema: {type: string}}
      x-amazon-apigateway-integration:
        type: AWS_PROXY
        payloadFormatVersion: "2.0"
        uri: arn:aws:lambda:us-east-1:123456789012:function:pets
"""
    found = lint(tmp_path, text, "cors-preflight-missing")
    assert where(found) == {("AGW501", "warning", 5, 3)}
    message = found[0][4]
    assert message.startswith("/pets has no OPTIONS route, but browsers preflight its DELETE")
    assert message.endswith(
        "; configure x-amazon-apigateway-cors (API Gateway then answers "
        "preflight requests itself) or add an OPTIONS route whose "
        "integration returns the Access-Control-Allow-* headers"
    )
    assert "mock" not in message


PREFLIGHT_WITHOUT_METHOD_RESPONSE = f"""\
openapi: 3.0.1
info: {{title: pets, version: "1"}}
paths:
  /pets:
    put:
      responses: {{"200": {{description: ok}}}}
      x-amazon-apigateway-integration: {{type: aws_proxy, httpMethod: POST, uri: "{LAMBDA_URI}"}}
    options:
      responses:
        default: {{description: preflight}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {{application/json: '{{"statusCode": 200}}'}}
        responses:
          default: {{statusCode: "200"}}
"""


def test_preflight_without_method_response_says_so(tmp_path: Path) -> None:
    found = lint(tmp_path, PREFLIGHT_WITHOUT_METHOD_RESPONSE, "cors-preflight-incomplete")
    assert where(found) == {("AGW502", "warning", 8, 5)}
    assert found[0][4] == (
        "the CORS preflight OPTIONS /pets has integration response 'default' returning 200 but "
        "no 200 method response (the operation declares no status code), so it cannot return "
        "the Access-Control-Allow-* headers; browsers reject the cross-origin call. Declare a "
        "'200' response with the Access-Control-Allow-Origin, -Methods and -Headers headers and "
        "map them in that integration response"
    )


def test_gateway_responses_of_an_api_without_auth_speak_of_429_and_5xx(tmp_path: Path) -> None:
    found = lint(tmp_path, PREFLIGHT_WITHOUT_METHOD_RESPONSE, "cors-gateway-responses-missing")
    assert where(found) == {("AGW507", "warning", 1, 1)}
    assert "generates itself (429 throttling, 5xx integration failures and timeouts)" in found[0][4]
    assert "401" not in found[0][4] and "403" not in found[0][4]
    secured = PREFLIGHT_WITHOUT_METHOD_RESPONSE.replace(
        "    put:\n", "    put:\n      security: [{key: []}]\n"
    ) + ("components:\n  securitySchemes:\n    key: {type: apiKey, name: x-api-key, in: header}\n")
    found = lint(tmp_path, secured, "cors-gateway-responses-missing")
    assert where(found) == {("AGW507", "warning", 1, 1)}
    assert "(authorizer 401/403, missing API key, 429 throttling, 5xx)" in found[0][4]


def test_preflight_mapping_undeclared_headers_is_left_to_response_status_undeclared(
    tmp_path: Path,
) -> None:
    # The headers are mapped but the operation has no 200 response: response-status-undeclared
    # reports each mapping (no method response carries them; AWS's samples import such
    # files); cors-preflight-incomplete adds nothing.
    text = PREFLIGHT_WITHOUT_METHOD_RESPONSE.replace(
        '          default: {statusCode: "200"}\n',
        '          default:\n            statusCode: "200"\n            responseParameters:\n'
        + "".join(
            f"              method.response.header.Access-Control-Allow-{h}: \"'{v}'\"\n"
            for h, v in (("Origin", "*"), ("Methods", "PUT,OPTIONS"), ("Headers", "Content-Type"))
        ),
    )
    found = lint(
        tmp_path,
        text,
        "cors-preflight-incomplete",
        "response-header-undeclared",
        "response-status-undeclared",
    )
    level = str(find_rule("response-status-undeclared").severity)
    assert where(found) == {("AGW463", level, line, 15) for line in (18, 19, 20)}
