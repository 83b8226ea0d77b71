"""SAM templates linted as SAM deploys them (apilint.document.sam): AWS's translator builds the
API bodies, findings land on the SAM property that generated the node, and SAM's own errors are
findings (AGW703)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES

from apilint.document import sam
from apilint.document.definitions import load_definitions
from apilint.engine.run import Settings, lint_path

SAM = FIXTURES / "sam"
ACCEPTED_SAM = FIXTURES / "accepted" / "sam"

#: (rule, line) of every finding, reviewed against the templates.
EXPECTED: dict[str, set[tuple[str, int]]] = {
    # Cors + DefaultAuthorizer: SAM puts the authorizer on the generated preflight (at Cors).
    "rest-cors-default-authorizer.yaml": {("AGW503", 15), ("AGW507", 11)},
    "rest-cors-default-authorizer-off.yaml": {("AGW507", 11)},
    # Globals Cors (a string) + ApiKeyRequired on the implicit API: the key on the preflight.
    "rest-cors-api-key.yaml": {("AGW503", 7), ("AGW502", 7), ("AGW314", 8), ("AGW507", 19)},
    "rest-cors-api-key-off.yaml": {("AGW502", 7), ("AGW314", 8), ("AGW507", 20)},
    # Globals Cors + AWS_IAM: IAM on both preflights; /health opts out with Authorizer: NONE.
    "rest-cors-iam.yaml": {("AGW503", 7), ("AGW507", 21), ("AGW301", 30)},
    "rest-gateway-responses-globals.yaml": set(),
    # SAM itself refuses '*' with credentials, at the CorsConfiguration it names.
    "http-cors-credentials-wildcard.yaml": {("AGW703", 8)},
    "http-cors-credentials-origin.yaml": {("AGW301", 25)},
    "rest-sam-rejects.yaml": {("AGW703", 15), ("AGW703", 25)},
    # Rejected at the resource; its inline definition is still read as written.
    "rest-sam-rejects-stage.yaml": {("AGW703", 5), ("AGW301", 14), ("AGW427", 15)},
}
#: The templates AWS deploys (fixtures/accepted/sam): never an error; warnings reviewed.
ACCEPTED: dict[str, set[tuple[str, int]]] = {
    "http-api-implicit.yaml": {("AGW301", 19), ("AGW301", 20)},
    "http-api.yaml": {("AGW301", 61)},
    "rest-api-keys.yaml": {("AGW301", 38), ("AGW314", 14)},
    "rest-auth-cognito.yaml": set(),
    "rest-auth-iam.yaml": set(),
    "rest-auth-lambda.yaml": {("AGW301", 65)},
    "rest-cors-auth.yaml": {("AGW507", 11)},
    "rest-cors-object.yaml": {("AGW301", 31), ("AGW301", 38), ("AGW301", 45), ("AGW507", 11)},
    "rest-cors-string.yaml": {
        ("AGW301", 20),
        ("AGW301", 25),
        ("AGW301", 30),
        ("AGW502", 10),
        ("AGW507", 16),
    },
    "rest-definition-body.yaml": {("AGW301", 21), ("AGW507", 14)},
    "rest-events.yaml": {("AGW301", 18), ("AGW301", 23), ("AGW301", 35), ("AGW301", 40)},
    "rest-gateway-responses.yaml": {("AGW301", 40)},
    "rest-swagger-body.yaml": {("AGW501", 31), ("AGW507", 20)},
}


def _findings(path: Path) -> list[Any]:
    results = lint_path(str(path), Settings())
    assert [r.error for r in results if r.error] == []
    assert [c.detail for r in results for c in r.crashes] == []
    return [f for r in results for f in r.findings]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sam_fixture_findings(name: str) -> None:
    assert {(f.code, f.line) for f in _findings(SAM / name)} == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_sam_template_findings(name: str) -> None:
    assert {(f.code, f.line) for f in _findings(ACCEPTED_SAM / name)} == ACCEPTED[name]


def test_every_fixture_is_pinned() -> None:
    assert set(EXPECTED) == {p.name for p in SAM.glob("*.yaml")}
    assert set(ACCEPTED) == {p.name for p in ACCEPTED_SAM.glob("*.yaml")}


def _messages(path: Path, code: str) -> list[str]:
    return sorted(f.message for f in _findings(path) if f.code == code)


def test_preflight_authorizer_message_names_what_sam_generated() -> None:
    assert _messages(SAM / "rest-cors-default-authorizer.yaml", "AGW503") == [
        "the OPTIONS preflight SAM generates for /items (from Cors) requires the authorizer "
        "LambdaAuth from Auth.DefaultAuthorizer, but browsers send preflight requests without "
        "credentials, so every cross-origin call fails; set "
        "AddDefaultAuthorizerToCorsPreflight: false in Auth"
    ]


def test_preflight_api_key_message_names_the_api_key_flag() -> None:
    [message] = _messages(SAM / "rest-cors-api-key.yaml", "AGW503")
    assert message.startswith(
        "the OPTIONS preflight SAM generates for /reports (from "
        "Globals.Api.Cors) requires the API key from "
        "Globals.Api.Auth.ApiKeyRequired"
    )
    assert message.endswith("set AddApiKeyRequiredToCorsPreflight: false in Auth")


def test_other_rules_say_which_sam_property_generated_the_node() -> None:
    [message] = _messages(SAM / "rest-cors-api-key.yaml", "AGW502")
    assert message.endswith("(SAM generates this from Globals.Api.Cors)")
    [message] = _messages(SAM / "http-cors-credentials-origin.yaml", "AGW301")
    assert message.endswith("(SAM generates this from event WebFunction.Events.Root)")


def test_transform_failure_quotes_sams_message_per_cause() -> None:
    messages = _messages(SAM / "rest-sam-rejects.yaml", "AGW703")
    prefix = (
        "the SAM transform rejects the template, so the stack cannot deploy (CloudFormation: "
        "'Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application "
        "Specification document. Number of errors found: 2. Resource with id ["
    )
    assert [m.startswith(prefix) for m in messages] == [True, True]
    assert "[ItemsFunction] is invalid. Event with id [ListItems] is invalid." in messages[0]
    assert "[OrdersFunction] is invalid. Event with id [ListOrders] is invalid." in messages[1]


def test_uneditable_definition_is_reported_once_by_its_own_rule() -> None:
    """SAM refuses Cors on a DefinitionUri API; AGW702 says so with the fix, AGW703 stays out."""
    codes = {
        f.code for f in _findings(FIXTURES / "templates" / "sam-definition-uri" / "template.yaml")
    }
    assert "AGW702" in codes and "AGW703" not in codes


def test_implicit_event_apis_are_linted_rest_and_http() -> None:
    rest = load_definitions(str(ACCEPTED_SAM / "rest-events.yaml"))
    http = load_definitions(str(ACCEPTED_SAM / "http-api-implicit.yaml"))
    assert [(d.label, d.kind_hint, d.version) for d in rest.docs] == [
        ("ServerlessRestApi", "rest", "2.0")
    ]
    assert [(d.label, d.kind_hint, d.version) for d in http.docs] == [
        ("ServerlessHttpApi", "http", "3.0")
    ]
    assert sorted(rest.docs[0].data["paths"]) == REST_EVENT_PATHS


REST_EVENT_PATHS = ["/hello", "/items", "/pets/{petId}", "/{proxy+}"]


def _origin(path: Path, tokens: tuple[str, ...], label: str | None = None) -> tuple[int, Any]:
    sources = load_definitions(str(path))
    doc = next(d for d in sources.docs if label is None or d.label == label)
    return doc.span(tokens).line, doc.made_by(tokens)


@pytest.mark.parametrize(
    ("path", "tokens", "line", "made_by"),
    [
        pytest.param(
            SAM / "rest-cors-default-authorizer.yaml",
            ("paths", "/items", "options"),
            15,
            "Cors",
            id="preflight-from-cors",
        ),
        pytest.param(
            SAM / "rest-cors-default-authorizer.yaml",
            ("paths", "/items", "options", "security", "0", "LambdaAuth"),
            19,
            "Auth.DefaultAuthorizer",
            id="security-from-default-authorizer",
        ),
        pytest.param(
            SAM / "rest-cors-default-authorizer.yaml",
            ("paths", "/items", "get"),
            34,
            "event ItemsFunction.Events.ListItems",
            id="method-from-event",
        ),
        pytest.param(
            SAM / "rest-cors-default-authorizer.yaml",
            ("paths", "/items"),
            33,
            "event ItemsFunction.Events.ListItems",
            id="path-from-event",
        ),
        pytest.param(
            SAM / "rest-cors-default-authorizer.yaml",
            ("securityDefinitions", "LambdaAuth"),
            21,
            "Auth.Authorizers.LambdaAuth",
            id="scheme-from-authorizers",
        ),
        pytest.param(
            SAM / "rest-cors-default-authorizer.yaml",
            ("info",),
            11,
            "the ItemsApi resource",
            id="rest-falls-back-to-the-resource",
        ),
        pytest.param(
            SAM / "rest-cors-api-key.yaml",
            ("securityDefinitions", "api_key"),
            8,
            "Globals.Api.Auth",
            id="api-key-scheme-from-globals-auth",
        ),
        pytest.param(
            SAM / "rest-cors-api-key.yaml",
            ("info",),
            19,
            "the ServerlessRestApi resource",
            id="implicit-api-at-its-first-event",
        ),
        pytest.param(
            SAM / "rest-gateway-responses-globals.yaml",
            ("x-amazon-apigateway-gateway-responses", "DEFAULT_5XX"),
            15,
            "Globals.Api.GatewayResponses.DEFAULT_5XX",
            id="gateway-response",
        ),
        pytest.param(
            SAM / "http-cors-credentials-origin.yaml",
            ("x-amazon-apigateway-cors",),
            8,
            "CorsConfiguration",
            id="http-cors",
        ),
        pytest.param(
            SAM / "rest-cors-iam.yaml",
            ("paths", "/health", "get", "security", "0", "NONE"),
            31,
            "the Auth of event OrdersFunction.Events.Health",
            id="event-auth",
        ),
        pytest.param(
            FIXTURES / "templates" / "sam-yaml" / "template.yaml",
            ("paths", "/pets", "post", "x-amazon-apigateway-integration", "httpMethod"),
            42,
            None,
            id="copied-from-definition-body",
        ),
    ],
)
def test_generated_nodes_are_located_in_the_template(
    path: Path, tokens: tuple[str, ...], line: int, made_by: str | None
) -> None:
    assert _origin(path, tokens, "PetsApi" if "sam-yaml" in str(path) else None) == (line, made_by)


def test_a_translator_crash_is_one_note_and_the_template_is_read_as_written(monkeypatch) -> None:
    def crash(data: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setattr(sam, "transform", crash)
    sources = load_definitions(str(FIXTURES / "templates" / "sam-yaml" / "template.yaml"))
    assert sources.notes == [
        "the SAM translator failed (KeyError: 'boom'); SAM APIs read as "
        "written, not as SAM generates them"
    ]
    assert [d.label for d in sources.docs] == ["PetsApi", "ItemsApi"]
    assert sources.docs[0].made_by(("paths",)) is None  # today's path: the template as is
    results = lint_path(str(FIXTURES / "templates" / "sam-yaml" / "template.yaml"), Settings())
    assert "AGW503" not in {f.code for r in results for f in r.findings}
    assert not any(r.crashes or r.error for r in results)


def test_without_the_translator_sam_apis_are_read_as_written(monkeypatch) -> None:
    def missing(data: Any) -> Any:
        raise ModuleNotFoundError("No module named 'samtranslator'")

    monkeypatch.setattr(sam, "transform", missing)
    sources = load_definitions(str(ACCEPTED_SAM / "rest-events.yaml"))
    assert sources.docs == [] and sources.notes == [
        "SAM APIs read as written, not as SAM generates them: the SAM translator is not "
        "installed (pip install 'apilint[sam]')"
    ]


def test_the_template_given_is_not_modified() -> None:
    path = SAM / "rest-cors-api-key.yaml"
    sources = load_definitions(str(path))
    assert sources.template.doc.data["Resources"]["ReportsFunction"]["Properties"] == {
        "Events": {
            "GetReport": {"Type": "Api", "Properties": {"Path": "/reports", "Method": "get"}}
        }
    }
    assert sources.template.doc.data["Globals"]["Function"]["CodeUri"] == "src/"


def test_local_artifacts_are_packaged_as_sam_package_would(tmp_path: Path) -> None:
    """Local CodeUri/DefinitionUri/ContentUri/Location paths (and a function without code) are
    what `sam package` uploads; SAM's 'not a valid S3 Uri' about them is no finding."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "shop.yaml").write_text(
        'swagger: "2.0"\ninfo: {title: shop, version: "1"}\npaths:\n  /x:\n    get:\n'
        '      security: [{sigv4: []}]\n      responses: {"200": {description: ok}}\n'
        "      x-amazon-apigateway-integration: {type: mock, requestTemplates: "
        '{application/json: "{\\"statusCode\\": 200}"}, responses: {default: {statusCode: "200"}}}\n'
        "securityDefinitions:\n  sigv4: {type: apiKey, name: Authorization, in: header, "
        "x-amazon-apigateway-authtype: awsSigv4}\n"
    )
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        "  ShopApi:\n    Type: AWS::Serverless::Api\n"
        "    Properties: {StageName: prod, DefinitionUri: api/shop.yaml}\n"
        "  ShopFunction:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: app.handler, Runtime: python3.12}\n"
        "  Layer:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: layer/}\n"
        "  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties: {DefinitionUri: sm.json}\n"
        "  Nested:\n    Type: AWS::Serverless::Application\n"
        "    Properties: {Location: nested/template.yaml}\n"
    )
    sources = load_definitions(str(tmp_path / "template.yaml"))
    assert sources.template.sam.failures == [] and sources.notes == []
    assert [(d.label, d.path) for d in sources.docs] == [
        ("ShopApi", str(tmp_path / "api" / "shop.yaml"))
    ]  # read as uploaded, not translated


def test_a_transform_before_sams_makes_its_verdict_a_note(tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\nResources:\n"
        "  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n"
        "      Events:\n        E:\n          Type: Api\n"
        "          Properties: {Path: /x, Method: get, RestApiId: {Ref: Nope}}\n"
    )
    sources = load_definitions(str(tmp_path / "t.yaml"))
    assert sources.template.sam.failures == []
    assert sources.notes == [
        "SAM rejects the template as written, but AWS::LanguageExtensions "
        "runs before SAM; SAM APIs read as written"
    ]


def test_authorizer_none_is_named_as_the_event_setting_not_an_undefined_scheme() -> None:
    """SAM writes `security: [{NONE: []}]` for `Authorizer: NONE`: no AGW306 about an undefined
    scheme 'NONE', and AGW301 says why the route is open."""
    findings = _findings(SAM / "rest-cors-iam.yaml")
    assert "AGW306" not in {f.code for f in findings}
    [message] = [f.message for f in findings if f.code == "AGW301"]
    assert message.startswith(
        "GET /health can be called by anyone: its security is SAM's "
        "NONE (Authorizer: NONE), which means no authorization;"
    )


def test_suppressions_in_a_definition_body_still_apply(tmp_path: Path) -> None:
    template = (FIXTURES / "templates" / "sam-yaml" / "template.yaml").read_text()
    (tmp_path / "template.yaml").write_text(
        template.replace(
            "            post:\n", "            post:\n              x-apilint-ignore: AGW402\n"
        )
    )
    codes = {f.code for f in _findings(tmp_path / "template.yaml")}
    assert "AGW402" not in codes and "AGW422" in codes


def test_included_definitions_stay_as_written_and_the_rest_is_translated(tmp_path: Path) -> None:
    """AWS::Include runs before SAM, which SAM offline cannot do: the included API (Auth set)
    is linted from its file, SAM's verdict is not spoiled by it, and an event API next to it is
    still generated."""
    import shutil

    shutil.copytree(FIXTURES / "templates" / "include-fragment", tmp_path / "app")
    template = tmp_path / "app" / "template.yaml"
    template.write_text(
        template.read_text().replace(
            "    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: src/}\n",
            "    Properties:\n      Handler: app.handler\n      Runtime: python3.12\n"
            "      Events:\n        Ping: {Type: Api, Properties: {Path: /ping, Method: get}}\n",
        )
    )
    sources = load_definitions(str(template))
    assert sources.template.sam.failures == [] and sources.notes == []
    assert sorted(d.label or "" for d in sources.docs) == [
        "EventsApi",
        "OrdersApi",
        "ServerlessRestApi",
    ]
