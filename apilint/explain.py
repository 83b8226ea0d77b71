"""Human-readable rule documentation, generated from rule metadata (explain, docs)."""

from __future__ import annotations

import json
import textwrap

from apilint.registry import Rule

_API = {"rest": "REST APIs", "http": "HTTP APIs"}


def explain_text(rule: Rule) -> str:
    def block(title: str, body: str) -> str:
        return f"{title}\n{textwrap.indent(body.rstrip(), '  ')}\n"

    versions = ", ".join("Swagger 2.0" if v == "2.0" else f"OpenAPI {v}" for v in rule.versions)
    parts = [
        f"{rule.code} {rule.name} [{rule.severity}]\n",
        f"{rule.summary}\n",
        f"Applies to: {', '.join(_API[a] for a in rule.api)}; {versions}. Category: {rule.category}."
        + (f" Tags: {', '.join(rule.tags)}." if rule.tags else "") + "\n",
        block("Why it matters on API Gateway:", textwrap.fill(rule.rationale, 96)),
        block("How to fix:", textwrap.fill(rule.fix, 96)),
        block("Bad:", rule.bad_example),
        block("Good:", rule.good_example),
    ]
    if rule.options:
        parts.append(block("Options:", "\n".join(
            f"{o.name} (default: {o.default!r}; schema: {json.dumps(o.schema)}): {o.description}"
            for o in rule.options)))
    if rule.evidence:
        parts.append(block(f"Evidence for severity {rule.severity}:", "\n".join(
            f"- \"{e.quote}\"\n  ({e.source.title}: {e.source.url})" for e in rule.evidence)))
    parts.append(block("References:", "\n".join(f"- {r.title}: {r.url}" for r in rule.references)))
    return "\n".join(parts)
