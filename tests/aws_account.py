"""A moto server on 127.0.0.1 and the account the AWS tests expect, built with real boto3
clients over HTTP (see fixtures/aws/orders.yaml for what each function is for)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/lambda-role"


def _zip() -> bytes:
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w") as z:
        z.writestr("app.py", "def handler(event, context):\n    return {'statusCode': 200}\n")
    return blob.getvalue()


def allow(lam: Any, function: str, source_arn: str, sid: str = "apigw") -> None:
    lam.add_permission(
        FunctionName=function,
        StatementId=sid,
        Action="lambda:InvokeFunction",
        Principal="apigateway.amazonaws.com",
        SourceArn=source_arn,
    )


def make_function(lam: Any, name: str) -> None:
    lam.create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=ROLE,
        Handler="app.handler",
        Code={"ZipFile": _zip()},
    )


def build_orders_account(session: Any) -> str:
    """The functions of fixtures/aws/orders.yaml, and a REST API 'orders' with a stage 'prod'
    whose variable putFunction names putV1. Returns the API id."""
    session.client("iam").create_role(
        RoleName="lambda-role",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                    }
                ],
            }
        ),
    )
    lam = session.client("lambda", region_name=REGION)
    for name in (
        "listOrders",
        "createOrder",
        "getOrder",
        "deleteOrder",
        "ordersAuthorizer",
        "putV1",
    ):
        make_function(lam, name)
    lam.delete_function(FunctionName="createOrder")
    execute = f"arn:aws:execute-api:{REGION}:{ACCOUNT}"
    allow(lam, "listOrders", f"{execute}:*/*/GET/orders")
    allow(lam, "getOrder", f"{execute}:*/*/GET/orders/*")
    allow(lam, "ordersAuthorizer", f"{execute}:*/authorizers/*")
    allow(lam, "putV1", f"{execute}:*/*/PUT/orders/*")
    apigw = session.client("apigateway", region_name=REGION)
    api_id = apigw.create_rest_api(name="orders")["id"]
    root = apigw.get_resources(restApiId=api_id)["items"][0]["id"]
    apigw.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    apigw.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    apigw.create_deployment(restApiId=api_id, stageName="prod", variables={"putFunction": "putV1"})
    return api_id


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A fresh moto account reached through the standard chain: boto3 sessions apilint makes
    talk to the server on 127.0.0.1 and nowhere else."""
    import boto3
    import requests

    requests.post(f"{moto_endpoint}/moto-api/reset", timeout=10)
    for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTINGKEY000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-never-printed")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/apilint-test-config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/apilint-test-credentials")
    yield boto3.Session(region_name=REGION)


def streaming_body(path: Path) -> Any:
    """A recorded export as boto3 returns it (GetExport, ExportApi)."""
    from botocore.response import StreamingBody

    data = path.read_bytes()
    return StreamingBody(io.BytesIO(data), len(data))


def stubbed_clients(monkeypatch: pytest.MonkeyPatch, region: str) -> dict[str, Any]:
    """Stubbers of the apigateway and apigatewayv2 clients apilint makes (for the exports moto
    does not implement): every call must be one the test adds, so nothing else is called."""
    import boto3
    from botocore.stub import Stubber

    import apilint.aws

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTINGKEY000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-never-printed")
    clients = {
        name: boto3.client(
            name, region_name=region, aws_access_key_id="x", aws_secret_access_key="y"
        )
        for name in ("apigateway", "apigatewayv2")
    }
    monkeypatch.setattr(apilint.aws, "client", lambda made, service, region=None: clients[service])
    return {name: Stubber(c) for name, c in clients.items()}


def recorded_exports(monkeypatch: pytest.MonkeyPatch, bodies: dict[tuple[str, str], Path]) -> None:
    """moto's GetExport returns a skeleton of the live resources: the apigateway clients apilint
    makes answer GetExport for these (API id, stage) with the export AWS returns (through
    botocore's own hooks, as Stubber does); every other call still goes to moto."""
    from botocore.awsrequest import AWSResponse

    import apilint.aws
    import apilint.aws.audit

    made_client = apilint.aws.client

    def remember(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        assert params.get("parameters") == {"extensions": "apigateway"}
        context["recorded-export"] = bodies.get((params["restApiId"], params["stageName"]))

    def answer(context: dict[str, Any], **_: Any) -> Any:
        path = context.get("recorded-export")
        if path is None:
            return None  # moto answers
        return AWSResponse("", 200, {}, None), {  # type: ignore[arg-type]
            "body": streaming_body(path),
            "contentType": "application/json",
        }

    def client(made: Any, service: str, region: str | None = None) -> Any:
        made = made_client(made, service, region)
        if service == "apigateway":
            made.meta.events.register("before-parameter-build.apigateway.GetExport", remember)
            made.meta.events.register("before-call.apigateway.GetExport", answer)
        return made

    monkeypatch.setattr(apilint.aws, "client", client)
    monkeypatch.setattr(apilint.aws.audit, "client", client)
