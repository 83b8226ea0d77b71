"""`apilint serve` under hostile input: malformed HTTP, oversized requests, non-UTF-8 bytes and
crashing handlers are answered, never fatal; it listens on loopback and never calls out."""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from test_serve_support import KEY, SERVE, call, raw, served

HANDLERS = SERVE / "rest" / "handlers"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with served("rest/api.yaml", HANDLERS, api_keys=(KEY,), max_body_bytes=1000) as base:
        yield base


def root(url: str) -> str:
    return url.rsplit("/", 1)[0]


def status_line(answer: bytes) -> bytes:
    return answer.split(b"\r\n", 1)[0]


def still_serving(url: str) -> None:
    assert call(url, "GET", "/pets").status == 200


def test_binds_to_loopback_by_default() -> None:
    from apilint.serve import start

    served_ = start(SERVE / "rest" / "api.yaml", HANDLERS)
    try:
        assert served_.server.server_address[0] == "127.0.0.1"
        assert served_.url.startswith("http://127.0.0.1:")
    finally:
        served_.close()


@pytest.mark.parametrize(
    "request_bytes, expected",
    [
        pytest.param(b"GARBAGE\r\n\r\n", b"HTTP/1.1 400", id="garbage-request-line"),
        pytest.param(b"\x00\xff\xfe junk \x01\r\n\r\n", b"HTTP/1.1 400", id="binary-request-line"),
        pytest.param(b"GET /prod/pets HTTP/9.9\r\n\r\n", b"HTTP/1.1 505", id="bad-version"),
        pytest.param(
            b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", b"HTTP/1.1 414", id="huge-request-line"
        ),
        pytest.param(
            b"GET /prod/pets HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n",
            b"HTTP/1.1 431",
            id="header-line-too-long",
        ),
        pytest.param(
            b"GET /prod/pets HTTP/1.1\r\n"
            + b"".join(b"X-%d: 1\r\n" % i for i in range(150))
            + b"\r\n",
            b"HTTP/1.1 431",
            id="too-many-headers",
        ),
        pytest.param(
            b"GET /prod/pets HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 11000 + b"\r\n\r\n",
            b"HTTP/1.1 431",
            id="header-values-over-10240-bytes",
        ),
        pytest.param(
            b"POST /prod/pets HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            b"HTTP/1.1 400",
            id="content-length-not-a-number",
        ),
        pytest.param(
            b"POST /prod/pets HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            b"HTTP/1.1 400",
            id="content-length-negative",
        ),
        pytest.param(
            b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc",
            b"HTTP/1.1 400",
            id="body-shorter-than-content-length",
        ),
        pytest.param(
            b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"HTTP/1.1 400",
            id="bad-chunk-size",
        ),
    ],
)
def test_malformed_requests_are_answered(url: str, request_bytes: bytes, expected: bytes) -> None:
    assert status_line(raw(url, request_bytes)).startswith(expected)
    still_serving(url)


def test_body_over_the_limit_is_413(url: str) -> None:
    reply = call(url, "POST", "/files/a", body=b"x" * 1001)
    assert (reply.status, reply.body) == (413, b'{"message":"Request Too Long"}')
    assert call(url, "POST", "/files/a", body=b"x" * 1000).status == 200
    still_serving(url)


def test_chunked_body_over_the_limit_is_413(url: str) -> None:
    chunk = b"%x\r\n%s\r\n" % (600, b"y" * 600)
    answer = raw(
        url,
        b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
        b"\r\n\r\n" + chunk * 2 + b"0\r\n\r\n",
    )
    assert status_line(answer) == b"HTTP/1.1 413 Request Entity Too Large"


def test_chunked_body_reaches_the_handler(url: str) -> None:
    answer = raw(
        url,
        b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status_line(head) == b"HTTP/1.1 200 OK"
    assert json.loads(body)["body"] == "abcde"


@pytest.mark.parametrize("path", [b"/prod/pets/\xff\xfe", b"/prod/pets/%ff%fe"])
def test_non_utf8_path(url: str, path: bytes) -> None:
    answer = raw(url, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status_line(head) == b"HTTP/1.1 200 OK"
    assert json.loads(body)["pathParameters"] == {"petId": "\ufffd\ufffd"}


def test_non_utf8_body(url: str) -> None:
    text = call(url, "POST", "/files/a", headers={"Content-Type": "text/plain"}, body=b"\xff\xfe")
    assert text.json()["body"] == "\ufffd\ufffd"
    json_body = call(
        url,
        "POST",
        "/pets",
        body=b"\xff\xfe",
        headers={"x-api-key": KEY, "Content-Type": "application/json"},
    )
    assert (json_body.status, json_body.body) == (400, b'{"message":"Invalid request body"}')


def test_deeply_nested_json_body(url: str) -> None:
    nested = b"[" * 100000 + b"]" * 100000
    headers = {"x-api-key": KEY, "Content-Type": "application/json"}
    # Over the 1000-byte test limit: refused unread. Under the default limit the body reaches
    # the validator, whose JSON parser runs out of recursion: invalid, never a crash.
    assert call(url, "POST", "/pets", body=nested, headers=headers).status == 413
    with served("rest/api.yaml", HANDLERS, api_keys=(KEY,)) as roomy:
        reply = call(roomy, "POST", "/pets", body=nested, headers=headers)
        assert (reply.status, reply.body) == (400, b'{"message":"Invalid request body"}')
        still_serving(roomy)
    still_serving(url)


def test_handler_crashes_do_not_stop_the_server(url: str) -> None:
    for _ in range(3):
        assert call(url, "GET", "/crash").status == 502
        assert call(url, "GET", "/malformed?kind=exit").status == 502
    still_serving(url)


def test_never_contacts_the_network(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    contacted: list[object] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> None:
        if not (isinstance(address, tuple) and address[0] in ("127.0.0.1", "::1")):
            contacted.append(address)
        return real_connect(self, address)

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "::1", "localhost"):
            contacted.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for method, path in [
        ("GET", "/backend"),
        ("GET", "/cognito"),
        ("GET", "/pets"),
        ("GET", "/token"),
        ("GET", "/iam"),
    ]:
        call(url, method, path, headers={"Authorization": "allow"})
    assert contacted == []


# -- issue 24 item 6: request smuggling, response splitting, backlog, Lambda's payload limit ------


def _answers(event: dict, context: object) -> dict:
    """Stands in for `echo`: what a handler returns for /files/<case>."""
    case = event["path"].rsplit("/", 1)[-1]
    if case == "crlf-value":
        return {"statusCode": 200, "headers": {"X-A": "a\r\nSet-Cookie: evil=1"}, "body": "x"}
    if case == "crlf-name":
        return {"statusCode": 200, "headers": {"X-A\r\nSet-Cookie: evil=1": "v"}, "body": "x"}
    if case == "crlf-multi":
        return {
            "statusCode": 200,
            "multiValueHeaders": {"X-A": ["a\nSet-Cookie: evil=1"]},
            "body": "x",
        }
    if case == "big":  # over Lambda's 6 MB response payload limit
        return {"statusCode": 200, "body": "x" * 6_300_000}
    if case == "just-under":
        return {"statusCode": 200, "body": "x" * 6_290_000}
    return {"statusCode": 200, "body": event.get("body") or ""}


@pytest.fixture(scope="module")
def hostile() -> Iterator[tuple[str, io.StringIO]]:
    log = io.StringIO()
    with served("rest/api.yaml", {"echo": _answers}, max_body_bytes=1000, log=log) as base:
        yield base, log


@pytest.mark.parametrize(
    "request_bytes",
    [
        pytest.param(b"-0\r\n\r\n", id="minus-zero"),
        pytest.param(b"0x10\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", id="0x-prefix"),
        pytest.param(b"1_0\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", id="underscore"),
        pytest.param(b"+10\r\n" + b"x" * 16 + b"\r\n0\r\n\r\n", id="plus-sign"),
        pytest.param(b"\xd9\xa1\r\nx\r\n0\r\n\r\n", id="non-ascii-digit"),
    ],
)
def test_a_chunk_size_that_is_not_plain_hex_is_400(
    hostile: tuple[str, io.StringIO], request_bytes: bytes
) -> None:
    url, _ = hostile
    answer = raw(
        url,
        b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
        b"\r\n\r\n" + request_bytes,
    )
    assert status_line(answer) == b"HTTP/1.1 400 Bad Request"
    assert json.loads(answer.partition(b"\r\n\r\n")[2]) == {
        "message": "Bad Request: invalid chunk size"
    }
    still_serving(url)


def test_a_chunk_longer_than_its_size_is_400(hostile: tuple[str, io.StringIO]) -> None:
    url, _ = hostile
    answer = raw(
        url,
        b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
        b"\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n",
    )
    assert status_line(answer) == b"HTTP/1.1 400 Bad Request"
    assert json.loads(answer.partition(b"\r\n\r\n")[2]) == {
        "message": "Bad Request: chunk longer than its size"
    }
    still_serving(url)


def test_a_negative_chunk_size_is_400_at_once(hostile: tuple[str, io.StringIO]) -> None:
    # int("-1", 16) is -1, and rfile.read(-1) reads to the end of the stream: past every
    # limit (1.5 GB in, 4.4 GB held before). The client keeps its side open: a server that
    # waits for the end of the stream answers nothing.
    url, _ = hostile
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(
            b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
            b"\r\n\r\n-1\r\n" + b"x" * 5000
        )
        try:
            answer = sock.recv(65536)
        except TimeoutError:
            answer = b"(no answer within 5 s)"
    assert status_line(answer) == b"HTTP/1.1 400 Bad Request"
    still_serving(url)


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(b"Content-Length: \xc2\xb2\r\n", id="superscript-two"),
        pytest.param(b"Content-Length: \xd9\xa2\r\n", id="arabic-indic-two"),
        pytest.param(b"Content-Length: 2\r\nContent-Length: 2\r\n", id="twice-same"),
        pytest.param(b"Content-Length: 2\r\nContent-Length: 20\r\n", id="twice-different"),
    ],
)
def test_a_content_length_that_is_not_one_ascii_number_is_400(
    hostile: tuple[str, io.StringIO], headers: bytes
) -> None:
    url, _ = hostile
    answer = raw(url, b"POST /prod/files/a HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\nab")
    assert status_line(answer) == b"HTTP/1.1 400 Bad Request"
    assert b"Content-Length" in answer.partition(b"\r\n\r\n")[2]
    still_serving(url)


@pytest.mark.parametrize("case", ["crlf-value", "crlf-name", "crlf-multi"])
def test_a_line_break_in_a_handler_header_is_a_502_never_a_split_answer(
    hostile: tuple[str, io.StringIO], case: str
) -> None:
    url, log = hostile
    answer = raw(
        url,
        b"GET /prod/files/" + case.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status_line(head) == b"HTTP/1.1 502 Bad Gateway"
    assert json.loads(body) == {"message": "Internal server error"}
    assert b"evil" not in head and b"X-A" not in head
    line = next(t for t in log.getvalue().splitlines() if f"/prod/files/{case} 502" in t)
    assert "lambda:echo->gateway:DEFAULT_5XX" in line
    assert "Malformed Lambda proxy response: header" in log.getvalue()


def test_a_lambda_answer_over_6_mb_is_502_as_api_gateway_answers(
    hostile: tuple[str, io.StringIO],
) -> None:
    url, log = hostile
    reply = call(url, "GET", "/files/big")
    assert (reply.status, reply.body) == (502, b'{"message":"Internal server error"}')
    assert dict(reply.headers)["x-amzn-ErrorType"] == "InternalServerErrorException"
    assert (
        "Response payload size exceeded maximum allowed payload size (6291556 bytes)"
        in log.getvalue()
    )
    assert call(url, "GET", "/files/just-under").status == 200


def test_fifty_clients_connecting_at_once_are_all_accepted_at_once(
    hostile: tuple[str, io.StringIO],
) -> None:
    # A listen backlog of 5 drops the SYNs past it: those clients wait for the kernel's
    # retransmission, 1 s at least (p99 of 2.5-4.3 s at concurrency 50 before).
    url, _ = hostile
    parts = urlsplit(url)
    start = threading.Barrier(50)
    took: list[float] = []
    sockets: list[socket.socket] = []

    def connect() -> None:
        start.wait()
        began = time.monotonic()
        sock = socket.create_connection((parts.hostname, parts.port), timeout=10)
        took.append(time.monotonic() - began)
        sockets.append(sock)

    threads = [threading.Thread(target=connect) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    for sock in sockets:
        sock.close()
    assert len(took) == 50 and max(took) < 0.9, sorted(took)[-5:]
    still_serving(url)


def test_a_line_break_in_a_header_the_definition_sets_drops_the_header(tmp_path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("""\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /ping:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.X-Split: "'a\\r\\nSet-Cookie: evil=1'"
              method.response.header.X-Fine: "'fine'"
""")
    from apilint.serve import running

    log = io.StringIO()
    with running(spec, {}, log=log) as url:
        answer = raw(url, b"GET /prod/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    head = answer.partition(b"\r\n\r\n")[0]
    assert status_line(head) == b"HTTP/1.1 200 OK"
    assert b"X-Fine: fine" in head and b"evil" not in head and b"X-Split" not in head
    assert (
        "dropped a response header: header 'X-Split' has a line break or NUL in its value"
        in log.getvalue()
    )
