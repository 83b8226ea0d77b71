"""Mock integrations (https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html):
the request template's `{"statusCode": N}` selects the integration response whose selection
pattern matches N; without a request template "the method returns the default integration
response". Response parameters with static values and response templates without VTL are
served as written; anything that needs the VTL engine is answered 501, never guessed.
"""

from __future__ import annotations

import json
import re
from typing import Any

from apilint.model.gateway import Api, Method
from apilint.model.mapping import static_value
from apilint.serve.messages import Request, Response
from apilint.serve.responses import GatewayError, NotEmulated

#: What makes a template need the VTL engine: directives and references.
_VTL = re.compile(r"#(set|if|foreach|else|elseif|end|define|macro|parse|include)\b|\$[{!A-Za-z]")


def template_is_plain(template: str) -> bool:
    return _VTL.search(template) is None


def _request_template(templates: dict[str, Any], request: Request, passthrough: str) -> str | None:
    # No Content-Type: API Gateway assumes application/json (integration-passthrough-behaviors).
    media = request.media_type or "application/json"
    if media in templates:
        return str(templates[media])
    # Unmapped content type: WHEN_NO_MATCH passes it through, WHEN_NO_TEMPLATES only when no
    # template is defined, NEVER rejects it with 415 (integration-passthrough-behaviors.html).
    if passthrough == "never" or (passthrough == "when_no_templates" and templates):
        raise GatewayError("UNSUPPORTED_MEDIA_TYPE", note=f"no request template for {media}")
    return None


def _status(template: str, label: str) -> int | None:
    if not template_is_plain(template):
        raise NotEmulated(f"the mock request template of {label} uses VTL")
    try:
        data = json.loads(template)
    except ValueError:
        raise NotEmulated(f"the mock request template of {label} is not plain JSON") from None
    status = data.get("statusCode") if isinstance(data, dict) else None
    return int(status) if isinstance(status, int) and not isinstance(status, bool) else None


def mock_response(api: Api, method: Method, request: Request) -> Response:
    assert method.integration is not None
    integration = method.integration.value
    templates = integration.get("requestTemplates")
    templates = templates if isinstance(templates, dict) else {}
    passthrough = str(integration.get("passthroughBehavior") or "when_no_match").lower()
    template = _request_template(templates, request, passthrough)
    status = _status(template, method.label) if template is not None else None
    chosen = None
    for pattern, mapping in api.integration_responses(method.integration):
        if pattern == "default":
            chosen = chosen or mapping
        elif status is not None and re.fullmatch(pattern, str(status)):
            chosen = mapping
            break
    if chosen is None:
        # "No match for output mapping and no default output mapping configured" → 500.
        raise GatewayError(
            "API_CONFIGURATION_ERROR", note=f"mock status {status}: no integration response matches"
        )
    value = chosen.value
    try:
        out_status = int(str(value.get("statusCode", status or 200)))
    except ValueError:
        raise GatewayError(
            "API_CONFIGURATION_ERROR",
            note=f"integration response statusCode {value.get('statusCode')!r} is not a number",
        ) from None
    response = Response(out_status, integration="mock")
    params = value.get("responseParameters")
    for key, mapped in params.items() if isinstance(params, dict) else ():
        if not str(key).startswith("method.response.header."):
            continue
        static = static_value(mapped)
        if static is None:
            raise NotEmulated(
                f"response parameter {key} of {method.label} maps {mapped!r}; "
                "only static values are emulated for mock integrations"
            )
        response.headers.append((str(key)[len("method.response.header.") :], static))
    response.body = _response_body(value.get("responseTemplates"), request, method.label)
    response.set_default("Content-Type", "application/json")
    return response


def _response_body(templates: Any, request: Request, label: str) -> bytes:
    if not isinstance(templates, dict) or not templates:
        return b""
    accept = request.accept.lower()
    template = (
        templates.get(accept) or templates.get("application/json") or next(iter(templates.values()))
    )
    if template is None:
        return b""
    if not template_is_plain(str(template)):
        raise NotEmulated(f"the response template of {label} uses VTL")
    return str(template).encode()
