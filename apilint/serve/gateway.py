"""The request pipeline of one emulated API, in API Gateway's order: stage, route, authorizer,
API key, request validation, integration; every refusal is a gateway response."""

from __future__ import annotations

import json
import traceback
import uuid
from typing import Any

from apilint.model.auth import key_source
from apilint.model.gateway import Api, Integration, Method
from apilint.model.lambdas import is_lambda
from apilint.serve.authorizers import Authorizers
from apilint.serve.cors import HttpCors
from apilint.serve.events import Call, lambda_event, payload_version
from apilint.serve.handlers import Handlers
from apilint.serve.invoke import invoke
from apilint.serve.messages import Request, Response, media_matches, segments
from apilint.serve.mock import mock_response
from apilint.serve.proxy import RESPONSE_LIMIT, Malformed, result_1_0, result_2_0, too_large
from apilint.serve.responses import ErrorContext, GatewayError, GatewayResponses, NotEmulated
from apilint.serve.routing import Router
from apilint.serve.settings import HTTP_DEFAULT_STAGE, ServeConfig
from apilint.serve.validation import RequestValidation

BINARY_MEDIA_TYPES = "x-amazon-apigateway-binary-media-types"
#: "Custom timeout between 50 and 29,000 milliseconds. The default value is 29,000" (REST);
#: HTTP APIs: "Maximum integration timeout 30 seconds".
DEFAULT_TIMEOUT_MS = {"rest": 29000, "http": 30000}


def is_lambda_proxy(api: Api, integration: Integration) -> bool:
    """A Lambda proxy integration, as the linter reads it (apilint.model.lambdas): REST
    AWS_PROXY is Lambda whatever its uri says (`${lambda_arn}` of a templatefile is a function
    not known yet, answered 500 without a handler for it), HTTP AWS_PROXY unless it names an
    integrationSubtype."""
    return (
        integration.type == "aws_proxy"
        and is_lambda(api, integration)
        and "integrationSubtype" not in integration.value
    )


def served_as(api: Api, integration: Integration) -> str | None:
    """How the emulator serves an integration: "lambda" (Lambda proxy), "mock" (REST mock
    integrations), or None (answered 501)."""
    if is_lambda_proxy(api, integration):
        return "lambda"
    return "mock" if integration.type == "mock" and api.kind == "rest" else None


def not_emulated(what: str) -> Response:
    body = {"message": f"Not emulated by apilint serve: {what}; see apilint serve --explain"}
    return Response(
        501,
        [("Content-Type", "application/json"), ("x-apilint-not-emulated", "true")],
        json.dumps(body).encode(),
        "not-emulated",
        what,
    )


class Gateway:
    def __init__(self, api: Api, handlers: Handlers, config: ServeConfig) -> None:
        self.api = api
        self.rest = api.kind == "rest"
        self.handlers = handlers
        self.config = config
        self.stage = config.stage_for(api.kind)
        self.stage_vars = dict(config.stage_vars)
        self.router = Router(api)
        self.responses = GatewayResponses(api)
        self.authorizers = Authorizers(api, handlers, self.stage_vars, config.jwt_keys)
        self.validation = RequestValidation(api)
        self.cors = HttpCors(api)
        self.key_source = key_source(api)[1] or "HEADER"
        types = api.root.value.get(BINARY_MEDIA_TYPES)
        self.binary_types = tuple(str(t) for t in types) if isinstance(types, list) else ()

    @property
    def prefix(self) -> str:
        return "" if self.stage == HTTP_DEFAULT_STAGE else "/" + self.stage

    def handle(self, request: Request) -> Response:
        call = Call(
            request,
            self.stage,
            self.stage_vars,
            str(uuid.uuid4()),
            path="",
            binary_types=self.binary_types,
        )
        preflight = None
        try:
            # HTTP API managed CORS: the gateway answers preflights itself, undecorated.
            preflight = self.cors.preflight(request)
            response = preflight or self._handle(call)
        except GatewayError as error:
            response = self.refuse(error, call)
        except NotEmulated as exc:
            response = not_emulated(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not end the server
            response = Response(
                500,
                [("Content-Type", "application/json")],
                b'{"message":"apilint serve internal error"}',
                "apilint-error",
                f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}",
            )
        if response is not preflight:
            self.cors.decorate(request, response)
        response.set_default(
            "x-amzn-RequestId" if self.rest else "apigw-requestid", call.request_id
        )
        return response

    def refuse(self, error: GatewayError, call: Call) -> Response:
        params = call.match.params if call.match else {}
        response = self.responses.render(
            error, ErrorContext(call.request, call.request_id, self.stage, self.stage_vars, params)
        )
        if error.integration:
            response.integration = f"{error.integration}->{response.integration}"
        return response

    def reject(self, request: Request, kind: str) -> Response:
        """A gateway response for a request refused before it is read (REQUEST_TOO_LARGE)."""
        call = Call(request, self.stage, self.stage_vars, str(uuid.uuid4()), path="")
        return self.refuse(GatewayError(kind), call)

    def _handle(self, call: Call) -> Response:
        request = call.request
        raw = request.raw_path
        if self.prefix:
            if raw != self.prefix and not raw.startswith(self.prefix + "/"):
                raise GatewayError("WRONG_STAGE", note=f"the stage is {self.stage!r}")
            raw = raw[len(self.prefix) :]
        call.path = raw or "/"
        match = self.router.route(request.method, segments(call.path))
        if match is None:
            raise GatewayError("MISSING_AUTHENTICATION_TOKEN", note="no such route")
        call.match = match
        method = match.method
        self.authorizers.authorize(call, method)
        self._check_api_key(call, method)
        self.validation.check(call, method)
        return self._integrate(call, method)

    def _check_api_key(self, call: Call, method: Method) -> None:
        if not self.rest or "api_key" not in method.auth.kinds:
            return
        # HEADER: "the X-API-Key header"; AUTHORIZER: the usageIdentifierKey a Lambda
        # authorizer returned (api-gateway-api-key-source.html).
        key = call.api_key if self.key_source == "AUTHORIZER" else call.request.header("x-api-key")
        if key is None or key not in self.config.api_keys:
            raise GatewayError("INVALID_API_KEY", note="no valid API key")
        call.api_key = key

    def _integrate(self, call: Call, method: Method) -> Response:
        integration = method.integration
        if integration is None:
            raise GatewayError(
                "API_CONFIGURATION_ERROR",
                note=f"{method.label} has no x-amazon-apigateway-integration",
            )
        served = served_as(self.api, integration)
        if served == "mock":
            return mock_response(self.api, method, call.request)
        if served == "lambda":
            return self._lambda(call, integration)
        what = integration.type or "untyped"
        if integration.type == "aws" and is_lambda(self.api, integration):
            what = "Lambda custom (non-proxy) integration with mapping templates"
        raise NotEmulated(f"{what} integration of {method.label}")

    def _lambda(self, call: Call, integration: Integration) -> Response:
        name, handler = self.handlers.find(integration.uri, self.stage_vars)
        label = f"lambda:{name}"
        if handler is None:
            # What a function API Gateway may not invoke gives: 500, "Invalid permissions on
            # Lambda function" in the execution log (KC api-gateway-internal-server-error).
            raise GatewayError(
                "API_CONFIGURATION_ERROR",
                integration=label,
                note=f"no local handler for function {name!r}",
            )
        value: dict[str, Any] = integration.value
        version = payload_version(value, "payloadFormatVersion", self.rest)
        timeout_ms = value.get("timeoutInMillis", DEFAULT_TIMEOUT_MS[self.api.kind])
        if not isinstance(timeout_ms, int) or isinstance(timeout_ms, bool):
            timeout_ms = DEFAULT_TIMEOUT_MS[self.api.kind]
        outcome = invoke(handler, lambda_event(call, version, self.rest), name, timeout_ms / 1000)
        if outcome.timed_out:
            raise GatewayError(
                "INTEGRATION_TIMEOUT", integration=label, note=f"{name} ran past {timeout_ms} ms"
            )
        if outcome.error:
            raise GatewayError("DEFAULT_5XX", status=502, integration=label, note=outcome.trace)
        if too_large(outcome.value):
            raise GatewayError(
                "INTEGRATION_FAILURE",
                status=502,
                integration=label,
                note="Lambda Customer Function Error: Response payload size "
                "exceeded maximum allowed payload size "
                f"({RESPONSE_LIMIT} bytes).",
            )
        try:
            if version == "2.0":
                response = result_2_0(outcome.value)
            else:
                response = result_1_0(outcome.value, not self.rest or self._accepts_binary(call))
        except Malformed as exc:
            raise GatewayError(
                "DEFAULT_5XX",
                status=502,
                integration=label,
                note=f"Malformed Lambda proxy response: {exc}",
            ) from None
        response.integration = label
        return response

    def _accepts_binary(self, call: Call) -> bool:
        accept = call.request.accept
        return bool(accept) and any(media_matches(t, accept) for t in self.binary_types)
