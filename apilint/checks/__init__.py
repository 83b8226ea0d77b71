"""Check functions: pure `(api, options) -> violations`. Rules (in `rules/`) name them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from apilint.common.records import NamedTuple
from apilint.document.model import Document
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Method

# Re-exported (__all__): the value readers every check module uses live in the model.
from apilint.model.values import first_visit, literal, number, per_api, upper

if TYPE_CHECKING:
    from apilint.catalog.registry import Rule
    from apilint.common.fixes import Fix


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
    """What a check reports: a node of a document and the message; the engine makes it a Finding.
    (A named tuple rather than a frozen dataclass: as immutable, and made in half the time; a
    large definition has tens of thousands of findings.)"""

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


#: The check modules of the scopes whose subject only some runs have: the account's facts
#: (--aws, --lambda-inventory) and a stage's export (`drift`). A run without that subject
#: never imports them (they are a pre-commit run's start-up time for rules that cannot run).
SCOPE_MODULES = {"account": "account", "drift": "drift"}


def all_checks() -> dict[str, Check]:
    """Every check function: importing the package's modules registers them (a new module
    needs no list to be added to)."""
    return _imported(frozenset(SCOPE_MODULES))


@functools.cache
def _imported(scopes: frozenset[str]) -> dict[str, Check]:
    """CHECKS once every module is imported but those of the scope modules not in `scopes`."""
    import importlib
    import os

    skipped = {module for scope, module in SCOPE_MODULES.items() if scope not in scopes}
    # The folder's .py modules, as pkgutil.iter_modules would list them (sorted), without its
    # import (a millisecond of a pre-commit run): the package is always a folder of sources.
    # A name that is no identifier is no module (an editor's `.#models.py` lock, macOS `._x.py`).
    names = sorted(
        n[:-3] for n in os.listdir(__path__[0]) if n.endswith(".py") and n[:-3].isidentifier()
    )
    for name in names:
        if name != "__init__" and name not in skipped:
            importlib.import_module(f"{__name__}.{name}")
    return CHECKS


def checks_for(rules: Iterable[Rule], scopes: Iterable[str] | None = None) -> dict[str, Check]:
    """Every check function, once each rule that needs one has it; a rule whose check does not
    exist is a broken rule file, named before any file is linted. `scopes`: the scopes of
    SCOPE_MODULES the run has a subject for (None: all); the rules of the others are neither
    loaded nor checked, since they cannot run."""
    from apilint.catalog.registry import RuleDefinitionError

    wanted = frozenset(SCOPE_MODULES if scopes is None else scopes)
    checks = _imported(wanted)
    for rule in rules:
        if rule.scope == "engine" or (rule.scope in SCOPE_MODULES and rule.scope not in wanted):
            continue
        if rule.check not in checks:
            raise RuleDefinitionError(
                f"{rule.name}.yaml: rule {rule.code} ({rule.name}) runs the check "
                f"{rule.check!r}, which no module in apilint/checks defines (a function "
                f"decorated with @check, named as the rule with - as _, or named by `check:`)"
            )
    return checks
