"""Check functions: pure `(api, options) -> violations`. Rules (in `rules/`) name them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from apilint.common.fixes import Fix
from apilint.document.model import Document
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Method

# Re-exported (__all__): the value readers every check module uses live in the model.
from apilint.model.values import first_visit, literal, number, per_api, upper

if TYPE_CHECKING:
    from apilint.catalog.registry import Rule


__all__ = [
    "Check",
    "Violation",
    "check",
    "checks_for",
    "first_visit",
    "literal",
    "number",
    "per_api",
    "shown",
    "upper",
    "violation",
]


class Violation(NamedTuple):
    """What a check found. (A named tuple rather than a frozen dataclass: as immutable, and
    made in half the time; a large definition has tens of thousands of findings.)"""

    doc: Document
    tokens: Tokens
    message: str
    operation: str | None = None
    #: API Gateway's importer warns about this (the import succeeds and drops it), so it fails
    #: the import where the deployment sets FailOnWarnings.
    import_warning: bool = False
    #: Harmless unless import warnings fail the import (`responses: {}` on a proxy route):
    #: reported only there.
    only_if_strict: bool = False
    #: Edits that remove the violation (apilint.document.edit builds them), or None.
    fix: Fix | None = None


def violation(
    at: At, message: str, operation: str | None = None, fix: Fix | None = None
) -> Violation:
    return Violation(at.doc, at.tokens, message, operation, fix=fix)


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
    from apilint.catalog.registry import RuleDefinitionError

    checks = all_checks()
    for rule in rules:
        if rule.scope != "engine" and rule.check not in checks:
            raise RuleDefinitionError(
                f"{rule.name}.yaml: rule {rule.code} ({rule.name}) runs the check "
                f"{rule.check!r}, which no module in apilint/checks defines (a function "
                f"decorated with @check, named as the rule with - as _, or named by `check:`)"
            )
    return checks
