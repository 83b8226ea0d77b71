"""Identity sources: where an authorizer's inputs come from, REST and HTTP grammars.

REST: `method.request.header.X`, `method.request.querystring.X`, `stageVariables.X`,
`context.X` (comma-separated). HTTP: `$request.header.X`, `$request.querystring.X`,
`$context.X`, `$stageVariables.X` (a list or comma-separated). "If a specified identity source
is missing, null, or empty, API Gateway returns a 401 Unauthorized response without calling
your Lambda authorizer function" (api-gateway-lambda-authorizer-input; http-api-lambda-authorizer).
"""

from __future__ import annotations

from typing import Any

from apilint.model.mapping import SIGIL
from apilint.serve.events import Call

_REQUEST = {"rest": "method.request.", "http": "request."}
_PREFIXES = {
    SIGIL[kind] + prefix: where
    for kind in SIGIL
    for prefix, where in (
        (_REQUEST[kind] + "header.", "header"),
        (_REQUEST[kind] + "querystring.", "query"),
        ("stageVariables.", "stage"),
        ("context.", "context"),
    )
}


def sources(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return []


def lookup(source: str, call: Call) -> str | None:
    """The value of one identity source in this request, or None when missing or empty."""
    for prefix, where in _PREFIXES.items():
        if source.startswith(prefix):
            name = source[len(prefix) :]
            if where == "header":
                value = call.request.header(name)
            elif where == "query":
                value = call.request.query_value(name)
            elif where == "stage":
                value = call.stage_vars.get(name)
            else:
                value = {
                    "stage": call.stage,
                    "requestId": call.request_id,
                    "httpMethod": call.request.method,
                }.get(name)
            return value if value and value.strip() else None
    return None


def values(sources_: list[str], call: Call) -> list[str] | None:
    """The values of all identity sources, or None if one is missing."""
    found = [lookup(s, call) for s in sources_]
    return None if any(v is None for v in found) else [v for v in found if v is not None]
