"""Remote `$ref`s: never fetched while linting unless --allow-remote-refs is given; then fetched
once each, over http(s) only, bounded in size."""

from __future__ import annotations

import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from conftest import run

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

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
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


def test_remote_ref_is_not_fetched_without_the_flag(server: _Server, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    api = _definition(tmp_path, f"{server.url}/schemas.yaml#/Pet")
    code, out, err = run(capsys, "lint", str(api), "-f", "json", "--select", "AGW003,AGW004")
    assert (code, _codes(out)) == (1, {("AGW004", 12)})
    assert "--allow-remote-refs" in json.loads(out)["results"][0]["message"]
    assert server.requests == []


def test_remote_refs_are_fetched_once_each_with_the_flag(server: _Server, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    api = _definition(tmp_path, f"{server.url}/schemas.yaml#/Pet")
    code, out, err = run(capsys, "lint", str(api), "-f", "json", "--select", "AGW003,AGW004",
                         "--allow-remote-refs")
    assert (code, _codes(out), err) == (0, set(), "")
    # The relative ref inside the fetched file resolves against its URL.
    assert sorted(server.requests) == ["/common.yaml", "/schemas.yaml"]


@pytest.mark.parametrize("ref,detail", [
    pytest.param("{url}/missing.yaml#/Pet", "the server answered 404", id="404"),
    pytest.param("{url}/big.yaml#/Big", "over the 2,048-byte limit", id="too-big"),
    pytest.param("file:///etc/passwd#/x", "only http and https URLs are fetched", id="file-url"),
])
def test_remote_failures_are_unresolved_refs(ref: str, detail: str, server: _Server,
                                             tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    api = _definition(tmp_path, ref.format(url=server.url))
    code, out, err = run(capsys, "lint", str(api), "-f", "json", "--select", "AGW003,AGW004",
                         "--allow-remote-refs", "--max-file-size", "2KB")
    assert (code, _codes(out)) == (0, {("AGW003", 12)})  # AGW003 is a warning
    assert detail in json.loads(out)["results"][0]["message"]


def test_configuration_cannot_allow_remote_refs(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".apilint.toml").write_text("allow-remote-refs = true\n")
    api = _definition(tmp_path, "http://127.0.0.1:9/x.yaml#/Pet")
    code, _, err = run(capsys, "lint", str(api))
    assert code == 2 and err.count("\n") == 1 and \
        "allow-remote-refs: is a command-line flag only (--allow-remote-refs)" in err
