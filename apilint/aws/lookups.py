"""Ask Lambda about each function an API invokes (GetFunction, GetPolicy), concurrently and
once per function, and learn the stage an API is deployed to (stage variables)."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from apilint.aws import WORKERS, client, describe, error_code
from apilint.common.errors import UsageError
from apilint.model.inventory import Answer, Deployment, Inventory, policy_statements
from apilint.model.lambdas import FunctionRef

_MISSING = "ResourceNotFoundException"


def inventory(made: Any, refs: Iterable[FunctionRef], region: str) -> Inventory:
    """The account's answers for each distinct function reference."""
    wanted = sorted(
        {ref.key: ref for ref in refs}.values(),
        key=lambda r: (r.region or "", r.name, r.qualifier or ""),
    )
    clients = {r: client(made, "lambda", r) for r in {ref.region or region for ref in wanted}}
    result = Inventory(default_region=region, source="the account", policies_known=True)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = pool.map(lambda ref: _ask(clients[ref.region or region], ref), wanted)
        for ref, answer in zip(wanted, answers):
            result.answers[(ref.region or region, ref.name, ref.qualifier)] = answer
    return result


def _function_name(ref: FunctionRef) -> str:
    if ref.account and ref.region:
        return f"arn:{ref.partition or 'aws'}:lambda:{ref.region}:{ref.account}:function:{ref.name}"
    return ref.name


def _ask(lam: Any, ref: FunctionRef) -> Answer:
    import botocore.exceptions as bx

    name = _function_name(ref)
    qualified = {"Qualifier": ref.qualifier} if ref.qualifier else {}
    try:
        lam.get_function(FunctionName=name, **qualified)
    except bx.ClientError as exc:
        if error_code(exc) != _MISSING:
            return Answer("unverified", describe(exc))
        return _missing(lam, ref, name)
    except bx.BotoCoreError as exc:  # endpoint unreachable, timeouts
        return Answer("unverified", describe(exc))
    try:
        policy = lam.get_policy(FunctionName=name, **qualified)
        return Answer("found", statements=policy_statements(policy.get("Policy", "{}")))
    except bx.ClientError as exc:
        if error_code(exc) == _MISSING:  # no resource policy at all
            return Answer("found", statements=())
        return Answer("found", policy_error=describe(exc))
    except (bx.BotoCoreError, ValueError) as exc:
        return Answer("found", policy_error=describe(exc))


def _missing(lam: Any, ref: FunctionRef, name: str) -> Answer:
    """Which part is missing: the function, or only its version/alias."""
    import botocore.exceptions as bx

    where = f" in {lam.meta.region_name}"
    if not ref.qualifier:
        return Answer("missing", f"function {ref.name!r} does not exist{where}")
    try:
        lam.get_function(FunctionName=name)
    except bx.ClientError as exc:
        if error_code(exc) == _MISSING:
            return Answer("missing", f"function {ref.name!r} does not exist{where}")
        return Answer("unverified", describe(exc))
    except bx.BotoCoreError as exc:
        return Answer("unverified", describe(exc))
    kind = "version" if ref.qualifier.isdigit() else "alias"
    return Answer("missing", f"function {ref.name!r} has no {kind} {ref.qualifier!r}{where}")


def caller_account(made: Any) -> str | None:
    import botocore.exceptions as bx

    try:
        return str(client(made, "sts").get_caller_identity()["Account"])
    except (bx.ClientError, bx.BotoCoreError, KeyError):
        return None


def find_api(made: Any, title: str, region: str) -> tuple[str, str] | None:
    """(api id, "rest" | "http") of the one API in the region named `title`, as an import names
    it; None when none or several match (or the APIs cannot be listed)."""
    import botocore.exceptions as bx

    try:
        return _find_api(made, title, region)
    except (bx.ClientError, bx.BotoCoreError):
        return None


def _find_api(made: Any, title: str, region: str) -> tuple[str, str] | None:
    from apilint.aws.export import http_apis, rest_apis

    found = [
        (api["id"], "rest")
        for api in rest_apis(client(made, "apigateway", region))
        if api.get("name") == title
    ]
    found += [
        (api["ApiId"], "http")
        for api in http_apis(client(made, "apigatewayv2", region))
        if api.get("Name") == title
    ]
    return found[0] if len(found) == 1 else None


def stage_variables(
    apigw: Any, v2: Any, api_id: str, kind: str, stage: str, region: str
) -> dict[str, str]:
    """A stage's variables, through the region's clients (sessions are not thread-safe: clients
    are made once, before any worker thread uses them)."""
    import botocore.exceptions as bx

    try:
        if kind == "rest":
            found = apigw.get_stage(restApiId=api_id, stageName=stage)
            return dict(found.get("variables") or {})
        found = v2.get_stage(ApiId=api_id, StageName=stage)
        return dict(found.get("StageVariables") or {})
    except bx.ClientError as exc:
        raise UsageError(
            f"cannot read stage {stage!r} of API {api_id} in {region}: {describe(exc)}"
        ) from None


def deployment(
    made: Any,
    region: str,
    account: str | None,
    api_id: str | None,
    stage: str | None,
    title: str | None,
    stage_vars: dict[str, str] | None,
) -> Deployment:
    """Where a definition is deployed, as far as the flags and the account tell."""
    kind = None
    if stage is not None and api_id is None and title is not None:
        hit = find_api(made, title, region)
        if hit is not None:
            api_id, kind = hit
    if stage is not None and api_id is not None and stage_vars is None:
        from apilint.aws.export import kind_of

        apigw, v2 = client(made, "apigateway", region), client(made, "apigatewayv2", region)
        kind = kind or kind_of(apigw, v2, api_id, region)[0]  # --api-id may name an HTTP API
        stage_vars = stage_variables(apigw, v2, api_id, kind, stage, region)
    return Deployment(api_id, stage, stage_vars, region, account)
