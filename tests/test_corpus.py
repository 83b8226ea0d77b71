"""Real public API Gateway definitions (../shared/corpus, provenance in its manifest.json).

Findings are pinned as (code, line) and were checked by hand against the AWS rules; the
reason for each file's findings is noted beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.engine import Settings, lint_file

PINNED: dict[str, set[tuple[str, int]]] = {
    # Placeholders YOUR_ACCOUNT_ID / YOUR_AWS_REGION are not ${...} placeholders: import fails
    # on them until the sample's setup script substitutes them. Both ANY methods are open.
    "CodeGenieApp__serverless-express__simple-proxy-api.yaml": {
        ("AGW301", 11), ("AGW301", 57), ("AGW401", 23), ("AGW401", 67)},
    # OAS 3.0.1 with the Swagger-2 `securityDefinitions` key (schema-invalid, but read as AWS
    # does), Swagger-2 style `type` on response headers; GET /{linkId} is the public redirector.
    "aws-samples__amazon-api-gateway-url-shortener__api.yaml": {
        ("AGW001", 17), ("AGW001", 84), ("AGW001", 134), ("AGW001", 139), ("AGW001", 223),
        ("AGW001", 271), ("AGW001", 276), ("AGW301", 33)},
    # $refs into ../../shared, which is outside the definition's directory (and absent here).
    "aws-samples__aws-serverless-ecommerce-platform__products-openapi.yaml": {
        ("AGW003", 35), ("AGW003", 70), ("AGW003", 97), ("AGW003", 109), ("AGW003", 110),
        ("AGW301", 12), ("AGW301", 52)},
    # `servers` written as a mapping; the ANY on / has no auth.
    "aws-samples__serverless-patterns__apigw-mappingtemplate-lambda-api.yaml": {
        ("AGW001", 5), ("AGW301", 11)},
    # HTTP API without info.version; three open direct-integration routes.
    "aws-samples__sessions-with-aws-sam__http-api-direct-integration-api.yaml": {
        ("AGW001", 2), ("AGW301", 6), ("AGW301", 22), ("AGW301", 38)},
    # `any:` is not x-amazon-apigateway-any-method: not an operation at all.
    "aws__aws-sam-cli__cdk-sample-definition.yaml": {("AGW001", 7), ("AGW301", 20)},
    "aws__serverless-application-model__api_swagger_cors-swagger.yaml": {
        ("AGW001", 4), ("AGW301", 10)},
    "getmoto__moto__test_api_integration.yaml": {("AGW301", 8), ("AGW301", 41)},
    # GET with a Cognito authorizer needs a preflight (Authorization header); /pets returns
    # Access-Control-Allow-Origin, so CORS is in use, and no resource has OPTIONS.
    "localstack__localstack__openapi.cognito-auth.json": {
        ("AGW501", 9), ("AGW501", 32), ("AGW501", 55), ("AGW501", 78)},
    # `responses: {}` is invalid Swagger 2.0 (at least one response).
    "localstack__localstack__swagger-mock-cors.json": {
        ("AGW001", 58), ("AGW001", 112), ("AGW301", 52), ("AGW301", 106)},
    # GET / names `sigv4` without defining it; the rest have no security.
    "localstack__localstack__swagger-s3-proxy.json": {
        ("AGW301", 14), ("AGW301", 74), ("AGW301", 138), ("AGW301", 205), ("AGW301", 267),
        ("AGW301", 334), ("AGW301", 401), ("AGW301", 475)},
    # REST: SigV4 declared only at the root, which AWS ignores.
    "smithy-lang__smithy__cors-model.openapi.json": {
        ("AGW301", 9), ("AGW301", 106), ("AGW301", 151), ("AGW301", 273), ("AGW302", 404)},
    # HTTP API with x-amazon-apigateway-cors and root SigV4 (applies on HTTP APIs): clean.
    "smithy-lang__smithy__http-api-cors.openapi.json": set(),
    "smithy-lang__smithy__integrations.openapi.json": {("AGW301", 9), ("AGW301", 116)},
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_pinned_corpus_findings(corpus: Path, name: str) -> None:
    result = lint_file(str(corpus / "real" / name), Settings())
    assert result.error is None and result.skipped is None
    assert {(f.code, f.line) for f in result.findings} == PINNED[name]


def test_every_corpus_file_lints_without_a_crash(corpus: Path) -> None:
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".yaml", ".json")
                   and p.name != "manifest.json")
    assert len(files) >= 16
    for path in files:
        result = lint_file(str(path), Settings())
        assert result.error is None, (path, result.error)
        assert not any(f.name == "rule-crashed" for f in result.findings), path
    assert set(PINNED) == {p.name for p in files if p.parent.name == "real"}
