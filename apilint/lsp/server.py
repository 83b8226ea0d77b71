"""The language server: diagnostics on open, change (debounced) and save; hover over a finding
(the rule's explanation) or an `x-amazon-apigateway-*` key (what it does); configuration files
watched, every open file linted again when one changes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from apilint import __version__
from apilint.catalog.explain import explain_text
from apilint.catalog.extensions import extension_at
from apilint.catalog.registry import find_rule
from apilint.common.escape import visible
from apilint.common.findings import Finding
from apilint.lsp.actions import (
    diagnostic_key,
    finding_key,
    fix_all,
    ignore_action,
    quick_fixes,
)
from apilint.lsp.diagnostics import error_diagnostic, finding_diagnostic, span_range
from apilint.lsp.linting import Outcome, lint_buffer
from apilint.report.sarif import rule_page_url

#: Seconds of quiet after a change before the buffer is linted (typing is not interrupted by
#: a lint per keystroke; a pause shows the findings).
DEBOUNCE = 0.3
#: Files whose change can change every finding: configuration (and the rule packs it names).
CONFIG_NAMES = frozenset({"pyproject.toml", ".apilint.toml"})
_WATCHED = ["**/pyproject.toml", "**/.apilint.toml"]


@dataclass
class _Buffer:
    version: int | None = None
    #: Bumped on every edit: a lint whose generation is stale when it ends is not published.
    generation: int = 0
    pending: asyncio.TimerHandle | None = None
    findings: tuple[Finding, ...] = ()  # the last good result (kept while unparseable)
    #: The findings with their fixes, for code actions, and the generation they belong to.
    fixed: tuple[int, tuple[Finding, ...]] | None = None


@dataclass
class _State:
    buffers: dict[str, _Buffer] = field(default_factory=dict)
    #: One worker: the loader's map of open buffers is shared, so lints never overlap.
    worker: concurrent.futures.ThreadPoolExecutor = field(
        default_factory=lambda: concurrent.futures.ThreadPoolExecutor(1, "apilint-lint")
    )


class ApilintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("apilint", __version__)
        self.state = _State()


server = ApilintServer()


def _path(uri: str) -> Path | None:
    from pygls.uris import to_fs_path

    if not uri.startswith("file:"):
        return None  # an unsaved "untitled:" buffer has no place for its config and $refs
    fs = to_fs_path(uri)
    return Path(fs) if fs else None


def _open_buffers(ls: ApilintServer) -> dict[Path, bytes]:
    buffers = {}
    for uri in ls.state.buffers:
        path = _path(uri)
        if path is not None:
            doc = ls.workspace.get_text_document(uri)
            buffers[path] = doc.source.encode("utf-8")
    return buffers


async def _lint(ls: ApilintServer, uri: str) -> None:
    buffer = ls.state.buffers.get(uri)
    path = _path(uri)
    if buffer is None or path is None:
        return
    generation = buffer.generation
    loop = asyncio.get_running_loop()
    try:
        outcome = await loop.run_in_executor(ls.state.worker, lint_buffer, path, _open_buffers(ls))
    except Exception as exc:  # noqa: BLE001 - apilint's bug: logged, never a diagnostic
        ls.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Error,
                message=visible(
                    f"apilint: internal error linting {path}: {type(exc).__name__}: {exc}"
                ),
            )
        )
        return
    if buffer.generation != generation or ls.state.buffers.get(uri) is not buffer:
        return  # edited (or closed) meanwhile: a newer lint publishes
    _publish(ls, uri, path, buffer, outcome)


def _publish(ls: ApilintServer, uri: str, path: Path, buffer: _Buffer, outcome: Outcome) -> None:
    for crash in outcome.crashes:
        ls.window_log_message(
            types.LogMessageParams(type=types.MessageType.Error, message=visible(crash))
        )
    diagnostics = []
    if outcome.error is not None:
        error = outcome.error
        same_file = error.file is None or os.path.realpath(error.file) == os.path.realpath(path)
        diagnostics.append(
            error_diagnostic(error)
            if same_file and error.line is not None
            else error_diagnostic(type(error)(str(error)))
        )
    else:
        buffer.findings = () if outcome.skipped else outcome.findings
    diagnostics.extend(finding_diagnostic(f) for f in buffer.findings)
    # apilint counts characters; the client counts in the code units it negotiated.
    doc = ls.workspace.get_text_document(uri)
    for d in diagnostics:
        d.range = doc.position_codec.range_to_client_units(doc.lines, d.range)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=buffer.version)
    )


def _schedule(ls: ApilintServer, uri: str, delay: float) -> None:
    buffer = ls.state.buffers[uri]
    buffer.generation += 1
    if buffer.pending is not None:
        buffer.pending.cancel()
    loop = asyncio.get_running_loop()
    buffer.pending = loop.call_later(delay, lambda: asyncio.ensure_future(_lint(ls, uri)))


def _relint_all(ls: ApilintServer) -> None:
    for uri in list(ls.state.buffers):
        _schedule(ls, uri, 0)


@server.feature(types.INITIALIZED)
async def initialized(ls: ApilintServer, params: types.InitializedParams) -> None:
    capabilities = ls.client_capabilities.workspace
    watch = capabilities.did_change_watched_files if capabilities else None
    if watch is None or not watch.dynamic_registration:
        return  # configuration saved from the editor is still seen (did_save)
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=g) for g in _WATCHED]
    )
    register = ls.client_register_capability_async(
        types.RegistrationParams(
            registrations=[
                types.Registration(
                    id="apilint-config",
                    method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=options,
                )
            ]
        )
    )
    try:
        await register
    except Exception as exc:  # noqa: BLE001 - a client that refuses: saved config still counts
        ls.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"apilint: configuration files are not watched ({exc}); saving one "
                "from the editor re-lints",
            )
        )


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: ApilintServer, params: types.DidOpenTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.state.buffers[uri] = _Buffer(version=params.text_document.version)
    _schedule(ls, uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: ApilintServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    buffer = ls.state.buffers.setdefault(uri, _Buffer())
    buffer.version = params.text_document.version
    _schedule(ls, uri, DEBOUNCE)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: ApilintServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = _path(uri)
    if path is not None and path.name in CONFIG_NAMES:
        _relint_all(ls)
    elif uri in ls.state.buffers:
        _schedule(ls, uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: ApilintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    buffer = ls.state.buffers.pop(uri, None)
    if buffer is not None and buffer.pending is not None:
        buffer.pending.cancel()
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def watched_files(ls: ApilintServer, params: types.DidChangeWatchedFilesParams) -> None:
    # Any watched change: a configuration file, or (where the client watches more) a file an
    # open definition references.
    if params.changes:
        _relint_all(ls)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: ApilintServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    doc = ls.workspace.get_text_document(uri)
    lines, codec = doc.lines, doc.position_codec
    server = codec.position_from_client_units(lines, params.position)
    at = types.Position(line=server.line, character=server.character)
    if at.line < len(lines):
        extension = extension_at(lines[at.line], at.character)
        if extension is not None:
            return types.Hover(
                contents=types.MarkupContent(
                    kind=types.MarkupKind.Markdown, value=extension.markdown()
                )
            )
    buffer = ls.state.buffers.get(uri)
    for finding in buffer.findings if buffer else ():
        if _covers(span_range(finding.span), at):
            try:
                # by code: a custom rule may share a built-in rule's name
                rule = find_rule(finding.code)
            except KeyError:
                return None  # a custom rule: its explanation is `apilint explain` with its config
            text = f"[{rule.code} {rule.name}]({rule_page_url(rule.code, rule.name)})\n\n```text\n"
            text += explain_text(rule).replace("```", "'''") + "\n```"
            return types.Hover(
                contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                range=codec.range_to_client_units(lines, span_range(finding.span)),
            )
    return None


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
    ),
)
async def code_action(
    ls: ApilintServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    buffer, path = ls.state.buffers.get(uri), _path(uri)
    if buffer is None or path is None:
        return None
    generation = buffer.generation
    if buffer.fixed is None or buffer.fixed[0] != generation:
        loop = asyncio.get_running_loop()
        outcome = await loop.run_in_executor(
            ls.state.worker, lint_buffer, path, _open_buffers(ls), True
        )
        if outcome.error is not None:
            return None  # mid-edit: no offsets to trust
        buffer.fixed = (generation, outcome.findings)
    findings = buffer.fixed[1]
    doc = ls.workspace.get_text_document(uri)
    text, codec = doc.source, doc.position_codec
    asked = codec.range_from_client_units(doc.lines, params.range)
    wanted_range = types.Range(
        start=types.Position(line=asked.start.line, character=asked.start.character),
        end=types.Position(line=asked.end.line, character=asked.end.character),
    )
    shown = {k: d for d in params.context.diagnostics if (k := diagnostic_key(d)) is not None}
    wanted = params.context.only
    in_range = [f for f in findings if _overlaps(span_range(f.span), wanted_range)]
    actions: list[types.CodeAction] = []
    if wanted is None or types.CodeActionKind.QuickFix in wanted:
        actions.extend(quick_fixes(uri, text, codec, in_range, shown))
        loop = asyncio.get_running_loop()
        for finding in in_range:
            diagnostic = shown.get(finding_key(finding))
            # In the worker: it reads the buffer through the loader's shared map.
            ignore = await loop.run_in_executor(
                ls.state.worker, ignore_action, uri, path, text, codec, finding, diagnostic
            )
            if ignore is not None:
                actions.append(ignore)
    if wanted is None or any(k.startswith(types.CodeActionKind.SourceFixAll) for k in wanted):
        everything = fix_all(uri, text, codec, findings)
        if everything is not None:
            actions.append(everything)
    return actions


def _overlaps(span: types.Range, other: types.Range) -> bool:
    return (span.start.line, span.start.character) <= (other.end.line, other.end.character) and (
        other.start.line,
        other.start.character,
    ) <= (span.end.line, span.end.character)


def _covers(span: types.Range, at: types.Position) -> bool:
    start, end = span.start, span.end
    return (start.line, start.character) <= (at.line, at.character) <= (end.line, end.character)


def main() -> int:
    server.start_io()
    return 0
