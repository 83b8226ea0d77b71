"""Code actions: each finding's fix (safe ones preferred), "fix all" for the file, and an
`x-apilint-ignore` entry with a reason to fill in."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from pathlib import Path

from lsprotocol import types
from pygls.workspace import PositionCodec

from apilint.common.errors import ApilintError
from apilint.common.escape import visible
from apilint.common.findings import Finding
from apilint.common.fixes import Edit
from apilint.document import loader
from apilint.document.edit import add_entries, append_items, computing
from apilint.document.loader import SUPPRESSION_KEY, load_document
from apilint.document.model import Document
from apilint.document.pointer import Tokens, decode, get
from apilint.engine.fix import choose, wanted

FIX_ALL = "source.fixAll.apilint"
#: What the ignore action writes as the reason: a placeholder the author must replace, so that a
#: suppression always says why.
REASON = "TODO: why this is accepted"


class Positions:
    """Offsets into a text (what fixes hold) as LSP positions, in the code units the client
    chose (`codec`: pygls' PositionCodec, UTF-16 unless negotiated otherwise)."""

    def __init__(self, text: str, codec: PositionCodec) -> None:
        self.lines = text.splitlines(keepends=True)
        self.codec = codec
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def at(self, offset: int) -> types.Position:
        line = bisect.bisect_right(self.starts, offset) - 1
        at = types.Position(line=line, character=offset - self.starts[line])
        return self.codec.position_to_client_units(self.lines, at)

    def text_edits(self, edits: Iterable[Edit]) -> list[types.TextEdit]:
        return [
            types.TextEdit(
                range=types.Range(start=self.at(e.start), end=self.at(e.end)), new_text=e.text
            )
            for e in sorted(set(edits), key=lambda e: (e.start, e.end))
        ]


def quick_fixes(
    uri: str,
    text: str,
    codec: PositionCodec,
    findings: Iterable[Finding],
    diagnostics: Mapping[str, types.Diagnostic],
) -> list[types.CodeAction]:
    """One quick fix per finding that has one (safe ones preferred). `diagnostics`: the
    client's diagnostic for each finding, by code and pointer."""
    positions = Positions(text, codec)
    actions = []
    for finding in findings:
        fix = finding.fix
        if fix is None:
            continue
        preferred = fix.applicability == "safe"
        diagnostic = diagnostics.get(finding_key(finding))
        actions.append(
            types.CodeAction(
                title=visible(f"{fix.title} ({finding.name})")
                + ("" if preferred else " [unsafe: changes behaviour]"),
                kind=types.CodeActionKind.QuickFix,
                is_preferred=preferred,
                diagnostics=[diagnostic] if diagnostic else None,
                edit=types.WorkspaceEdit(changes={uri: positions.text_edits(fix.edits)}),
            )
        )
    return actions


def fix_all(
    uri: str, text: str, codec: PositionCodec, findings: Iterable[Finding]
) -> types.CodeAction | None:
    """The safe fixes `apilint lint --fix` would apply in its first round, as one action."""
    taken, _ = choose([fix for f in findings if (fix := wanted(f, unsafe=False)) is not None])
    if not taken:
        return None
    edits = Positions(text, codec).text_edits(e for f in taken for e in f.edits)
    return types.CodeAction(
        title="Fix all safely fixable apilint findings in the file",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def ignore_action(
    uri: str,
    path: Path,
    text: str,
    codec: PositionCodec,
    finding: Finding,
    diagnostic: types.Diagnostic | None,
) -> types.CodeAction | None:
    """`x-apilint-ignore: [{rule: NAME, reason: ...}]` on the object that holds the finding (a
    definition file; findings in templates are left to their own files' actions)."""
    try:
        with loader.providing({path: text.encode("utf-8")}):
            doc = load_document(path)
    except ApilintError:
        return None
    if not isinstance(doc, Document):
        return None
    holder = _holder(doc, decode("#" + finding.pointer))
    if holder is None:
        return None
    entry = {"rule": finding.name, "reason": REASON}
    existing = get(doc.data, holder).get(SUPPRESSION_KEY)
    with computing():
        if existing is None:
            edits = add_entries(doc, holder, {SUPPRESSION_KEY: [entry]})
        elif isinstance(existing, list):
            edits = append_items(doc, holder + (SUPPRESSION_KEY,), [entry])
        else:
            edits = None  # a single code or a malformed entry: the author edits it
    if not edits:
        return None
    return types.CodeAction(
        title=visible(f"Ignore {finding.name} here (x-apilint-ignore, with a reason)"),
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic else None,
        edit=types.WorkspaceEdit(changes={uri: Positions(text, codec).text_edits(edits)}),
    )


def _holder(doc: Document, tokens: Tokens) -> Tokens | None:
    """The nearest mapping at or above `tokens` (a suppression covers what is under it)."""
    while True:
        try:
            node = get(doc.data, tokens)
        except KeyError:
            node = None
        if isinstance(node, dict):
            return tokens
        if not tokens:
            return None
        tokens = tokens[:-1]


def finding_key(finding: Finding) -> str:
    return f"{finding.code} {finding.pointer}"


def diagnostic_key(diagnostic: types.Diagnostic) -> str | None:
    data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
    pointer = data.get("pointer")
    return None if pointer is None else f"{diagnostic.code} {pointer}"
