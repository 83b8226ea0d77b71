"""The gateway's own answers: the REST API gateway response types with their defaults and the
definition's `x-amazon-apigateway-gateway-responses` customisations, and the fixed errors of
HTTP APIs.

Defaults: https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
Customisation: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-gateway-responses.html
("responseTemplates ... isn't processed by the VTL engine": only $context/$stageVariables
references are substituted).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from apilint.model.gateway import Api
from apilint.model.mapping import TEMPLATE_VARIABLE, static_value
from apilint.serve.messages import Request, Response


class GatewayError(Exception):
    """The gateway answers instead of the integration, with a gateway response of `kind`."""

    def __init__(
        self,
        kind: str,
        message: str | None = None,
        note: str | None = None,
        status: int | None = None,
        integration: str | None = None,
    ) -> None:
        super().__init__(kind)
        self.kind = kind
        self.message = message
        self.note = note  # for the log
        self.status = status  # a status of its own (502 for a malformed Lambda response)
        self.integration = integration  # what was called before the gateway refused


class NotEmulated(Exception):
    """Something the emulator does not do; answered with 501, never faked."""


@dataclass(frozen=True)
class Default:
    status: int
    message: str | None  # None renders as JSON null, as AWS does for authorizer errors
    error_type: str  # x-amzn-ErrorType


#: REST defaults. Messages and x-amzn-ErrorType values come from the AWS troubleshooting pages
#: listed in docs/dev/gateway-facts.md#gateway-answers; the 413/504 bodies are second-hand.
REST_DEFAULTS = {
    "MISSING_AUTHENTICATION_TOKEN": Default(
        403, "Missing Authentication Token", "MissingAuthenticationTokenException"
    ),
    "INVALID_API_KEY": Default(403, "Forbidden", "ForbiddenException"),
    "ACCESS_DENIED": Default(
        403,
        "User is not authorized to access this resource with an explicit deny",
        "AccessDeniedException",
    ),
    "UNAUTHORIZED": Default(401, "Unauthorized", "UnauthorizedException"),
    "EXPIRED_TOKEN": Default(403, "Token expired", "ExpiredTokenException"),
    "INVALID_SIGNATURE": Default(403, "Invalid signature", "InvalidSignatureException"),
    "AUTHORIZER_FAILURE": Default(500, None, "AuthorizerFailureException"),
    "AUTHORIZER_CONFIGURATION_ERROR": Default(500, None, "AuthorizerConfigurationException"),
    "BAD_REQUEST_BODY": Default(400, "Invalid request body", "BadRequestException"),
    "BAD_REQUEST_PARAMETERS": Default(
        400, "Missing required request parameters", "BadRequestException"
    ),
    "UNSUPPORTED_MEDIA_TYPE": Default(
        415, "Unsupported Media Type", "UnsupportedMediaTypeException"
    ),
    "REQUEST_TOO_LARGE": Default(413, "Request Too Long", "RequestTooLongException"),
    "API_CONFIGURATION_ERROR": Default(
        500, "Internal server error", "InternalServerErrorException"
    ),
    "INTEGRATION_FAILURE": Default(504, "Internal server error", "InternalServerErrorException"),
    "INTEGRATION_TIMEOUT": Default(
        504, "Endpoint request timed out", "InternalServerErrorException"
    ),
    # A malformed Lambda proxy response or a Lambda error: 502 "Internal server error"
    # (KC malformed-502-api-gateway). No type of its own: DEFAULT_5XX customises it.
    "DEFAULT_5XX": Default(502, "Internal server error", "InternalServerErrorException"),
    "DEFAULT_4XX": Default(400, "Bad Request", "BadRequestException"),
    # A stage that does not exist on the execute-api host (second-hand: gateway-facts.md#gateway-answers); it is
    # answered before any API is chosen, so no gateway response applies.
    "WRONG_STAGE": Default(403, "Forbidden", "ForbiddenException"),
}

#: HTTP APIs have no gateway responses; these are their fixed answers
#: (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html,
#: http-api-develop-routes.html "If no route matches ... 404").
HTTP_ERRORS = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "Not Found"),
    "WRONG_STAGE": (404, "Not Found"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "ACCESS_DENIED": (403, "Forbidden"),
    "INTEGRATION_TIMEOUT": (503, "Service Unavailable"),
    "REQUEST_TOO_LARGE": (413, "Request Entity Too Large"),
    "BAD_REQUEST_BODY": (400, "Bad Request"),
    "BAD_REQUEST_PARAMETERS": (400, "Bad Request"),
}
_HTTP_FALLBACK = (500, "Internal Server Error")

_UNCUSTOMISABLE = ("WRONG_STAGE", "REQUEST_TOO_LARGE")  # [KI]: 413 "isn't currently supported"


@dataclass
class ErrorContext:
    """What a gateway response can refer to."""

    request: Request | None
    request_id: str
    stage: str
    stage_vars: dict[str, str]
    path_params: dict[str, str]


class GatewayResponses:
    """Renders GatewayError as the API answers it."""

    def __init__(self, api: Api) -> None:
        self.rest = api.kind == "rest"
        self.custom: dict[str, dict[str, Any]] = {}
        if self.rest:
            self.custom = {kind: at.value for kind, _, at in api.gateway_responses()}

    def render(self, error: GatewayError, ctx: ErrorContext) -> Response:
        if not self.rest:
            status, text = HTTP_ERRORS.get(error.kind, _HTTP_FALLBACK)
            return Response(
                status,
                [("Content-Type", "application/json"), ("apigw-requestid", ctx.request_id)],
                json.dumps({"message": text}, separators=(",", ":")).encode(),
                f"gateway:{error.kind}",
                error.note,
            )
        default = REST_DEFAULTS[error.kind]
        message = error.message if error.message is not None else default.message
        status = error.status or default.status
        spec = self._customisation(error.kind, status)
        if spec.get("statusCode") is not None:
            status = int(str(spec["statusCode"]))
        headers = [
            ("Content-Type", "application/json"),
            ("x-amzn-RequestId", ctx.request_id),
            ("x-amzn-ErrorType", default.error_type),
        ]
        params = spec.get("responseParameters")
        for key, value in params.items() if isinstance(params, dict) else ():
            name = (
                key[len("gatewayresponse.header.") :]
                if key.startswith("gatewayresponse.header.")
                else None
            )
            resolved = _parameter(value, ctx)
            if name and resolved is not None:
                headers.append((name, resolved))
        key = "Message" if error.kind == "ACCESS_DENIED" else "message"
        body = f"{{{json.dumps(key)}:{json.dumps(message)}}}"
        templates = spec.get("responseTemplates")
        if isinstance(templates, dict) and templates:
            chosen = templates.get("application/json", next(iter(templates.values())))
            if isinstance(chosen, str):
                body = _substitute(chosen, error.kind, message, ctx)
        return Response(status, headers, body.encode(), f"gateway:{error.kind}", error.note)

    def _customisation(self, kind: str, status: int) -> dict[str, Any]:
        if kind in _UNCUSTOMISABLE:
            return {}
        if kind in self.custom:
            return self.custom[kind]
        # Types without a customisation of their own fall back to DEFAULT_4XX / DEFAULT_5XX.
        return self.custom.get("DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX", {})


def _parameter(value: Any, ctx: ErrorContext) -> str | None:
    """A gateway response parameter value: 'static' or method.request.*/stageVariables.*."""
    static = static_value(value)
    if static is not None:
        return static
    if not isinstance(value, str):
        return None
    request = ctx.request
    for prefix, lookup in (
        ("method.request.header.", lambda n: request.header(n) if request else None),
        ("method.request.querystring.", lambda n: request.query_value(n) if request else None),
        ("method.request.path.", ctx.path_params.get),
        ("stageVariables.", ctx.stage_vars.get),
    ):
        if value.startswith(prefix):
            return lookup(value[len(prefix) :])
    return None


def _substitute(template: str, kind: str, message: str | None, ctx: ErrorContext) -> str:
    known = {
        "context.error.messageString": json.dumps(message),
        "context.error.message": message if message is not None else "",
        "context.error.responseType": kind,
        "context.requestId": ctx.request_id,
        "context.stage": ctx.stage,
    }

    def repl(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("stageVariables."):
            return ctx.stage_vars.get(name.split(".", 1)[1], "")
        return known.get(name, m.group(0))

    return TEMPLATE_VARIABLE().sub(repl, template)
