"""`apilint serve` on the command line: the URL on the first line, Ctrl-C, --explain, --reload,
and one-line errors with exit code 2."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from test_serve_support import KEY, SERVE, call

from apilint.cli import main

REST = SERVE / "rest"


def test_cli_serves_until_interrupted() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "apilint",
            "serve",
            str(REST / "api.yaml"),
            "--handlers",
            str(REST / "handlers"),
            "--port",
            "0",
            "--api-key",
            KEY,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = proc.stdout.readline()
        m = re.match(
            r"Listening on (http://127\.0\.0\.1:\d+) \(REST API .*api\.yaml, stage "
            r"prod: (http://127\.0\.0\.1:\d+/prod)\); Ctrl-C stops$",
            first.strip(),
        )
        assert m, first
        assert call(m.group(2), "GET", "/keyed", headers={"x-api-key": KEY}).status == 200
        assert call(m.group(1), "GET", "/prod/nope").status == 403
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert out.strip().endswith("apilint serve: stopped")
    assert KEY not in err and f"API keys: ****{KEY[-4:]}" in err
    assert "GET /prod/keyed 200 lambda:echo" in err
    assert "note: GET /backend: http_proxy integration: 501" in err


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(
            ["missing.yaml", "--handlers", str(REST / "handlers")],
            "apilint serve: missing.yaml: error: no such file",
            id="missing-spec",
        ),
        pytest.param(
            [str(REST / "handlers" / "app.py"), "--handlers", str(REST / "handlers")],
            "not an OpenAPI/Swagger document",
            id="not-a-definition",
        ),
        pytest.param(
            [str(REST / "api.yaml"), "--handlers", "no/such/dir"],
            "--handlers no/such/dir: not a directory",
            id="missing-handlers",
        ),
        pytest.param(
            [
                str(REST / "api.yaml"),
                "--handlers",
                str(REST / "handlers"),
                "--stage-var",
                "novalue",
            ],
            "expected NAME=VALUE",
            id="bad-stage-var",
        ),
        pytest.param([str(REST / "api.yaml")], "serve needs --handlers", id="no-handlers"),
        pytest.param(
            [
                str(REST / "api.yaml"),
                "--handlers",
                str(REST / "handlers"),
                "--max-body-size",
                "lots",
            ],
            "--max-body-size",
            id="bad-size",
        ),
    ],
)
def test_errors_are_one_line_exit_2(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("openapi: 3.0.1\npaths: [unclosed\n", id="invalid-yaml"),
        pytest.param("import nothing_here_at_all\n", id="handler-import-error"),
    ],
)
def test_unreadable_inputs(
    tmp_path: Path, content: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spec, handler = tmp_path / "api.yaml", tmp_path / "app.py"
    spec.write_text(content if content.startswith("openapi") else (REST / "api.yaml").read_text())
    handler.write_text(content if content.startswith("import") else "")
    assert main(["serve", str(spec), "--handlers", str(handler)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apilint serve: ") and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "Not emulated (answered 501" in out and "http-api-lambda-authorizer.html" in out
    assert main(["serve", str(REST / "api.yaml"), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "  GET /backend: http_proxy integration: 501\n" in out
    assert "  GET /vtl:" not in out  # a mock: served, its VTL template answers 501 per request
    assert "  GET /iam: IAM authorization: 403 unsigned, 501 signed\n" in out


def test_reload_picks_up_a_new_route(tmp_path: Path) -> None:
    from apilint.commands.serve import ServeOptions, run_serve

    spec = tmp_path / "api.yaml"
    text = (SERVE / "http" / "default-route.yaml").read_text().replace("/$default", "/other")
    spec.write_text(text)
    out, stop = io.StringIO(), threading.Event()
    options = ServeOptions(
        spec=str(spec), handlers=str(SERVE / "http" / "handlers.py"), reload=True
    )
    worker = threading.Thread(target=run_serve, args=(options, out, io.StringIO(), stop))
    worker.start()
    try:
        while "Listening on" not in out.getvalue():
            time.sleep(0.05)
        url = out.getvalue().split()[2]
        assert call(url, "GET", "/added").status == 404
        spec.write_text(text + text[text.index("  /items:") :].replace("/items", "/added"))
        deadline = time.monotonic() + 10
        while call(url, "GET", "/added").status != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert call(url, "GET", "/added").json()["routeKey"] == "GET /added"
    finally:
        stop.set()
        worker.join(10)
    assert out.getvalue().endswith("apilint serve: stopped\n")
