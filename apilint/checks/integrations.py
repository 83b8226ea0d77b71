"""Lambda integrations and authorizers: the invocation URI grammar and the POST rule."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class LambdaTarget:
    """A Lambda integration or Lambda authorizer, and the URI it invokes."""

    holder: At  # the integration or authorizer object
    uri: Any
    operation: str | None  # the first method using an integration; None for an authorizer
    what: str  # how messages name it

    @property
    def where(self) -> At:
        return self.holder.child("uri") or self.holder.child("authorizerUri") or self.holder


def lambda_targets(api: Api) -> Iterator[LambdaTarget]:
    """Every Lambda integration (once), then every Lambda authorizer."""
    for method, integ in lambda_integrations(api):
        yield LambdaTarget(integ.at, integ.uri, method.label,
                           f"the Lambda integration of {method.label}")
    for scheme in api.schemes.values():
        if scheme.kind == "lambda" and scheme.authorizer is not None:
            yield LambdaTarget(scheme.authorizer, scheme.authorizer.value.get("authorizerUri"),
                               None, f"the Lambda authorizer {scheme.name!r}")


@check
def lambda_uri_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for target in lambda_targets(api):
        integration = target.operation is not None
        if target.uri is None or (integration and blank(target.uri)):
            if not integration:
                yield violation(target.holder, f"{target.what} has no uri; set the Lambda "
                                               "invocation URI")
            continue  # integration-uri-missing reports an integration without a uri
        if not isinstance(target.uri, str):
            continue  # an unresolved intrinsic such as {"Fn::Sub": ...} has its own rule
        problems = invocation_uri_problems(target.uri, integration and api.kind == "http")
        if problems:
            yield violation(target.where, f"{target.what}: {'; '.join(problems)}",
                            target.operation)


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
