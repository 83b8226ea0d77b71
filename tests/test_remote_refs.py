"""Remote `$ref`s: never fetched while linting unless --allow-remote-refs is given; then fetched
once each, over http(s) only, bounded in size."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import run
from hostile import within

SCHEMAS = """\
Pet:
  type: object
  properties:
    id: {type: string}
    owner: {$ref: "common.yaml#/Owner"}
"""
COMMON = """\
Owner:
  type: object
  properties:
    name: {type: string}
"""


class _Server:
    def __init__(self, root: Path) -> None:
        self.requests: list[str] = []
        log = self.requests

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

            def do_GET(self) -> None:
                log.append(self.path)
                super().do_GET()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[_Server]:
    root = tmp_path / "site"
    root.mkdir()
    (root / "schemas.yaml").write_text(SCHEMAS)
    (root / "common.yaml").write_text(COMMON)
    (root / "big.yaml").write_text("Big:\n  description: " + "x" * 4096 + "\n")
    s = _Server(root)
    yield s
    s.httpd.shutdown()


def _definition(tmp_path: Path, ref: str) -> Path:
    path = tmp_path / "api.yaml"
    path.write_text(f"""\
openapi: 3.0.1
info: {{title: pets, version: "1"}}
paths:
  /pets:
    get:
      security: [{{key: []}}]
      responses:
        "200":
          description: pets
          content:
            application/json:
              schema: {{$ref: "{ref}"}}
      x-amazon-apigateway-integration: {{type: mock, requestTemplates: {{application/json: '{{"statusCode": 200}}'}}, responses: {{default: {{statusCode: "200"}}}}}}
components:
  securitySchemes:
    key: {{type: apiKey, name: x-api-key, in: header}}
""")
    return path


def _codes(out: str) -> set[tuple[str, int]]:
    return {(f["code"], f["line"]) for f in json.loads(out)["results"]}


def test_remote_ref_is_not_fetched_without_the_flag(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _definition(tmp_path, f"{server.url}/schemas.yaml#/Pet")
    code, out, err = run(capsys, "lint", str(api), "-f", "json", "--select", "AGW003,AGW004")
    assert (code, _codes(out)) == (1, {("AGW004", 12)})
    assert "--allow-remote-refs" in json.loads(out)["results"][0]["message"]
    assert server.requests == []


def test_remote_refs_are_fetched_once_each_with_the_flag(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _definition(tmp_path, f"{server.url}/schemas.yaml#/Pet")
    code, out, err = run(
        capsys, "lint", str(api), "-f", "json", "--select", "AGW003,AGW004", "--allow-remote-refs"
    )
    assert (code, _codes(out), err) == (0, set(), "")
    # The relative ref inside the fetched file resolves against its URL.
    assert sorted(server.requests) == ["/common.yaml", "/schemas.yaml"]


@pytest.mark.parametrize(
    "ref,detail",
    [
        pytest.param("{url}/missing.yaml#/Pet", "the server answered 404", id="404"),
        pytest.param("{url}/big.yaml#/Big", "over the 2,048-byte limit", id="too-big"),
        pytest.param(
            "file:///etc/passwd#/x", "only http and https URLs are fetched", id="file-url"
        ),
    ],
)
def test_remote_failures_are_unresolved_refs(
    ref: str, detail: str, server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _definition(tmp_path, ref.format(url=server.url))
    code, out, err = run(
        capsys,
        "lint",
        str(api),
        "-f",
        "json",
        "--select",
        "AGW003,AGW004",
        "--allow-remote-refs",
        "--max-file-size",
        "2KB",
    )
    assert (code, _codes(out)) == (0, {("AGW003", 12)})  # AGW003 is a warning
    assert detail in json.loads(out)["results"][0]["message"]


def test_configuration_cannot_allow_remote_refs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".apilint.toml").write_text("allow-remote-refs = true\n")
    api = _definition(tmp_path, "http://127.0.0.1:9/x.yaml#/Pet")
    code, _, err = run(capsys, "lint", str(api))
    assert (
        code == 2
        and err.count("\n") == 1
        and "allow-remote-refs: is a command-line flag only (--allow-remote-refs)" in err
    )


# -- hostile servers (issue 24 item 7) -------------------------------------------------------------


class _Hostile:
    """127.0.0.1, port 0: GET answers come from `routes` (path -> function writing the whole
    answer); every request is recorded."""

    def __init__(self, routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]) -> None:
        self.requests: list[str] = []
        log = self.requests

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                log.append(self.path)
                answer = routes.get(self.path.split("?")[0])
                try:
                    if answer is None:
                        self.send_error(404)
                    else:
                        answer(self)
                except OSError:
                    pass  # the client hung up
                self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _write(handler: BaseHTTPRequestHandler, data: bytes) -> None:
    handler.wfile.write(data)
    handler.wfile.flush()


def _drip_body(handler: BaseHTTPRequestHandler) -> None:
    _write(handler, b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nPet:\n")
    for _ in range(120):  # a minute at most
        _write(handler, b" ")
        time.sleep(0.5)


def _drip_headers(handler: BaseHTTPRequestHandler) -> None:
    _write(handler, b"HTTP/1.1 200 OK\r\n")
    for _ in range(120):
        _write(handler, b"X")
        time.sleep(0.5)


def _redirect(location: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        _write(
            handler,
            b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % location.encode(),
        )

    return answer


@pytest.fixture
def hostile() -> Iterator[Callable[..., _Hostile]]:
    made: list[_Hostile] = []

    def make(routes: dict[str, Callable[[BaseHTTPRequestHandler], None]]) -> _Hostile:
        made.append(_Hostile(routes))
        return made[-1]

    yield make
    for server in made:
        server.close()


def _lint(capsys: pytest.CaptureFixture[str], api: Path) -> tuple[int, dict[tuple[str, int], str]]:
    code, out, _ = within(
        30,
        lambda: run(
            capsys,
            "lint",
            str(api),
            "-f",
            "json",
            "--select",
            "AGW003,AGW004",
            "--allow-remote-refs",
        ),
    )
    return code, {(f["code"], f["line"]): f["message"] for f in json.loads(out)["results"]}


@pytest.mark.parametrize(
    "answer", [pytest.param(_drip_body, id="body"), pytest.param(_drip_headers, id="headers")]
)
def test_a_server_that_drips_is_cut_off_at_the_total_deadline(
    answer: Callable[[BaseHTTPRequestHandler], None],
    hostile: Callable[..., _Hostile],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apilint.document import remote

    monkeypatch.setattr(remote, "TIMEOUT_SECONDS", 2)
    server = hostile({"/slow.yaml": answer})
    started = time.monotonic()
    code, found = _lint(capsys, _definition(tmp_path, f"{server.url}/slow.yaml#/Pet"))
    assert time.monotonic() - started < 6
    assert (code, set(found)) == (0, {("AGW003", 12)})
    assert "no complete answer within 2 s" in found["AGW003", 12]


def test_a_redirect_to_another_scheme_is_refused_before_any_connection(
    hostile: Callable[..., _Hostile], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.5)
    ftp = f"ftp://127.0.0.1:{listener.getsockname()[1]}/pet.yaml"
    server = hostile({"/pet.yaml": _redirect(ftp)})
    try:
        code, found = _lint(capsys, _definition(tmp_path, f"{server.url}/pet.yaml#/Pet"))
        with pytest.raises(TimeoutError):
            listener.accept()[0].close()  # nobody came
    finally:
        listener.close()
    assert (code, set(found)) == (0, {("AGW003", 12)})
    assert (
        f"redirected to {ftp!r}: only http and https redirects are followed" in found["AGW003", 12]
    )


def test_redirects_are_followed_a_few_hops_and_named(
    hostile: Callable[..., _Hostile], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    routes = {f"/r{n}.yaml": _redirect(f"/r{n + 1}.yaml") for n in range(50)}
    server = hostile(routes)
    code, found = _lint(capsys, _definition(tmp_path, f"{server.url}/r0.yaml#/Pet"))
    assert (code, set(found)) == (0, {("AGW003", 12)})
    assert (
        f"more than 3 redirects ({server.url}/r1.yaml -> {server.url}/r2.yaml -> "
        f"{server.url}/r3.yaml -> {server.url}/r4.yaml)"
    ) in found["AGW003", 12]
    assert server.requests == ["/r0.yaml", "/r1.yaml", "/r2.yaml", "/r3.yaml"]


def test_a_redirect_within_the_limit_is_followed_and_named_when_it_fails(
    hostile: Callable[..., _Hostile],
    server: _Server,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    moved = hostile(
        {
            "/old.yaml": _redirect(f"{server.url}/schemas.yaml"),
            "/gone.yaml": _redirect(f"{server.url}/missing.yaml"),
        }
    )
    code, found = _lint(capsys, _definition(tmp_path, f"{moved.url}/old.yaml#/Pet"))
    assert (code, found) == (0, {})
    code, found = _lint(capsys, _definition(tmp_path, f"{moved.url}/gone.yaml#/Pet"))
    assert (code, set(found)) == (0, {("AGW003", 12)})
    assert (
        f"the server answered 404 File not found (redirected to {server.url}/missing.yaml)"
    ) in found["AGW003", 12]


def test_a_failing_url_is_fetched_once_however_often_it_is_referenced(
    server: _Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _definition(tmp_path, f"{server.url}/missing.yaml#/Pet")
    text = api.read_text()
    twice = text.replace(
        "components:\n",
        "components:\n  schemas:\n    A: {$ref: "
        f'"{server.url}/missing.yaml#/A"}}\n    B: {{$ref: '
        f'"{server.url}/missing.yaml#/B"}}\n',
    )
    api.write_text(twice)
    code, found = _lint(capsys, api)
    assert (code, set(found)) == (0, {("AGW003", 12), ("AGW003", 16), ("AGW003", 17)})
    assert server.requests == ["/missing.yaml"]
