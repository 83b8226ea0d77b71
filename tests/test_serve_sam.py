"""`apilint serve template.yaml`: a SAM template served with its own Python functions
(fixtures/serve/sam-app): implicit REST API from Api events (stage Prod), an explicit HttpApi with
an event merged in, environment variables per function and per invocation, Timeout, a local
layer, two `app.py` in two CodeUris, a Node.js function (501)."""

from __future__ import annotations

import io
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_serve_support import SERVE, Reply, call

from apilint.cli import main

APP = SERVE / "sam-app"
TEMPLATE = APP / "template.yaml"
_LISTENING = re.compile(r"Listening on \S+ \((REST|HTTP) API .*, stage (\S+): (\S+)\)")


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, io.StringIO]]:
    """`apilint serve TEMPLATE ARGS` through the command's own code, on a free port."""
    from apilint.commands.serve import ServeOptions, run_serve

    api_id = args[args.index("--api") + 1] if "--api" in args else None
    handlers = args[args.index("--handlers") + 1] if "--handlers" in args else None
    spec = args[0] if args and not args[0].startswith("--") else str(TEMPLATE)
    out, err, stop = io.StringIO(), io.StringIO(), threading.Event()
    options = ServeOptions(spec=spec, handlers=handlers, api_id=api_id, reload="--reload" in args)
    worker = threading.Thread(target=run_serve, args=(options, out, err, stop))
    worker.start()
    try:
        for _ in range(300):
            m = _LISTENING.search(out.getvalue())
            if m or not worker.is_alive():
                break
            time.sleep(0.05)
        assert m, out.getvalue() + err.getvalue()
        yield m.group(3), err
    finally:
        stop.set()
        worker.join(10)


@pytest.fixture(scope="module")
def rest() -> Iterator[tuple[str, io.StringIO]]:
    with serving("--api", "ServerlessRestApi") as served:
        yield served


@pytest.fixture(scope="module")
def http() -> Iterator[tuple[str, io.StringIO]]:
    with serving("--api", "OrdersApi") as served:
        yield served


def body(reply: Reply) -> dict[str, object]:
    assert reply.status in (200, 201), (reply.status, reply.body)
    return reply.json()


def test_implicit_rest_api_at_stage_prod(rest: tuple[str, io.StringIO]) -> None:
    url, _ = rest
    assert url.endswith("/Prod")
    assert body(call(url, "GET", "/hello")) == {
        "message": "HELLO WORLD!",  # shout() comes from the Globals layer (layer/python)
        "env": {"APP_STAGE": "local", "GREETING": "hello", "ORDERS_TABLE": None, "SCRATCH": None},
        "helper": "hello/helper.py",
        "imported_with": "hello",
        "function": "HelloFunction",
        "lambda_name": "HelloFunction",
    }
    assert body(call(url, "GET", "/hello/ann"))["message"] == "HELLO ANN!"
    # SAM's implicit API has only the event routes.
    assert call(url, "GET", "/orders/1").status == 403


def test_explicit_http_api_with_merged_event(http: tuple[str, io.StringIO]) -> None:
    url, _ = http
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)  # $default: no stage prefix
    env = {"APP_STAGE": "local", "GREETING": None, "ORDERS_TABLE": "orders-local"}
    assert body(call(url, "GET", "/orders/7")) == {
        "route": "GET /orders/{id}",
        "helper": "orders/helper.py",
        "env": env,
    }
    # An HTTP API integration may name the bare function ARN (`!GetAtt OrdersFunction.Arn`).
    assert body(call(url, "GET", "/orders/7/items"))["route"] == "GET /orders/{id}/items"


def test_lambda_authorizer_is_the_template_s_function(http: tuple[str, io.StringIO]) -> None:
    url, err = http
    # AuthFunction compares the token with ACCEPTED_TOKEN from its own environment.
    created = call(url, "POST", "/orders", headers={"x-token": "letmein"}, body=b"{}")
    assert (created.status, created.json()["route"]) == (201, "POST /orders")
    assert call(url, "POST", "/orders", headers={"x-token": "nope"}).status == 403
    assert call(url, "POST", "/orders").status == 401  # no identity source
    assert "POST /orders 201 lambda:OrdersFunction" in err.getvalue()


def test_node_function_answers_501_naming_it(rest: tuple[str, io.StringIO]) -> None:
    url, err = rest
    reply = call(url, "GET", "/node")
    assert (reply.status, reply.header("x-apilint-not-emulated")) == (501, "true")
    message = reply.json()["message"]
    assert "function NodeFunction (Runtime nodejs20.x)" in message
    assert (
        "note: GET /node: function NodeFunction (Runtime nodejs20.x); apilint serve runs "
        "Python functions only"
    ) in err.getvalue()


def test_function_timeout_is_a_lambda_error(rest: tuple[str, io.StringIO]) -> None:
    url, err = rest
    quick = call(url, "GET", "/slow?seconds=0.05")
    assert quick.status == 200 and 0 < quick.json()["left_ms"] < 1000  # Timeout: 1
    started = time.monotonic()
    late = call(url, "GET", "/slow?seconds=3")
    assert time.monotonic() - started < 2.5
    # Lambda ends the function ("Task timed out"): a Lambda error, 502 on a REST API.
    assert (late.status, late.json()) == (502, {"message": "Internal server error"})
    assert late.header("x-amzn-ErrorType") == "InternalServerErrorException"
    assert "Task timed out after 1.00 seconds" in err.getvalue()


def test_integration_timeout_before_the_function_s(http: tuple[str, io.StringIO]) -> None:
    url, _ = http
    # timeoutInMillis 300 < Timeout 5: the HTTP API gives up first (503 on HTTP APIs).
    reply = call(url, "GET", "/orders/7/wait?hold=1")
    assert (reply.status, reply.json()) == (503, {"message": "Service Unavailable"})


def test_concurrent_functions_keep_their_own_environment(
    rest: tuple[str, io.StringIO], http: tuple[str, io.StringIO]
) -> None:
    def hello() -> object:
        return body(call(rest[0], "GET", "/hello?hold=0.3"))["env"]

    def orders() -> object:
        return body(call(http[0], "GET", "/orders/1?hold=0.3"))["env"]

    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(f) for f in (hello, orders) * 3]
        results = [f.result() for f in futures]
    assert (
        results
        == [
            {"APP_STAGE": "local", "GREETING": "hello", "ORDERS_TABLE": None, "SCRATCH": None},
            {"APP_STAGE": "local", "GREETING": None, "ORDERS_TABLE": "orders-local"},
        ]
        * 3
    )
    # Nothing an invocation set or wrote is left in the process environment.
    assert [os.environ.get(k) for k in ("GREETING", "ORDERS_TABLE", "SCRATCH")] == [None] * 3


def test_environment_layers_are_per_thread() -> None:
    from apilint.serve import environ

    barrier = threading.Barrier(2)
    seen: dict[str, tuple[str | None, str | None]] = {}

    def run(name: str) -> None:
        with environ.variables({"WHO": name}):
            os.environ["WROTE"] = name
            barrier.wait(5)  # both layers active at once
            seen[name] = (os.environ.get("WHO"), os.getenv("WROTE"))
            del os.environ["WHO"]
            assert "WHO" not in os.environ

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen == {"a": ("a", "a"), "b": ("b", "b")}
    assert (os.environ.get("WHO"), os.environ.get("WROTE")) == (None, None)
    os.environ["APILINT_TEST_PROCESS"] = "1"  # without a layer: the process environment
    try:
        assert os.getenv("APILINT_TEST_PROCESS") == "1"
    finally:
        del os.environ["APILINT_TEST_PROCESS"]


def test_globals_merge_as_sam_merges_them() -> None:
    from apilint.serve.sam import merge_globals

    merged = merge_globals(
        {
            "Timeout": 3,
            "Layers": ["g"],
            "Environment": {"Variables": {"A": "1", "B": "1"}},
            "CodeUri": {"Ref": "Code"},
        },
        {
            "Timeout": 9,
            "Layers": ["f"],
            "Environment": {"Variables": {"B": "2"}},
            "CodeUri": "src/",
        },
    )
    assert merged == {
        "Timeout": 9,
        "Layers": ["g", "f"],
        "CodeUri": "src/",
        "Environment": {"Variables": {"A": "1", "B": "2"}},
    }


def test_handlers_override_a_function_by_logical_id(tmp_path: Path) -> None:
    (tmp_path / "local.py").write_text(
        "def hello(event, context):\n"
        "    return {'statusCode': 200, 'body': 'overridden ' + context.function_name}\n"
    )
    mapping = tmp_path / "handlers.json"
    mapping.write_text(json.dumps({"HelloFunction": "local.py:hello"}))
    with serving("--api", "ServerlessRestApi", "--handlers", str(mapping)) as (url, _):
        assert call(url, "GET", "/hello").body == b"overridden HelloFunction"
        assert call(url, "GET", "/slow").status == 200  # the template's own function


def _app(tmp_path: Path, code: str) -> Path:
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "app.py").write_text(code)
    template = tmp_path / "template.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      {CodeUri: fn/, Handler: app.handler, Runtime: python3.11,\n"
        "       Events: {Get: {Type: HttpApi, Properties: {Path: /x, Method: get}}}}\n"
    )
    return template


def test_code_that_does_not_import_fails_each_call(tmp_path: Path) -> None:
    template = _app(tmp_path, "import no_such_module_here\n")
    with serving(str(template)) as (url, err):
        reply = call(url, "GET", "/x")
        assert (reply.status, reply.json()) == (500, {"message": "Internal Server Error"})
    assert (
        "note: function Fn: Runtime.ImportModuleError: Unable to import module 'app': "
        "ModuleNotFoundError: No module named 'no_such_module_here'"
    ) in err.getvalue()


def test_reload_imports_the_function_again(tmp_path: Path) -> None:
    handler = "def handler(event, context):\n    return {'statusCode': 200, 'body': '%s'}\n"
    template = _app(tmp_path, handler % "one")
    with serving(str(template), "--reload") as (url, err):
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)  # ServerlessHttpApi, $default
        assert call(url, "GET", "/x").body == b"one"
        time.sleep(0.05)
        (tmp_path / "fn" / "app.py").write_text(handler % "two")
        for _ in range(60):
            if call(url, "GET", "/x").body == b"two":
                break
            time.sleep(0.1)
        assert call(url, "GET", "/x").body == b"two", err.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(
            [], "holds 2 APIs (OrdersApi, ServerlessRestApi); choose one with --api", id="two-apis"
        ),
        pytest.param(
            ["--api", "Nope"],
            "--api Nope: the template's APIs are OrdersApi, ServerlessRestApi",
            id="unknown-api",
        ),
    ],
)
def test_choosing_the_api(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["serve", str(TEMPLATE), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1


_SAM = (
    "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties: {CodeUri: x/, Handler: app.handler, Runtime: python3.12"
)


def test_api_choice_is_for_templates(capsys: pytest.CaptureFixture[str]) -> None:
    spec = SERVE / "http" / "api.yaml"
    code = main(
        ["serve", str(spec), "--handlers", str(SERVE / "http" / "handlers.py"), "--api", "X"]
    )
    err = capsys.readouterr().err
    assert (
        code == 2
        and err == f"apilint serve: error: --api X: {spec} is a definition, not a template\n"
    )


@pytest.mark.parametrize(
    "template, message",
    [
        pytest.param(
            _SAM + ", Events: {G: {Type: Api, Properties: {Path: /x}}}}\n",
            "SAM cannot transform the template: Resource with id [Fn] is invalid. Event "
            "with id [G] is invalid. Property 'Method' is required.",
            id="sam-rejects",
        ),
        pytest.param(
            _SAM + "}\n",
            "the template has no API to serve: no API resource with a definition and no "
            "function with Api or HttpApi events",
            id="no-api",
        ),
    ],
)
def test_template_errors_are_one_line(
    template: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "t.yaml").write_text(template)
    code = main(["serve", str(tmp_path / "t.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and err == f"apilint serve: {tmp_path / 't.yaml'}: error: {message}\n"


def test_template_text_cannot_inject_terminal_escapes(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        _SAM.replace("python3.12", '"node\\e[2J"')
        + ", Events: {G: {Type: HttpApi, Properties: {Path: /x, Method: get}}}}\n"
    )
    with serving(str(template)) as (url, err):
        assert call(url, "GET", "/x").status == 501
    assert "\x1b" not in err.getvalue()
    assert "note: GET /x: function Fn (Runtime node\\x1b[2J)" in err.getvalue()


def test_contract_test_serves_the_template(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["test", str(TEMPLATE), "--serve", "--api", "ServerlessRestApi", "-n", "2", "-f", "json"]
    )
    results = json.loads(capsys.readouterr().out)["results"]
    # The template's functions answered: 200s that SAM's generated definition does not
    # document (responses: {}), and the Node.js function's 501.
    assert code == 1
    assert sorted((r["code"], r["operation"]) for r in results) == [
        ("contract/not-a-server-error", "GET /node"),
        ("contract/status-code-conformance", "GET /hello"),
        ("contract/status-code-conformance", "GET /hello/{name}"),
        ("contract/status-code-conformance", "GET /slow"),
    ]


CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Body:
        swagger: "2.0"
        info: {title: plain, version: "1"}
        paths:
          /by-ref:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/\\
arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}/invocations"
          /by-name:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\\
arn:aws:lambda:us-east-1:123456789012:function:plain-fn/invocations"
          /by-stage-variable:
            get:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/\\
arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations"
  Stage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref Api, StageName: v1, Variables: {fn: plain-fn}}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: plain-fn
      Code: fn/
      Handler: app.handler
      Runtime: python3.12
      Environment: {Variables: {REGION_SEEN: !Ref "AWS::Region"}}
"""


def test_cloudformation_template_without_sam(tmp_path: Path) -> None:
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "app.py").write_text(
        "import os\n"
        "def handler(event, context):\n"
        "    return {'statusCode': 200,\n"
        "            'body': ' '.join([event['resource'], event['requestContext']['stage'],\n"
        "                              context.function_name, os.environ['REGION_SEEN']])}\n"
    )
    (tmp_path / "template.yaml").write_text(CFN)
    with serving(str(tmp_path / "template.yaml")) as (url, _):
        assert url.endswith("/v1")  # the Stage resource's name, and its variables
        assert [
            call(url, "GET", p).body.decode() for p in ("/by-ref", "/by-name", "/by-stage-variable")
        ] == [f"{p} v1 plain-fn us-east-1" for p in ("/by-ref", "/by-name", "/by-stage-variable")]
