"""Checks against what the AWS account says (`lint --aws`, `--lambda-inventory`): does each
Lambda function the API invokes exist, and may API Gateway invoke it?"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, violation
from apilint.model.gateway import Api
from apilint.model.integration import blank
from apilint.model.lambdas import (
    HOLE,
    FunctionRef,
    LambdaTarget,
    Unresolved,
    lambda_targets,
    resolve_function,
    source_arns,
)

if TYPE_CHECKING:  # loaded with the account's answers (apilint.commands.account)
    from apilint.model.inventory import Answer, Deployment, Inventory

_PATH_PARAMETER = re.compile(r"\{[^/{}]+\}")


@dataclass(frozen=True)
class AccountView:
    """What a rule of scope `account` reads: the API and the account's answers."""

    api: Api
    inventory: Inventory
    deployment: Deployment

    @cached_property
    def looked_up(self) -> list[tuple[LambdaTarget, FunctionRef | Unresolved, Answer | None]]:
        """Each Lambda target with the function it names and the account's answer (once for
        the three rules)."""
        found = []
        for target in lambda_targets(self.api):
            ref = resolve_function(target.uri, self.deployment.stage_vars, self.deployment.stage)
            if ref is not None:
                answer = self.inventory.answer(ref) if isinstance(ref, FunctionRef) else None
                found.append((target, ref, answer))
        return found


def _where(ref: FunctionRef, default: str | None) -> str:
    region = ref.region or default
    return f"{ref.label!r}" + (f" in {region}" if region else "")


@check
def lambda_function_missing(view: AccountView, options: dict[str, Any]) -> Iterator[Violation]:
    for target, _ref, answer in view.looked_up:
        if answer is not None and answer.state == "missing":
            yield violation(
                target.where,
                f"{target.what} invokes a function the account does "
                f"not have: {answer.detail}; API Gateway answers 500 for every "
                "request to it: "
                "deploy the function (or the alias/version), or point the URI at "
                "one that exists",
                target.operation,
            )


@check
def lambda_permission_missing(view: AccountView, options: dict[str, Any]) -> Iterator[Violation]:
    from apilint.model.inventory import allows  # imported with the answers: no cost

    deployment = view.deployment
    for target, ref, answer in view.looked_up:
        if (
            not isinstance(ref, FunctionRef)
            or answer is None
            or answer.state != "found"
            or answer.statements is None
        ):
            continue  # only a FunctionRef has an answer
        if not blank(target.credentials):
            continue  # API Gateway invokes with that role, not through the resource policy
        region = ref.region or deployment.region or view.inventory.default_region
        denied = [
            (label, arn)
            for label, resource in source_arns(target, view.api)
            if not allows(
                answer.statements,
                arn := deployment.source_arn(resource, region),
                deployment.account,
            )
        ]
        if not denied:
            continue
        labels = ", ".join(label for label, _ in denied[:6]) + (
            f" and {len(denied) - 6} more" if len(denied) > 6 else ""
        )
        example = _PATH_PARAMETER.sub("*", denied[0][1].replace(HOLE, "*"))
        qualifier = f" --qualifier {ref.qualifier}" if ref.qualifier else ""
        yield violation(
            target.where,
            f"the resource policy of {_where(ref, region)} "
            f"does not let apigateway.amazonaws.com invoke it for {labels}, so "
            f"{target.what} fails with 500 'Invalid permissions on Lambda function'; "
            f"add a permission (aws lambda add-permission --function-name {ref.name}"
            f"{qualifier} --action lambda:InvokeFunction --principal "
            f"apigateway.amazonaws.com --statement-id apigateway-invoke "
            f"--source-arn '{example}') or give the integration a `credentials` "
            "role that may invoke it",
            target.operation,
        )


@check
def lambda_unverifiable(view: AccountView, options: dict[str, Any]) -> Iterator[Violation]:
    for target, ref, answer in view.looked_up:
        if isinstance(ref, Unresolved):
            yield violation(
                target.where, f"could not verify {target.what}: {ref.reason}", target.operation
            )
        elif answer is not None and (answer.state == "unverified" or answer.policy_error):
            detail = (
                answer.detail
                if answer.state == "unverified"
                else f"its resource policy could not be read: {answer.policy_error}"
            )
            yield violation(
                target.where,
                f"could not verify {target.what} "
                f"({_where(ref, view.inventory.default_region)}): {detail}",
                target.operation,
            )
