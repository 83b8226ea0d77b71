"""Pull the definition of a deployed API: REST APIs through GetExport (per stage, with every
API Gateway extension), HTTP APIs through apigatewayv2 ExportApi.

Exports need `extensions=apigateway`: with only `integrations`, request validators are left
out (API Gateway developer guide, "Export a REST API from API Gateway"; aws/aws-cli#3289).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apilint.aws import describe, error_code
from apilint.common.errors import UsageError


@dataclass(frozen=True)
class DeployedApi:
    api_id: str
    name: str
    kind: str  # "rest" | "http"
    region: str
    stage: str | None  # None: an HTTP API's latest configuration (no stage)


def export_rest(apigw: Any, api_id: str, stage: str, spec: str = "oas30") -> bytes:
    found = apigw.get_export(
        restApiId=api_id,
        stageName=stage,
        exportType=spec,
        parameters={"extensions": "apigateway"},
        accepts="application/json",
    )
    return bytes(found["body"].read())


def export_http(v2: Any, api_id: str, stage: str | None) -> bytes:
    staged = {"StageName": stage} if stage else {}
    found = v2.export_api(
        ApiId=api_id, OutputType="JSON", Specification="OAS30", IncludeExtensions=True, **staged
    )
    return bytes(found["body"].read())


def export(apigw: Any, v2: Any, api: DeployedApi, spec: str = "oas30") -> bytes:
    """The definition of one deployed API, or a UsageError naming the API and the cause."""
    import botocore.exceptions as bx

    try:
        if api.kind == "rest":
            if api.stage is None:
                raise UsageError(f"REST API {api.api_id} is exported per stage: pass --stage")
            return export_rest(apigw, api.api_id, api.stage, spec)
        return export_http(v2, api.api_id, api.stage)
    except (bx.ClientError, bx.BotoCoreError) as exc:
        stage = f" stage {api.stage!r}" if api.stage else ""
        raise UsageError(
            f"cannot export {api.kind.upper()} API {api.api_id}{stage} in "
            f"{api.region}: {describe(exc)}"
        ) from None


def kind_of(apigw: Any, v2: Any, api_id: str, region: str) -> tuple[str, str]:
    """("rest" | "http", name) of an API id."""
    import botocore.exceptions as bx

    # BotoCoreError: no answer at all (an unreachable endpoint names itself in the message).
    try:
        return "rest", str(apigw.get_rest_api(restApiId=api_id).get("name", api_id))
    except (bx.ClientError, bx.BotoCoreError) as exc:
        if error_code(exc) != "NotFoundException":
            raise UsageError(f"cannot read API {api_id} in {region}: {describe(exc)}") from None
    try:
        return "http", str(v2.get_api(ApiId=api_id).get("Name", api_id))
    except (bx.ClientError, bx.BotoCoreError) as exc:
        if error_code(exc) == "NotFoundException":
            raise UsageError(f"no REST or HTTP API {api_id!r} in {region}") from None
        raise UsageError(f"cannot read API {api_id} in {region}: {describe(exc)}") from None


def rest_apis(apigw: Any) -> list[dict[str, Any]]:
    return [
        api
        for page in apigw.get_paginator("get_rest_apis").paginate()
        for api in page.get("items", [])
    ]


def http_apis(v2: Any) -> list[dict[str, Any]]:
    apis, token = [], None
    while True:  # apigatewayv2 has no paginator for GetApis
        page = v2.get_apis(**({"NextToken": token} if token else {}))
        apis += page.get("Items", [])
        token = page.get("NextToken")
        if not token:
            return apis


def deployed(apigw: Any, v2: Any, region: str) -> list[DeployedApi]:
    """Every stage of every REST and HTTP API in the region (an HTTP API without stages once,
    as its latest configuration; a REST API without stages is not deployed and not listed)."""
    found: list[DeployedApi] = []
    for api in rest_apis(apigw):
        stages = apigw.get_stages(restApiId=api["id"]).get("item", [])
        found += [
            DeployedApi(api["id"], api.get("name", api["id"]), "rest", region, s["stageName"])
            for s in stages
        ]
    for api in http_apis(v2):
        names = [s["StageName"] for s in v2.get_stages(ApiId=api["ApiId"]).get("Items", [])]
        found += [
            DeployedApi(api["ApiId"], api.get("Name", api["ApiId"]), "http", region, name)
            for name in names or [None]
        ]
    return found
