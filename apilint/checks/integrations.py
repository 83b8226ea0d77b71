"""Lambda integrations and authorizers: the invocation URI grammar and the POST rule."""

from __future__ import annotations

from typing import Any, Iterator

from apilint.checks import Violation, check, violation
from apilint.document.placeholders import UNKNOWN, mask
from apilint.document.refs import At
from apilint.model.arn import invocation_uri_problems
from apilint.model.gateway import Api, Integration, Method


def blank(uri: Any) -> bool:
    """No uri at all, or an empty one."""
    return uri is None or (isinstance(uri, str) and not uri.strip())


def is_lambda(api: Api, integration: Integration) -> bool:
    uri = integration.uri
    if isinstance(uri, str):
        masked = mask(uri)
        if ":apigateway:" in masked and ":lambda:path/" in masked:
            return True
        if masked.startswith("arn:") and ":lambda:" in masked and ":function:" in masked:
            return True
    if integration.type == "aws_proxy":
        # REST AWS_PROXY is Lambda proxy only; HTTP AWS_PROXY is Lambda unless it names an
        # integrationSubtype (SQS-SendMessage, ...).
        return api.kind == "rest" or "integrationSubtype" not in integration.value
    return False


def lambda_integrations(api: Api) -> Iterator[tuple[Method, Integration]]:
    """Each Lambda integration once, with the first method that uses it."""
    for integ, methods in api.integrations():
        if is_lambda(api, integ):
            yield methods[0], integ


def _uri_violations(where: At, uri: Any, what: str, bare_ok: bool,
                    operation: str | None) -> Iterator[Violation]:
    if uri is None:
        yield violation(where, f"{what} has no uri; set the Lambda invocation URI", operation)
        return
    if not isinstance(uri, str):
        return  # an unresolved intrinsic such as {"Fn::Sub": ...} is reported by its own rule
    target = where.child("uri") or where.child("authorizerUri") or where
    problems = invocation_uri_problems(uri, bare_ok)
    if problems:
        yield violation(target, f"{what}: {'; '.join(problems)}", operation)


@check
def lambda_uri_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method, integ in lambda_integrations(api):
        if blank(integ.uri):
            continue  # integration-uri-missing reports an integration without a uri
        yield from _uri_violations(integ.at, integ.uri, f"the Lambda integration of {method.label}",
                                   api.kind == "http", method.label)
    for scheme in api.schemes.values():
        if scheme.kind != "lambda" or scheme.authorizer is None:
            continue
        uri = scheme.authorizer.value.get("authorizerUri")
        yield from _uri_violations(scheme.authorizer, uri, f"the Lambda authorizer {scheme.name!r}",
                                   False, None)


@check
def lambda_http_method_not_post(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method, integ in lambda_integrations(api):
        http_method = integ.http_method
        if http_method is None:
            if api.kind == "rest":
                yield violation(integ.at, f"the Lambda integration of {method.label} has no "
                                          "httpMethod; Lambda is invoked with POST, set "
                                          "httpMethod: POST", method.label)
            continue
        if not isinstance(http_method, str) or UNKNOWN in mask(http_method):
            continue
        if http_method.upper() != "POST":
            yield violation(integ.at.child("httpMethod") or integ.at,
                            f"the Lambda integration of {method.label} uses httpMethod "
                            f"{http_method!r}; Lambda's Invoke API only accepts POST (the client's "
                            "method is passed in the event), set httpMethod: POST", method.label)
