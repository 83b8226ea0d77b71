"""Real public API Gateway definitions (../shared/corpus, provenance in its manifest.json).

Findings are pinned as (code, line) and were checked by hand against the AWS rules; the
reason for each file's findings is noted beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.engine.run import Settings, lint_file

PINNED: dict[str, set[tuple[str, int]]] = {
    # Placeholders YOUR_ACCOUNT_ID / YOUR_AWS_REGION are not ${...} placeholders: import fails
    # on them until the sample's setup script substitutes them. Both ANY methods are open. The
    # mock OPTIONS answer CORS, but no DEFAULT_4XX/5XX gateway response carries Allow-Origin.
    "CodeGenieApp__serverless-express__simple-proxy-api.yaml": {
        ("AGW301", 11),
        ("AGW301", 57),
        ("AGW401", 23),
        ("AGW401", 67),
        ("AGW507", 2),
    },
    # OAS 3.0.1 with the Swagger-2 `securityDefinitions` key (at the key; API Gateway imports
    # it, read as AWS does), Swagger-2 style `type` on response headers (warnings: imported); GET /{linkId} is the public redirector.
    # Written for AWS::Include: 17 Fn:: intrinsics naming template resources, linted alone (one
    # info, AGW012, not a direct-import error). Allow-Headers '*' does not
    # cover Authorization, which the Cognito authorizer needs; no CORS gateway responses (the
    # repository's template adds none either).
    "aws-samples__amazon-api-gateway-url-shortener__api.yaml": {
        ("AGW011", 384),
        ("AGW011", 84),
        ("AGW011", 134),
        ("AGW011", 139),
        ("AGW011", 223),
        ("AGW011", 271),
        ("AGW011", 276),
        ("AGW012", 54),
        ("AGW301", 33),
        ("AGW506", 204),
        ("AGW506", 334),
        ("AGW507", 17),
    },
    # $refs into ../../shared, outside the definition's directory (and absent here): each is
    # unresolved (AGW003) and a file reference import cannot follow (AGW007); the `default`
    # responses' refs (43, 76, 116) count too. Fn::Sub for the Lambda URIs; `format: uuid` on a
    # path parameter is dropped on import.
    "aws-samples__aws-serverless-ecommerce-platform__products-openapi.yaml": {
        ("AGW003", 35),
        ("AGW003", 43),
        ("AGW003", 70),
        ("AGW003", 76),
        ("AGW003", 97),
        ("AGW003", 109),
        ("AGW003", 110),
        ("AGW003", 116),
        ("AGW007", 35),
        ("AGW007", 43),
        ("AGW007", 70),
        ("AGW007", 76),
        ("AGW007", 97),
        ("AGW007", 109),
        ("AGW007", 110),
        ("AGW007", 116),
        ("AGW012", 48),
        ("AGW202", 63),
        ("AGW301", 12),
        ("AGW301", 52),
    },
    # `servers` written as a mapping; the ANY on / has no auth; Fn::Sub (AWS::Include file).
    "aws-samples__serverless-patterns__apigw-mappingtemplate-lambda-api.yaml": {
        ("AGW011", 5),
        ("AGW012", 22),
        ("AGW301", 11),
    },
    # HTTP API without info.version; three open direct-integration routes; Fn:: intrinsics,
    # `Ref` inside requestParameters among them.
    "aws-samples__sessions-with-aws-sam__http-api-direct-integration-api.yaml": {
        ("AGW011", 2),
        ("AGW012", 13),
        ("AGW301", 6),
        ("AGW301", 22),
        ("AGW301", 38),
    },
    # `any:` is not x-amazon-apigateway-any-method: not an operation at all, so the integration
    # under it sits where no extension is read (AGW050); {proxy+} has no path parameter (info).
    "aws__aws-sam-cli__cdk-sample-definition.yaml": {
        ("AGW011", 8),
        ("AGW012", 16),
        ("AGW050", 14),
        ("AGW105", 19),
        ("AGW301", 20),
    },
    "aws__serverless-application-model__api_swagger_cors-swagger.yaml": {
        ("AGW011", 4),
        ("AGW012", 24),
        ("AGW301", 10),
    },
    # A moto test fixture: integration responses map method.response.header.* that no method
    # response declares, and request mappings read undeclared method.request.header.*; moto
    # does not validate either, AWS rejects both. CORS headers but no CORS gateway responses.
    "getmoto__moto__test_api_integration.yaml": {
        ("AGW301", 8),
        ("AGW301", 41),
        ("AGW450", 37),
        ("AGW450", 38),
        ("AGW450", 39),
        ("AGW450", 70),
        ("AGW450", 71),
        ("AGW450", 72),
        *{("AGW455", n) for n in (*range(28, 36), *range(61, 69))},
        ("AGW507", 1),
    },
    # REST (cognito_user_pools authorizers and `http` integrations; one stray
    # payloadFormatVersion, AGW051). Root security is ignored, so GET /pets is open; the other
    # GETs need Authorization, hence preflight, and there is no OPTIONS; plain-http backends.
    "localstack__localstack__openapi.cognito-auth.json": {
        ("AGW051", 120),
        ("AGW301", 79),
        ("AGW302", 178),
        ("AGW410", 25),
        ("AGW410", 48),
        ("AGW410", 71),
        ("AGW410", 119),
        ("AGW501", 9),
        ("AGW501", 32),
        ("AGW501", 55),
        ("AGW507", 1),
    },
    # `responses: {}` (invalid Swagger 2.0) on aws_proxy GETs: harmless, the proxy answers what
    # the function returns, as in every SAM-generated route; {product_id} undeclared.
    "localstack__localstack__swagger-mock-cors.json": {
        ("AGW105", 7),
        ("AGW301", 52),
        ("AGW301", 106),
        ("AGW507", 1),
    },
    # GET / names `sigv4` without defining it (AGW306); the rest have no security. Every
    # integration's credentials is the test suite's `{{credentials}}` template, not an ARN
    # until rendered (AGW428).
    "localstack__localstack__swagger-s3-proxy.json": {
        ("AGW301", 14),
        ("AGW301", 74),
        ("AGW301", 138),
        ("AGW301", 205),
        ("AGW301", 267),
        ("AGW301", 334),
        ("AGW301", 401),
        ("AGW301", 475),
        ("AGW306", 45),
        *{("AGW428", n) for n in (49, 112, 179, 240, 308, 375, 448, 516)},
    },
    # REST: SigV4 declared only at the root, which AWS ignores. Parameter `format`/`enum`/
    # `nullable` are dropped; octet-stream models are not exported; aws_proxy integrations map
    # response headers (ignored: AGW460) for a status the operation does not declare (AGW463);
    # the PUT's octet-stream body needs Content-Type in Allow-Headers.
    "smithy-lang__smithy__cors-model.openapi.json": {
        ("AGW202", 299),
        ("AGW202", 306),
        ("AGW257", 184),
        ("AGW257", 277),
        ("AGW301", 9),
        ("AGW301", 106),
        ("AGW301", 151),
        ("AGW301", 273),
        ("AGW302", 404),
        ("AGW463", 144),
        ("AGW463", 145),
        ("AGW463", 344),
        ("AGW463", 345),
        ("AGW460", 43),
        ("AGW460", 143),
        ("AGW460", 201),
        ("AGW460", 343),
        ("AGW506", 264),
    },
    # HTTP API with x-amazon-apigateway-cors and root SigV4 (applies on HTTP APIs); its Lambda
    # proxies lack payloadFormatVersion, which HTTP API import requires (smithy#527, #688).
    "smithy-lang__smithy__http-api-cors.openapi.json": {
        ("AGW203", 96),
        ("AGW406", 23),
        ("AGW406", 49),
        ("AGW406", 87),
        ("AGW406", 143),
    },
    # REST (`aws` integrations) with a stray payloadFormatVersion; `format` on parameters.
    "smithy-lang__smithy__integrations.openapi.json": {
        ("AGW051", 78),
        ("AGW202", 17),
        ("AGW202", 27),
        ("AGW202", 35),
        ("AGW202", 124),
        ("AGW202", 134),
        ("AGW202", 142),
        ("AGW301", 9),
        ("AGW301", 116),
    },
}


@pytest.mark.parametrize("name", sorted(PINNED))
def test_pinned_corpus_findings(corpus: Path, name: str) -> None:
    result = lint_file(str(corpus / "real" / name), Settings())
    assert result.error is None and result.skipped is None
    assert {(f.code, f.line) for f in result.findings} == PINNED[name]


def test_every_corpus_file_lints_without_a_crash(corpus: Path) -> None:
    files = sorted(
        p for p in corpus.rglob("*") if p.suffix in (".yaml", ".json") and p.name != "manifest.json"
    )
    assert len(files) >= 16
    assert {p.parent.name for p in files} == {"real", "embedded"}
    for path in files:
        result = lint_file(str(path), Settings())
        assert result.error is None, (path, result.error)
        assert not result.crashes, path
    assert set(PINNED) == {p.name for p in files if p.parent.name == "real"}
