"""Check functions: pure `(api, options) -> violations`. Rules (in `rules/`) name them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from apilint.document.model import Document
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Method

# Re-exported: the value readers every check module uses live in the model.
from apilint.model.values import first_visit, literal, number, per_api, upper  # noqa: F401


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


def all_checks() -> dict[str, Check]:
    # Importing the modules registers their checks.
    from apilint.checks import (  # noqa: F401
        account,
        authorizers,
        cors,
        document,
        extensions,
        gateway_responses,
        integration_fields,
        integration_runtime,
        integration_shape,
        integrations,
        mappings,
        models,
        parameters,
        paths,
        policy,
        quotas,
        schema,
        security,
        structure,
        templates,
    )

    return CHECKS
