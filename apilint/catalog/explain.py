"""Human-readable documentation, generated from metadata: lint rules (explain, docs) and the
contract checks of `apilint test` (explain)."""

from __future__ import annotations

import json
import textwrap
from typing import TYPE_CHECKING

from apilint.catalog.registry import Rule, find_rule

if TYPE_CHECKING:
    from apilint.catalog.contract_checks import ContractCheck

_API = {"rest": "REST APIs", "http": "HTTP APIs"}


def _block(title: str, body: str) -> str:
    return f"{title}\n{textwrap.indent(body.rstrip(), '  ')}\n"


def explain(ident: str) -> str:
    """The page of a rule or a contract check; KeyError with a did-you-mean when neither
    matches (the checks' when `ident` looks like a check id)."""
    from apilint.catalog.contract_checks import CONTRACT_CHECKS, find_check

    try:
        return explain_text(find_rule(ident))
    except KeyError as exc:
        unknown_rule: str = exc.args[0]
    try:
        return explain_check(find_check(ident))
    except KeyError:
        if "/" in ident:
            raise
    named = next((c.id for c in CONTRACT_CHECKS.values() if c.name == ident.strip().lower()), None)
    raise KeyError(unknown_rule + (f" (the `apilint test` check is {named})" if named else ""))


def explain_check(check: ContractCheck) -> str:
    """`apilint explain probe/cors-preflight`: from the contract catalog's metadata."""
    kind = "gateway probe" if check.category == "probe" else "contract (fuzz) check"
    parts = [
        f"{check.id} {check.name} [{check.severity}]\n",
        f"{check.summary}\n",
        f"An `apilint test` {kind}; category: {check.category}."
        + (f" Runs schemathesis' {check.schemathesis}." if check.schemathesis else "")
        + "\n",
        _block("What it sends:", textwrap.fill(check.sends, 96)),
        _block("What API Gateway answers by default:", textwrap.fill(check.gateway, 96)),
        _block("Why a mismatch matters:", textwrap.fill(check.rationale, 96)),
        _block("How to fix:", textwrap.fill(check.fix, 96)),
        _block("References:", "\n".join(f"- {r.title}: {r.url}" for r in check.references)),
    ]
    return "\n".join(parts)


def explain_text(rule: Rule) -> str:
    versions = ", ".join("Swagger 2.0" if v == "2.0" else f"OpenAPI {v}" for v in rule.versions)
    parts = [
        f"{rule.code} {rule.name} [{rule.severity}]\n",
        f"{rule.summary}\n",
        f"Applies to: {', '.join(_API[a] for a in rule.api)}; {versions}. Category: {rule.category}."
        + (f" Tags: {', '.join(rule.tags)}." if rule.tags else "")
        + "\n",
        f"Runs on: {rule.where_it_runs}.\n",
        _block("Why it matters on API Gateway:", textwrap.fill(rule.rationale, 96)),
        _block("How to fix:", textwrap.fill(rule.fix, 96)),
        _block("Bad:", rule.bad_example),
        _block("Good:", rule.good_example),
    ]
    if rule.options:
        parts.append(
            _block(
                "Options:",
                "\n".join(
                    f"{o.name} (default: {o.default!r}; schema: {json.dumps(o.schema)}): {o.description}"
                    for o in rule.options
                ),
            )
        )
    if rule.evidence:
        parts.append(
            _block(
                f"Evidence for severity {rule.severity}:",
                "\n".join(
                    f'- "{e.quote}"\n  ({e.source.title}: {e.source.url})' for e in rule.evidence
                ),
            )
        )
    parts.append(_block("References:", "\n".join(f"- {r.title}: {r.url}" for r in rule.references)))
    return "\n".join(parts)
