"""`apilint serve` answers a REST API as API Gateway would: real HTTP requests to the emulator
on 127.0.0.1 (fixtures/serve/rest)."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator

import pytest
from test_serve_support import KEY, SERVE, call, served

MAT = b'{"message":"Missing Authentication Token"}'


@pytest.fixture(scope="module")
def log() -> io.StringIO:
    return io.StringIO()


@pytest.fixture(scope="module")
def url(log: io.StringIO) -> Iterator[str]:
    with served(
        "rest/api.yaml",
        SERVE / "rest" / "handlers",
        api_keys=(KEY,),
        stage_vars={"fn": "echo"},
        log=log,
    ) as base:
        yield base


def event(url: str, path: str, method: str = "GET", **kwargs) -> dict:
    reply = call(url, method, path, **kwargs)
    assert reply.status == 200, reply.body
    return reply.json()


# -- routing ------------------------------------------------------------------------------------


def test_base_url_has_the_stage(url: str) -> None:
    assert url.startswith("http://127.0.0.1:") and url.endswith("/prod")


@pytest.mark.parametrize(
    "method, path",
    [
        pytest.param("GET", "/nope", id="unknown-path"),
        pytest.param("DELETE", "/pets", id="undeclared-method"),
        pytest.param("PATCH", "/pets/1", id="undeclared-method-param"),
        pytest.param("GET", "/files", id="greedy-needs-a-segment"),
        pytest.param("GET", "/", id="root-without-methods"),
        pytest.param("BREW", "/pets", id="unknown-verb"),
    ],
)
def test_undefined_route_or_method_is_missing_authentication_token(
    url: str, method: str, path: str
) -> None:
    reply = call(url, method, path, headers={"Origin": "https://app.example"})
    assert (reply.status, reply.body) == (403, MAT)
    assert reply.header("x-amzn-ErrorType") == "MissingAuthenticationTokenException"
    assert reply.header("Content-Type") == "application/json"
    # DEFAULT_4XX gateway response: a static header and one mapped from the request
    assert reply.header("Access-Control-Allow-Origin") == "*"
    assert reply.header("X-Request-Origin") == "https://app.example"
    assert reply.header("x-amzn-RequestId")


def test_wrong_stage_is_forbidden(url: str) -> None:
    reply = call(url.rsplit("/", 1)[0], "GET", "/dev/pets")
    assert (reply.status, reply.body) == (403, b'{"message":"Forbidden"}')
    assert reply.header("Access-Control-Allow-Origin") is None  # no API, no gateway responses


def test_path_parameters_are_decoded(url: str) -> None:
    got = event(url, "/pets/a%20b")
    assert (got["resource"], got["path"], got["pathParameters"]) == (
        "/pets/{petId}",
        "/pets/a b",
        {"petId": "a b"},
    )
    assert got["requestContext"]["resourcePath"] == "/pets/{petId}"
    assert got["requestContext"]["path"] == "/prod/pets/a%20b"


def test_greedy_proxy_and_any(url: str) -> None:
    got = event(url, "/files/a/b/c.txt", "PUT", body=b"x")
    assert (got["resource"], got["httpMethod"], got["pathParameters"]) == (
        "/files/{proxy+}",
        "PUT",
        {"proxy": "a/b/c.txt"},
    )


def test_literal_resource_beats_greedy(url: str) -> None:
    reply = call(url, "GET", "/files/readme")
    assert (reply.status, reply.body) == (200, b'{"file":"readme"}')


def test_explicit_options_beats_any(url: str) -> None:
    reply = call(url, "OPTIONS", "/files/a")
    assert (reply.status, reply.body) == (204, b"")
    assert reply.header("Access-Control-Allow-Origin") == "*"


# -- Lambda proxy (payload 1.0) -----------------------------------------------------------------


def test_rest_event_shape(url: str) -> None:
    got = call(
        url,
        "POST",
        "/files/x?a=1&a=2&b=%7Bc%7D",
        headers={"X-Multi": "1", "Content-Type": "text/plain"},
        body="héllo".encode(),
    )
    assert got.header("X-Function") == "echo"
    e = got.json()
    assert set(e) == {
        "resource",
        "path",
        "httpMethod",
        "headers",
        "multiValueHeaders",
        "queryStringParameters",
        "multiValueQueryStringParameters",
        "pathParameters",
        "stageVariables",
        "requestContext",
        "body",
        "isBase64Encoded",
    }
    assert e["queryStringParameters"] == {"a": "2", "b": "{c}"}
    assert e["multiValueQueryStringParameters"] == {"a": ["1", "2"], "b": ["{c}"]}
    assert e["headers"]["X-Multi"] == "1" and e["multiValueHeaders"]["X-Multi"] == ["1"]
    assert (e["body"], e["isBase64Encoded"]) == ("héllo", False)
    assert e["stageVariables"] == {"fn": "echo"}
    ctx = e["requestContext"]
    assert (ctx["stage"], ctx["httpMethod"], ctx["accountId"], ctx["protocol"]) == (
        "prod",
        "POST",
        "123456789012",
        "HTTP/1.1",
    )
    assert ctx["identity"]["sourceIp"] == "127.0.0.1" and ctx["identity"]["apiKey"] is None
    assert ctx["requestId"] == got.header("x-amzn-RequestId")


def test_empty_request_has_null_body_and_maps(url: str) -> None:
    e = event(url, "/pets")
    assert (e["body"], e["queryStringParameters"], e["pathParameters"]) == (None, None, None)


def test_proxy_response_headers_and_status(url: str) -> None:
    reply = call(
        url,
        "POST",
        "/pets",
        headers={"x-api-key": KEY, "Content-Type": "application/json"},
        body=b'{"name": "rex", "price": 3}',
    )
    assert (reply.status, reply.json()) == (201, {"id": 7, "name": "rex", "price": 3})
    assert [v for k, v in reply.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert reply.header("Content-Type") == "application/json"  # added when the handler omits it


def test_binary_response_for_a_binary_accept(url: str) -> None:
    reply = call(url, "GET", "/binary", headers={"Accept": "image/png"})
    assert (reply.status, reply.body) == (200, b"\x89PNG\r\n")
    text = call(url, "GET", "/binary", headers={"Accept": "application/json"})
    assert text.body == b"iVBORw0K"  # not a binary media type: the base64 text as it is


@pytest.mark.parametrize("kind", ["string", "dict-body", "extra-field", "exit"])
def test_malformed_or_failing_handler_is_502(url: str, kind: str) -> None:
    reply = call(url, "GET", f"/malformed?kind={kind}")
    assert (reply.status, reply.body) == (502, b'{"message":"Internal server error"}')
    assert reply.header("x-amzn-ErrorType") == "InternalServerErrorException"
    assert reply.header("Access-Control-Allow-Origin") == "*"  # DEFAULT_5XX


def test_handler_exception_is_502_and_logged(url: str, log: io.StringIO) -> None:
    reply = call(url, "GET", "/crash")
    assert (reply.status, reply.body) == (502, b'{"message":"Internal server error"}')
    assert call(url, "GET", "/pets").status == 200  # still serving
    text = log.getvalue()
    assert "GET /prod/crash 502 lambda:crash->gateway:DEFAULT_5XX" in text
    assert "RuntimeError: handler bug" in text


def test_integration_timeout_is_504(url: str) -> None:
    reply = call(url, "GET", "/slow")
    assert (reply.status, reply.body) == (504, b'{"message":"Endpoint request timed out"}')


def test_unmapped_function_answers_like_a_missing_permission(url: str) -> None:
    reply = call(url, "GET", "/unmapped")
    assert (reply.status, reply.body) == (500, b'{"message":"Internal server error"}')


def test_stage_variable_names_the_function(url: str) -> None:
    assert call(url, "GET", "/stage-variable").header("X-Function") == "echo"


# -- mock integrations and CORS -------------------------------------------------------------


def test_mock_cors_preflight(url: str) -> None:
    reply = call(
        url,
        "OPTIONS",
        "/pets",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert (reply.status, reply.body) == (200, b"")
    assert reply.header("Access-Control-Allow-Origin") == "https://app.example"
    assert reply.header("Access-Control-Allow-Methods") == "GET,POST,OPTIONS"
    assert reply.header("Access-Control-Allow-Headers") == "Content-Type,X-Api-Key"
    assert reply.header("Content-Type") == "application/json"


def test_mock_passthrough_never_rejects_unmapped_content_type(url: str) -> None:
    reply = call(url, "OPTIONS", "/pets", headers={"Content-Type": "text/plain"})
    assert (reply.status, reply.body) == (415, b'{"message":"Unsupported Media Type"}')


@pytest.mark.parametrize(
    "path, what",
    [
        ("/backend", b"http_proxy integration of GET /backend"),
        ("/vtl", b"the mock request template of GET /vtl uses VTL"),
    ],
)
def test_not_emulated_is_501(url: str, path: str, what: bytes) -> None:
    reply = call(url, "GET", path)
    assert reply.status == 501
    assert reply.json() == {
        "message": f"Not emulated by apilint serve: {what.decode()}; see apilint serve --explain"
    }
    assert reply.header("x-apilint-not-emulated") == "true"


# -- API keys -------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"x-api-key": "wrong-key"}])
def test_api_key_required(url: str, headers: dict[str, str]) -> None:
    reply = call(url, "GET", "/keyed", headers=headers)
    assert (reply.status, reply.body) == (403, b'{"message":"Forbidden"}')
    assert reply.header("x-amzn-ErrorType") == "ForbiddenException"


def test_valid_api_key_reaches_the_integration(url: str) -> None:
    got = event(url, "/keyed", headers={"X-API-Key": KEY})
    assert got["requestContext"]["identity"]["apiKey"] == KEY


def test_api_keys_are_masked_in_the_log(url: str, log: io.StringIO) -> None:
    call(url, "GET", f"/keyed?leak={KEY}", headers={"x-api-key": KEY})
    assert KEY not in log.getvalue()
    assert f"/prod/keyed?leak=****{KEY[-4:]}" in log.getvalue()


# -- Lambda authorizers -----------------------------------------------------------------------


def test_token_authorizer_allow_passes_context(url: str) -> None:
    got = event(url, "/token", headers={"Authorization": "allow"})
    assert got["requestContext"]["authorizer"] == {
        "principalId": "user-1",
        "user": "alice",
        "level": 3,
        "admin": False,
        "integrationLatency": 0,
    }


def test_token_authorizer_deny_is_403(url: str) -> None:
    reply = call(url, "GET", "/token", headers={"Authorization": "deny"})
    assert reply.status == 403
    assert reply.json() == {
        "Message": "User is not authorized to access this resource with an explicit deny"
    }
    assert reply.header("x-amzn-ErrorType") == "AccessDeniedException"


def test_policy_for_another_resource_is_403(url: str) -> None:
    reply = call(url, "GET", "/token", headers={"Authorization": "elsewhere"})
    assert (reply.status, reply.body) == (
        403,
        b'{"Message":"User is not authorized to access this resource"}',
    )


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "UPPER"}, id="fails-identityValidationExpression"),
        pytest.param({"Authorization": "unauthorized"}, id="authorizer-raises-Unauthorized"),
    ],
)
def test_unauthorized_uses_the_custom_gateway_response(url: str, headers) -> None:
    reply = call(url, "GET", "/token", headers=headers)
    assert reply.status == 401
    assert reply.json() == {"error": "unauthorized", "type": "UNAUTHORIZED", "stage": "prod"}
    assert reply.header("WWW-Authenticate") == "Bearer"
    assert reply.header("Access-Control-Allow-Origin") is None  # UNAUTHORIZED replaces 4XX


@pytest.mark.parametrize("token", ["boom", "nested-context"])
def test_authorizer_failure_is_500_with_null_message(url: str, token: str) -> None:
    reply = call(url, "GET", "/token", headers={"Authorization": token})
    assert (reply.status, reply.body) == (500, b'{"message":null}')
    assert reply.header("x-amzn-ErrorType") == "AuthorizerConfigurationException"


def test_request_authorizer_and_its_cache(url: str) -> None:
    headers = {"X-User": "carol"}
    missing = call(url, "GET", "/request-auth", headers=headers)  # no ?tenant=
    assert missing.status == 401
    got = event(url, "/request-auth?tenant=t1", headers=headers)
    assert got["requestContext"]["authorizer"]["tenant"] == "t1"
    # The cached policy allows only GET /request-auth: the next method is denied (as on AWS).
    reply = call(url, "GET", "/request-auth/other?tenant=t1", headers=headers)
    assert reply.status == 403
    auth = next(
        m for name, m in sys.modules.items() if name.endswith("_auth") and hasattr(m, "CALLS")
    )
    assert auth.CALLS["requestAuthorizer"] == 1


@pytest.mark.parametrize(
    "resource, verdict",
    [
        ("arn:*/prod/GET/*", "allow"),
        ("arn:x/prod/GET/a/?", "allow"),
        ("arn:x/prod/POST/*", "unmatched"),
    ],
)
def test_policy_wildcards(resource: str, verdict: str) -> None:
    from apilint.serve.authorizer_policy import evaluate

    statement = {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": resource}
    assert evaluate({"Statement": statement}, "arn:x/prod/GET/a/b") == verdict


def test_iam_unsigned_is_missing_token_and_signed_not_emulated(url: str) -> None:
    assert call(url, "GET", "/iam").body == MAT
    assert call(url, "GET", "/iam", headers={"Authorization": "AWS4-HMAC-SHA256 x"}).status == 501


# -- request validators -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, headers, missing",
    [
        ("/search", {}, "q, X-Trace"),
        ("/search?q=", {"X-Trace": "t"}, "q"),
        ("/search?q=1", {"X-Trace": " "}, "X-Trace"),
    ],
)
def test_required_parameters(url: str, path: str, headers, missing: str) -> None:
    reply = call(url, "GET", path, headers=headers)
    assert reply.status == 400
    assert reply.json() == {"message": f"Missing required request parameters: [{missing}]"}
    assert reply.header("x-amzn-ErrorType") == "BadRequestException"


def test_parameters_are_not_type_checked(url: str) -> None:
    assert call(url, "GET", "/search?q=abc", headers={"X-Trace": "t"}).status == 200


@pytest.mark.parametrize(
    "body",
    [b'{"price": 1}', b'{"name": "", "price": 1}', b'{"name": "x", "price": -1}', b"not json", b""],
)
def test_body_validation(url: str, body: bytes) -> None:
    reply = call(
        url,
        "POST",
        "/pets",
        headers={"x-api-key": KEY, "Content-Type": "application/json"},
        body=body,
    )
    assert (reply.status, reply.body) == (400, b'{"message":"Invalid request body"}')


def test_body_of_another_content_type_is_not_validated(url: str) -> None:
    reply = call(
        url,
        "POST",
        "/pets",
        headers={"x-api-key": KEY, "Content-Type": "text/plain"},
        body=b'{"name": "plain"}',
    )
    assert reply.status == 201


def test_validation_follows_authorization(url: str) -> None:
    reply = call(url, "POST", "/pets", headers={"Content-Type": "application/json"}, body=b"{}")
    assert reply.status == 403  # the key is checked before the body


def test_access_log_line(url: str, log: io.StringIO) -> None:
    call(url, "GET", "/pets/9")
    line = next(t for t in log.getvalue().splitlines() if "/prod/pets/9" in t)
    assert line.startswith("127.0.0.1 GET /prod/pets/9 200 lambda:echo ")
    assert line.endswith("ms")


# -- which integrations are Lambda ------------------------------------------------------------

PLACEHOLDER_LAMBDA = """\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /fn:
    get:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${lambda_arn}
"""


def _hello(event: dict, context: object) -> dict:
    return {"statusCode": 200, "body": "hello"}


@pytest.mark.parametrize(
    "table, status, body",
    [
        # REST AWS_PROXY is Lambda proxy whatever its uri (apilint.model.lambdas.is_lambda, as the
        # linter reads it): a templatefile's `${lambda_arn}` is a function without a local handler,
        # answered as API Gateway answers a function it may not invoke, not "not emulated".
        pytest.param({}, 500, b'{"message":"Internal server error"}', id="no-handler-500"),
        pytest.param({"${lambda_arn}": _hello}, 200, b"hello", id="handler-by-uri"),
    ],
)
def test_rest_aws_proxy_with_placeholder_uri_is_lambda(
    tmp_path, table: dict, status: int, body: bytes
) -> None:
    from apilint.serve import running

    spec = tmp_path / "api.yaml"
    spec.write_text(PLACEHOLDER_LAMBDA)
    with running(spec, table) as base:
        reply = call(base, "GET", "/fn")
    assert (reply.status, reply.body) == (status, body)
    assert reply.header("x-apilint-not-emulated") is None


def test_explain_names_the_missing_handler_of_a_placeholder_uri(tmp_path) -> None:
    from apilint.engine.run import load_api
    from apilint.serve.describe import method_gaps
    from apilint.serve.gateway import Gateway
    from apilint.serve.handlers import Handlers
    from apilint.serve.settings import ServeConfig

    spec = tmp_path / "api.yaml"
    spec.write_text(PLACEHOLDER_LAMBDA)
    gateway = Gateway(load_api(str(spec)), Handlers({}), ServeConfig())
    (method,) = gateway.api.methods
    assert (
        method_gaps(gateway, method)
        == "function '${lambda_arn}' has no local handler: 500 (like a missing permission)"
    )
