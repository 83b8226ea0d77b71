"""The grammar of API Gateway mapping expressions shared by integration, method and
gateway-response mappings, authorizer identity sources and gateway-response templates.

REST and HTTP APIs name the same variables; they differ in one thing: REST mapping expressions
are written bare (`context.requestId`, `stageVariables.env`), HTTP selection expressions with a
`$` (`$context.requestId`, `$request.header.X`) — see `SIGIL`.
"""

from __future__ import annotations

import re
from typing import Any

from apilint.common.regex import lazy

#: An HTTP status code as API Gateway writes them (botocore's StatusCode pattern `[1-5]\d{2}`,
#: ASCII digits).
STATUS = lazy(r"[1-5][0-9][0-9]")

#: What starts a mapping expression: nothing in REST APIs, `$` in HTTP APIs.
SIGIL = {"rest": "", "http": "$"}
#: "Stage variable names can only contain alphanumeric characters and underscores"
#: (api-gateway set-stage-variables-aws-console).
STAGE_VARIABLE_NAME = r"[A-Za-z0-9_]+"
#: A `$context` variable: a dotted path (`authorizer.claims.email`), with `-` in header names
#: (`requestOverride.header.x-id`). `$` inside the path is let through: no AWS message rejects it.
CONTEXT_NAME = r"[A-Za-z0-9_.$-]+"
#: `context.X` or `stageVariables.X`, without the sigil.
VARIABLE = rf"context\.{CONTEXT_NAME}|stageVariables\.{STAGE_VARIABLE_NAME}"
#: A variable inside the text of a gateway-response template (plain substitution, no VTL): the
#: name ends at a letter, digit or `_`, so "... $context.requestId." keeps its full stop.
TEMPLATE_VARIABLE = lazy(
    r"\$(context\.[A-Za-z][A-Za-z0-9_.]*[A-Za-z0-9_]"
    rf"|stageVariables\.{STAGE_VARIABLE_NAME})"
)
#: A reference to a variable, whatever its name (stage-variable-name-invalid judges names), with
#: or without the sigil: what a parameter mapping may hold besides request and response fields.
VARIABLE_REFERENCE = lazy(r"\$?(context|stageVariables)\.\S+")


def variable(kind: str) -> str:
    """The pattern of a whole-value `context.X` / `stageVariables.X` in `kind`'s syntax."""
    return re.escape(SIGIL[kind]) + f"(?:{VARIABLE})"


def static_value(value: Any) -> str | None:
    """The text of a static mapping value `'...'`, or None (a mapping expression or not text)."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return None
