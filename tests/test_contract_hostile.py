"""`apilint test` on hostile or broken input: requests go to the base URL only, secrets never
reach an output, bad specs and bad URLs end in one line and exit code 2."""

from __future__ import annotations

import base64
import json
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from helpers import FIXTURES
from hostile import within

from apilint.cli import main
from apilint.contract.http import Budget, GuardedSession

sys.path.insert(0, str(FIXTURES / "contract"))
from server import API_KEY, BUGS, Server

SPEC = FIXTURES / "contract" / "pets.yaml"
BEARER = "bearer-secret-77aa1c"
SESSION = "session-secret-0b9e4d"


class Redirector:
    """Answers every request with a 302 to `target`."""

    def __init__(self, target: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def _redirect(self) -> None:
                self.send_response(302)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _redirect

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _run(capsys, spec: Path, base_url: str, *extra: str) -> tuple[int, str, str]:
    code = main(
        ["test", str(spec), "--base-url", base_url, "--api-key", API_KEY, "-n", "3", *extra]
    )
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.contract
def test_servers_and_host_of_the_definition_receive_nothing(capsys, tmp_path: Path) -> None:
    with Server() as decoy, Server() as target:
        port = decoy.url.rsplit(":", 1)[1]
        swagger = yaml.safe_load(SPEC.read_text())
        swagger.update(host=f"127.0.0.1:{port}", schemes=["http"])
        oas3 = {
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": decoy.base_url}],
            "paths": {
                "/stats": {
                    "get": {
                        "servers": [{"url": decoy.base_url}],
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {"application/json": {"schema": {"type": "object"}}},
                            }
                        },
                    }
                }
            },
        }
        for spec in (
            _write(tmp_path, "swagger.yaml", swagger),
            _write(tmp_path, "oas3.yaml", oas3),
        ):
            code, _, _ = _run(capsys, spec, target.base_url)
            assert code == 0
        assert target.requests and decoy.requests == []


@pytest.mark.contract
def test_redirects_are_not_followed(capsys) -> None:
    with Server() as decoy:
        redirector = Redirector(decoy.url)
        try:
            code, out, _ = _run(capsys, SPEC, redirector.url + "/prod")
        finally:
            redirector.close()
    assert code == 1 and "302" in out
    assert decoy.requests == []


@pytest.mark.contract
def test_a_remote_ref_is_refused_not_fetched(capsys, tmp_path: Path) -> None:
    with Server() as decoy, Server() as target:
        spec = yaml.safe_load(SPEC.read_text())
        spec["definitions"]["Pet"] = {"$ref": decoy.url + "/pet.json"}
        code, out, err = _run(capsys, _write(tmp_path, "remote.yaml", spec), target.base_url)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "remote reference" in err
    assert decoy.requests == [] and target.requests == []


@pytest.mark.contract
def test_secrets_are_masked_in_every_format_and_curl(capsys, tmp_path: Path) -> None:
    outputs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "junit", "sarif")}
    with Server(bugs=BUGS) as server:
        code = main(
            [
                "test",
                str(SPEC),
                "--base-url",
                server.base_url,
                "--api-key",
                API_KEY,
                "--bearer",
                BEARER,
                "-H",
                f"X-Session-Token: {SESSION}",
                "-H",
                "X-Trace: visible-trace",
                "-n",
                "3",
                *[f"--format={fmt}={path}" for fmt, path in outputs.items()],
                "--format",
                "text",
            ]
        )
        sent = server.requests
    out, err = capsys.readouterr()
    assert code == 1
    # really sent, never shown
    assert any(h.get("x-session-token") == SESSION for _, _, h, _ in sent)
    texts = {"text": out, "stderr": err, **{f: p.read_text() for f, p in outputs.items()}}
    for name, text in texts.items():
        for secret in (API_KEY, BEARER, SESSION):
            assert secret not in text, (name, secret)
    assert "'X-Session-Token: ***'" in out and "'X-Trace: visible-trace'" in out
    assert "'x-api-key: ***'" in out and "'Authorization: ***'" in out
    results = json.loads(texts["json"])["results"]
    assert results and all("reproduce: curl" in r["message"] for r in results)


@pytest.mark.contract
def test_environment_credentials_are_used_and_masked(capsys, monkeypatch) -> None:
    monkeypatch.setenv("APILINT_API_KEY", API_KEY)
    monkeypatch.setenv("APILINT_BEARER_TOKEN", BEARER)
    with Server(bugs={"undocumented-status"}) as server:
        code = main(["test", str(SPEC), "--base-url", server.base_url, "-n", "3"])
        sent = server.requests
    out = capsys.readouterr().out
    assert code == 1
    assert any(h.get("x-api-key") == API_KEY for _, _, h, _ in sent)
    assert any(h.get("authorization") == f"Bearer {BEARER}" for _, _, h, _ in sent)
    assert API_KEY not in out and BEARER not in out


@pytest.mark.contract
def test_sigv4_signs_iam_methods_and_masks_the_signature(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    spec = yaml.safe_load(SPEC.read_text())
    spec["paths"]["/stats"]["get"]["x-amazon-apigateway-auth"] = {"type": "AWS_IAM"}
    path = _write(tmp_path, "iam.yaml", spec)
    with Server(bugs={"undocumented-status"}) as server:
        code = main(
            [
                "test",
                str(path),
                "--base-url",
                server.base_url,
                "--api-key",
                API_KEY,
                "--bearer",
                BEARER,
                "--sigv4",
                "--region",
                "eu-west-1",
                "-n",
                "3",
                "-f",
                "json",
            ]
        )
        sent = server.requests
    out = capsys.readouterr().out
    # every GET /stats but the unsigned auth probe's
    signed = [
        h["authorization"]
        for m, p, h, _ in sent
        if m == "GET" and p.startswith("/prod/stats") and "authorization" in h
    ]
    assert signed and all(
        s.startswith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/") for s in signed
    )
    assert code == 1
    found = {(r["code"], r["operation"]) for r in json.loads(out)["results"]}
    # The stand-in server knows nothing of IAM, so the unsigned probe gets through too; and
    # browsers now preflight GET /stats (it sends Authorization), which has no OPTIONS.
    assert found == {
        ("contract/status-code-conformance", "GET /stats"),
        ("probe/auth-required", "GET /stats"),
        ("probe/cors-preflight", "OPTIONS /stats"),
    }
    assert "AWS4-HMAC-SHA256 ***" in out
    assert secret not in out and "Signature=" not in out


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="missing"),
        pytest.param("paths: [unclosed", id="invalid-yaml"),
        pytest.param("just: a mapping\n", id="not-an-api"),
        pytest.param(b"\xff\xfe\x00binary", id="binary"),
        pytest.param("swagger: '2.0'\npaths: 3\n", id="paths-not-a-mapping"),
    ],
)
def test_a_spec_that_cannot_be_read_gives_one_line_and_exit_2(
    capsys, tmp_path: Path, content: str | bytes | None
) -> None:
    spec = tmp_path / "spec.yaml"
    if isinstance(content, bytes):
        spec.write_bytes(content)
    elif content is not None:
        spec.write_text(content)
    code, out, err = _run(capsys, spec, "http://127.0.0.1:9/prod")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("apilint: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "url, says",
    [
        pytest.param(
            "http://127.0.0.1:9/prod", "cannot reach http://127.0.0.1:9/prod", id="refused"
        ),
        pytest.param("ftp://example.com/prod", "expected http(s)://host", id="not-http"),
        pytest.param("https:///prod", "expected http(s)://host", id="no-host"),
    ],
)
def test_a_bad_base_url_gives_one_clear_line_and_exit_2(capsys, url: str, says: str) -> None:
    code, out, err = _run(capsys, SPEC, url)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and says in err


def test_without_schemathesis_the_command_says_what_to_install(capsys, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "schemathesis" else real(name, *a),
    )
    code, out, err = _run(capsys, SPEC, "http://127.0.0.1:9/prod")
    assert (code, out) == (2, "")
    assert err == "apilint: apilint test needs schemathesis: pip install 'apilint[contract]'\n"


def test_a_secret_echoed_across_the_cut_of_the_body_is_masked_whole() -> None:
    import requests

    from apilint.contract.observe import answer
    from apilint.contract.secrets import Masker

    secret = "sk-live-0123456789abcdefghij"
    got = requests.Response()
    got.status_code = 200
    got._content = b"x" * 150 + secret.encode() + b" and more"  # the cut falls inside it
    text = answer(got, Masker([secret]))
    assert text.startswith("200 " + "x" * 150 + "***") and text.endswith("...")
    assert not any(secret[:n] in text for n in range(4, len(secret) + 1))


# -- servers that do not play by the rules ---------------------------------------------------------

HOSTILE_SPEC = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "produces": ["application/json"],
    "paths": {
        "/stats": {
            "get": {"responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}
        }
    },
}
_GATEWAY_403 = b'{"message":"Missing Authentication Token"}'


class Hostile:
    """127.0.0.1, port 0: `answer(handler)` writes the whole answer to GET /prod/stats; every
    other request gets the gateway's 403 (what the probes expect). `sent` counts the bytes the /stats answers wrote."""

    def __init__(self, answer: Callable[[BaseHTTPRequestHandler], None]) -> None:
        owner = self
        self.sent = 0
        self.done = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if (self.command, self.path.split("?")[0]) != ("GET", "/prod/stats"):
                    self.send_response(403)
                    self.send_header("x-amzn-ErrorType", "MissingAuthenticationTokenException")
                    self.send_header("Content-Length", str(len(_GATEWAY_403)))
                    self.end_headers()
                    self.wfile.write(_GATEWAY_403)
                    return
                try:
                    answer(self)
                except OSError:
                    pass  # the client hung up: what a bounded client does
                self.close_connection = True

            do_DELETE = do_POST = do_PUT = do_PATCH = do_OPTIONS = do_GET

            def write(self, data: bytes) -> None:
                self.wfile.write(data)
                self.wfile.flush()
                owner.sent += len(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/prod"

    def __enter__(self) -> Hostile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _drip_body(handler: Any) -> None:
    handler.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    for _ in range(300):  # a minute at most, then it ends by itself
        handler.write(b" ")
        time.sleep(0.2)


def _drip_headers(handler: Any) -> None:
    handler.write(b"HTTP/1.1 200 OK\r\n")
    for _ in range(300):
        handler.write(b"X")
        time.sleep(0.2)


def _endless(handler: Any) -> None:
    handler.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"100000\r\n" + b"7" * 0x100000 + b"\r\n"  # 1 MiB per chunk
    for _ in range(128):  # 128 MiB at most
        handler.write(chunk)


def _hostile_run(
    capsys, tmp_path: Path, server: Hostile, *extra: str, spec: dict | None = None
) -> tuple[int, str, str]:
    path = _write(tmp_path, "stats.yaml", spec or HOSTILE_SPEC)
    code = within(
        30,
        lambda: main(
            # A fixed seed: the same requests in every run, whatever ran before in the process.
            [
                "test",
                str(path),
                "--base-url",
                server.base_url,
                "-n",
                "1",
                "--seed",
                "1",
                "-f",
                "json",
                *extra,
            ]
        ),
    )
    out, err = capsys.readouterr()
    return code, out, err


def _results(out: str) -> dict[tuple[str, str], str]:
    return {(r["code"], r["operation"]): r["message"] for r in json.loads(out)["results"]}


@pytest.mark.contract
@pytest.mark.parametrize(
    "answer", [pytest.param(_drip_body, id="body"), pytest.param(_drip_headers, id="headers")]
)
def test_max_time_stops_an_answer_that_never_ends(capsys, tmp_path: Path, answer) -> None:
    with Hostile(answer) as server:
        started = time.monotonic()
        code, _, err = _hostile_run(capsys, tmp_path, server, "--max-time", "3")
        elapsed = time.monotonic() - started
    assert elapsed < 8, elapsed
    assert "time budget reached (--max-time 3)" in err and code in (0, 1)


@pytest.mark.contract
def test_the_request_timeout_is_a_total_for_each_answer(capsys, tmp_path: Path) -> None:
    with Hostile(_drip_body) as server:
        started = time.monotonic()
        code, out, _ = _hostile_run(capsys, tmp_path, server, "--request-timeout", "1.5")
        elapsed = time.monotonic() - started
    assert elapsed < 10, elapsed
    found = _results(out)
    assert (code, set(found)) == (1, {("contract/no-response", "GET /stats")})
    assert "no complete answer within 1.5 s" in found["contract/no-response", "GET /stats"]


@pytest.mark.contract
def test_an_endless_answer_is_read_up_to_a_bound_and_reported_cut(capsys, tmp_path: Path) -> None:
    with Hostile(_endless) as server:
        code, out, _ = _hostile_run(capsys, tmp_path, server)
        sent = server.sent
    found = _results(out)
    assert (code, set(found)) == (1, {("contract/answer-too-large", "GET /stats")})
    message = found["contract/answer-too-large", "GET /stats"]
    assert "cut after 10,485,760 bytes" in message and "got 200 777" in message
    # the client hung up: the server could not write its gigabyte
    assert sent < 32 * 1024 * 1024, sent


SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr/////wEaCXVzLWVhc3QtMSJHMEUCIQ+test/token="
SLASH_KEY = "key/0123+abcd=Xyz"


def _echo(handler: Any) -> None:
    """A 500 that quotes the request's SigV4 signature and session token the way a JSON
    encoder that escapes `/` writes them, both within the part of a body a finding shows."""
    headers = {k.lower(): v for k, v in handler.headers.items()}
    signature = headers.get("authorization", "").rpartition("Signature=")[2]
    token = json.dumps(headers.get("x-amz-security-token", "")).replace("/", "\\/")
    body = b'{"sig":"Signature=%s","token":%s}' % (signature.encode(), token.encode())
    handler.write(
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    handler.server.seen.append(headers)


@pytest.mark.contract
def test_an_echoed_session_token_and_signature_are_masked(
    capsys, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    spec = json.loads(json.dumps(HOSTILE_SPEC))
    spec["paths"]["/stats"]["get"]["x-amazon-apigateway-auth"] = {"type": "AWS_IAM"}
    with Hostile(_echo) as server:
        server.httpd.seen = []
        code, out, err = _hostile_run(
            capsys, tmp_path, server, "--sigv4", "--region", "eu-west-1", spec=spec
        )
        seen = server.httpd.seen
    signed = [h for h in seen if "x-amz-security-token" in h]
    assert signed and all(h["x-amz-security-token"] == SESSION_TOKEN for h in signed)
    signatures = [h["authorization"].rsplit("Signature=", 1)[1] for h in signed]
    found = _results(out)
    assert code == 1 and set(found) == {
        ("contract/not-a-server-error", "GET /stats"),
        ("probe/auth-required", "GET /stats"),
    }
    for text in (out, err):
        for leak in (SESSION_TOKEN[:16], SESSION_TOKEN.replace("/", "\\/")[:24], *signatures):
            assert leak not in text, leak
    assert 'got 500 {\\"sig\\":\\"Signature=***\\",\\"token\\":\\"***\\"}' in out


@pytest.mark.parametrize(
    "shown",
    [
        pytest.param(SLASH_KEY, id="as-is"),
        pytest.param(SLASH_KEY.replace("/", "\\/"), id="json-escaped-slash"),
        pytest.param(json.dumps(SLASH_KEY + "\u00e9")[1:-1], id="json-escaped"),
        pytest.param(base64.b64encode(SLASH_KEY.encode()).decode(), id="base64"),
        pytest.param(
            base64.urlsafe_b64encode(SLASH_KEY.encode()).decode().rstrip("="), id="base64url"
        ),
        pytest.param(SLASH_KEY.upper(), id="upper-case"),
        pytest.param(SLASH_KEY.lower(), id="lower-case"),
        pytest.param("key%2F0123%2Babcd%3DXyz", id="url-encoded"),
    ],
)
def test_a_secret_is_masked_in_the_spellings_servers_echo_it(shown: str) -> None:
    from apilint.contract.secrets import Masker

    mask = Masker([SLASH_KEY, SLASH_KEY + "\u00e9"])
    assert mask(f"echo: {shown}!") == "echo: ***!"


def test_a_sigv4_signature_in_free_text_is_masked() -> None:
    from apilint.contract.secrets import Masker

    auth = (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261207/eu-west-1/execute-api/"
        "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + "ab12" * 16
    )
    assert Masker([])(f"you sent {auth}.") == (
        "you sent AWS4-HMAC-SHA256 Credential=***, SignedHeaders=host;x-amz-date, Signature=***."
    )


def _control(handler: Any) -> None:
    body = b'{"message":"boom\r\x1b[2J\x1b]0;pwned\x07\xe2\x80\xae"}'
    handler.write(
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
    )


@pytest.mark.contract
def test_control_characters_of_an_answer_are_escaped_in_findings(capsys, tmp_path: Path) -> None:
    with Hostile(_control) as server:
        code, out, _ = _hostile_run(capsys, tmp_path, server)
    found = _results(out)
    assert (code, set(found)) == (1, {("contract/not-a-server-error", "GET /stats")})
    message = found["contract/not-a-server-error", "GET /stats"]
    assert not any(c in message for c in "\r\x1b\x07\u202e")
    assert 'got 500 {"message":"boom\\r\\x1b[2J\\x1b]0;pwned\\x07\\u202e"}' in message


def test_a_10_mb_answer_is_masked_in_the_part_that_shows_only() -> None:
    import requests

    from apilint.contract.observe import answer
    from apilint.contract.secrets import Masker

    got = requests.Response()
    got.status_code = 200
    got._content = b"x" * 100 + API_KEY.encode() + b"7" * 10 * 1024 * 1024
    started = time.monotonic()
    text = answer(got, Masker([API_KEY, BEARER, SESSION]))
    # Masking all of it took 2.7 s for every finding on such an answer.
    assert time.monotonic() - started < 0.5
    assert text == "200 " + "x" * 100 + "***" + "7" * 57 + "..."


class _OneAnswerPerConnection:
    """127.0.0.1: answers the first request on each connection as if it kept the connection
    open, then closes it when the next request comes, unanswered (what a server that drops
    idle kept-alive connections does in the instant a client reuses one)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.base_url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/prod"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # closed
            self.connections += 1
            with conn:
                self._read_request(conn)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                self._read_request(conn)  # the reused connection's request: no answer

    @staticmethod
    def _read_request(conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk

    def close(self) -> None:
        self.listener.close()


@pytest.mark.contract
def test_an_idempotent_request_on_a_dropped_connection_is_sent_once_more() -> None:
    server = _OneAnswerPerConnection()
    try:
        session = GuardedSession(server.base_url, Budget(max_time=20, request_timeout=5))
        answers = [session.get(server.base_url + "/stats").text for _ in range(3)]
        assert answers == ["ok", "ok", "ok"] and server.connections == 3
        # a POST may have been acted on: never sent twice
        with pytest.raises(requests.ConnectionError, match="Connection aborted"):
            session.post(server.base_url + "/stats", data=b"{}")
    finally:
        server.close()
