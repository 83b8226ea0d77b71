"""`apilint test` against a real HTTP server on 127.0.0.1 (fixtures/contract/server.py) that
serves fixtures/contract/pets.yaml with seeded contract bugs."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES

from apilint.cli import main

sys.path.insert(0, str(FIXTURES / "contract"))
from server import API_KEY, BUGS, Server

SPEC = FIXTURES / "contract" / "pets.yaml"
BEARER = "bearer-token-5f2c9e"
#: (check, operation) each seeded bug must be reported as, and nothing else.
EXPECTED = {
    "server-error": ("contract/not-a-server-error", "GET /pets"),
    "schema-violation": ("contract/response-schema-conformance", "GET /pets/{petId}"),
    "cors-header": ("probe/cors-preflight", "OPTIONS /pets/{petId}"),
    "key-ignored": ("probe/api-key-required", "GET /orders"),
    "undocumented-status": ("contract/status-code-conformance", "GET /stats"),
}


def run_json(
    capsys: pytest.CaptureFixture[str], base_url: str, *extra: str, spec: Path = SPEC
) -> tuple[int, list[dict], str]:
    code = main(
        [
            "test",
            str(spec),
            "--base-url",
            base_url,
            "--api-key",
            API_KEY,
            "--bearer",
            BEARER,
            "-n",
            "5",
            "--seed",
            "1",
            "-f",
            "json",
            *extra,
        ]
    )
    out, err = capsys.readouterr()
    return code, json.loads(out)["results"] if out.strip() else [], err


def found(results: list[dict]) -> set[tuple[str, str]]:
    return {(r["code"], r["operation"]) for r in results}


@pytest.mark.contract
def test_every_seeded_bug_is_reported_once_with_its_check_and_operation(capsys) -> None:
    with Server(bugs=BUGS) as server:
        code, results, _ = run_json(capsys, server.base_url)
    assert code == 1
    keys = [(r["code"], r["operation"]) for r in results]
    assert sorted(keys) == sorted(EXPECTED.values())  # once each: no duplicates


@pytest.mark.contract
@pytest.mark.parametrize("bug", sorted(BUGS))
def test_one_bug_alone_gives_exactly_its_finding(capsys, bug: str) -> None:
    with Server(bugs={bug}) as server:
        code, results, _ = run_json(capsys, server.base_url)
    assert code == 1
    assert [(r["code"], r["operation"]) for r in results] == [EXPECTED[bug]]


@pytest.mark.contract
def test_a_correct_server_passes(capsys) -> None:
    with Server() as server:
        code, results, err = run_json(capsys, server.base_url)
    assert (code, results) == (0, [])
    assert "11 of 11 operations fuzzed" in err and "gateway probes run" in err


@pytest.mark.contract
def test_findings_carry_expected_got_and_a_curl(capsys) -> None:
    with Server(bugs={"key-ignored"}) as server:
        _, results, _ = run_json(capsys, server.base_url)
    [finding] = results
    assert finding["line"] == 106 and finding["pointer"] == "/paths/~1orders/get"
    assert finding["message"] == (
        "GET /orders: a request without an API key was not rejected; expected 403 "
        '{"message": "Forbidden"}; got 200 ["o-1"]; reproduce: curl -X GET -H '
        f"'Authorization: ***' {server.base_url}/orders"
    )


@pytest.mark.contract
def test_the_same_seed_sends_the_same_requests(capsys) -> None:
    sent = []
    for seed in ("7", "7", "8"):
        with Server(bugs=BUGS) as server:
            run_json(capsys, server.base_url, "--seed", seed)
        sent.append(server.requests)
    assert len(sent[0]) > 50
    assert sent[0] == sent[1]
    assert [r[:2] for r in sent[0]] != [r[:2] for r in sent[2]]


@pytest.mark.contract
def test_max_time_stops_a_run_against_a_slow_server(capsys) -> None:
    with Server(delay=1.0) as server:
        started = time.monotonic()
        code = main(
            [
                "test",
                str(SPEC),
                "--base-url",
                server.base_url,
                "--api-key",
                API_KEY,
                "-n",
                "50",
                "--max-time",
                "3",
            ]
        )
        elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert elapsed < 30
    assert "time budget reached (--max-time 3)" in err
    assert code in (0, 1)


@pytest.mark.contract
def test_no_fuzz_runs_only_the_probes(capsys) -> None:
    with Server(bugs=BUGS) as server:
        _, results, _ = run_json(capsys, server.base_url, "--no-fuzz")
    assert found(results) == {EXPECTED["cors-header"], EXPECTED["key-ignored"]}


def _swagger_files_validated() -> dict:
    spec = yaml.safe_load(SPEC.read_text())
    files = spec["paths"]["/files/{proxy+}"]["x-amazon-apigateway-any-method"]
    files["x-amazon-apigateway-request-validator"] = "body"
    files["parameters"].append(
        {"name": "file", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}
    )
    return spec


OAS3_FILES_VALIDATED = {
    "openapi": "3.0.1",
    "info": {"title": "files", "version": "1"},
    "x-amazon-apigateway-request-validators": {"body": {"validateRequestBody": True}},
    "paths": {
        "/files/{proxy+}": {
            "x-amazon-apigateway-any-method": {
                "x-amazon-apigateway-request-validator": "body",
                "parameters": [
                    {"name": "proxy", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    }
                },
                "responses": {"200": {"description": "file"}},
            }
        }
    },
    "components": {"schemas": {"Pet": {"type": "object"}}},
}


@pytest.mark.contract
@pytest.mark.parametrize(
    "spec",
    [
        pytest.param(_swagger_files_validated(), id="swagger-body-parameter"),
        pytest.param(OAS3_FILES_VALIDATED, id="oas3-request-body"),
    ],
)
def test_a_body_the_validator_should_refuse_is_reported(capsys, tmp_path: Path, spec: dict) -> None:
    # The stand-in server does not validate /files: the probe's invalid body gets through.
    path = tmp_path / "validated.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    with Server() as server:
        code, results, _ = run_json(capsys, server.base_url, "--no-fuzz", spec=path)
    assert code == 1
    assert found(results) == {("probe/request-validator", "ANY /files/{proxy+}")}
    # sent as POST (ANY), to a path the greedy resource takes, with a body of the wrong type
    assert ("POST", "/prod/files/apilint/probe", b"[]") in [
        (m, p, b) for m, p, _, b in server.requests
    ]


@pytest.mark.contract
def test_lint_first_stops_on_lint_errors(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    # An 11-digit account in a Lambda URI: an import error (AGW401).
    text = SPEC.read_text().replace("123456789012:function:pets", "12345678901:function:pets", 1)
    bad.write_text(text)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "12345678901:" in t)
    column = text.splitlines()[line - 1].index('uri: "arn') + 1
    with Server() as server:
        code = main(["test", str(bad), "--base-url", server.base_url, "--lint", "-q"])
    out, err = capsys.readouterr()
    assert code == 1
    assert server.requests == []
    assert "lint errors" in err and f"{bad}:{line}:{column}: AGW401 [error]" in out


def test_list_checks_names_every_check(capsys) -> None:
    from apilint.catalog.contract_checks import CONTRACT_CHECKS

    assert main(["test", "--list-checks"]) == 0
    listed = {line.split()[0] for line in capsys.readouterr().out.splitlines()}
    assert listed == set(CONTRACT_CHECKS)


@pytest.mark.contract
def test_run_contract_in_process() -> None:
    from apilint.contract.runner import ContractOptions, run_contract
    from apilint.contract.secrets import Credentials

    with Server(bugs={"schema-violation"}) as server:
        run = run_contract(
            ContractOptions(
                str(SPEC),
                server.base_url,
                Credentials(api_key=API_KEY, bearer=BEARER),
                max_examples=3,
                seed=2,
            )
        )
    assert {(f.code, f.operation) for f in run.result.findings} == {EXPECTED["schema-violation"]}
    assert (run.fuzzed, run.operations, run.probes_done, run.budget_reached) == (
        11,
        11,
        True,
        False,
    )
    assert run.requests == len(server.requests)
