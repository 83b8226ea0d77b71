"""A declarative custom rule (`given` + `then`) compiled into a check: the same
`(api, options) -> violations` function a built-in rule runs, so suppressions, baselines,
--diff-base and every report treat its findings as any other.

`given` is a gateway selector (apilint.custom.selectors) or one or more JSONPaths over the
definition as written (apilint.custom.jsonpath; `$ref`s are not followed). Each `then` reads the
selected node, one of its `field`s (`a.b`, `@key`, or a JSONPath below it) or, for a selector,
one of its `fact`s, and runs a function (apilint.custom.functions) on it. A finding sits on the
node the function complains about; for a missing field, on the nearest node that exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apilint.checks import Check, Violation
from apilint.custom.errors import rule_error
from apilint.custom.functions import MISSING, PROPERTY, VALUE, Context, apply, options_problem
from apilint.custom.functions import print_value as show
from apilint.custom.jsonpath import JSONPathError, Query, compile_path, field_path
from apilint.custom.selectors import Node, Selection, compile_selection
from apilint.document.model import Document
from apilint.model.gateway import Api
from apilint.model.operations import operation_labels, operation_of


@dataclass(frozen=True)
class Assertion:
    function: str
    options: Any
    message: str | None
    field: str | None = None
    fact: str | None = None
    #: `field` as a JSONPath below the node (it starts with $), compiled.
    field_query: Query | None = None


@dataclass(frozen=True)
class Target:
    doc: Document
    tokens: tuple[str, ...]
    value: Any
    operation: str | None
    #: The property's name when the value is missing (its tokens stop at the parent).
    name: str | None = None


def compile_rule(data: dict[str, Any], path: Path) -> Check:
    thens = data["then"] if isinstance(data["then"], list) else [data["then"]]
    if any("functionOptionsFrom" in t for t in thens):
        from apilint.custom.rule_options import option_check

        return option_check(data, path, compile_rule)
    given = data["given"]
    try:
        source: Selection | tuple[Query, ...] = (
            compile_selection(given)
            if isinstance(given, dict)
            else tuple(compile_path(g) for g in ([given] if isinstance(given, str) else given))
        )
    except (ValueError, JSONPathError) as exc:
        where = "" if str(exc).startswith("given") else "given: "
        raise rule_error(path, f"{where}{exc}") from None
    assertions = tuple(
        _assertion(t, f"then[{i}]" if isinstance(data["then"], list) else "then", source, path)
        for i, t in enumerate(thens)
    )
    message = data.get("message")
    # Spectral's rules read the document with its $refs resolved (apilint.custom.refs); a
    # custom rule file reads it as written.
    resolved = data.get("resolved") is True and not isinstance(source, Selection)

    def run(api: Api, _options: dict[str, Any]) -> Iterator[Violation]:
        seen: set[tuple[tuple[str, ...], str]] = set()
        view = _view(api.doc.data) if resolved else None
        for node in _nodes(api, source, view):
            for assertion in assertions:
                for v in _evaluate(api, node, assertion, message, view):
                    if (v.tokens, v.message) not in seen:
                        seen.add((v.tokens, v.message))
                        yield v

    return run


def _assertion(then: dict[str, Any], where: str, source: Any, path: Path) -> Assertion:
    function, options = then["function"], then.get("functionOptions")
    problem = options_problem(function, options)
    if problem is not None:
        key = "function" if problem.startswith("unknown function") else "functionOptions"
        raise rule_error(path, f"{where}.{key}: {problem}")
    fact = then.get("fact")
    if fact is not None:
        from apilint.custom.selectors import FACTS

        if not isinstance(source, Selection):
            raise rule_error(path, f"{where}.fact: facts need a gateway selector as given")
        if fact not in FACTS[source.name]:
            known = ", ".join(FACTS[source.name])
            raise rule_error(path, f"{where}.fact: unknown fact {fact!r} (known: {known})")
    field = then.get("field")
    query = None
    if field is not None and field.startswith("$"):
        try:
            query = compile_path(field)
        except JSONPathError as exc:
            raise rule_error(path, f"{where}.field: {exc}") from None
    return Assertion(function, options, then.get("message"), field, fact, query)


def _view(data: Any) -> Any:
    """The resolved view of a document, built once for all the rules of a run."""
    from apilint.custom.refs import resolved_view

    if _VIEWS.get(id(data), (None,))[0] is not data:
        _VIEWS.clear()  # one document at a time: the next definition replaces it
        _VIEWS[id(data)] = (data, resolved_view(data))
    return _VIEWS[id(data)][1]


_VIEWS: dict[int, tuple[Any, Any]] = {}


def _nodes(
    api: Api, source: Selection | tuple[Query, ...], view: Any = None
) -> Iterator[Node | Target]:
    if isinstance(source, Selection):
        yield from source.nodes(api)
        return
    labels = operation_labels(api)
    for query in source:
        for value, tokens in query.find(api.doc.data if view is None else view):
            parts = tuple(str(t) for t in tokens)
            yield Target(api.doc, parts, value, operation_of(labels, parts))


def _targets(node: Node | Target, a: Assertion) -> Iterator[Target]:
    if isinstance(node, Node):
        base = Target(node.at.doc, node.at.tokens, node.at.value, node.operation)
        if a.fact is not None:
            at = node.fact_at.get(a.fact, node.at)
            yield Target(at.doc, at.tokens, node.facts.get(a.fact, MISSING), node.operation)
            return
        if a.field == "@key":
            yield Target(
                base.doc, base.tokens, base.tokens[-1] if base.tokens else MISSING, base.operation
            )
            return
    else:
        base = node
    if a.field is None:
        yield base
    elif isinstance(node, Target) and not isinstance(base.value, (dict, list)):
        yield base  # Spectral (getLintTargets): a field of a value that is no object is the value
    elif a.field == "@key":
        yield from _keys(base)
    elif a.field_query is not None:
        found = False
        for value, tokens in a.field_query.find(base.value):
            found = True
            parts = base.tokens + tuple(str(t) for t in tokens)
            yield Target(base.doc, parts, value, base.operation)
        if not found:  # Spectral runs the function once on undefined
            yield Target(base.doc, base.tokens, MISSING, base.operation)
    else:
        yield _walk(base, field_path(a.field))


def _keys(base: Target) -> Iterator[Target]:
    """`field: @key` of a JSONPath's node: each of its member names (Spectral's getLintTargets;
    for an array, its indices as text), at the member's place."""
    names = list(base.value) if isinstance(base.value, dict) else range(len(base.value))
    for name in names:
        yield Target(base.doc, base.tokens + (str(name),), str(name), base.operation)


def _walk(base: Target, tokens: tuple[str | int, ...]) -> Target:
    value = base.value
    parts = base.tokens
    for token in tokens:
        if isinstance(value, dict) and str(token) in value:
            value = value[str(token)]
        elif isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value):
            value = value[token]
        else:
            # Missing: the value is undefined and the finding sits on its nearest parent,
            # the field's name still shows in {{property}} and {{path}}.
            return Target(base.doc, parts, MISSING, base.operation, str(tokens[-1]))
        parts = parts + (str(token),)
    return Target(base.doc, parts, value, base.operation)


def _evaluate(
    api: Api, node: Node | Target, a: Assertion, message: str | None, view: Any = None
) -> Iterator[Violation]:
    for target in _targets(node, a):
        context = Context(api.doc.data, target.tokens)
        for problem in apply(a.function, target.value, a.options, context):
            tokens = target.tokens + tuple(str(p) for p in problem.path)
            if view is not None:  # where the node is written, through the $refs it was reached by
                from apilint.custom.refs import locate

                tokens = locate(api.doc.data, view, tokens)
            name = target.name or a.fact or (tokens[-1] if tokens else "")
            error = render(problem.message, target.value, name)
            text = render_template(
                a.message or message or "{{error}}",
                error=error,
                value=target.value,
                prop=name,
                path=tokens,
                operation=target.operation,
            )
            yield Violation(target.doc, tokens, text, target.operation)


def render(message: str, value: Any, prop: str) -> str:
    """A function's message with Spectral's print placeholders filled in."""
    message = message.replace(PROPERTY, f'"{prop}" property ' if prop else "")
    # printing a large object costs: only when the message shows it
    return message.replace(VALUE, show(value)) if VALUE in message else message


_PLACEHOLDER = re.compile(r"\{\{\s*(error|value|path|property|operation|description)\s*\}\}")


def render_template(
    template: str,
    *,
    error: str,
    value: Any,
    prop: str,
    path: tuple[str, ...],
    operation: str | None,
) -> str:
    """A rule's message: {{error}}, {{value}}, {{path}}, {{property}}, {{operation}}."""
    values = {
        "error": error,
        "value": show(value) if not isinstance(value, str) else value,
        "path": spectral_pointer(path),
        "property": prop,
        "operation": operation or "",
        "description": "",
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def spectral_pointer(path: tuple[str, ...]) -> str:
    """`{{path}}` as Spectral prints it (printPath EscapedPointer): a URI fragment JSON Pointer,
    `#/paths/~1pets~1%7Bid%7D/get`."""
    from urllib.parse import quote

    escaped = (p.replace("~", "~0").replace("/", "~1") for p in path)
    return "#/" + "/".join(quote(p, safe="_.!~*'()-") for p in escaped) if path else "#"
