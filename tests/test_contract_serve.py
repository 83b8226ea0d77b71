"""`apilint test --serve`: the pre-deploy contract test in one command. The seeded-bug pets API
(fixtures/serve/seeded) run through the emulator yields the same kinds of findings, with the
same checks, as the seeded stand-in server of test_contract.py; its correct twin yields none."""

from __future__ import annotations

import json
import re

import pytest
from helpers import FIXTURES
from test_contract import EXPECTED

from apilint.cli import main

SERVE = FIXTURES / "serve"
KEY = "test-api-key-0123456789"
#: fixtures/serve/README.md: each bug of seeded/ and the finding it must give.
SEEDED = {
    "server-error": ("contract/not-a-server-error", "GET /pets"),
    "schema-violation": ("contract/response-schema-conformance", "GET /pets/{petId}"),
    "cors-header": ("probe/cors-preflight", "OPTIONS /pets"),
    "key-ignored": ("probe/api-key-required", "DELETE /pets/{petId}"),
    "undocumented-status": ("contract/status-code-conformance", "POST /pets"),
}


def _test(capsys: pytest.CaptureFixture[str], app: str, *extra: str) -> tuple[int, list[dict], str]:
    folder = SERVE / app
    code = main(
        [
            "test",
            str(folder / "api.yaml"),
            "--serve",
            "--handlers",
            str(folder / "handlers.py"),
            "--api-key",
            KEY,
            "-n",
            "10",
            "-f",
            "json",
            *extra,
        ]
    )
    out, err = capsys.readouterr()
    return code, json.loads(out)["results"], err


@pytest.mark.contract
def test_serve_finds_the_seeded_bugs_with_the_same_checks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, results, err = _test(capsys, "seeded")
    assert code == 1 and "Traceback" not in err
    assert sorted((r["code"], r["operation"]) for r in results) == sorted(SEEDED.values())
    # The same bug kinds, found by the same checks, as against the stand-in server.
    assert {bug: check for bug, (check, _) in SEEDED.items()} == {
        bug: check for bug, (check, _) in EXPECTED.items()
    }
    key_finding = next(r for r in results if r["code"] == "probe/api-key-required")
    assert "root-level `security`" in key_finding["message"]
    assert KEY not in json.dumps(results) + err


@pytest.mark.contract
def test_serve_curl_lines_say_to_start_the_emulator_on_their_port(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The run's emulator is gone when the report is read: each curl line says what to start.
    folder = SERVE / "seeded"
    _, results, _ = _test(capsys, "seeded", "--stage", "v1", "--stage-var", "table=pets")
    curls = [r["message"].partition("; reproduce ")[2] for r in results]
    assert len(curls) == len(SEEDED) and all(curls)
    for line in curls:
        said = re.fullmatch(
            r"\(start `apilint serve (\S+) --handlers (\S+) --port (\d+) "
            r"--stage v1 --stage-var table=pets --api-key KEY` first\): "
            r"curl .* '?http://127\.0\.0\.1:(\d+)/v1/\S*",
            line,
        )
        assert said is not None, line
        assert said.groups()[:2] == (str(folder / "api.yaml"), str(folder / "handlers.py"))
        assert said[3] == said[4]  # the port the curl line calls


@pytest.mark.contract
def test_serve_passes_the_correct_twin(capsys: pytest.CaptureFixture[str]) -> None:
    code, results, err = _test(capsys, "correct")
    assert (code, results) == (0, [])
    assert "4 of 4 operations fuzzed" in err


@pytest.mark.parametrize(
    "args,message",
    [
        pytest.param(["--serve"], "--serve needs --handlers", id="no-handlers"),
        pytest.param(
            ["--serve", "--handlers", "x", "--base-url", "http://127.0.0.1:9"],
            "either --base-url",
            id="both",
        ),
        pytest.param([], "either --base-url", id="neither"),
    ],
)
def test_serve_usage_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["test", str(SERVE / "seeded" / "api.yaml"), *args])
    _, err = capsys.readouterr()
    assert code == 2 and message in err
