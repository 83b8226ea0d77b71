"""In-definition suppressions: `x-apilint-ignore` on any object switches rules off for that
object and everything under it.

    x-apilint-ignore: AGW301
    x-apilint-ignore: [AGW301, cors-preflight-missing]
    x-apilint-ignore:
      - {rule: method-unauthenticated, reason: public health check}

API Gateway ignores unknown `x-` extensions, so the key is safe to keep in a definition that is
imported. A suppression that silences nothing, names an unknown rule or is malformed becomes a
finding of its own, so stale ones do not pile up.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apilint.catalog.registry import Rule, find_rule
from apilint.document.loader import SUPPRESSION_KEY
from apilint.document.model import Document
from apilint.document.pointer import Tokens

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix

UNUSED_RULE = "unused-suppression"
INVALID_RULE = "invalid-suppression"


@dataclass
class Suppression:
    """One `x-apilint-ignore` entry: which rule it silences where."""

    doc: Document
    scope: str  # JSON pointer of the object holding the key ("" = the whole file)
    entry: Tokens  # where the entry is written, for reporting it
    rule: Rule
    reason: str | None
    used: bool = False

    def covers(self, file: str, pointer: str, code: str) -> bool:
        return (
            code == self.rule.code
            and file == self.doc.path
            and (pointer == self.scope or pointer.startswith(self.scope + "/"))
        )


@dataclass(frozen=True)
class Problem:
    """A suppression apilint could not use: malformed, or naming an unknown rule."""

    doc: Document
    entry: Tokens
    message: str


def removal(s: Suppression) -> Fix | None:
    """Removing an entry that silences nothing: the entry, or the key when it is the only one."""
    from apilint.document.edit import make_fix, remove

    edits = remove(s.doc, s.entry) if s.entry[-1] != SUPPRESSION_KEY else None
    if edits is None:
        key = s.entry if s.entry[-1] == SUPPRESSION_KEY else s.entry[:-1]
        edits = remove(s.doc, key)
    return make_fix(f"Remove the unused {SUPPRESSION_KEY} entry", "safe", edits)


def collect(
    docs: Iterable[Document], rules: tuple[Rule, ...]
) -> tuple[list[Suppression], list[Problem]]:
    found: list[Suppression] = []
    problems: list[Problem] = []
    for doc in docs:
        if not doc.suppressions:  # the text never mentions the key: nothing to walk
            continue
        for scope, value in _holders(doc.data):
            key = scope + (SUPPRESSION_KEY,)
            entries = value if isinstance(value, list) else [value]
            for i, entry in enumerate(entries):
                where = key + (str(i),) if isinstance(value, list) else key
                ident, reason = _entry(entry)
                if ident is None:
                    problems.append(
                        Problem(
                            doc,
                            where,
                            f"{SUPPRESSION_KEY} entry {entry!r} is not a "
                            "rule code or name, nor {rule: CODE, reason: TEXT}",
                        )
                    )
                    continue
                try:
                    rule = find_rule(ident, rules)
                except KeyError as exc:
                    problems.append(Problem(doc, where, f"{SUPPRESSION_KEY}: {exc.args[0]}"))
                    continue
                found.append(Suppression(doc, doc.pointer(scope), where, rule, reason))
    return found, problems


def _entry(entry: Any) -> tuple[str | None, str | None]:
    if isinstance(entry, str) and entry.strip():
        return entry.strip(), None
    if (
        isinstance(entry, dict)
        and isinstance(entry.get("rule"), str)
        and set(entry) <= {"rule", "reason"}
    ):
        reason = entry.get("reason")
        return entry["rule"], reason if isinstance(reason, str) else None
    return None, None


def _holders(data: Any) -> Iterator[tuple[Tokens, Any]]:
    """(pointer tokens of an object, its x-apilint-ignore value) for every object that has one."""
    stack: list[tuple[Tokens, Any]] = [((), data)]
    while stack:
        tokens, node = stack.pop()
        if isinstance(node, dict):
            if SUPPRESSION_KEY in node:
                yield tokens, node[SUPPRESSION_KEY]
            stack.extend(
                (tokens + (k,), v)
                for k, v in node.items()
                if k != SUPPRESSION_KEY and isinstance(v, (dict, list))
            )
        elif isinstance(node, list):
            stack.extend(
                (tokens + (str(i),), v) for i, v in enumerate(node) if isinstance(v, (dict, list))
            )
