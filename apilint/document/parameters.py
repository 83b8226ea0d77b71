"""Method request parameters as API Gateway names them (`method.request.<location>.<name>`)
and the OpenAPI parameters an import makes of them: one table for the front ends that read
them from resources and the checks of mapping expressions."""

from __future__ import annotations

from typing import Any

#: Where a method request parameter (`method.request.<location>.<name>`) stands in the OpenAPI
#: document: a multivalue location names the same parameter as its single-valued one.
PARAMETER_IN = {
    "path": "path",
    "querystring": "query",
    "multivaluequerystring": "query",
    "header": "header",
    "multivalueheader": "header",
}


def method_parameter(key: object, required: object) -> dict[str, Any] | None:
    """A declared method request parameter (RequestParameters / request_parameters entry
    `method.request.querystring.q: true`) as the OpenAPI parameter the import makes of one;
    None for any other key. A path parameter is required whatever the flag says."""
    parts = key.split(".", 3) if isinstance(key, str) else []
    if len(parts) != 4 or parts[:2] != ["method", "request"] or parts[2] not in PARAMETER_IN:
        return None
    return {
        "name": parts[3],
        "in": PARAMETER_IN[parts[2]],
        "required": required is True or parts[2] == "path",
        "schema": {"type": "string"},
    }
