"""Check functions: pure `(api, options) -> violations`. Rules (in `rules/`) name them."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, TypeVar
from weakref import WeakKeyDictionary

from apilint.document.model import Document
from apilint.document.placeholders import has_placeholder
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Api, Method

if TYPE_CHECKING:
    from apilint.registry import Rule

T = TypeVar("T")


@dataclass(frozen=True)
class Violation:
    doc: Document
    tokens: Tokens
    message: str
    operation: str | None = None
    #: API Gateway's importer warns about this (the import succeeds and drops it), so it fails
    #: the import where the deployment sets FailOnWarnings. Rules tagged `import-warning`
    #: count as such for every finding.
    import_warning: bool = False
    #: Harmless unless import warnings fail the import (`responses: {}` on a proxy route):
    #: reported only there.
    only_if_strict: bool = False


def violation(at: At, message: str, operation: str | None = None) -> Violation:
    return Violation(at.doc, at.tokens, message, operation)


def first_visit(seen: set[tuple[str, Tokens]], at: At) -> bool:
    """True the first time a node is met (path items and parameters shared through `$ref`
    reach the same node from several methods)."""
    key = (at.doc.path, at.tokens)
    if key in seen:
        return False
    seen.add(key)
    return True


def per_api(build: Callable[[Api], T]) -> Callable[[Api], T]:
    """Compute once per API what several rules read (roots, schema nodes, CORS evidence).
    Callers must not change what they get."""
    cache: WeakKeyDictionary[Api, T] = WeakKeyDictionary()

    @functools.wraps(build)
    def cached(api: Api) -> T:
        if api not in cache:
            cache[api] = build(api)
        return cache[api]

    return cached


def literal(value: Any) -> str | None:
    """A string without placeholders, else None (unknown or not a string)."""
    return value if isinstance(value, str) and not has_placeholder(value) else None


def number(value: Any) -> int | None:
    """An integer written as a number or a string of digits (5.0 counts; True does not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def upper(value: Any) -> str | None:
    lit = literal(value)
    return lit.strip().upper() if lit is not None else None


def shown(methods: list[Method], limit: int = 3) -> str:
    """`GET /a, PUT /a, GET /b and 2 more`: the methods a finding concerns, for its message."""
    labels = [m.label for m in methods]
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


#: A check reads an Api (most rules) or a TemplateFile (rules with scope: template).
Check = Callable[[Any, dict[str, Any]], Iterable[Violation]]
CHECKS: dict[str, Check] = {}


def check(fn: Check) -> Check:
    CHECKS[fn.__name__] = fn
    return fn


@functools.cache
def all_checks() -> dict[str, Check]:
    """Every check function: importing the package's modules registers them (a new module
    needs no list to be added to)."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return CHECKS


def checks_for(rules: Iterable[Rule]) -> dict[str, Check]:
    """Every check function, once each rule that needs one has it; a rule whose check does not
    exist is a broken rule file, named before any file is linted."""
    from apilint.registry import RuleDefinitionError

    checks = all_checks()
    for rule in rules:
        if rule.scope != "engine" and rule.check not in checks:
            raise RuleDefinitionError(
                f"{rule.name}.yaml: rule {rule.code} ({rule.name}) runs the check "
                f"{rule.check!r}, which no module in apilint/checks defines (a function "
                f"decorated with @check, named as the rule with - as _, or named by `check:`)")
    return checks
