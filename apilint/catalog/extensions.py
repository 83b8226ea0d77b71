"""What each `x-amazon-apigateway-*` extension does, in a sentence, for hover text in editors.
Source: the AWS developer guide's extension pages (one per extension, linked), summarised in
docs/dev/gateway-facts.md#extensions."""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "x-amazon-apigateway-"
_GUIDE = "https://docs.aws.amazon.com/apigateway/latest/developerguide/"


@dataclass(frozen=True)
class Extension:
    name: str
    where: str
    apis: str  # "REST", "HTTP" or "REST and HTTP"
    summary: str
    page: str  # the developer guide page, without .html

    @property
    def url(self) -> str:
        return f"{_GUIDE}{self.page}.html"

    def markdown(self) -> str:
        return (
            f"**{self.name}** ({self.apis} APIs; {self.where})\n\n{self.summary}\n\n"
            f"[AWS documentation]({self.url})"
        )


def _ext(name: str, where: str, apis: str, summary: str, page: str | None = None) -> Extension:
    return Extension(
        PREFIX + name, where, apis, summary, page or f"api-gateway-swagger-extensions-{name}"
    )


EXTENSIONS: dict[str, Extension] = {
    e.name: e
    for e in (
        _ext(
            "integration",
            "on an operation",
            "REST and HTTP",
            "The backend the method calls: `type` (aws, aws_proxy, http, http_proxy, mock), "
            "`uri`, `httpMethod` (POST for Lambda), mappings, templates, timeouts. A method "
            "without one imports without an integration and fails the deployment.",
        ),
        _ext(
            "integrations",
            "in components",
            "HTTP",
            "Reusable integrations referenced with `$ref`. REST imports ignore them: the "
            "methods that refer to one end up without an integration.",
        ),
        _ext(
            "any-method",
            "on a path item",
            "REST and HTTP",
            "The catch-all ANY method of a resource; it also catches OPTIONS unless the path has "
            "an explicit `options` operation (CORS preflights).",
        ),
        _ext(
            "auth",
            "on an operation",
            "REST and HTTP",
            "`{type: NONE | AWS_IAM}`: the method's authorization type when no security "
            "requirement names an authorizer.",
        ),
        _ext(
            "authorizer",
            "in a security scheme",
            "REST and HTTP",
            "A Lambda (token/request), Cognito user pool (REST) or JWT (HTTP) authorizer: "
            "`authorizerUri`, `identitySource`, `authorizerResultTtlInSeconds` (0-3600), "
            "`providerARNs`, `jwtConfiguration`.",
        ),
        _ext(
            "authtype",
            "in a security scheme",
            "REST and HTTP",
            "A label for a Lambda authorizer (`custom`, `cognito_user_pools`); `awsSigv4` makes "
            "the scheme mean IAM authorization.",
        ),
        _ext(
            "api-key-source",
            "at the document root",
            "REST",
            "Where API keys come from: `HEADER` (the X-API-Key header) or `AUTHORIZER` (the "
            "usageIdentifierKey a Lambda authorizer returns).",
        ),
        _ext(
            "binary-media-types",
            "at the document root",
            "REST",
            "Content types handled as binary. `*/*` also makes mock CORS preflights fail with 500 "
            "unless they set `contentHandling: CONVERT_TO_TEXT`.",
        ),
        _ext(
            "cors",
            "at the document root",
            "HTTP",
            "The HTTP API's CORS configuration (allowOrigins, allowMethods, allowHeaders, "
            "exposeHeaders, maxAge, allowCredentials); API Gateway answers preflights itself. "
            "REST APIs ignore it.",
            "api-gateway-swagger-extensions-cors-configuration",
        ),
        _ext(
            "documentation",
            "at the document root",
            "REST",
            "Documentation parts imported with the API (at most 2,000).",
        ),
        _ext(
            "endpoint-configuration",
            "at the root (Swagger 2.0) or in a servers[] entry (OpenAPI 3)",
            "REST and HTTP",
            "`disableExecuteApiEndpoint`, `vpcEndpointIds` (private REST APIs) and "
            "`ipAddressType`. It has no `types`: the endpoint type is set at import or in IaC.",
        ),
        _ext(
            "endpoint-access-mode",
            "at the document root",
            "REST",
            "`STRICT` or `BASIC`; required with a `SecurityPolicy_*` security policy.",
            "openapi-extensions-endpoint-access-mode",
        ),
        _ext(
            "security-policy",
            "at the document root",
            "REST",
            "The TLS security policy of the API (`TLS_1_2`, `SecurityPolicy_TLS13_*` ...).",
            "openapi-extensions-security-policy",
        ),
        _ext(
            "gateway-responses",
            "at the document root",
            "REST",
            "Responses API Gateway itself sends (DEFAULT_4XX, UNAUTHORIZED, ...): status, "
            "headers (`gatewayresponse.header.*`, static values in single quotes) and templates. "
            "Add the CORS headers here, or browsers hide these errors.",
        ),
        _ext(
            "importexport-version",
            "at the document root",
            "HTTP",
            "The import/export format version; `1.0` is the only value.",
            "api-gateway-extensions-importexport-version",
        ),
        _ext(
            "minimum-compression-size",
            "at the document root",
            "REST",
            "Compress responses larger than this many bytes (0-10485760).",
            "api-gateway-openapi-minimum-compression-size",
        ),
        _ext(
            "policy",
            "at the document root",
            "REST",
            "The API's resource policy (an IAM policy document, at most 8,192 characters); "
            "`execute-api:/*` becomes this API's ARN on import.",
            "openapi-extensions-policy",
        ),
        _ext(
            "request-validators",
            "at the document root",
            "REST",
            "Named validators `{validateRequestBody, validateRequestParameters}` that "
            "`x-amazon-apigateway-request-validator` selects.",
        ),
        _ext(
            "request-validator",
            "at the document root or on an operation",
            "REST",
            "The validator that checks requests (API-wide at the root, overridden per "
            "operation); without one, API Gateway validates nothing.",
        ),
        _ext(
            "tag-value",
            "in a root tags[] entry",
            "HTTP",
            "The value of an AWS tag named by the tag object's `name`.",
            "api-gateway-openapi-extensions-x-amazon-apigateway-tag-value",
        ),
    )
}

_NAME = re.compile(r"x-amazon-apigateway-[a-z-]*[a-z]", re.IGNORECASE)


def extension_at(line: str, column: int) -> Extension | None:
    """The documented extension whose name covers `column` (0-based) of `line`."""
    for match in _NAME.finditer(line):
        if match.start() <= column <= match.end():
            return EXTENSIONS.get(match.group(0).lower())
    return None
