"""The grammar of API Gateway parameter-mapping values shared by integration, method and
gateway-response mappings."""

from __future__ import annotations

import re
from typing import Any

#: An HTTP status code as API Gateway writes them (botocore's StatusCode pattern `[1-5]\d{2}`,
#: ASCII digits).
STATUS = re.compile(r"[1-5][0-9][0-9]")


def static_value(value: Any) -> str | None:
    """The text of a static mapping value `'...'`, or None (a mapping expression or not text)."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return None
