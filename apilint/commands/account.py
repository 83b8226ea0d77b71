"""`lint --aws` / `--lambda-inventory`: learn what the account says about the functions the
definitions invoke, before the rules of scope "account" read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from apilint.common.errors import UsageError
from apilint.engine.run import Prebuilt, Settings
from apilint.model.gateway import Api
from apilint.model.lambdas import FunctionRef, lambda_targets, resolve_function

if TYPE_CHECKING:  # the account's facts: loaded when asked for (--aws, --lambda-inventory)
    from apilint.model.inventory import Deployment


@dataclass(frozen=True, kw_only=True)
class AccountOptions:
    aws: bool = False
    region: str | None = None
    profile: str | None = None
    stage: str | None = None
    api_id: str | None = None
    stage_vars: tuple[tuple[str, str], ...] = ()
    inventory: tuple[str, ...] = ()

    @property
    def wanted(self) -> bool:
        return self.aws or bool(self.inventory)

    def given_vars(self) -> dict[str, str] | None:
        return dict(self.stage_vars) if self.stage_vars else None


def parse_stage_vars(values: list[str] | None) -> tuple[tuple[str, str], ...]:
    pairs = []
    for value in values or ():
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--stage-var {value!r}: expected NAME=VALUE")
        pairs.append((name.strip(), text))
    return tuple(pairs)


def with_account(
    tasks: list[tuple[str, Settings]], account: AccountOptions, prebuilt: Prebuilt
) -> list[tuple[str, Settings]]:
    """The tasks with the account's answers in their settings."""
    if account.aws and account.inventory:
        raise UsageError(
            "--aws and --lambda-inventory exclude each other: ask the account or read the inventory"
        )
    from apilint.model.inventory import Deployment

    if account.inventory:
        from apilint.aws.inventory_file import read_inventory

        inventory = read_inventory(list(account.inventory), account.region)
        deployment = Deployment(account.api_id, account.stage, account.given_vars(), account.region)
        return [(p, replace(s, inventory=inventory, deployment=deployment)) for p, s in tasks]
    return _ask_aws(tasks, account, prebuilt)


def _ask_aws(
    tasks: list[tuple[str, Settings]], account: AccountOptions, prebuilt: Prebuilt
) -> list[tuple[str, Settings]]:
    from apilint.aws import session
    from apilint.aws.lookups import caller_account, deployment

    made = session(account.region, account.profile)
    region = str(made.region_name)
    caller = caller_account(made)
    by_title: dict[str | None, Deployment] = {}  # one stage look-up per API, not per file

    def deployment_for(path: str, apis: list[Api]) -> Deployment:
        title = api_title(apis[0].doc.data) if apis else None
        if title not in by_title:
            by_title[title] = deployment(
                made, region, caller, account.api_id, account.stage, title, account.given_vars()
            )
        return by_title[title]

    return ask_account(made, tasks, deployment_for, prebuilt)


def ask_account(
    made: Any,
    tasks: list[tuple[str, Settings]],
    deployment_for: Callable[[str, list[Api]], Deployment],
    prebuilt: Prebuilt,
) -> list[tuple[str, Settings]]:
    """Each task's settings with its deployment and the account's answers about the functions
    the APIs of its region invoke (looked up once each, for `lint --aws` and `audit`)."""
    from apilint.aws.lookups import inventory

    deployments: dict[str, Deployment] = {}
    refs: dict[str | None, list[FunctionRef]] = {}
    for path, settings in tasks:
        apis = prebuilt.models(path, settings)
        dep = deployments[path] = deployment_for(path, apis)
        refs.setdefault(dep.region, []).extend(function_refs(apis, dep))
    answers = {
        region: inventory(made, found, str(region or made.region_name))
        for region, found in refs.items()
    }
    return [
        (p, replace(s, inventory=answers[deployments[p].region], deployment=deployments[p]))
        for p, s in tasks
    ]


def function_refs(apis: list[Api], deployment: Deployment) -> list[FunctionRef]:
    """The functions the APIs invoke, as the deployment (stage variables) names them."""
    refs = []
    for api in apis:
        for target in lambda_targets(api):
            ref = resolve_function(target.uri, deployment.stage_vars, deployment.stage)
            if isinstance(ref, FunctionRef):
                refs.append(ref)
    return refs


def api_title(data: Any) -> str | None:
    """`info.title` of a definition, when it is a string."""
    info = data.get("info") if isinstance(data, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    return title if isinstance(title, str) else None
