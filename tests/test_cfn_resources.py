"""The CloudFormation front end for APIs without a body (apilint.document.cfn_resources,
cfn_rest, cfn_http): what each resource becomes in the model, and notes instead of guesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.document.definitions import load_definitions
from apilint.document.model import Sources
from apilint.engine.run import Settings, build_model, lint_path
from apilint.model import Api


def load(tmp_path: Path, text: str) -> Sources:
    path = tmp_path / "template.yaml"
    path.write_text(text)
    loaded = load_definitions(path)
    assert isinstance(loaded, Sources)
    return loaded


def model(tmp_path: Path, text: str) -> Api:
    (doc,) = load(tmp_path, text).docs
    assert doc.built_from == "CloudFormation resources"
    return build_model(doc, Settings())


REST = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      BinaryMediaTypes: [image/png]
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}
  Item:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !Ref Items, PathPart: "{id}"}
  Token:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Name: token
      Type: TOKEN
      IdentitySource: method.request.header.X-Token
      AuthorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
  Body:
    Type: AWS::ApiGateway::RequestValidator
    Properties: {RestApiId: !Ref Api, Name: body, ValidateRequestBody: true}
  Pet:
    Type: AWS::ApiGateway::Model
    Properties: {RestApiId: !Ref Api, Name: Pet, ContentType: application/json, Schema: {type: object}}
  Missing4xx:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref Api
      ResponseType: DEFAULT_4XX
      ResponseParameters: {gatewayresponse.header.Access-Control-Allow-Origin: "'*'"}
  Put:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Item
      HttpMethod: PUT
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref Token
      ApiKeyRequired: true
      RequestValidatorId: !Ref Body
      RequestModels: {application/json: !Ref Pet}
      RequestParameters: {method.request.path.id: true, method.request.header.X-Trace: false}
      MethodResponses: [{StatusCode: "200", ResponseParameters: {method.response.header.ETag: true}}]
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: arn:aws:apigateway:us-east-1:dynamodb:action/PutItem
        PassthroughBehavior: NEVER
        RequestTemplates: {application/json: "{}"}
        IntegrationResponses: [{StatusCode: "200", SelectionPattern: "2\\\\d{2}"}]
"""


def test_a_rest_api_becomes_the_exported_model(tmp_path: Path) -> None:
    api = model(tmp_path, REST)
    assert api.kind == "rest"
    assert sorted(api.resources) == ["/", "/items", "/items/{id}"]
    (method,) = api.methods
    assert method.label == "PUT /items/{id}"
    assert method.auth.kinds == {"lambda", "api_key"}
    assert api.schemes["token"].header == "X-Token"
    assert {(p.name, p.location) for p in method.parameters} == {
        ("id", "path"),
        ("X-Trace", "header"),
    }
    assert method.request_media_types == ("application/json",)
    assert method.integration is not None and method.integration.type == "aws"
    assert method.integration.value["passthroughBehavior"] == "never"
    assert [p for p, _ in api.integration_responses(method.integration)] == ["2\\d{2}"]
    assert api.request_validation(method) == (False, True)
    assert [t for t, _, _ in api.gateway_responses()] == ["DEFAULT_4XX"]
    assert api.ext("x-amazon-apigateway-binary-media-types").value == ["image/png"]  # type: ignore[union-attr]
    assert api.doc.data["components"]["schemas"] == {"Pet": {"type": "object"}}


def test_positions_are_the_properties(tmp_path: Path) -> None:
    api = model(tmp_path, REST)
    (method,) = api.methods
    doc = api.doc
    integ = method.integration
    assert integ is not None
    assert doc.pointer(method.at.tokens) == "/Resources/Put/Properties/HttpMethod"
    assert doc.pointer(integ.at.tokens + ("uri",)) == "/Resources/Put/Properties/Integration/Uri"
    # a mapping template is the property's own value: positions inside it are kept
    assert (
        doc.pointer(integ.at.tokens + ("requestTemplates", "application/json"))
        == "/Resources/Put/Properties/Integration/RequestTemplates/application~1json"
    )
    assert doc.span(integ.at.tokens + ("uri",)).line == 48
    assert doc.pointer(("components", "securitySchemes", "token")) == "/Resources/Token"


HTTP = """\
Resources:
  Api:
    Type: AWS::ApiGatewayV2::Api
    Properties:
      ProtocolType: HTTP
      Target: arn:aws:lambda:us-east-1:123456789012:function:quick
      CorsConfiguration: {AllowOrigins: ["https://app.example.com"], AllowMethods: [GET]}
  Iam:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: ANY /admin/{proxy+}
      AuthorizationType: AWS_IAM
      Target: !Join ["/", [integrations, !Ref Backend]]
  Backend:
    Type: AWS::ApiGatewayV2::Integration
    Properties:
      ApiId: !Ref Api
      IntegrationType: AWS_PROXY
      IntegrationUri: arn:aws:lambda:us-east-1:123456789012:function:admin
      PayloadFormatVersion: "2.0"
"""


def test_an_http_api_with_quick_create_and_routes(tmp_path: Path) -> None:
    api = model(tmp_path, HTTP)
    assert api.kind == "http"
    assert [(m.label, sorted(m.auth.kinds)) for m in api.methods] == [
        ("ANY /admin/{proxy+}", ["iam"]),
        ("ANY /$default", []),
    ]
    assert [m.integration.type for m in api.methods if m.integration] == ["aws_proxy"] * 2
    # the route's integration is the Integration resource, shared by reference
    assert api.doc.pointer(api.integrations()[0][0].at.tokens) == "/Resources/Backend/Properties"
    assert api.ext("x-amazon-apigateway-cors").value["allowMethods"] == ["GET"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "note"),
    [
        pytest.param(
            "Resources:\n  Api: {Type: AWS::ApiGatewayV2::Api, Properties: {ProtocolType: WEBSOCKET}}\n",
            "Api is a WEBSOCKET API; not linted",
            id="websocket",
        ),
        pytest.param(
            "Resources:\n  Api: {Type: AWS::ApiGateway::RestApi}\n",
            "Api has no body and no AWS::ApiGateway::Method; not linted",
            id="no-methods",
        ),
    ],
)
def test_nothing_to_lint_is_a_note(tmp_path: Path, text: str, note: str) -> None:
    loaded = load(tmp_path, text)
    assert loaded.docs == [] and loaded.notes == [note]


def test_an_unreadable_parent_is_a_note_not_a_guess(tmp_path: Path) -> None:
    text = REST.replace("ParentId: !Ref Items", "ParentId: !ImportValue shared-root")
    loaded = load(tmp_path, text)
    assert loaded.notes == [
        "Item: its ParentId/PathPart do not lead to the root of Api; its methods are not linted",
        "Put: its ResourceId or HttpMethod cannot be read here; not linted",
    ]
    assert sorted(build_model(loaded.docs[0], Settings()).resources) == ["/", "/items"]


@pytest.mark.parametrize(
    "properties",
    [
        "[1, 2]",
        "{RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: [GET]}",
        "{RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, "
        "Integration: oops, MethodResponses: {a: b}, RequestParameters: [x], "
        "AuthorizationType: 7, RequestModels: [1]}",
        "{RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, "
        "Integration: {Type: [1], IntegrationResponses: [1, {StatusCode: {a: 1}}]}, "
        "MethodResponses: [1, {StatusCode: [2]}]}",
    ],
)
def test_wrongly_typed_properties_never_crash(tmp_path: Path, properties: str) -> None:
    text = (
        "Resources:\n  Api: {Type: AWS::ApiGateway::RestApi}\n"
        f"  M:\n    Type: AWS::ApiGateway::Method\n    Properties: {properties}\n"
    )
    path = tmp_path / "template.yaml"
    path.write_text(text)
    for result in lint_path(str(path), Settings()):
        assert result.error is None and result.crashes == []


FN_IF = """\
Conditions:
  Prod: !Equals [!Ref Env, prod]
Parameters:
  Env: {Type: String}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: !If
        - Prod
        - AWS_IAM
        - NONE
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: !If [Prod, POST, GET]
        Uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations
"""


def test_both_branches_of_an_fn_if_are_linted(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(FN_IF)
    settings = Settings(select=("method-unauthenticated", "lambda-http-method-not-post"))
    (result,) = lint_path(str(path), settings)  # the second reading joins the first
    assert {(f.code, f.line, f.pointer) for f in result.findings} == {
        ("AGW301", 13, "/Resources/Get/Properties/HttpMethod"),
        (
            "AGW402",
            20,
            "/Resources/Get/Properties/Integration/IntegrationHttpMethod/Fn::If/2",
        ),
    }


def test_a_deep_chain_resolves_and_a_loop_is_a_note(tmp_path: Path) -> None:
    lines = [
        "Resources:",
        "  Api: {Type: AWS::ApiGateway::RestApi}",
        "  R0: {Type: AWS::ApiGateway::Resource, Properties: "
        "{RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: p0}}",
    ]
    lines += [
        f"  R{n}: {{Type: AWS::ApiGateway::Resource, Properties: "
        f"{{RestApiId: !Ref Api, ParentId: !Ref R{n - 1}, PathPart: p{n}}}}}"
        for n in range(1, 1100)  # deeper than Python's recursion limit
    ]
    lines += [
        "  A: {Type: AWS::ApiGateway::Resource, Properties: "
        "{RestApiId: !Ref Api, ParentId: !Ref B, PathPart: a}}",
        "  B: {Type: AWS::ApiGateway::Resource, Properties: "
        "{RestApiId: !Ref Api, ParentId: !Ref A, PathPart: b}}",
        "  M: {Type: AWS::ApiGateway::Method, Properties: {RestApiId: !Ref Api, "
        "ResourceId: !Ref R1099, HttpMethod: GET, AuthorizationType: AWS_IAM}}",
    ]
    loaded = load(tmp_path, "\n".join(lines) + "\n")
    assert loaded.notes == [
        f"{r}: its ParentId/PathPart do not lead to the root of Api; its methods are not linted"
        for r in ("A", "B")
    ]
    api = build_model(loaded.docs[0], Settings())
    (method,) = api.methods
    assert method.path == "/" + "/".join(f"p{n}" for n in range(1100))


SUPPRESSED = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Health:
    Type: AWS::ApiGateway::Method
    Metadata:
      x-apilint-ignore:
        - {rule: method-unauthenticated, reason: public health check}
        - lambda-uri-invalid
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: "200"}]}
      MethodResponses: [{StatusCode: "200"}]
  Other:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: "200"}]}
      MethodResponses: [{StatusCode: "200"}]
"""


def test_metadata_suppresses_the_findings_of_its_resource(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(SUPPRESSED)
    (result,) = lint_path(str(path), Settings())
    # Health's open GET is silenced; its unused entry is reported where it is written
    assert {(f.code, f.line, f.pointer) for f in result.findings} == {
        ("AGW901", 9, "/Resources/Health/Metadata/x-apilint-ignore/1"),
        ("AGW301", 22, "/Resources/Other/Properties/HttpMethod"),
    }


def test_an_api_only_the_second_branch_builds_stands_alone(tmp_path: Path) -> None:
    text = FN_IF.replace("RestApiId: !Ref Api", "RestApiId: !If [Prod, !Ref Elsewhere, !Ref Api]")
    # an API before it that both readings build: the second reading of Api must not join it
    text = text.replace(
        "Resources:\n",
        "Resources:\n"
        "  First: {Type: AWS::ApiGateway::RestApi}\n"
        "  FirstGet: {Type: AWS::ApiGateway::Method, Properties: {RestApiId: !Ref First, "
        "ResourceId: !GetAtt First.RootResourceId, HttpMethod: GET, AuthorizationType: NONE}}\n",
    )
    path = tmp_path / "template.yaml"
    path.write_text(text)
    results = lint_path(str(path), Settings(select=("method-unauthenticated",)))
    assert [(r.label, [(f.code, f.line) for f in r.findings]) for r in results] == [
        ("First", [("AGW301", 7)]),
        ("Api", [("AGW301", 15)]),
    ]


UNDECIDED = """\
Parameters:
  AuthType: {Type: String}
  KeyNeeded: {Type: String}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: api}
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: GET
      AuthorizationType: {AUTH}
      AuthorizerId: {AUTHORIZER}
      ApiKeyRequired: {KEY}
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}}
"""


@pytest.mark.parametrize(
    ("auth", "authorizer", "key", "open_"),
    [
        pytest.param("!Ref AuthType", "''", "false", False, id="type-a-parameter"),
        pytest.param("NONE", "''", "!Ref KeyNeeded", False, id="api-key-a-parameter"),
        pytest.param("CUSTOM", "!ImportValue shared-authorizer", "false", False, id="imported"),
        pytest.param("NONE", "''", "false", True, id="open"),
        pytest.param("NONE", "''", "'true'", False, id="key-as-string"),
    ],
)
def test_authorization_decided_at_deploy_time_is_not_called_open(
    tmp_path: Path, auth: str, authorizer: str, key: str, open_: bool
) -> None:
    """A parameter, an import or a condition decides the method's auth when the stack deploys:
    unknown, never "unauthenticated" (as for Terraform variables)."""
    text = UNDECIDED.replace("{AUTH}", auth).replace("{AUTHORIZER}", authorizer)
    path = tmp_path / "template.yaml"
    path.write_text(text.replace("{KEY}", key))
    (result,) = lint_path(str(path), Settings(select=("method-unauthenticated",)))
    found = {(f.code, f.line) for f in result.findings}
    assert found == ({("AGW301", 16)} if open_ else set())  # at HttpMethod
