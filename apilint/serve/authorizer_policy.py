"""The IAM policy a Lambda authorizer returns, evaluated against the method ARN
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html):
an explicit Deny wins, then an Allow; a request no statement allows is denied too."""

from __future__ import annotations

import re
from typing import Any, TypeGuard

ALLOW, DENY, UNMATCHED = "allow", "deny", "unmatched"
_ACTIONS = ("execute-api:invoke", "execute-api:*", "*")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _wildcard(pattern: str) -> re.Pattern[str]:
    # IAM resource wildcards: * any run of characters, ? one character.
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S
    )


def well_formed(policy: Any) -> TypeGuard[dict[str, Any]]:
    if not isinstance(policy, dict):
        return False
    statements = policy.get("Statement")
    return all(
        isinstance(s, dict) and s.get("Effect") in ("Allow", "Deny") for s in _listed(statements)
    ) and statements not in (None, [])


def evaluate(policy: dict[str, Any], arn: str) -> str:
    verdict = UNMATCHED
    for statement in _listed(policy.get("Statement")):
        actions = [str(a).lower() for a in _listed(statement.get("Action", []))]
        if not any(a in _ACTIONS for a in actions):
            continue
        resources = [str(r) for r in _listed(statement.get("Resource", []))]
        if not any(_wildcard(r).fullmatch(arn) for r in resources):
            continue
        if statement.get("Effect") == "Deny":
            return DENY
        verdict = ALLOW
    return verdict
