"""Method authorization: IAM (not emulated), Lambda authorizers (TOKEN and REQUEST on REST APIs,
REQUEST with payload 1.0/2.0 and simple responses on HTTP APIs), Cognito and JWT authorizers
(jwt_auth).

Inputs: api-gateway-lambda-authorizer-input.html, http-api-lambda-authorizer.html.
Outputs: api-gateway-lambda-authorizer-output.html (principalId, policyDocument, context,
usageIdentifierKey). A TOKEN authorizer that fails with the error "Unauthorized" makes the
gateway answer 401; any other failure is an authorizer configuration error (500,
KC api-gateway-401-error-lambda-authorizer). Results are cached per identity for
authorizerResultTtlInSeconds (default 300 on REST), policy and all: a cached policy that names
only the first method denies the next one, as on AWS.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

from apilint.model.auth import requirements
from apilint.model.gateway import Api, Method, SecurityScheme
from apilint.serve import authorizer_policy, identity
from apilint.serve.events import Call, lambda_event, payload_version
from apilint.serve.handlers import Handlers
from apilint.serve.invoke import invoke
from apilint.serve.responses import GatewayError, NotEmulated

#: HTTP APIs: "Timeout for Lambda authorizer response 10,000 ms"; used for REST too.
AUTHORIZER_TIMEOUT_S = 10.0
_UNAUTHORIZED = "Unauthorized"
_NOT_ALLOWED = "User is not authorized to access this resource"


def scopes(method: Method, scheme: str) -> list[str]:
    """The OAuth scopes the method's security requirement lists for `scheme`."""
    at = method.auth.at
    return [
        str(s)
        for _, requirement in (requirements(at) if at is not None else ())
        if isinstance(requirement.get(scheme), list)
        for s in requirement[scheme]
    ]


class Authorizers:
    def __init__(
        self, api: Api, handlers: Handlers, stage_vars: dict[str, str], jwt_keys: tuple[str, ...]
    ) -> None:
        self.api = api
        self.rest = api.kind == "rest"
        self.handlers = handlers
        self.stage_vars = stage_vars
        self.jwt_keys = jwt_keys
        self._cache: dict[tuple[str, tuple[str, ...]], tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def scheme(self, method: Method) -> SecurityScheme | None:
        for name in method.auth.schemes:
            scheme = self.api.schemes.get(name)
            if scheme is not None and scheme.kind in ("lambda", "cognito", "jwt"):
                return scheme
        return None

    def authorize(self, call: Call, method: Method) -> None:
        """Sets call.authorizer (and call.api_key from usageIdentifierKey); raises GatewayError
        when the gateway refuses the request."""
        if "iam" in method.auth.kinds:
            # Unsigned requests to IAM methods get 403 Missing Authentication Token (KC 403
            # table); SigV4 signatures are not verified here.
            if call.request.header("authorization") is None:
                raise GatewayError("MISSING_AUTHENTICATION_TOKEN")
            raise NotEmulated(f"IAM (SigV4) authorization of {method.label}")
        scheme = self.scheme(method)
        if scheme is None or scheme.authorizer is None:
            return
        config = scheme.authorizer.value
        if scheme.kind in ("cognito", "jwt"):
            from apilint.serve.jwt_auth import authorize_jwt

            call.authorizer = authorize_jwt(
                call, scheme, config, scopes(method, scheme.name), self.jwt_keys, self.rest
            )
            return
        token = self.rest and str(config.get("type", "")).lower() == "token"
        # A TOKEN authorizer without identitySource reads the header its scheme names.
        names = identity.sources(
            config.get("identitySource")
            or (f"method.request.header.{scheme.header}" if token else None)
        )
        found = identity.values(names, call)
        if names and found is None:
            raise GatewayError("UNAUTHORIZED", note=f"identity source missing: {', '.join(names)}")
        found = found or []
        pattern = config.get("identityValidationExpression")
        if token and isinstance(pattern, str) and not re.fullmatch(pattern, found[0]):
            raise GatewayError("UNAUTHORIZED", note="token fails identityValidationExpression")
        output = self._output(call, scheme, config, token, found, bool(names))
        self._decide(call, config, output)

    def _output(
        self,
        call: Call,
        scheme: SecurityScheme,
        config: dict[str, Any],
        token: bool,
        found: list[str],
        cacheable: bool,
    ) -> dict[str, Any]:
        default_ttl = 300 if self.rest else 0
        ttl = config.get("authorizerResultTtlInSeconds", default_ttl)
        ttl = ttl if isinstance(ttl, int) and not isinstance(ttl, bool) else default_ttl
        key = (scheme.name, tuple(found))
        if cacheable and ttl > 0:
            with self._lock:
                hit = self._cache.get(key)
            if hit is not None and hit[0] > time.monotonic():
                return hit[1]
        name, handler = self.handlers.find(config.get("authorizerUri"), self.stage_vars)
        if handler is None:
            raise GatewayError(
                "AUTHORIZER_CONFIGURATION_ERROR",
                note=f"no handler for authorizer function {name!r}",
            )
        outcome = invoke(
            handler, self._event(call, config, token, found), name, AUTHORIZER_TIMEOUT_S
        )
        if outcome.message == _UNAUTHORIZED:
            raise GatewayError("UNAUTHORIZED", note="the authorizer raised Unauthorized")
        if not outcome.ok or not isinstance(outcome.value, dict):
            raise GatewayError(
                "AUTHORIZER_CONFIGURATION_ERROR",
                note=f"authorizer {name}: {outcome.error or 'returned no object'}"
                + (f"\n{outcome.trace}" if outcome.trace else ""),
            )
        if cacheable and ttl > 0:
            with self._lock:
                self._cache[key] = (time.monotonic() + ttl, outcome.value)
        return outcome.value

    def _event(
        self, call: Call, config: dict[str, Any], token: bool, found: list[str]
    ) -> dict[str, Any]:
        if token:
            return {"type": "TOKEN", "authorizationToken": found[0], "methodArn": call.method_arn()}
        version = payload_version(config, "authorizerPayloadFormatVersion", self.rest)
        event = lambda_event(call, version, self.rest)
        event.pop("body", None)  # REQUEST authorizers get the request without its body
        event.pop("isBase64Encoded", None)
        if version == "2.0":
            return {
                "version": "2.0",
                "type": "REQUEST",
                "routeArn": call.method_arn(),
                "identitySource": found,
                **event,
            }
        extra = {} if self.rest else {"identitySource": ",".join(found)}
        return {"type": "REQUEST", "methodArn": call.method_arn(), **extra, **event}

    def _decide(self, call: Call, config: dict[str, Any], output: dict[str, Any]) -> None:
        context = output.get("context") or {}
        if not isinstance(context, dict) or not all(
            isinstance(v, (str, int, float, bool)) for v in context.values()
        ):
            raise GatewayError(
                "AUTHORIZER_CONFIGURATION_ERROR",
                note="authorizer context values must be strings, numbers or booleans",
            )
        if not self.rest and config.get("enableSimpleResponses"):
            allowed = output.get("isAuthorized")
            if not isinstance(allowed, bool):
                raise GatewayError(
                    "AUTHORIZER_CONFIGURATION_ERROR",
                    note="simple response without boolean isAuthorized",
                )
            if not allowed:
                raise GatewayError("ACCESS_DENIED", note="isAuthorized is false")
            call.authorizer = {"lambda": context}
            return
        document = output.get("policyDocument")
        if not authorizer_policy.well_formed(document) or (
            self.rest and "principalId" not in output
        ):
            raise GatewayError(
                "AUTHORIZER_CONFIGURATION_ERROR",
                note="authorizer output needs principalId and a policyDocument "
                "with Statement entries",
            )
        verdict = authorizer_policy.evaluate(document, call.method_arn())
        if verdict == authorizer_policy.DENY:
            raise GatewayError("ACCESS_DENIED", note="explicit deny")
        if verdict == authorizer_policy.UNMATCHED:
            raise GatewayError(
                "ACCESS_DENIED", _NOT_ALLOWED, note="no statement allows " + call.method_arn()
            )
        if self.rest:
            call.authorizer = {
                "principalId": output.get("principalId"),
                **context,
                "integrationLatency": 0,
            }
            key = output.get("usageIdentifierKey")
            if isinstance(key, str):
                call.api_key = key
        else:
            call.authorizer = {"lambda": context}
