"""`lint --aws`, `--lambda-inventory`, `export` and `audit`: real boto3 clients against moto's
server on 127.0.0.1, and botocore's Stubber for the export shapes moto does not implement."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aws_account import (  # noqa: F401
    ACCOUNT,
    REGION,
    allow,
    aws,
    build_orders_account,
    moto_endpoint,
    streaming_body,
    stubbed_clients,
)
from helpers import FIXTURES, run

ORDERS = FIXTURES / "aws" / "orders.yaml"
ACCOUNT_RULES = "AGW424,AGW425,AGW426"
#: The orders fixture against the moto account, without a stage: (code, line).
EXPECTED = {
    ("AGW424", 22),  # POST /orders: createOrder was deleted
    ("AGW424", 33),  # GET /orders/{id}: getOrder has no alias "live"
    ("AGW425", 41),  # DELETE /orders/{id}: deleteOrder allows nobody
    ("AGW426", 49),
}  # PUT /orders/{id}: a stage variable, no stage given


def _findings(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, set[tuple[str, int]], list[dict[str, Any]]]:
    code, out, err = run(
        capsys, "lint", *args, "--select", ACCOUNT_RULES, "-f", "json", "--fail-on", "warning"
    )  # runtime failures are warnings
    assert "Traceback" not in err
    findings = json.loads(out)["results"]
    return code, {(f["code"], f["line"]) for f in findings}, findings


@pytest.mark.moto
def test_account_checks_against_moto(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    build_orders_account(aws)
    code, found, findings = _findings(capsys, str(ORDERS), "--aws")
    assert (code, found) == (1, EXPECTED)
    by_line = {f["line"]: f["message"] for f in findings}
    assert "function 'createOrder' does not exist in us-east-1" in by_line[22]
    assert "function 'getOrder' has no alias 'live' in us-east-1" in by_line[33]
    assert (
        "for DELETE /orders/{id}" in by_line[41]
        and f"--source-arn 'arn:aws:execute-api:us-east-1:{ACCOUNT}:*/*/DELETE/orders/*'"
        in by_line[41]
    )
    assert "stage variable(s) putFunction" in by_line[49]


@pytest.mark.moto
def test_stage_variables_come_from_the_stage(aws: Any, capsys: pytest.CaptureFixture[str]) -> None:
    api_id = build_orders_account(aws)
    # The stage's putFunction names putV1, which exists and allows PUT /orders/*; the API is
    # found by its title, so the source ARNs now carry its id and stage.
    code, found, findings = _findings(capsys, str(ORDERS), "--aws", "--stage", "prod")
    assert found == EXPECTED - {("AGW426", 49)}
    message = next(f["message"] for f in findings if f["line"] == 41)
    assert f"{api_id}/prod/DELETE/orders/*" in message


@pytest.mark.moto
def test_stage_variables_of_an_http_api_named_by_id(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    build_orders_account(aws)
    v2 = aws.client("apigatewayv2", region_name=REGION)
    http_id = v2.create_api(Name="orders-http", ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=http_id, StageName="prod", StageVariables={"putFunction": "putV1"})
    _, found, _ = _findings(capsys, str(ORDERS), "--aws", "--stage", "prod", "--api-id", http_id)
    assert found == EXPECTED - {("AGW426", 49)}


@pytest.mark.moto
def test_permission_for_another_api_is_missing(
    aws: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    build_orders_account(aws)
    lam = aws.client("lambda", region_name=REGION)
    allow(lam, "deleteOrder", f"arn:aws:execute-api:{REGION}:{ACCOUNT}:otherapi1/*/DELETE/orders/*")
    _, found, _ = _findings(capsys, str(ORDERS), "--aws")
    assert ("AGW425", 41) not in found  # with the API id unknown, any id the policy names may be it
    _, found, _ = _findings(capsys, str(ORDERS), "--aws", "--api-id", "realapi99")
    assert ("AGW425", 41) in found


def _save_inventory(session: Any, folder: Path) -> Path:
    """What a CI job would save with the AWS CLI: list-functions, list-aliases and get-policy."""
    lam = session.client("lambda", region_name=REGION)
    folder.mkdir()
    (folder / "functions.json").write_text(json.dumps(lam.list_functions(), default=str))
    for name in ("listOrders", "getOrder", "deleteOrder", "ordersAuthorizer", "putV1"):
        aliases = lam.list_aliases(FunctionName=name)
        (folder / f"aliases-{name}.json").write_text(json.dumps(aliases, default=str))
        try:
            policy = lam.get_policy(FunctionName=name)
        except lam.exceptions.ResourceNotFoundException:
            continue  # the CLI fails the same way: no file for a function without a policy
        (folder / f"policy-{name}.json").write_text(json.dumps(policy, default=str))
    return folder


@pytest.mark.moto
def test_inventory_gives_the_same_findings_offline(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_orders_account(aws)
    saved = _save_inventory(aws, tmp_path / "inventory")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing answers there
    code, found, _ = _findings(capsys, str(ORDERS), "--lambda-inventory", str(saved))
    assert (code, found) == (1, EXPECTED)
    _, staged, _ = _findings(
        capsys, str(ORDERS), "--lambda-inventory", str(saved), "--stage-var", "putFunction=putV1"
    )
    assert staged == EXPECTED - {("AGW426", 49)}


def test_access_denied_is_unverifiable_never_missing() -> None:
    import boto3
    from botocore.stub import Stubber

    from apilint.aws.lookups import _ask
    from apilint.model.lambdas import FunctionRef

    lam = boto3.client(
        "lambda", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="y"
    )
    with Stubber(lam) as stub:
        stub.add_client_error(
            "get_function",
            "AccessDeniedException",
            "User is not authorized to perform: lambda:GetFunction",
            403,
            expected_params={"FunctionName": "listOrders"},
        )
        denied = _ask(lam, FunctionRef("listOrders"))
        stub.add_response(
            "get_function",
            {
                "Configuration": {
                    "FunctionName": "listOrders",
                    "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:listOrders",
                }
            },
        )
        stub.add_client_error("get_policy", "TooManyRequestsException", "Rate exceeded", 429)
        throttled = _ask(lam, FunctionRef("listOrders"))
    assert (denied.state, denied.detail) == (
        "unverified",
        "AccessDeniedException: User is not authorized to perform: lambda:GetFunction",
    )
    assert (throttled.state, throttled.statements, throttled.policy_error) == (
        "found",
        None,
        "TooManyRequestsException: Rate exceeded",
    )


def test_export_requests_every_extension_in_the_real_shapes() -> None:
    import boto3
    from botocore.stub import Stubber

    from apilint.aws.export import DeployedApi, export

    keys = {"aws_access_key_id": "x", "aws_secret_access_key": "y"}
    apigw = boto3.client("apigateway", region_name=REGION, **keys)
    v2 = boto3.client("apigatewayv2", region_name="eu-west-1", **keys)
    rest, http = (
        FIXTURES / "aws" / "export-rest-oas30.json",
        FIXTURES / "aws" / "export-http-oas30.json",
    )
    with Stubber(apigw) as s1, Stubber(v2) as s2:
        s1.add_response(
            "get_export",
            {"body": streaming_body(rest), "contentType": "application/json"},
            {
                "restApiId": "a1b2c3d4e5",
                "stageName": "prod",
                "exportType": "oas30",
                "parameters": {"extensions": "apigateway"},
                "accepts": "application/json",
            },
        )
        s2.add_response(
            "export_api",
            {"body": streaming_body(http)},
            {
                "ApiId": "q1w2e3r4t5",
                "OutputType": "JSON",
                "Specification": "OAS30",
                "IncludeExtensions": True,
                "StageName": "$default",
            },
        )
        got_rest = export(apigw, v2, DeployedApi("a1b2c3d4e5", "orders", "rest", REGION, "prod"))
        got_http = export(
            apigw, v2, DeployedApi("q1w2e3r4t5", "carts", "http", "eu-west-1", "$default")
        )
    assert got_rest == rest.read_bytes() and got_http == http.read_bytes()


def test_export_command_finds_an_http_api(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    http = FIXTURES / "aws" / "export-http-oas30.json"
    stubs = stubbed_clients(monkeypatch, "eu-west-1")
    stubs["apigateway"].add_client_error(
        "get_rest_api",
        "NotFoundException",
        "Invalid API id",
        404,
        expected_params={"restApiId": "q1w2e3r4t5"},
    )
    stubs["apigatewayv2"].add_response(
        "get_api",
        {"ApiId": "q1w2e3r4t5", "Name": "carts", "ProtocolType": "HTTP"},
        {"ApiId": "q1w2e3r4t5"},
    )
    stubs["apigatewayv2"].add_response(
        "export_api",
        {"body": streaming_body(http)},
        {
            "ApiId": "q1w2e3r4t5",
            "OutputType": "JSON",
            "Specification": "OAS30",
            "IncludeExtensions": True,
        },
    )
    for stub in stubs.values():
        stub.activate()
    out = tmp_path / "carts.json"
    code, stdout, err = run(capsys, "export", "q1w2e3r4t5", "--region", "eu-west-1", "-o", str(out))
    assert (code, err) == (0, f"apilint: wrote the HTTP API 'carts' (q1w2e3r4t5) to {out}\n")
    assert out.read_bytes() == http.read_bytes()
    for stub in stubs.values():
        stub.assert_no_pending_responses()
    code, stdout, _ = run(capsys, "lint", str(out), "-f", "json")
    found = {(f["code"], f["line"]) for f in json.loads(stdout)["results"]}
    assert (code, found) == (0, {("AGW301", 17)})


@pytest.mark.moto
def test_audit_two_regions(aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    orders = build_orders_account(aws)
    eu = aws.client("apigateway", region_name="eu-west-1")
    billing = eu.create_rest_api(name="billing")["id"]
    root = eu.get_resources(restApiId=billing)["items"][0]["id"]
    eu.put_method(restApiId=billing, resourceId=root, httpMethod="GET", authorizationType="NONE")
    eu.put_integration(restApiId=billing, resourceId=root, httpMethod="GET", type="MOCK")
    eu.create_deployment(restApiId=billing, stageName="live")
    saved = tmp_path / "exports"
    code, out, err = run(
        capsys,
        "audit",
        "--aws",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
        "--save",
        str(saved),
        "-f",
        "text",
        "-f",
        f"json={tmp_path / 'audit.json'}",
    )
    assert code == 1 and "Traceback" not in err and "testing-secret" not in out + err
    files: dict[str, set[tuple[str, int]]] = {}
    for f in json.loads((tmp_path / "audit.json").read_text())["results"]:
        files.setdefault(Path(f["file"]).name, set()).add((f["code"], f["line"]))
    # moto's GetExport returns a bare Swagger 2.0 skeleton with upper-case verbs and no
    # extensions: apilint lints exactly what the export holds.
    assert files == {
        f"us-east-1-orders-{orders}-prod.json": {("AGW011", 1), ("AGW109", 1)},
        f"eu-west-1-billing-{billing}-live.json": {("AGW011", 1), ("AGW109", 1)},
    }
    table = out[out.index("API  ") :].splitlines()
    assert table[0].split() == ["API", "REGION", "STAGE", "ERRORS", "WARNINGS", "WORST", "FINDING"]
    rows = {tuple(line.split()[:6]) for line in table[1:]}
    assert rows == {
        ("orders", f"({orders},", "REST)", "us-east-1", "prod", "1"),
        ("billing", f"({billing},", "REST)", "eu-west-1", "live", "1"),
    }
    assert all("AGW109 no-operations" in line for line in table[1:])


def test_audit_needs_aws_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "audit")
    assert code == 2 and "pass --aws to confirm" in err


def test_without_credentials_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    code, _, err = run(capsys, "lint", str(ORDERS), "--aws", "--region", REGION)
    assert (
        code == 2 and err.startswith("apilint: no AWS credentials found") and err.count("\n") == 1
    )


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["lint", str(ORDERS)], id="lint"),
        pytest.param(
            [
                "drift",
                str(FIXTURES / "drift" / "rest-source.yaml"),
                "--deployed",
                str(FIXTURES / "drift" / "rest-oas30.json"),
            ],
            id="drift",
        ),
        pytest.param(
            [
                "lint",
                str(ORDERS),
                "--lambda-inventory",
                str(FIXTURES / "rules" / "lambda-unverifiable" / "account" / "inventory.json"),
            ],
            id="lint-with-inventory",
        ),
    ],
)
def test_no_boto3_and_no_network_without_aws(args: list[str]) -> None:
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k):\n    raise SystemExit('network used')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from apilint.cli import main\n"
        f"rc = main({args!r})\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "network used" not in done.stderr
    modules = next(t for t in done.stdout.splitlines() if t.startswith("MODULES")).split()
    assert "apilint.engine.run" in modules
    assert not [m for m in modules if m.split(".")[0] in ("boto3", "botocore", "moto")]


@pytest.mark.parametrize(
    "content,message",
    [
        pytest.param("{", "invalid JSON", id="json"),
        pytest.param('{"Items": []}', "not the output of aws lambda", id="shape"),
        pytest.param(
            '{"Functions": [{"FunctionName": "x"}]}', "without a valid FunctionArn", id="no-arn"
        ),
    ],
)
def test_bad_inventory_one_line(
    content: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "inv.json"
    bad.write_text(content)
    code, _, err = run(capsys, "lint", str(ORDERS), "--lambda-inventory", str(bad))
    assert (
        code == 2
        and err.startswith(f"apilint: --lambda-inventory {bad}")
        and message in err
        and err.count("\n") == 1
    )


def test_export_with_an_unreachable_endpoint_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTINGKEY000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-never-printed")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    code, out, err = run(capsys, "export", "a1b2c3d4e5", "--region", "eu-west-1", "--stage", "prod")
    assert (code, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(
        "apilint: cannot read API a1b2c3d4e5 in eu-west-1: "
        "EndpointConnectionError: Could not connect to the endpoint URL: "
        f'"{endpoint}/restapis/a1b2c3d4e5"'
    )
    assert "internal error" not in err and "testing-secret" not in err
