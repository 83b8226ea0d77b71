"""The structural-validation seam: the compiled and the pure-Python validator agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, corpus_params, require_shared
from test_corpus import PINNED

from apilint.common.validate import backend_name, compile_schema
from apilint.engine.run import Settings, lint_file

FILES = corpus_params("real") + [FIXTURES / "examples" / "pitfalls.yaml"]


STRUCTURAL = ("schema-invalid", "openapi-schema-violation")


def structural(path: Path) -> set[tuple[str, int, str, str]]:
    result = lint_file(str(path), Settings(select=STRUCTURAL))
    return {(f.code, f.line, f.pointer, f.message) for f in result.findings}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_backends_report_the_same_places(path: Path | None, monkeypatch) -> None:
    if path is None:
        require_shared("corpus")
    monkeypatch.setenv("APILINT_VALIDATOR", "jsonschema")
    assert backend_name() == "jsonschema"
    pure = structural(path)
    monkeypatch.delenv("APILINT_VALIDATOR")
    assert backend_name() == "jsonschema-rs"
    assert structural(path) == pure
    # And both are right: the structural places pinned (and reviewed) for the corpus, in the
    # same words whichever backend found them.
    pinned = {x for x in PINNED.get(path.name, set()) if x[0] in ("AGW001", "AGW011")}
    assert {(code, line) for code, line, _, _ in pure} == pinned


def test_some_files_break_the_openapi_schema() -> None:
    require_shared("corpus")
    # The comparison above must not be between empty sets only.
    assert {name for name, found in PINNED.items() if any(c == "AGW011" for c, _ in found)} >= {
        "aws__aws-sam-cli__cdk-sample-definition.yaml",
        "aws-samples__amazon-api-gateway-url-shortener__api.yaml",
    }


def test_type_errors_are_reported_where_they_are(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters:\n        - {name: q, in: query, schema: {type: strin}}\n"
        "      responses:\n        '200': {description: 5}\n      summary: {a: b}\n"
    )
    for backend in ("jsonschema", "jsonschema-rs"):
        monkeypatch.setenv("APILINT_VALIDATOR", backend)
        result = lint_file(str(path), Settings(select=STRUCTURAL))
        found = {(f.code, f.line, f.pointer) for f in result.findings}
        # A wrong enum value and a number for a string: imported (warnings); an object for a
        # string: the importer cannot read it (error).
        assert found == {
            ("AGW011", 7, "/paths/~1a/get/parameters/0/schema/type"),
            ("AGW011", 9, "/paths/~1a/get/responses/200/description"),
            ("AGW001", 10, "/paths/~1a/get/summary"),
        }, backend


@pytest.mark.parametrize("backend", ["jsonschema-rs", "jsonschema"])
def test_a_remote_ref_in_a_schema_is_never_fetched(backend: str) -> None:
    """A custom rule's `schema` function comes with the pull request: compiling it must not
    reach the network (jsonschema-rs fetches http(s) `$ref`s unless told not to)."""
    import http.server
    import threading

    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/schema.json"
        with pytest.raises(Exception) as refused:
            compile_schema({"$ref": url}, backend).errors(5)
        # jsonschema-rs: our retriever's refusal; jsonschema: its registry retrieves nothing
        assert "is not fetched" in str(refused.value) or "Unresolvable" in str(refused.value)
        assert asked == []
    finally:
        server.shutdown()
        server.server_close()
