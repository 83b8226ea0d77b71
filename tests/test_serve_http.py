"""`apilint serve` answers an HTTP API (payload 2.0, managed CORS, JWT and simple Lambda
authorizers) as API Gateway would (fixtures/serve/http)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_serve_support import SERVE, call, served

HANDLERS = SERVE / "http" / "handlers.py"
ORIGIN = {"Origin": "https://app.example"}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    private = ec.generate_private_key(ec.SECP256R1())
    pem = tmp_path_factory.mktemp("jwt") / "public.pem"
    pem.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, pem


@pytest.fixture(scope="module")
def url(keys: tuple[object, Path]) -> Iterator[str]:
    with served("http/api.yaml", HANDLERS, jwt_keys=(str(keys[1]),)) as base:
        yield base


def token(private: object, **claims: object) -> str:
    import jwt

    body = {
        "iss": "https://issuer.example",
        "aud": "pets-client",
        "scope": "pets/read",
        "exp": int(time.time()) + 300,
        **claims,
    }
    return jwt.encode(body, private, algorithm="ES256")


def test_default_stage_has_no_prefix(url: str) -> None:
    assert url.count("/") == 2  # http://127.0.0.1:PORT


def test_payload_2_0_event(url: str) -> None:
    reply = call(
        url, "GET", "/items/42?a=1&a=2", headers={"X-Multi": "x", "Cookie": "c1=1; c2=2", **ORIGIN}
    )
    assert reply.status == 200
    e = reply.json()
    assert (e["version"], e["routeKey"], e["rawPath"], e["rawQueryString"]) == (
        "2.0",
        "GET /items/{id}",
        "/items/42",
        "a=1&a=2",
    )
    assert e["queryStringParameters"] == {"a": "1,2"}
    assert e["pathParameters"] == {"id": "42"}
    assert e["cookies"] == ["c1=1", "c2=2"]
    assert e["headers"]["x-multi"] == "x" and "cookie" not in e["headers"]
    assert "multiValueHeaders" not in e and e["isBase64Encoded"] is False
    ctx = e["requestContext"]
    assert (ctx["http"]["method"], ctx["http"]["path"], ctx["stage"], ctx["routeKey"]) == (
        "GET",
        "/items/42",
        "$default",
        "GET /items/{id}",
    )
    assert reply.header("apigw-requestid") == ctx["requestId"]
    # 2.0 response: cookies become Set-Cookie; managed CORS replaces the backend's header
    assert reply.header("Set-Cookie") == "s=1; Path=/"
    assert reply.header("Access-Control-Allow-Origin") == "https://app.example"
    assert reply.header("Access-Control-Expose-Headers") == "x-total"


def test_binary_body_is_base64(url: str) -> None:
    e = call(
        url,
        "POST",
        "/files/up",
        headers={"Content-Type": "application/octet-stream"},
        body=b"\xff\x00",
    ).json()
    assert (e["body"], e["isBase64Encoded"], e["routeKey"]) == ("/wA=", True, "ANY /files/{proxy+}")


def test_payload_1_0_on_http_api(url: str) -> None:
    e = call(url, "GET", "/v1?x=1").json()
    assert (e["version"], e["resource"], e["queryStringParameters"]) == ("1.0", "/v1", {"x": "1"})


def test_response_without_status_code_is_the_body(url: str) -> None:
    reply = call(url, "GET", "/plain")
    assert (reply.status, reply.json()) == (200, {"route": "GET /plain", "path": "/plain"})
    assert reply.header("Content-Type") == "application/json"


@pytest.mark.parametrize(
    "method, path, status, body",
    [
        ("GET", "/nope", 404, b'{"message":"Not Found"}'),
        ("DELETE", "/items", 404, b'{"message":"Not Found"}'),
        ("GET", "/crash", 500, b'{"message":"Internal Server Error"}'),
        ("GET", "/slow", 503, b'{"message":"Service Unavailable"}'),
        ("GET", "/lambda-auth", 401, b'{"message":"Unauthorized"}'),
    ],
)
def test_gateway_errors(url: str, method: str, path: str, status: int, body: bytes) -> None:
    reply = call(url, method, path)
    assert (reply.status, reply.body) == (status, body)
    assert reply.header("x-amzn-ErrorType") is None


def test_http_proxy_not_emulated(url: str) -> None:
    assert call(url, "GET", "/proxy").status == 501


def test_managed_cors_preflight(url: str) -> None:
    reply = call(
        url, "OPTIONS", "/items", headers={**ORIGIN, "Access-Control-Request-Method": "POST"}
    )
    assert (reply.status, reply.body) == (204, b"")
    assert reply.header("Access-Control-Allow-Origin") == "https://app.example"
    assert reply.header("Access-Control-Allow-Methods") == "GET,POST"
    assert reply.header("Access-Control-Allow-Headers") == "authorization,content-type"
    assert reply.header("Access-Control-Max-Age") == "600"


def test_cors_headers_only_for_allowed_origins(url: str) -> None:
    reply = call(url, "GET", "/items", headers={"Origin": "https://evil.example"})
    assert reply.status == 200 and reply.header("Access-Control-Allow-Origin") is None


def test_simple_lambda_authorizer(url: str) -> None:
    ok = call(url, "GET", "/lambda-auth", headers={"X-User": "alice"})
    assert ok.json()["requestContext"]["authorizer"] == {"lambda": {"user": "alice"}}
    denied = call(url, "GET", "/lambda-auth", headers={"X-User": "bob"})
    assert (denied.status, denied.body) == (403, b'{"message":"Forbidden"}')


def test_jwt_authorizer_accepts_a_token_signed_by_the_local_key(url: str, keys) -> None:
    reply = call(url, "GET", "/secure", headers={"Authorization": "Bearer " + token(keys[0])})
    assert reply.status == 200
    jwt_block = reply.json()["requestContext"]["authorizer"]["jwt"]
    assert (jwt_block["claims"]["aud"], jwt_block["scopes"]) == ("pets-client", ["pets/read"])


@pytest.mark.parametrize(
    "claims, status",
    [
        pytest.param({"iss": "https://other.example"}, 401, id="issuer"),
        pytest.param({"aud": "someone-else"}, 401, id="audience"),
        pytest.param({"exp": 1}, 401, id="expired"),
        pytest.param({"scope": "pets/write"}, 403, id="scope"),
    ],
)
def test_jwt_authorizer_rejects(url: str, keys, claims: dict, status: int) -> None:
    reply = call(url, "GET", "/secure", headers={"Authorization": token(keys[0], **claims)})
    assert reply.status == status


def test_jwt_signed_by_another_key_is_401(url: str) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    reply = call(
        url,
        "GET",
        "/secure",
        headers={"Authorization": token(ec.generate_private_key(ec.SECP256R1()))},
    )
    assert (reply.status, reply.body) == (401, b'{"message":"Unauthorized"}')


def test_default_route_takes_what_no_route_matches() -> None:
    with served("http/default-route.yaml", HANDLERS) as url:
        assert call(url, "GET", "/items").json()["routeKey"] == "GET /items"
        assert call(url, "PATCH", "/items").json() == {"route": "$default", "path": "/items"}
        assert call(url, "GET", "/a/b").json() == {"route": "$default", "path": "/a/b"}


def test_named_stage_prefix() -> None:
    with served("http/default-route.yaml", HANDLERS, stage="beta") as url:
        assert url.endswith("/beta")
        e = call(url, "PATCH", "/x").json()
        assert e == {"route": "$default", "path": "/beta/x"}
        wrong = call(url.rsplit("/", 1)[0], "GET", "/items")
        assert (wrong.status, wrong.body) == (404, b'{"message":"Not Found"}')
