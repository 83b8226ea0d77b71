"""`apilint lsp` end to end: the server in a subprocess, a real LSP client (pytest-lsp's) over
stdio: diagnostics after open and edits (exact codes and ranges), a parse error mid-edit, hover,
configuration reload."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from helpers import FIXTURES
from lsprotocol import types

from apilint.common.findings import Finding, Severity, Span
from apilint.lsp.diagnostics import finding_diagnostic

pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is in the test extra")

pytestmark = pytest.mark.lsp

LAMBDA = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:f/invocations"
)
CLEAN = f"""\
openapi: 3.0.1
info: {{title: t, version: "1"}}
paths:
  /a:
    get:
      security: [{{iam: []}}]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: {LAMBDA}
      responses: {{"200": {{description: ok}}}}
components:
  securitySchemes:
    iam: {{type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}}
"""
GET_LAMBDA = CLEAN.replace("httpMethod: POST", "httpMethod: GET")
BROKEN = GET_LAMBDA.replace('responses: {"200": {description: ok}}', 'responses: {"200": {')


def _found(client: object, uri: str) -> set[tuple[str, int, int, int, int]]:
    return {
        (
            str(d.code),
            d.range.start.line,
            d.range.start.character,
            d.range.end.line,
            d.range.end.character,
        )
        for d in client.diagnostics.get(uri, [])  # type: ignore[attr-defined]
    }


async def _session(root: Path, body: Callable[[object, str], Awaitable[None]]) -> None:
    client = pytest_lsp.make_test_lsp_client()
    registered: list[object] = []

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def accept(params: types.RegistrationParams) -> None:
        registered.append(params)

    client.registered = registered  # type: ignore[attr-defined]
    await client.start_io(sys.executable, "-m", "apilint", "lsp")
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
                root_uri=root.as_uri(),
            )
        )
        await body(client, (root / "api.yaml").as_uri())
        await client.shutdown_session()
    except BaseException:
        # A failed assertion leaves the session open: end the server, or stop() waits for it.
        client._server.kill()  # type: ignore[attr-defined]
        raise
    finally:
        await client.stop()


async def _published(client: object, send: Callable[[], None]) -> None:
    """Send, and wait for the diagnostics it causes (waiting starts before the send: an answer
    that came first would be missed)."""
    waiting = asyncio.ensure_future(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[attr-defined]
    )
    await asyncio.sleep(0)
    send()
    await asyncio.wait_for(waiting, timeout=60)


def _open(client: object, uri: str, text: str) -> None:
    client.text_document_did_open(  # type: ignore[attr-defined]
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )


def _change(client: object, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(  # type: ignore[attr-defined]
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def test_diagnostics_follow_the_edits_and_a_parse_error_keeps_the_last_result(
    tmp_path: Path,
) -> None:
    (tmp_path / "api.yaml").write_text(CLEAN)

    async def body(client: object, uri: str) -> None:
        await _published(client, lambda: _open(client, uri, CLEAN))
        assert _found(client, uri) == set()
        # Not saved: the server lints the buffer, not the file.
        await _published(client, lambda: _change(client, uri, 2, GET_LAMBDA))
        assert _found(client, uri) == {("AGW402", 8, 8, 8, 23)}
        [diagnostic] = client.diagnostics[uri]  # type: ignore[attr-defined]
        assert diagnostic.severity == types.DiagnosticSeverity.Warning
        assert diagnostic.code_description.href.endswith(
            "/docs/rules/lambda-http-method-not-post.md"
        )
        await _published(client, lambda: _change(client, uri, 3, BROKEN))
        # the parse error where PyYAML stops (in the flow mapping left open), and the last good
        # finding kept meanwhile
        assert _found(client, uri) == {("AGW402", 8, 8, 8, 23), ("parse-error", 12, 17, 12, 18)}
        await _published(client, lambda: _change(client, uri, 4, CLEAN))
        assert _found(client, uri) == set()

    asyncio.run(_session(tmp_path, body))


def test_hover_explains_the_finding_and_the_extension(tmp_path: Path) -> None:
    async def body(client: object, uri: str) -> None:
        await _published(client, lambda: _open(client, uri, GET_LAMBDA))

        async def hover(line: int, character: int) -> str:
            answer = await client.text_document_hover_async(  # type: ignore[attr-defined]
                types.HoverParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    position=types.Position(line=line, character=character),
                )
            )
            return "" if answer is None else answer.contents.value

        on_finding = await hover(8, 21)
        assert on_finding.startswith("[AGW402 lambda-http-method-not-post](")
        assert "POST" in on_finding
        on_key = await hover(6, 12)
        assert on_key.startswith("**x-amazon-apigateway-integration** (REST and HTTP APIs")
        assert "api-gateway-swagger-extensions-integration.html" in on_key
        assert await hover(0, 2) == ""

    (tmp_path / "api.yaml").write_text(GET_LAMBDA)
    asyncio.run(_session(tmp_path, body))


def test_a_configuration_change_is_picked_up(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(GET_LAMBDA)

    async def body(client: object, uri: str) -> None:
        await _published(client, lambda: _open(client, uri, GET_LAMBDA))
        assert _found(client, uri) == {("AGW402", 8, 8, 8, 23)}
        # the server asked the editor to watch the configuration files
        [[registration]] = [p.registrations for p in client.registered]  # type: ignore[attr-defined]
        assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = [w["globPattern"] for w in registration.register_options["watchers"]]
        assert globs == ["**/pyproject.toml", "**/.apilint.toml"]
        config = tmp_path / ".apilint.toml"
        config.write_text('ignore = ["lambda-http-method-not-post"]\n')
        changed = types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)
        await _published(
            client,
            lambda: client.workspace_did_change_watched_files(  # type: ignore[attr-defined]
                types.DidChangeWatchedFilesParams(changes=[changed])
            ),
        )
        assert _found(client, uri) == set()

    asyncio.run(_session(tmp_path, body))


def _applied(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(p: types.Position) -> int:
        return starts[p.line] + p.character  # ASCII text: UTF-16 units are characters

    for edit in sorted(edits, key=lambda e: offset(e.range.start), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]
    return text


def test_code_actions_fix_the_finding_or_ignore_it_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(GET_LAMBDA)

    async def body(client: object, uri: str) -> None:
        await _published(client, lambda: _open(client, uri, GET_LAMBDA))
        [diagnostic] = client.diagnostics[uri]  # type: ignore[attr-defined]
        actions = await client.text_document_code_action_async(  # type: ignore[attr-defined]
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=types.CodeActionContext(diagnostics=[diagnostic]),
            )
        )
        by_kind = {(a.kind, a.is_preferred): a for a in actions}
        assert set(by_kind) == {
            (types.CodeActionKind.QuickFix, True),  # the rule's safe fix
            (types.CodeActionKind.QuickFix, None),  # x-apilint-ignore
            ("source.fixAll.apilint", None),
        }
        fix = by_kind[types.CodeActionKind.QuickFix, True]
        assert list(fix.diagnostics) == [diagnostic]
        assert _applied(GET_LAMBDA, fix.edit.changes[uri]) == CLEAN
        fix_all = by_kind["source.fixAll.apilint", None]
        assert _applied(GET_LAMBDA, fix_all.edit.changes[uri]) == CLEAN
        ignore = by_kind[types.CodeActionKind.QuickFix, None]
        assert ignore.title.startswith("Ignore lambda-http-method-not-post here")
        ignored = _applied(GET_LAMBDA, ignore.edit.changes[uri])
        # on the integration (the object holding httpMethod), after its last key
        assert ignored == GET_LAMBDA.replace(
            "/invocations\n",
            "/invocations\n"
            "        x-apilint-ignore:\n"
            "          - rule: lambda-http-method-not-post\n"
            '            reason: "TODO: why this is accepted"\n',
        )
        # the edited buffer has the finding silenced
        await _published(client, lambda: _change(client, uri, 2, ignored))
        assert _found(client, uri) == set()

    asyncio.run(_session(tmp_path, body))


@pytest.mark.parametrize(
    ("folder", "name", "language", "expected"),
    [
        pytest.param(
            "sam-yaml",
            "template.yaml",
            "yaml",
            {("AGW503", 14), ("AGW507", 22), ("AGW402", 41), ("AGW422", 52), ("AGW301", 61)},
            id="sam-template",
        ),
        pytest.param(
            "terraform-jsonencode",
            "main.tf",
            "terraform",
            {("AGW301", 11), ("AGW422", 25), ("AGW105", 30), ("AGW402", 36)},
            id="terraform",
        ),
    ],
)
def test_templates_get_diagnostics_at_their_own_lines(
    tmp_path: Path, folder: str, name: str, language: str, expected: set[tuple[str, int]]
) -> None:
    source = FIXTURES / "templates" / folder
    for path in source.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    text = (tmp_path / name).read_text()

    async def body(client: object, uri: str) -> None:
        target = (tmp_path / name).as_uri()
        await _published(
            client,
            lambda: client.text_document_did_open(  # type: ignore[attr-defined]
                types.DidOpenTextDocumentParams(
                    text_document=types.TextDocumentItem(
                        uri=target, language_id=language, version=1, text=text
                    )
                )
            ),
        )
        assert {(code, line) for code, line, *_ in _found(client, target)} == expected

    asyncio.run(_session(tmp_path, body))


def test_ranges_are_in_the_clients_code_units(tmp_path: Path) -> None:
    """apilint counts characters; LSP counts UTF-16 units (unless negotiated): a character
    outside the BMP before a finding on its line moves the range by one more unit."""
    line = (
        '      x-amazon-apigateway-integration: {description: "\U0001f680 launch", '
        f"type: aws_proxy, httpMethod: GET, uri: {LAMBDA}}}"
    )
    text = "\n".join(
        [
            "openapi: 3.0.1",
            'info: {title: t, version: "1"}',
            "paths:",
            "  /a:",
            "    get:",
            "      security: [{iam: []}]",
            line,
            '      responses: {"200": {description: ok}}',
            "components:",
            "  securitySchemes:",
            "    iam: {type: apiKey, name: Authorization, in: header, "
            "x-amazon-apigateway-authtype: awsSigv4}",
            "",
        ]
    )
    (tmp_path / "api.yaml").write_text(text)
    prefix = line[: line.index("httpMethod")]
    start = len(prefix.encode("utf-16-le")) // 2
    end = start + len("httpMethod: GET")

    async def body(client: object, uri: str) -> None:
        await _published(client, lambda: _open(client, uri, text))
        assert _found(client, uri) == {("AGW402", 6, start, 6, end)}
        assert start == line.index("httpMethod") + 1  # the rocket is two UTF-16 units

    asyncio.run(_session(tmp_path, body))


def test_a_custom_rule_diagnostic_links_no_built_in_page() -> None:
    """A custom rule may share a built-in rule's name; its diagnostic must not link the built-in
    page (apilint has none for it)."""
    finding = Finding(
        "acme/lambda-http-method-not-post",
        "lambda-http-method-not-post",
        Severity.WARNING,
        "m",
        "api.yaml",
        "",
        Span(1, 1, 1, 2),
    )
    assert finding_diagnostic(finding).code_description is None
    builtin = finding._replace(code="AGW402")
    assert finding_diagnostic(builtin).code_description == types.CodeDescription(
        href="https://github.com/apilint/apilint/blob/main/docs/rules/lambda-http-method-not-post.md"
    )
