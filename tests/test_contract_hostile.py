"""`apilint test` on hostile or broken input: requests go to the base URL only, secrets never
reach an output, bad specs and bad URLs end in one line and exit code 2."""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

from apilint.cli import main

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
    code = main(["test", str(spec), "--base-url", base_url, "--api-key", API_KEY, "-n", "3",
                 *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_servers_and_host_of_the_definition_receive_nothing(capsys, tmp_path: Path) -> None:
    with Server() as decoy, Server() as target:
        port = decoy.url.rsplit(":", 1)[1]
        swagger = yaml.safe_load(SPEC.read_text())
        swagger.update(host=f"127.0.0.1:{port}", schemes=["http"])
        oas3 = {"openapi": "3.0.1", "info": {"title": "t", "version": "1"},
                "servers": [{"url": decoy.base_url}],
                "paths": {"/stats": {"get": {
                    "servers": [{"url": decoy.base_url}],
                    "responses": {"200": {"description": "ok", "content": {
                        "application/json": {"schema": {"type": "object"}}}}}}}}}
        for spec in (_write(tmp_path, "swagger.yaml", swagger),
                     _write(tmp_path, "oas3.yaml", oas3)):
            code, _, _ = _run(capsys, spec, target.base_url)
            assert code == 0
        assert target.requests and decoy.requests == []


def test_redirects_are_not_followed(capsys) -> None:
    with Server() as decoy:
        redirector = Redirector(decoy.url)
        try:
            code, out, _ = _run(capsys, SPEC, redirector.url + "/prod")
        finally:
            redirector.close()
    assert code == 1 and "302" in out
    assert decoy.requests == []


def test_a_remote_ref_is_refused_not_fetched(capsys, tmp_path: Path) -> None:
    with Server() as decoy, Server() as target:
        spec = yaml.safe_load(SPEC.read_text())
        spec["definitions"]["Pet"] = {"$ref": decoy.url + "/pet.json"}
        code, out, err = _run(capsys, _write(tmp_path, "remote.yaml", spec), target.base_url)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "remote reference" in err
    assert decoy.requests == [] and target.requests == []


def test_secrets_are_masked_in_every_format_and_curl(capsys, tmp_path: Path) -> None:
    outputs = {fmt: tmp_path / f"out.{fmt}" for fmt in ("json", "junit", "sarif")}
    with Server(bugs=BUGS) as server:
        code = main(["test", str(SPEC), "--base-url", server.base_url, "--api-key", API_KEY,
                     "--bearer", BEARER, "-H", f"X-Session-Token: {SESSION}",
                     "-H", "X-Trace: visible-trace", "-n", "3",
                     *[f"--format={fmt}={path}" for fmt, path in outputs.items()],
                     "--format", "text"])
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


def test_sigv4_signs_iam_methods_and_masks_the_signature(capsys, monkeypatch,
                                                         tmp_path: Path) -> None:
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    spec = yaml.safe_load(SPEC.read_text())
    spec["paths"]["/stats"]["get"]["x-amazon-apigateway-auth"] = {"type": "AWS_IAM"}
    path = _write(tmp_path, "iam.yaml", spec)
    with Server(bugs={"undocumented-status"}) as server:
        code = main(["test", str(path), "--base-url", server.base_url, "--api-key", API_KEY,
                     "--bearer", BEARER, "--sigv4", "--region", "eu-west-1", "-n", "3",
                     "-f", "json"])
        sent = server.requests
    out = capsys.readouterr().out
    # every GET /stats but the unsigned auth probe's
    signed = [h["authorization"] for m, p, h, _ in sent
              if m == "GET" and p.startswith("/prod/stats") and "authorization" in h]
    assert signed and all(s.startswith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/")
                          for s in signed)
    assert code == 1
    found = {(r["code"], r["operation"]) for r in json.loads(out)["results"]}
    # The stand-in server knows nothing of IAM, so the unsigned probe gets through too; and
    # browsers now preflight GET /stats (it sends Authorization), which has no OPTIONS.
    assert found == {("contract/status-code-conformance", "GET /stats"),
                     ("probe/auth-required", "GET /stats"),
                     ("probe/cors-preflight", "OPTIONS /stats")}
    assert "AWS4-HMAC-SHA256 ***" in out
    assert secret not in out and "Signature=" not in out


@pytest.mark.parametrize("content", [
    pytest.param(None, id="missing"),
    pytest.param("paths: [unclosed", id="invalid-yaml"),
    pytest.param("just: a mapping\n", id="not-an-api"),
    pytest.param(b"\xff\xfe\x00binary", id="binary"),
    pytest.param("swagger: '2.0'\npaths: 3\n", id="paths-not-a-mapping"),
])
def test_a_spec_that_cannot_be_read_gives_one_line_and_exit_2(capsys, tmp_path: Path,
                                                              content: str | bytes | None) -> None:
    spec = tmp_path / "spec.yaml"
    if isinstance(content, bytes):
        spec.write_bytes(content)
    elif content is not None:
        spec.write_text(content)
    code, out, err = _run(capsys, spec, "http://127.0.0.1:9/prod")
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith("apilint: ")
    assert "Traceback" not in err


@pytest.mark.parametrize("url, says", [
    pytest.param("http://127.0.0.1:9/prod", "cannot reach http://127.0.0.1:9/prod", id="refused"),
    pytest.param("ftp://example.com/prod", "expected http(s)://host", id="not-http"),
    pytest.param("https:///prod", "expected http(s)://host", id="no-host"),
])
def test_a_bad_base_url_gives_one_clear_line_and_exit_2(capsys, url: str, says: str) -> None:
    code, out, err = _run(capsys, SPEC, url)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and says in err


def test_without_schemathesis_the_command_says_what_to_install(capsys, monkeypatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "schemathesis" else real(name, *a))
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
