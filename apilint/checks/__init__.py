"""Check functions: pure `(api, options) -> violations`. Rules (in `rules/`) name them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from apilint.document.model import Document
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Method


@dataclass(frozen=True)
class Violation:
    doc: Document
    tokens: Tokens
    message: str
    operation: str | None = None


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


def shown(methods: list[Method], limit: int = 3) -> str:
    """`GET /a, PUT /a, GET /b and 2 more`: the methods a finding concerns, for its message."""
    labels = [m.label for m in methods]
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return ", ".join(labels[:limit]) + more


#: A check reads an Api (most rules) or a TemplateFile (rules with scope: template).
#: A check reads an Api (most rules) or a TemplateFile (rules with scope: template).
Check = Callable[[Any, dict[str, Any]], Iterable[Violation]]
CHECKS: dict[str, Check] = {}


def check(fn: Check) -> Check:
    CHECKS[fn.__name__] = fn
    return fn


def all_checks() -> dict[str, Check]:
    # Importing the modules registers their checks.
    from apilint.checks import (  # noqa: F401
        authorizers,
        cors,
        document,
        extensions,
        gateway_responses,
        integration_runtime,
        integration_shape,
        integrations,
        mappings,
        models,
        parameters,
        paths,
        policy,
        quotas,
        security,
        structure,
        templates,
    )

    return CHECKS
