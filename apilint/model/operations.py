"""Which operation a place in the definition belongs to, for messages and suppressions."""

from __future__ import annotations

from apilint.document.pointer import Tokens
from apilint.model.gateway import Api


def operation_labels(api: Api) -> dict[Tokens, str]:
    return {m.at.tokens: m.label for m in api.methods if m.at.doc is api.doc}


def operation_of(labels: dict[Tokens, str], tokens: Tokens) -> str | None:
    return labels.get(tokens[:3]) or labels.get(tokens[:4])
