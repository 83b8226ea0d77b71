"""Lambda integrations and authorizers: the invocation URI grammar and the POST rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, violation
from apilint.document.edit import add_entries, make_fix, set_value
from apilint.document.placeholders import UNKNOWN, mask
from apilint.model.arn import invocation_uri_problems
from apilint.model.gateway import Api
from apilint.model.integration import blank
from apilint.model.lambdas import lambda_integrations, lambda_targets
from apilint.model.wording import say


@check
def lambda_uri_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for target in lambda_targets(api):
        integration = target.operation is not None
        if target.uri is None or (integration and blank(target.uri)):
            if not integration:
                yield violation(
                    target.holder, f"{target.what} has no uri; set the Lambda invocation URI"
                )
            continue  # integration-uri-missing reports an integration without a uri
        if not isinstance(target.uri, str):
            continue  # an unresolved intrinsic such as {"Fn::Sub": ...} has its own rule
        problems = invocation_uri_problems(target.uri, integration and api.kind == "http")
        if problems:
            yield violation(target.where, f"{target.what}: {'; '.join(problems)}", target.operation)


@check
def lambda_http_method_not_post(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in lambda_integrations(api):
        method = methods[0]
        http_method = integ.http_method
        if http_method is None:
            if api.kind == "rest":
                yield violation(
                    integ.at,
                    f"the Lambda integration of {method.label} has no "
                    f"{say(api, 'integration-http-method')}; Lambda is invoked with POST, "
                    f"{say(api, 'set-integration-post')}",
                    method.label,
                    make_fix(
                        "Add httpMethod: POST",
                        "safe",
                        add_entries(integ.at.doc, integ.at.tokens, {"httpMethod": "POST"}),
                    ),
                )
            continue
        if not isinstance(http_method, str) or UNKNOWN in mask(http_method):
            continue
        if http_method.upper() != "POST":
            at = integ.at.child("httpMethod") or integ.at
            yield violation(
                at,
                f"the Lambda integration of {method.label} uses "
                f"{say(api, 'integration-http-method')} {http_method!r}; Lambda's Invoke API "
                "only accepts POST (the client's method is passed in the event), "
                f"{say(api, 'set-integration-post')}",
                method.label,
                make_fix("Set httpMethod: POST", "safe", set_value(at.doc, at.tokens, "POST")),
            )
