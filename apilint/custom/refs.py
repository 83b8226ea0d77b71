"""A document as Spectral's rules read it by default (`resolved: true`): every local `$ref`
replaced by what it points at, and each node it reports found where it is written.

Spectral resolves the document before its JSONPaths run, leaves a circular `$ref` as it is, and
reports a node reached through a `$ref` at the referenced definition (once, however many
`$ref`s lead there). `resolved_view` builds that view (a referenced definition is one shared
object, so the view costs what the document does); `locate` maps a path through the view back
to the tokens of the node in the document. References to other files stay as written.
"""

from __future__ import annotations

from typing import Any

from apilint.document.pointer import Tokens, decode, get

#: A `$ref` to a `$ref` to ...: longer chains stay unresolved (and cycles end here too).
MAX_CHAIN = 32


def _target(node: Any) -> Tokens | None:
    """The tokens a local `$ref` object points at, or None."""
    if not isinstance(node, dict):
        return None
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#"):
        return None
    try:
        return decode(ref)
    except ValueError:
        return None


def resolved_view(data: Any) -> Any:
    """`data` with its local `$ref`s resolved, each definition once and shared by every `$ref`
    to it. A circular `$ref` (Cycles) and a broken one stay as written."""
    memo: dict[Tokens, Any] = {}
    cycles = Cycles(data)

    def build(node: Any, at: Tokens) -> Any:
        target = _target(node)
        if target is not None:
            if cycles.circular(at, target):
                return node
            if target not in memo:
                try:
                    raw = get(data, target)
                except KeyError:
                    return node
                memo[target] = {}  # a guard while it builds (a cycle Cycles did not see)
                memo[target] = build(raw, target)
            return memo[target]
        if isinstance(node, dict):
            return {k: build(v, (*at, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [build(v, (*at, str(i))) for i, v in enumerate(node)]
        return node

    return build(data, ())


class Cycles:
    """Which `$ref`s are circular: those whose target leads, through the `$ref`s inside it, back
    to a definition that holds the `$ref` itself (Spectral leaves those unresolved)."""

    def __init__(self, data: Any) -> None:
        from apilint.document.refs import iter_refs

        #: The targets of the `$ref`s inside each object that holds any (at every depth).
        self._inside: dict[Tokens, set[Tokens]] = {}
        for at, ref in iter_refs(data):
            target = _target({"$ref": ref})
            if target is not None:
                for depth in range(len(at) + 1):
                    self._inside.setdefault(at[:depth], set()).add(target)
        self._reach: dict[Tokens, frozenset[Tokens]] = {}

    def circular(self, at: Tokens, target: Tokens) -> bool:
        reach = self.reachable(target)
        return any(at[:depth] == target or at[:depth] in reach for depth in range(len(at) + 1))

    def reachable(self, start: Tokens) -> frozenset[Tokens]:
        """The targets of the `$ref`s inside `start`, and of those inside them, and so on."""
        if start not in self._reach:
            seen: set[Tokens] = set()
            todo = [start]
            while todo:
                for target in self._inside.get(todo.pop(), ()):
                    if target not in seen:
                        seen.add(target)
                        todo.append(target)
            self._reach[start] = frozenset(seen)
        return self._reach[start]


def locate(data: Any, view: Any, tokens: Tokens) -> Tokens:
    """Where the node at `tokens` of the view is written in `data`: through each `$ref` the
    view resolved, at the referenced definition. A token past what exists is kept as it is."""
    raw, seen = data, view
    out: Tokens = ()
    for i, token in enumerate(tokens):
        raw, out = _through_refs(data, raw, seen, out)
        if isinstance(raw, dict) and isinstance(seen, dict) and token in raw and token in seen:
            raw, seen = raw[token], seen[token]
        elif (
            isinstance(raw, list)
            and isinstance(seen, list)
            and token.isdigit()
            and int(token) < min(len(raw), len(seen))
        ):
            raw, seen = raw[int(token)], seen[int(token)]
        else:
            return out + tokens[i:]
        out = (*out, token)
    return _through_refs(data, raw, seen, out)[1]


def _through_refs(data: Any, raw: Any, seen: Any, out: Tokens) -> tuple[Any, Tokens]:
    """Follow the `$ref`s at `raw` that the view resolved (`seen` is not the `$ref` itself)."""
    for _ in range(MAX_CHAIN):
        target = _target(raw)
        if target is None or raw is seen:
            break
        try:
            raw, out = get(data, target), target
        except KeyError:
            break
    return raw, out
