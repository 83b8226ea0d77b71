"""`apilint serve --explain`: what the emulator does (with the AWS documentation behind each
behaviour) and what it does not, for every definition or for one."""

from __future__ import annotations

from apilint.model.gateway import Method
from apilint.serve.gateway import Gateway, served_as
from apilint.serve.responses import NotEmulated

_DOCS = "https://docs.aws.amazon.com/apigateway/latest/developerguide/"

EMULATED = [
    (
        "Stage prefix and routing: most specific resource/route, {param}, greedy {proxy+}, ANY, "
        "explicit OPTIONS over ANY; unknown route or method: REST 403 Missing Authentication Token, "
        "HTTP 404 Not Found",
        "supported-gateway-response-types.html, http-api-develop-routes.html",
    ),
    (
        "Lambda proxy integrations: REST payload 1.0, HTTP payload 1.0 and 2.0, the response "
        "contract (malformed or raising handler: REST 502, HTTP 500)",
        "set-up-lambda-proxy-integrations.html, http-api-develop-integrations-lambda.html",
    ),
    (
        "Integration timeout from timeoutInMillis (default 29 s REST, 30 s HTTP): REST 504, "
        "HTTP 503",
        "limits.html, http-api-quotas.html",
    ),
    (
        'Mock integrations: {"statusCode": N} request templates, selection patterns, static '
        "response parameters, plain response templates, passthroughBehavior (415)",
        "how-to-mock-integration.html, integration-passthrough-behaviors.html",
    ),
    (
        "API keys (x-api-key header or an authorizer's usageIdentifierKey): 403 Forbidden without "
        "a key given with --api-key",
        "api-gateway-api-key-source.html",
    ),
    (
        "Lambda authorizers: TOKEN and REQUEST (REST), REQUEST with payload 1.0/2.0 and simple "
        "responses (HTTP); identity sources (401 when missing), policies (403 on deny), context, "
        "result caching (authorizerResultTtlInSeconds)",
        "api-gateway-lambda-authorizer-input.html, api-gateway-lambda-authorizer-output.html, "
        "http-api-lambda-authorizer.html",
    ),
    (
        "Cognito user pool and JWT authorizers with keys given by --jwt-key (issuer, audience, "
        "expiry, scopes)",
        "apigateway-enable-cognito-user-pool.html, http-api-jwt-authorizer.html",
    ),
    (
        "Request validators: required parameters present and non-blank, JSON bodies against the "
        "model (draft 4) of a matching content type: 400",
        "api-gateway-method-request-validation.html",
    ),
    (
        "Gateway responses (x-amazon-apigateway-gateway-responses): status, headers (static or "
        "method.request.*), templates with $context/$stageVariables, DEFAULT_4XX/5XX fallback",
        "api-gateway-gatewayResponse-definition.html",
    ),
    (
        "HTTP API CORS (x-amazon-apigateway-cors): preflights answered by the gateway, headers "
        "added to responses",
        "http-api-cors.html",
    ),
    ("Payload limit 10 MB (413; --max-body-size), header values 10,240 bytes (431)", "limits.html"),
]

NOT_EMULATED = [
    "VTL mapping templates beyond plain JSON (#if, $input, $util, ...): 501",
    "HTTP and HTTP_PROXY integrations, AWS service integrations, Lambda custom (non-proxy) "
    "integrations, HTTP API integrationSubtype and private (VPC link) integrations: 501",
    "IAM (SigV4) authorization: unsigned requests get 403 Missing Authentication Token, "
    "signed ones 501",
    "Cognito/JWT authorizers without --jwt-key (JWKS endpoints are never fetched): 501",
    "Usage plans (throttling, quotas: 429), stage throttling, caching, resource policies, WAF, "
    "mutual TLS, custom domains, canaries, response streaming, compression",
]


def general() -> str:
    lines = ["apilint serve emulates (AWS documentation under " + _DOCS + "):"]
    lines += [f"  - {what}\n      [{where}]" for what, where in EMULATED]
    lines += ["", "Not emulated (answered 501 where a request needs it, never faked):"]
    lines += [f"  - {what}" for what in NOT_EMULATED]
    return "\n".join(lines)


def method_gaps(gateway: Gateway, method: Method, handlers: bool = True) -> str | None:
    """Why requests to this method will not be served as on AWS, or None."""
    integration = method.integration
    if integration is None:
        return "no x-amazon-apigateway-integration: 500, as API Gateway could not deploy it"
    served = served_as(gateway.api, integration)
    if served is None:
        return f"{integration.type} integration: 501"
    if served == "lambda" and handlers:
        try:
            name, handler = gateway.handlers.find(integration.uri, gateway.stage_vars)
        except NotEmulated as exc:  # a template function in another runtime
            return f"{exc}: 501"
        if handler is None:
            return f"function {name!r} has no local handler: 500 (like a missing permission)"
    return None


def inventory(gateway: Gateway, handlers: bool = True) -> list[str]:
    """One line per method the emulator cannot serve as AWS would (`handlers`: check that each
    Lambda function has a local handler)."""
    out = []
    for method in gateway.api.methods:
        gap = method_gaps(gateway, method, handlers)
        if gap is None and "iam" in method.auth.kinds:
            gap = "IAM authorization: 403 unsigned, 501 signed"
        scheme = gateway.authorizers.scheme(method)
        if (
            gap is None
            and scheme is not None
            and scheme.kind in ("cognito", "jwt")
            and not gateway.config.jwt_keys
        ):
            gap = "Cognito/JWT authorizer without --jwt-key: 501 with a token"
        if (
            gap is None
            and gateway.rest
            and "api_key" in method.auth.kinds
            and not gateway.config.api_keys
        ):
            gap = "requires an API key and none was given (--api-key): 403"
        if gap is not None:
            out.append(f"{method.label}: {gap}")
    return out
