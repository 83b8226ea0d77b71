"""CloudFormation intrinsic functions read as placeholders, one reading per branch of `Fn::If`.

CloudFormation resolves `Fn::Sub`, `Ref`, `Fn::GetAtt`, ... in inline and included definitions,
so they are rendered as `${...}` placeholders: unknown values, never errors. Either branch of an
`Fn::If` may be the one deployed, so a definition holding one is read twice (the first and the
second branch of every condition) and both readings are linted. A reading keeps a map from its
paths to the source's (`Fn::If/1` inserted, list items shifted by a dropped `AWS::NoValue`), so
a finding is positioned in the branch it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from apilint.common.findings import Span
from apilint.common.regex import lazy
from apilint.document.model import Locator
from apilint.document.pointer import Tokens

_NO_VALUE = object()
_UNHANDLED = object()
_SUB_VARIABLE = lazy(r"\$\{([^!}][^}]*)\}")


@dataclass
class Reading:
    """The rendered data of one branch choice and where its paths sit in the source."""

    data: Any
    #: rendered path → source path, for each node whose path changed (longest prefix applies).
    moves: dict[Tokens, Tokens] = field(default_factory=dict)


def render(value: Any) -> Any:
    """`value` with every intrinsic function replaced by what it stands for: a string with
    `${Name}` / `${Name.Attribute}` placeholders where CloudFormation fills a value in, and the
    first branch of each `Fn::If` (the second when the first is `AWS::NoValue`). Copies only
    what changes."""
    return _Renderer(0).value(value, (), ())


def readings(value: Any) -> list[Reading]:
    """One reading, or two when an `Fn::If` has branches that differ: the first branch of every
    condition, then the second."""
    return _readings(value, _Renderer)


def branch_readings(value: Any) -> list[Reading]:
    """Like readings, but only `Fn::If` (and `AWS::NoValue`) is resolved: every other
    intrinsic stays as written, for a reader that follows `Ref`s itself (resources built into
    an API, apilint.document.cfn_resources)."""
    return _readings(value, _BranchChooser)


def _readings(value: Any, renderer: type[_Renderer]) -> list[Reading]:
    first = renderer(0)
    out = [Reading(first.value(value, (), ()), first.moves)]
    if first.branching:
        second = renderer(1)
        out.append(Reading(second.value(value, (), ()), second.moves))
    return out


class _Renderer:
    def __init__(self, branch: int) -> None:
        self.branch = branch  # 0: the first branch of every Fn::If, 1: the second
        self.branching = False  # met an Fn::If whose branches differ
        self.moves: dict[Tokens, Tokens] = {}

    def value(self, value: Any, at: Tokens, source: Tokens) -> Any:
        """`value` (at `source` in the file, `at` in the reading) rendered."""
        if isinstance(value, dict):
            return self._mapping(value, at, source)
        if isinstance(value, list):
            return self._list(value, at, source)
        return value

    def _mapping(self, value: dict[str, Any], at: Tokens, source: Tokens) -> Any:
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref" or key.startswith("Fn::"):
                rendered = self._intrinsic(key, arg, at, source)
                if rendered is not _UNHANDLED:
                    return rendered
        out: dict[str, Any] | None = None
        for k, v in value.items():
            r = self.value(v, at + (k,), source + (k,))
            if r is not v:
                if out is None:
                    out = dict(value)
                if r is _NO_VALUE:
                    del out[k]
                else:
                    out[k] = r
        return value if out is None else out

    def _list(self, value: list[Any], at: Tokens, source: Tokens) -> Any:
        items: list[Any] = []
        changed = False
        for i, v in enumerate(value):
            if len(items) != i:  # an item before was dropped: this one moved up
                self.moves[at + (str(len(items)),)] = source + (str(i),)
            r = self.value(v, at + (str(len(items)),), source + (str(i),))
            changed = changed or r is not v
            if r is not _NO_VALUE:
                items.append(r)
        return items if changed else value

    def _intrinsic(self, key: str, arg: Any, at: Tokens, source: Tokens) -> Any:
        if key == "Ref":
            if arg == "AWS::NoValue":
                return _NO_VALUE
            return f"${{{arg}}}" if isinstance(arg, str) else _UNHANDLED
        if key == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and parts and all(isinstance(p, str) for p in parts):
                return "${" + ".".join(parts) + "}"
            return _UNHANDLED
        if key == "Fn::Sub":
            return self._sub(arg)
        if key == "Fn::Join":
            if (
                isinstance(arg, list)
                and len(arg) == 2
                and isinstance(arg[0], str)
                and isinstance(arg[1], list)
            ):
                return arg[0].join(self._text(p) for p in arg[1])
            return _UNHANDLED
        if key == "Fn::If":
            return (
                self._if(arg, at, source) if isinstance(arg, list) and len(arg) == 3 else _UNHANDLED
            )
        if key == "Fn::Transform":
            return _UNHANDLED  # a nested AWS::Include: left as it is
        return f"${{{key}}}"  # Fn::ImportValue, Fn::FindInMap, Fn::Select, ...: unknown here

    def _if(self, arg: list[Any], at: Tokens, source: Tokens) -> Any:
        # The branch that yields a value comes first: it says more than one that drops the key.
        order = [2, 1] if arg[1] == {"Ref": "AWS::NoValue"} else [1, 2]
        if arg[1] != arg[2]:
            self.branching = True
        chosen = order[self.branch] if arg[1] != arg[2] else order[0]
        where = source + ("Fn::If", str(chosen))
        self.moves[at] = where
        return self.value(arg[chosen], at, where)

    def _text(self, value: Any) -> str:
        """A part of a string (Fn::Join item, Fn::Sub variable), read with the same branches;
        it has no place of its own in the reading."""
        part = _Renderer(self.branch)
        text = _text(part.value(value, (), ()))
        self.branching = self.branching or part.branching
        return text

    def _sub(self, arg: Any) -> Any:
        if isinstance(arg, str):
            return arg
        if not (
            isinstance(arg, list)
            and len(arg) == 2
            and isinstance(arg[0], str)
            and isinstance(arg[1], dict)
        ):
            return _UNHANDLED
        variables = {k: self._text(v) for k, v in arg[1].items()}
        return _SUB_VARIABLE().sub(lambda m: variables.get(m.group(1), m.group(0)), arg[0])


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "${?}"  # a list or object where text is needed: unknown


@dataclass(frozen=True)
class ReadingLocator:
    """Positions in a reading, found in the source: each path is moved by the longest prefix
    that `moves` knows (paths below `base`, the definition's place in its file)."""

    inner: Locator  # the file's locator
    base: Tokens
    moves: dict[Tokens, Tokens]

    def span(self, tokens: Tokens) -> Span:
        span: Span = self.inner.span(self.base + self.source(tokens[len(self.base) :]))
        return span

    def __getattr__(self, name: str) -> Any:
        # The file's text and node tree (fast scans, duplicate-key sites) are the inner one's;
        # its way of locating many pointers together is not (it would skip moving each).
        if name.startswith("_") or name in ("inner", "base", "moves", "spans"):
            raise AttributeError(name)  # not set yet (while unpickling, copying), or not ours
        return getattr(self.inner, name)

    def place(self, tokens: Tokens) -> Tokens:
        """The file's tokens for a path of the reading below `base`."""
        return self.base + self.source(tokens[len(self.base) :])

    def source(self, tokens: Tokens) -> Tokens:
        for n in range(len(tokens), -1, -1):
            moved = self.moves.get(tokens[:n])
            if moved is not None:
                return moved + tokens[n:]
        return tokens


class _BranchChooser(_Renderer):
    """Chooses the branch of each Fn::If; leaves the other intrinsics alone."""

    def _intrinsic(self, key: str, arg: Any, at: Tokens, source: Tokens) -> Any:
        if key == "Fn::If" or (key == "Ref" and arg == "AWS::NoValue"):
            return super()._intrinsic(key, arg, at, source)
        return _UNHANDLED
