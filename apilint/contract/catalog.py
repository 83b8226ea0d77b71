"""The contract checks `apilint test` reports, with stable ids. Not lint rules (`rules/` holds
those): these run against a live API, so they have no examples in a definition to test."""

from __future__ import annotations

from dataclasses import dataclass

from apilint.findings import Severity


@dataclass(frozen=True)
class ContractCheck:
    id: str  # the finding's code: stable, used in reports and baselines
    name: str  # the finding's name
    severity: Severity
    summary: str
    schemathesis: str | None = None  # the schemathesis check it runs, for fuzz checks
    expected: str = ""  # a fuzz check's "expected" part of the finding


_E, _W = Severity.ERROR, Severity.WARNING

FUZZ_CHECKS = (
    ContractCheck("contract/not-a-server-error", "not-a-server-error", _E,
                  "A generated request got a 5xx answer (backend crash, malformed Lambda proxy "
                  "response, integration timeout).", "not_a_server_error", "a status below 500"),
    ContractCheck("contract/status-code-conformance", "status-code-conformance", _W,
                  "The answer's status is not documented for the operation.",
                  "status_code_conformance", "a documented status"),
    ContractCheck("contract/content-type-conformance", "content-type-conformance", _W,
                  "The answer's Content-Type is missing, malformed or undocumented.",
                  "content_type_conformance", "a documented Content-Type"),
    ContractCheck("contract/response-headers-conformance", "response-headers-conformance", _W,
                  "A response header the definition declares is missing or has an invalid value.",
                  "response_headers_conformance",
                  "the response headers the definition declares"),
    ContractCheck("contract/response-schema-conformance", "response-schema-conformance", _E,
                  "The answer's body does not match the documented schema.",
                  "response_schema_conformance", "a body that matches the response schema"),
    ContractCheck("contract/positive-data-acceptance", "positive-data-acceptance", _E,
                  "A request that matches the definition was rejected (an over-strict request "
                  "validator or model, or a backend rejecting valid input).",
                  "positive_data_acceptance",
                  "a request that matches the definition to be accepted"),
    ContractCheck("contract/negative-data-rejection", "negative-data-rejection", _W,
                  "A request that violates the definition was accepted (--mode negative/all "
                  "only; API Gateway validates parameters for presence only).",
                  "negative_data_rejection",
                  "a request that violates the definition to be rejected (4xx)"),
    ContractCheck("contract/no-response", "no-response", _E,
                  "A request got no answer within the per-request timeout, or the connection "
                  "failed.", expected="an answer within the request timeout"),
    ContractCheck("contract/answer-too-large", "answer-too-large", _W,
                  "An answer was longer than API Gateway's 10 MB payload quota; apilint read "
                  "its first 10 MB only and ran no other check on it.",
                  expected="an answer within API Gateway's 10 MB payload quota"),
)

PROBES = (
    ContractCheck("probe/cors-preflight", "cors-preflight", _E,
                  "An OPTIONS preflight without credentials answers 2xx with "
                  "Access-Control-Allow-Origin, -Methods (covering the resource's methods) "
                  "and -Headers."),
    ContractCheck("probe/auth-required", "auth-required", _E,
                  "A method with an authorizer or IAM auth rejects a request without "
                  "credentials as API Gateway does (401 Unauthorized; IAM: 403 Missing "
                  "Authentication Token)."),
    ContractCheck("probe/api-key-required", "api-key-required", _E,
                  "A method that requires an API key rejects a request without one (403 "
                  "Forbidden)."),
    ContractCheck("probe/unknown-path", "unknown-path", _W,
                  "A path no resource matches gets the gateway's 403 Missing Authentication "
                  "Token (HTTP APIs: 404 Not Found), not a backend."),
    ContractCheck("probe/undeclared-method", "undeclared-method", _W,
                  "A method the resource does not declare gets the gateway's 403 Missing "
                  "Authentication Token (HTTP APIs: 404 Not Found), not a backend."),
    ContractCheck("probe/request-validator", "request-validator", _E,
                  "A method whose request validator checks the body rejects an invalid body "
                  "with 400 Invalid request body."),
)

CHECKS: dict[str, ContractCheck] = {c.id: c for c in FUZZ_CHECKS + PROBES}


def describe() -> str:
    """The catalog as text (`apilint test --list-checks`)."""
    width = max(len(c.id) for c in CHECKS.values())
    return "".join(f"{c.id:<{width}}  {c.severity!s:<7}  {c.summary}\n"
                   for c in CHECKS.values())
