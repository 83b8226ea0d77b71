"""An integration as API Gateway reads it: its type, transfer mode and timeout bounds, and how
messages name the methods sharing it."""

from __future__ import annotations

from typing import Any

from apilint.common.regex import lazy
from apilint.document.refs import At
from apilint.model.gateway import Integration, Method
from apilint.model.values import literal, upper

TYPES = ("aws", "aws_proxy", "http", "http_proxy", "mock")
TIMEOUT_MIN = 50
TIMEOUT_MAX_HTTP = 30000
# The highest value a raised quota allows for BUFFERED REST integrations, and the STREAM limit
# (15 minutes): the bounds terraform-provider-aws#45482 validates ("Timeout should be between
# 50 ms and 900000 ms" is the API's answer for streamed integrations).
TIMEOUT_MAX_REST = 300000
TIMEOUT_MAX_STREAM = 900000


def blank(uri: Any) -> bool:
    """No uri at all, or an empty one."""
    return uri is None or (isinstance(uri, str) and not uri.strip())


def users_label(methods: list[Method]) -> str:
    if len(methods) == 1:
        return methods[0].label
    return f"{methods[0].label} (and {len(methods) - 1} more using the same integration)"


def integration_type(integ: Integration) -> str | None:
    raw = literal(integ.value.get("type"))
    return raw.strip().lower() if raw is not None else None


def transfer_mode(integ: Integration) -> str | None:
    """STREAM | BUFFERED (the default) | None when unknown or invalid."""
    raw = integ.value.get("responseTransferMode")
    if raw is None:
        return "BUFFERED"
    mode = upper(raw)
    return mode if mode in ("BUFFERED", "STREAM") else None


def key_at(integ: Integration, key: str) -> At:
    return integ.at.child(key) or integ.at


def is_vpc_link(integ: Integration) -> bool:
    return upper(integ.value.get("connectionType")) == "VPC_LINK"


#: The caller's own identity, passed through to the backend (credentials arn:aws:iam::*:user/*).
PASSTHROUGH = lazy(r"^arn:[^:]*:iam::\*:user/\*$")
