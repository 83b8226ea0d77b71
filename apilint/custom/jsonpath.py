"""`given` JSONPaths: evaluated over a document to (value, JSON Pointer tokens) pairs, so each
finding carries the exact position of its node.

Built on python-jsonpath (RFC 9535 with extensions). The subset of Spectral's JSONPath
(jsonpath-plus / nimma) that is read, and how:

- `$`, `.name`, `['name']`, `[0]`, `[*]`, `.*`, `..` (descendants), `[a,b]` unions and
  slices, as RFC 9535;
- unquoted names in brackets (`$.paths[*][get,put]`), as jsonpath-plus reads them: quoted;
- filters `[?(@.x)]`, `[?(@.x == 'y')]`, `[?(@.a && !@.b)]` (comparisons, `&&`, `||`, `!`,
  `=~ /regex/`), and `@property` / `@key` in a filter (the member's name, `#` in
  python-jsonpath): `$.paths[*][?(@property == 'get')]`;
- a trailing `~` (the names of what the path selects, not their values): `$.paths.*~`.

Not read (an invalid JSONPath at load time, naming the rule file and field): JavaScript in
filters (`@.name.match(...)`, `@property.startsWith(...)`), `@path`, `@parent`, `@root`,
`$..[?(@.x)]^` parent selectors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

Tokens = tuple[str | int, ...]


class JSONPathError(ValueError):
    pass


_UNQUOTED_UNION = re.compile(r"\[((?:\s*[A-Za-z_$][\w$-]*\s*,?)+)\]")
_KEY = re.compile(r"@(?:property|key)\b")
_UNSUPPORTED = re.compile(
    r"@(?:path|parent|root)\b|\)\s*\^|\.(?:match|startsWith|endsWith|test|includes)\("
)


def _translate(expression: str) -> tuple[str, bool]:
    """The python-jsonpath spelling of a Spectral path, and whether it asked for names (`~`)."""
    text = expression.strip()
    keys = text.endswith("~")
    if keys:
        text = text[:-1]
    found = _UNSUPPORTED.search(text)
    if found:
        raise JSONPathError(f"{found.group(0).strip()!r} is JavaScript apilint does not run")

    def quote(m: re.Match[str]) -> str:
        names = [n.strip() for n in m.group(1).split(",") if n.strip()]
        return "[" + ", ".join(f"'{n}'" for n in names) + "]"

    text = _UNQUOTED_UNION.sub(quote, text)
    return _KEY.sub("#", text), keys


@dataclass(frozen=True)
class Query:
    """A compiled `given`."""

    expression: str
    _path: Any
    _keys: bool
    #: apilint.custom.walk's evaluator for the path, when it reads all of its selectors.
    _fast: Callable[[Any], Iterator[tuple[Any, Tokens]]] | None = None

    def find(self, data: Any) -> Iterator[tuple[Any, Tokens]]:
        """(value, pointer tokens) of every node the path selects, in document order."""
        nodes = self._fast(data) if self._fast is not None else self._slow(data)
        for value, parts in nodes:
            if self._keys:
                if parts:
                    yield parts[-1], parts
            else:
                yield value, parts

    def _slow(self, data: Any) -> Iterator[tuple[Any, Tokens]]:
        for match in self._path.finditer(data):
            yield match.obj, tuple(p if isinstance(p, int) else str(p) for p in match.parts)


def compile_path(expression: str) -> Query:
    """A Query for a `given` (JSONPathError says why it cannot be read)."""
    import jsonpath

    if not isinstance(expression, str) or not expression.strip().startswith("$"):
        raise JSONPathError(f"{expression!r} is not a JSONPath (it starts with $)")
    text, keys = _translate(expression)
    from apilint.custom.walk import fast_query

    try:
        compiled = jsonpath.compile(text)
        return Query(expression, compiled, keys, fast_query(compiled))
    except jsonpath.JSONPathError as exc:
        first = str(exc).splitlines()[0]
        raise JSONPathError(f"invalid JSONPath {expression!r}: {first}") from None


def field_path(name: str) -> Tokens:
    """A `then.field`: `a.b`, `a[0]` or `['a.b']` as pointer tokens relative to the given node
    (`@key` is handled by the caller). Spectral also takes a JSONPath there; that goes through
    compile_path."""
    tokens: list[str | int] = []
    for m in re.finditer(r"\[\s*'([^']*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[(\d+)\]|([^.\[\]]+)", name):
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        if quoted is not None:
            tokens.append(quoted)
        elif m.group(3) is not None:
            tokens.append(int(m.group(3)))
        else:
            tokens.append(m.group(4))
    return tuple(tokens)
