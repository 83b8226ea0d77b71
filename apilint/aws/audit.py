"""`apilint audit`: export every deployed REST and HTTP API of the account's regions and learn
what each stage's Lambda functions look like, so they can be linted like files."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apilint.aws import WORKERS, client, describe
from apilint.aws.export import DeployedApi, deployed, export
from apilint.aws.lookups import caller_account, stage_variables
from apilint.common.errors import UsageError
from apilint.model.inventory import Deployment


@dataclass
class Exported:
    api: DeployedApi
    path: Path | None = None  # the saved export
    error: str | None = None  # why there is none
    deployment: Deployment | None = None


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "api"


def export_all(
    made: Any,
    regions: list[str],
    folder: Path,
    progress: Callable[[int], Callable[[], None]] | None = None,
) -> list[Exported]:
    """Every stage of every API in the regions, exported into `folder`. `progress(total)` is
    called once the APIs are listed and returns what to call after each export."""
    import botocore.exceptions as bx

    account = caller_account(made)
    work: list[tuple[Any, Any, DeployedApi]] = []
    for region in regions:
        apigw, v2 = client(made, "apigateway", region), client(made, "apigatewayv2", region)
        try:
            work += [(apigw, v2, api) for api in deployed(apigw, v2, region)]
        except (bx.ClientError, bx.BotoCoreError) as exc:
            raise UsageError(f"cannot list the APIs in {region}: {describe(exc)}") from None

    advance = progress(len(work)) if progress is not None else None

    def one(item: tuple[Any, Any, DeployedApi]) -> Exported:
        apigw, v2, api = item
        name = f"{api.region}-{_safe(api.name)}-{api.api_id}-{_safe(api.stage or 'latest')}.json"
        try:
            path = folder / name
            path.write_bytes(export(apigw, v2, api))
            variables = (
                stage_variables(apigw, v2, api.api_id, api.kind, api.stage, api.region)
                if api.stage
                else {}
            )
        except UsageError as exc:
            return Exported(api, error=exc.message)
        finally:
            if advance is not None:
                advance()
        return Exported(
            api, path, deployment=Deployment(api.api_id, api.stage, variables, api.region, account)
        )

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(one, work))
