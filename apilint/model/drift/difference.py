"""A difference between a definition and a stage, and the rule that reports each kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apilint.document.refs import At
from apilint.model.drift.values import ANY, same, shown

NOT_DEPLOYED = "drift-not-deployed"
ONLY_ON_STAGE = "drift-only-on-stage"
AUTH_WEAKER = "drift-auth-weaker"
AUTH_DIFFERS = "drift-auth-differs"
INTEGRATION = "drift-integration-differs"
CORS = "drift-cors-differs"
REQUEST = "drift-request-validation-differs"
AUTHORIZER = "drift-authorizer-differs"
GATEWAY_RESPONSE = "drift-gateway-response-differs"
SETTINGS = "drift-api-settings-differs"
#: Every rule a difference may name (one check each, apilint/checks/drift.py).
RULES = (
    NOT_DEPLOYED,
    ONLY_ON_STAGE,
    AUTH_WEAKER,
    AUTH_DIFFERS,
    INTEGRATION,
    CORS,
    REQUEST,
    AUTHORIZER,
    GATEWAY_RESPONSE,
    SETTINGS,
)

REDEPLOY = "deploy the definition, or write what the stage runs into it if the change is meant"


@dataclass(frozen=True)
class Difference:
    """Where a definition and a stage's export differ, for the drift rule named."""

    rule: str
    at: At
    message: str
    operation: str | None = None


def fields(source: dict[str, Any], stage: dict[str, Any]) -> list[str]:
    """`name (stage value on the stage, definition value in the definition)` per field that
    differs; maps are compared key by key (`responses.default.statusCode`), so the message
    names the value that changed."""
    out: list[str] = []
    _field_diff("", source, stage, out)
    return out


def _field_diff(name: str, source: Any, stage: Any, out: list[str]) -> None:
    if source is ANY:
        return
    if isinstance(source, dict) and isinstance(stage, dict):
        for key in sorted(set(source) | set(stage)):
            _field_diff(f"{name}.{key}" if name else key, source.get(key), stage.get(key), out)
    elif not same(source, stage):
        out.append(f"{name} ({shown(stage)} on the stage, {shown(source)} in the definition)")
