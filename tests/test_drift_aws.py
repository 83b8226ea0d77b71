"""`apilint drift --aws`: the stage exported read-only, compared with the definition.

moto's GetExport returns a Swagger 2.0 skeleton of the live resources (upper-case verbs, no
security, integrations or extensions, and not per deployed stage) and its apigatewayv2 has no
ExportApi, so a drift introduced after deployment cannot show in it: these tests stub the two
clients with botocore's Stubber and the export shapes AWS returns (fixtures/rules/drift-*/
deployed). The Stubber also proves the command read-only: any call it was not given fails.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from aws_account import (  # noqa: F401
    REGION,
    aws,
    moto_endpoint,
    recorded_exports,
    streaming_body,
    stubbed_clients,
)
from helpers import FIXTURES, deployed_export, run


def _stub_rest(stubs: dict[str, Any], api_id: str, stage: str, export: Path) -> None:
    stubs["apigateway"].add_response(
        "get_rest_api", {"id": api_id, "name": "pets-rest"}, {"restApiId": api_id}
    )
    stubs["apigateway"].add_response(
        "get_export",
        {"body": streaming_body(export), "contentType": "application/json"},
        {
            "restApiId": api_id,
            "stageName": stage,
            "exportType": "oas30",
            "parameters": {"extensions": "apigateway"},
            "accepts": "application/json",
        },
    )


def _stubbed_rest(monkeypatch: pytest.MonkeyPatch, source: Path) -> dict[str, Any]:
    """Clients whose stage a1b2c3d4e5/prod exports as the fixture's deployed/ export."""
    stubs = stubbed_clients(monkeypatch, "us-east-1")
    _stub_rest(stubs, "a1b2c3d4e5", "prod", deployed_export(source))
    for stub in stubs.values():
        stub.activate()
    return stubs


def _drift(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code, out, err = run(capsys, "drift", *args, "--region", "us-east-1", "-f", "json")
    found = json.loads(out)["results"] if out else []
    return code, {(f["code"], f["operation"], Path(f["file"]).name, f["line"]) for f in found}, err


def test_an_authorizer_removed_after_deployment_is_found(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The stage after `put-method --authorization-type NONE` on GET /pets/{petId}, apiKeyRequired
    # switched off on POST /pets, and a deployment.
    source = FIXTURES / "rules" / "drift-auth-weaker" / "rest.yaml"
    stubs = _stubbed_rest(monkeypatch, source)
    code, found, err = _drift(
        capsys, str(source), "--aws", "--api-id", "a1b2c3d4e5", "--stage", "prod"
    )
    assert (code, err) == (1, "")
    assert found == {
        ("AGW803", "POST /pets", "rest.yaml", 29),
        ("AGW803", "GET /pets/{petId}", "rest.yaml", 71),
    }
    for stub in stubs.values():
        stub.assert_no_pending_responses()


def test_an_http_route_never_deployed_is_found(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "rules" / "drift-not-deployed" / "http.yaml"
    stubs = stubbed_clients(monkeypatch, "us-east-1")
    stubs["apigateway"].add_client_error(
        "get_rest_api", "NotFoundException", "Invalid API id", 404, {"restApiId": "h1t2p3a4p5"}
    )
    stubs["apigatewayv2"].add_response(
        "get_api",
        {"ApiId": "h1t2p3a4p5", "Name": "items-http", "ProtocolType": "HTTP"},
        {"ApiId": "h1t2p3a4p5"},
    )
    stubs["apigatewayv2"].add_response(
        "export_api",
        {"body": streaming_body(deployed_export(source))},
        {
            "ApiId": "h1t2p3a4p5",
            "OutputType": "JSON",
            "Specification": "OAS30",
            "IncludeExtensions": True,
            "StageName": "prod",
        },
    )
    for stub in stubs.values():
        stub.activate()
    args = (str(source), "--aws", "--api-id", "h1t2p3a4p5", "--stage", "prod")
    code, found, err = _drift(capsys, *args, "--fail-on", "warning")
    assert (code, err) == (1, "")
    assert found == {("AGW801", "POST /items", "http.yaml", 17)}


def test_save_export_keeps_what_findings_point_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = FIXTURES / "rules" / "drift-only-on-stage" / "rest.yaml"
    _stubbed_rest(monkeypatch, source)
    saved = tmp_path / "prod.json"
    code, found, _ = _drift(
        capsys,
        str(source),
        "--aws",
        "--api-id",
        "a1b2c3d4e5",
        "--stage",
        "prod",
        "--save-export",
        str(saved),
    )
    assert code == 0 and saved.read_bytes() == deployed_export(source).read_bytes()
    assert found == {
        ("AGW802", "DELETE /pets/{petId}", "prod.json", 221),
        ("AGW802", "POST /admin", "prod.json", 300),
    }


def test_a_failed_export_is_one_line_without_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stubs = stubbed_clients(monkeypatch, "us-east-1")
    stubs["apigateway"].add_response(
        "get_rest_api", {"id": "a1b2c3d4e5", "name": "pets"}, {"restApiId": "a1b2c3d4e5"}
    )
    stubs["apigateway"].add_client_error(
        "get_export", "NotFoundException", "Invalid stage identifier specified", 404
    )
    for stub in stubs.values():
        stub.activate()
    source = FIXTURES / "drift" / "rest-source.yaml"
    args = ("--aws", "--api-id", "a1b2c3d4e5", "--stage", "prd", "--region", "us-east-1")
    code, out, err = run(capsys, "drift", str(source), *args)
    assert (code, out) == (2, "")
    assert err == (
        "apilint: cannot export REST API a1b2c3d4e5 stage 'prd' in us-east-1: "
        "NotFoundException: Invalid stage identifier specified\n"
    )
    assert "testing-secret" not in err


@pytest.mark.moto
def test_audit_reports_drift_beside_the_lint_findings(
    aws: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    apigw = aws.client("apigateway", region_name=REGION)
    ids = {}
    for name in ("pets-rest", "legacy-pets", "unrelated"):
        ids[name] = apigw.create_rest_api(name=name)["id"]
        root = apigw.get_resources(restApiId=ids[name])["items"][0]["id"]
        apigw.put_method(
            restApiId=ids[name], resourceId=root, httpMethod="GET", authorizationType="NONE"
        )
        apigw.put_integration(restApiId=ids[name], resourceId=root, httpMethod="GET", type="MOCK")
        apigw.create_deployment(restApiId=ids[name], stageName="prod")
    weaker = FIXTURES / "rules" / "drift-auth-weaker" / "rest.yaml"
    gone = FIXTURES / "rules" / "drift-not-deployed" / "rest.yaml"
    recorded_exports(
        monkeypatch,
        {
            (ids["pets-rest"], "prod"): deployed_export(weaker),
            (ids["legacy-pets"], "prod"): deployed_export(gone),
        },
    )
    repo = tmp_path / "repo"
    (repo / "api").mkdir(parents=True)
    shutil.copy(weaker, repo / "api" / "pets.yaml")  # titled pets-rest
    (repo / "legacy").mkdir()
    shutil.copy(gone, repo / "legacy" / "old.yaml")  # also titled pets-rest: mapped by id
    mapping = tmp_path / "map.json"
    mapping.write_text(
        json.dumps({ids["legacy-pets"]: "legacy/old.yaml", "pets-rest": "api/pets.yaml"})
    )
    code, out, err = run(
        capsys,
        "audit",
        "--aws",
        "--region",
        REGION,
        "--source",
        str(repo),
        "--source-map",
        str(mapping),
        "-f",
        "text",
        "-f",
        f"json={tmp_path / 'audit.json'}",
    )
    assert code == 1 and "Traceback" not in err and "testing-secret" not in out + err
    drift = {
        (f["code"], f["operation"], Path(f["file"]).name, f["line"])
        for f in json.loads((tmp_path / "audit.json").read_text())["results"]
        if f["code"].startswith("AGW8")
    }
    assert drift == {
        ("AGW803", "POST /pets", "pets.yaml", 29),
        ("AGW803", "GET /pets/{petId}", "pets.yaml", 71),
        ("AGW801", "GET /pets/{petId}", "old.yaml", 64),
    }
    table = out[out.index("API  ") :].splitlines()
    assert table[0].split()[:6] == ["API", "REGION", "STAGE", "ERRORS", "WARNINGS", "DRIFT"]
    rows = {line.split()[0]: line.split()[7] for line in table[1:]}
    assert rows == {"pets-rest": "2", "legacy-pets": "1", "unrelated": "-"}
