"""Gateway selectors: `given: {methods: {where: {...}}}` picks nodes of the gateway model (what
API Gateway builds from the definition) instead of places in the document.

Each selector yields Nodes: the object (`then.field` reads below it), the facts `where` filters
on and `then.fact` asserts, where each fact is written, and the operation a finding names.
FACTS lists each selector's facts; docs/writing-rules.md describes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from apilint.custom.functions import MISSING, js_regex
from apilint.document.refs import At
from apilint.model.gateway import Api, Integration, Method
from apilint.model.lambdas import FunctionRef, resolve_function


@dataclass(frozen=True)
class Node:
    at: At
    facts: dict[str, Any]
    #: Where a fact is written, when it is not the node itself (an integration's `uri`).
    fact_at: dict[str, At] = field(default_factory=dict)
    operation: str | None = None


def _function_facts(integ: Integration | None) -> dict[str, Any]:
    ref = resolve_function(integ.uri, None) if integ is not None else None
    if not isinstance(ref, FunctionRef):
        # Not a Lambda integration, or one only the deployment names (`${Fn.Arn}`): unknown.
        return {"function-name": MISSING, "function-account": MISSING, "function-region": MISSING}
    unknown = MISSING
    return {
        "function-name": ref.name,
        "function-account": ref.account if ref.account is not None else unknown,
        "function-region": ref.region if ref.region is not None else unknown,
    }


def _integration_facts(integ: Integration | None) -> dict[str, Any]:
    if integ is None:
        return {"integration-type": MISSING, "integration-uri": MISSING, **_function_facts(None)}
    uri = integ.uri if isinstance(integ.uri, str) else MISSING
    kind = integ.type if integ.type is not None else MISSING
    return {"integration-type": kind, "integration-uri": uri, **_function_facts(integ)}


def _integration_at(integ: Integration | None) -> dict[str, At]:
    if integ is None:
        return {}
    uri = integ.at.child("uri") or integ.at
    out = {"integration-type": integ.at.child("type") or integ.at, "integration-uri": uri}
    return out | dict.fromkeys(("function-name", "function-account", "function-region"), uri)


def _auth_facts(method: Method) -> dict[str, Any]:
    kinds = sorted(k for k in method.auth.kinds if k != "undefined")
    return {
        "auth": kinds[0] if len(kinds) == 1 else ("none" if not kinds else ",".join(kinds)),
        "authorizer": method.auth.schemes[0] if method.auth.schemes else None,
        "authorizers": list(method.auth.schemes),
    }


def _methods(api: Api) -> Iterator[Node]:
    for m in api.methods:
        auth_at = m.auth.at if m.auth.at is not None else m.at
        facts = {
            "verb": m.verb,
            "path": m.path,
            "operation": m.label,
            "api": api.kind,
            **_auth_facts(m),
            **_integration_facts(m.integration),
        }
        where = _integration_at(m.integration) | dict.fromkeys(
            ("auth", "authorizer", "authorizers"), auth_at
        )
        yield Node(m.at, facts, where, m.label)


def _integrations(api: Api) -> Iterator[Node]:
    for integ, users in api.integrations():
        facts = {
            "operations": [m.label for m in users],
            "api": api.kind,
            **{k.removeprefix("integration-"): v for k, v in _integration_facts(integ).items()},
        }
        where = {k.removeprefix("integration-"): v for k, v in _integration_at(integ).items()}
        yield Node(integ.at, facts, where, users[0].label if users else None)


def _authorizers(api: Api) -> Iterator[Node]:
    for name, scheme in api.schemes.items():
        facts = {"name": name, "kind": scheme.kind, "type": scheme.type, "api": api.kind}
        yield Node(scheme.at, facts)


def _resources(api: Api) -> Iterator[Node]:
    for path, res in api.resources.items():
        if res.at is not None:
            yield Node(res.at, {"path": path, "verbs": sorted(res.methods), "api": api.kind})


def _parameters(api: Api) -> Iterator[Node]:
    for m in api.methods:
        for p in m.parameters:
            facts = {"name": p.name, "in": p.location, "verb": m.verb, "path": m.path}
            yield Node(p.at, facts | {"api": api.kind}, {}, m.label)


def _gateway_responses(api: Api) -> Iterator[Node]:
    for kind, _site, response in api.gateway_responses():
        status = response.value.get("statusCode") if isinstance(response.value, dict) else None
        yield Node(response, {"type": kind, "status": status, "api": api.kind})


def _api(api: Api) -> Iterator[Node]:
    info = api.doc.data.get("info") if isinstance(api.doc.data, dict) else None
    title = info.get("title") if isinstance(info, dict) else MISSING
    yield Node(api.root, {"api": api.kind, "version": api.version, "title": title})


Selector = Callable[[Api], Iterator[Node]]
SELECTORS: dict[str, Selector] = {
    "methods": _methods,
    "integrations": _integrations,
    "authorizers": _authorizers,
    "resources": _resources,
    "parameters": _parameters,
    "gateway-responses": _gateway_responses,
    "api": _api,
}
_FUNCTION = ("function-name", "function-account", "function-region")
FACTS: dict[str, tuple[str, ...]] = {
    "methods": (
        "verb",
        "path",
        "operation",
        "api",
        "auth",
        "authorizer",
        "authorizers",
        "integration-type",
        "integration-uri",
        *_FUNCTION,
    ),
    "integrations": ("type", "uri", *_FUNCTION, "operations", "api"),
    "authorizers": ("name", "kind", "type", "api"),
    "resources": ("path", "verbs", "api"),
    "parameters": ("name", "in", "verb", "path", "api"),
    "gateway-responses": ("type", "status", "api"),
    "api": ("api", "version", "title"),
}

Condition = Callable[[Any], bool]


def condition(spec: Any, where: str) -> Condition:
    """A `where` condition: a value (equal), a list (any of), or {not: c}, {pattern: re},
    {in: [...]}. A list fact (authorizers, verbs) matches when any of its items does.
    ValueError naming `where` for a condition it cannot read."""
    if isinstance(spec, dict):
        if len(spec) != 1:
            raise ValueError(f"{where}: a condition object has one key: not, pattern or in")
        ((op, arg),) = spec.items()
        if op == "not":
            inner = condition(arg, f"{where}.not")
            return lambda v: not inner(v)
        if op == "pattern":
            if not isinstance(arg, str):
                raise ValueError(f"{where}.pattern: expected a regular expression string")
            regex = js_regex(arg)
            return _each(lambda v: isinstance(v, str) and regex.search(v) is not None)
        if op == "in":
            if not isinstance(arg, list):
                raise ValueError(f"{where}.in: expected a list of values")
            return _each(lambda v: v in arg)
        raise ValueError(f"{where}: unknown condition {op!r} (not, pattern or in)")
    if isinstance(spec, list):
        return _each(lambda v: v in spec)
    return _each(lambda v: v == spec)


def _each(test: Condition) -> Condition:
    return lambda v: any(test(i) for i in v) if isinstance(v, list) else test(v)


@dataclass(frozen=True)
class Selection:
    name: str
    where: tuple[tuple[str, Condition], ...]

    def nodes(self, api: Api) -> Iterator[Node]:
        for node in SELECTORS[self.name](api):
            if all(test(node.facts.get(fact, MISSING)) for fact, test in self.where):
                yield node


def compile_selection(given: dict[str, Any]) -> Selection:
    """A Selection from `given: {NAME: {where: {...}}}` (ValueError naming the field)."""
    ((name, body),) = given.items()
    if name not in SELECTORS:
        raise ValueError(f"given: unknown selector {name!r} (known: {', '.join(SELECTORS)})")
    body = body or {}
    if not isinstance(body, dict) or set(body) - {"where"}:
        raise ValueError(f"given.{name}: expected {{where: {{fact: condition, ...}}}}")
    where = body.get("where") or {}
    if not isinstance(where, dict):
        raise ValueError(f"given.{name}.where: expected a mapping of fact: condition")
    tests = []
    for fact, spec in where.items():
        if fact not in FACTS[name]:
            raise ValueError(
                f"given.{name}.where.{fact}: unknown fact (known: {', '.join(FACTS[name])})"
            )
        tests.append((fact, condition(spec, f"given.{name}.where.{fact}")))
    return Selection(name, tuple(tests))
