"""Findings on APIs built from CloudFormation/CDK or Terraform resources speak the user's words
(apilint.model.wording): the property or argument to set and the resource it is on, where an
OpenAPI definition's findings name its keys. Each message is pinned by exact (code, line,
message) on a CloudFormation, a CDK and a Terraform fixture, with the OpenAPI form beside it
(fixtures/equivalence/ holds one API in every form; tests/test_resource_equivalence.py shows the
forms report the same facts)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import FIXTURES

import apilint.document
from apilint.engine.run import Settings, lint_path
from apilint.model.terms import TERMS
from apilint.model.wording import FRONT_ENDS, KINDS, phrase

#: The rules whose messages name a place or a change through the vocabulary.
CHANGED = (
    "AGW054",
    "AGW105",
    "AGW109",
    "AGW250",
    "AGW301",
    "AGW314",
    "AGW317",
    "AGW319",
    "AGW320",
    "AGW321",
    "AGW402",
    "AGW403",
    "AGW421",
    "AGW427",
    "AGW450",
    "AGW453",
    "AGW454",
    "AGW501",
    "AGW502",
    "AGW503",
    "AGW504",
    "AGW507",
    "AGW508",
    "AGW509",
    "AGW510",
    "AGW511",
)

MESSAGES: dict[str, set[tuple[str, int, str]]] = {
    "wording/cloudformation/rest.yaml": {
        (
            "AGW105",
            20,
            "path variable {id} of '/items/{id}' has no RequestParameters entry in GET /items/{id}; without it the method has no method.request.path.id to map, cache or validate: add `method.request.path.id: true` to the RequestParameters of each of these AWS::ApiGateway::Method resources",
        ),
        (
            "AGW250",
            64,
            "model name 'user_model' is not alphanumeric, and API Gateway model names can only contain alphanumeric characters, so creating the model fails ('Model name must be alphanumeric'). Rename the AWS::ApiGateway::Model's Name (e.g. 'usermodel') and the RequestModels and ResponseModels that name it",
        ),
        (
            "AGW301",
            41,
            "DELETE /items/{id} can be called by anyone: it has no authorizer, no IAM authorization and no API key; set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with AuthorizerId) or ApiKeyRequired: true on its AWS::ApiGateway::Method",
        ),
        (
            "AGW403",
            56,
            "POST /items has no Integration; the method is created without one and CreateDeployment fails with 'No integration defined for method'; add an Integration to its AWS::ApiGateway::Method (Type: MOCK for a stub)",
        ),
        (
            "AGW421",
            47,
            "DELETE /items/{id} forwards the caller's identity (Credentials 'arn:aws:iam::*:user/*') but does not use AWS_IAM authorization; creating the integration fails with 'AWS_IAM Auth type is required for AWS integrations with identity forwarding specified'; set AuthorizationType: AWS_IAM on its AWS::ApiGateway::Method",
        ),
        (
            "AGW450",
            31,
            "GET /items/{id} maps integration.request.path.id from 'method.request.path.id', but the method declares no path parameter 'id'; creating the integration fails with \"Invalid mapping expression parameter specified: method.request.path.id\". Declare it in the RequestParameters of its AWS::ApiGateway::Method (`method.request.path.id: true`)",
        ),
        (
            "AGW450",
            32,
            "GET /items/{id} maps integration.request.querystring.q from 'method.request.querystring.q', but the method declares no query parameter 'q'; creating the integration fails with \"Invalid mapping expression parameter specified: method.request.querystring.q\". Declare it in the RequestParameters of its AWS::ApiGateway::Method (`method.request.querystring.q: false`, or true when required)",
        ),
        (
            "AGW453",
            33,
            "cache key 'id' of GET /items/{id} is not a request parameter expression (method.request.{path|querystring|header}.<name>); creating the integration fails with \"Invalid cache key\"",
        ),
        (
            "AGW453",
            33,
            "cache key 'integration.request.header.X-Missing' of GET /items/{id} is not mapped in the Integration's RequestParameters; map it there or use the method.request.* parameter",
        ),
        (
            "AGW453",
            33,
            "cache key 'method.request.querystring.q' of GET /items/{id} names a query parameter the method does not declare; cache keys must be method request parameters (\"Invalid cache key\"). Declare it in the RequestParameters of its AWS::ApiGateway::Method (`method.request.querystring.q: false`, or true when required)",
        ),
    },
    "wording/cloudformation/http.yaml": {
        (
            "AGW402",
            24,
            "the Lambda integration of GET /items uses IntegrationMethod 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set IntegrationMethod: POST on its AWS::ApiGatewayV2::Integration",
        ),
        (
            "AGW502",
            9,
            "CorsConfiguration has no AllowOrigins, so API Gateway returns no CORS headers; list the allowed origins",
        ),
        (
            "AGW502",
            10,
            "CorsConfiguration AllowMethods omits PUT, which routes of this API use; add them (or '*')",
        ),
    },
    "wording/cloudformation/http-preflight.yaml": {
        (
            "AGW501",
            32,
            "/b has no OPTIONS route, but browsers preflight its PUT (PUT is not a simple method) and CORS is in use (OPTIONS /a answers preflight requests); set CorsConfiguration on the AWS::ApiGatewayV2::Api (API Gateway then answers preflight requests itself) or add an OPTIONS route whose integration returns the Access-Control-Allow-* headers",
        ),
    },
    "wording/cloudformation/http-cors.yaml": {
        (
            "AGW509",
            12,
            "CorsConfiguration sets AllowCredentials: true with AllowOrigins '*'; API Gateway rejects this ('allow-credentials is not supported if allow-origin is *') and browsers never accept credentials for '*'. List the allowed origins explicitly",
        ),
        (
            "AGW510",
            14,
            "CorsConfiguration MaxAge is 100000; API Gateway accepts an integer number of seconds from -1 to 86400 and rejects anything else",
        ),
        (
            "AGW511",
            12,
            "AllowOrigins entry 'https://app.example.com/login' is not an origin (scheme://host[:port], no path or trailing slash); a browser's Origin header never equals it, so no CORS headers are returned for that site. Write e.g. 'https://app.example.com'",
        ),
    },
    "wording/terraform/rest/main.tf": {
        (
            "AGW314",
            19,
            'an API key is the only protection of 1 method(s) (GET /items); API keys identify callers for usage plans and throttling, they are not secrets and do not authenticate; set authorization ("AWS_IAM", "COGNITO_USER_POOLS", or "CUSTOM" with authorizer_id) on those aws_api_gateway_method resources next to api_key_required',
        ),
        (
            "AGW450",
            29,
            "GET /items maps integration.request.header.X-Trace from 'method.request.header.X-Trace', but the method declares no header parameter 'X-Trace'; creating the integration fails with \"Invalid mapping expression parameter specified: method.request.header.X-Trace\". Declare it in the request_parameters of its aws_api_gateway_method (`\"method.request.header.X-Trace\" = false`, or true when required)",
        ),
        (
            "AGW453",
            31,
            "cache key 'integration.request.header.X-Missing' of GET /items is not mapped in the request_parameters of its aws_api_gateway_integration; map it there or use the method.request.* parameter",
        ),
        (
            "AGW453",
            31,
            'cache key \'method.request.header.X-Trace\' of GET /items names a header parameter the method does not declare; cache keys must be method request parameters ("Invalid cache key"). Declare it in the request_parameters of its aws_api_gateway_method (`"method.request.header.X-Trace" = false`, or true when required)',
        ),
    },
    "wording/terraform/http/main.tf": {
        (
            "AGW502",
            11,
            "cors_configuration allow_methods omits PUT, which routes of this API use; add them (or '*')",
        ),
        (
            "AGW509",
            10,
            "cors_configuration sets allow_credentials = true with allow_origins '*'; API Gateway rejects this ('allow-credentials is not supported if allow-origin is *') and browsers never accept credentials for '*'. List the allowed origins explicitly",
        ),
        (
            "AGW510",
            12,
            "cors_configuration max_age is 100000; API Gateway accepts an integer number of seconds from -1 to 86400 and rejects anything else",
        ),
        (
            "AGW511",
            10,
            "allow_origins entry 'https://app.example.com/login' is not an origin (scheme://host[:port], no path or trailing slash); a browser's Origin header never equals it, so no CORS headers are returned for that site. Write e.g. 'https://app.example.com'",
        ),
    },
    "wording/cloudformation/rest-preflight.yaml": {
        (
            "AGW054",
            9,
            "binary media type */* makes every payload binary: Lambda proxy integrations always receive base64 bodies and mock or non-proxy integrations need ContentHandling: CONVERT_TO_TEXT to answer text; list the binary types you serve instead",
        ),
        (
            "AGW454",
            47,
            "integration response '.*not found.*' of GET /items returns status 404, which is not a response of the operation (declared: 200); whenever it is selected the call fails with 500 \"Output mapping refers to an invalid method response: 404\". Add a MethodResponses entry with StatusCode: '404' to its AWS::ApiGateway::Method",
        ),
        (
            "AGW504",
            77,
            "the CORS preflight OPTIONS /items is a mock integration without RequestTemplates, so its status depends on the passthrough behaviour (415 with 'never'); add RequestTemplates: {application/json: '{\"statusCode\": 200}'} to its Integration as AWS's CORS setup does",
        ),
        (
            "AGW507",
            5,
            "CORS is in use (GET /items returns Access-Control-Allow-Origin) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the ResponseParameters of an AWS::ApiGateway::GatewayResponse for each response type (DEFAULT_4XX and DEFAULT_5XX)",
        ),
        (
            "AGW508",
            77,
            "BinaryMediaTypes contains '*/*', so the mock preflight OPTIONS /items treats its request as binary and fails with 500 ('Unable to transform request'); set ContentHandling: CONVERT_TO_TEXT on its Integration",
        ),
    },
    "wording/terraform/rest-preflight/main.tf": {
        (
            "AGW054",
            6,
            'binary media type */* makes every payload binary: Lambda proxy integrations always receive base64 bodies and mock or non-proxy integrations need content_handling = "CONVERT_TO_TEXT" to answer text; list the binary types you serve instead',
        ),
        (
            "AGW454",
            67,
            'integration response \'.*not found.*\' of GET /items returns status 404, which is not a response of the operation (declared: 200); whenever it is selected the call fails with 500 "Output mapping refers to an invalid method response: 404". Add an aws_api_gateway_method_response with status_code = "404" for the method',
        ),
        (
            "AGW504",
            111,
            "the CORS preflight OPTIONS /items is a mock integration without request_templates, so its status depends on the passthrough behaviour (415 with 'never'); add request_templates = { \"application/json\" = jsonencode({ statusCode = 200 }) } to its aws_api_gateway_integration as AWS's CORS setup does",
        ),
        (
            "AGW507",
            4,
            "CORS is in use (GET /items returns Access-Control-Allow-Origin) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the response_parameters of an aws_api_gateway_gateway_response for each response type (DEFAULT_4XX and DEFAULT_5XX)",
        ),
        (
            "AGW508",
            111,
            "binary_media_types contains '*/*', so the mock preflight OPTIONS /items treats its request as binary and fails with 500 ('Unable to transform request'); set content_handling = \"CONVERT_TO_TEXT\" on its aws_api_gateway_integration",
        ),
    },
    "rules/integration-response-status-unknown/oas3-rest.yaml": {
        (
            "AGW301",
            5,
            "POST /orders can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW301",
            24,
            "GET /ping can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW454",
            19,
            "integration response '5\\\\d{2}' of POST /orders returns status 500, which is not a response of the operation (declared: 200, 400); whenever it is selected the call fails with 500 \"Output mapping refers to an invalid method response: 500\". Add a '500' entry to the operation's responses",
        ),
        (
            "AGW454",
            22,
            "integration response '.*timeout.*' of POST /orders returns status 504, which is not a response of the operation (declared: 200, 400); whenever it is selected the call fails with 500 \"Output mapping refers to an invalid method response: 504\". Add a '504' entry to the operation's responses",
        ),
        (
            "AGW454",
            33,
            "integration response 'default' of GET /ping returns status 200, which is not a response of the operation (declared: none); whenever it is selected the call fails with 500 \"Output mapping refers to an invalid method response: 200\". Add a '200' entry to the operation's responses",
        ),
    },
    "rules/cache-key-undeclared/oas3-rest.yaml": {
        (
            "AGW301",
            5,
            "GET /pets/{id} can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW453",
            23,
            "cache key 'method.request.querystring.page' of GET /pets/{id} names a query parameter the method does not declare; cache keys must be method request parameters (\"Invalid cache key\"). Declare it in the operation's parameters (in: query)",
        ),
        (
            "AGW453",
            25,
            "cache key 'integration.request.header.X-Unmapped' of GET /pets/{id} is not mapped in the integration's requestParameters; map it there or use the method.request.* parameter",
        ),
        (
            "AGW453",
            27,
            "cache key 'id' of GET /pets/{id} is not a request parameter expression (method.request.{path|querystring|header}.<name>); the import fails with \"Invalid cache key\"",
        ),
    },
    "rules/identity-passthrough-requires-iam/oas3-rest.yaml": {
        (
            "AGW301",
            5,
            "GET /files/{key} can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW421",
            12,
            "GET /files/{key} forwards the caller's identity (credentials 'arn:aws:iam::*:user/*') but does not use AWS_IAM authorization; import fails with 'AWS_IAM Auth type is required for AWS integrations with identity forwarding specified'; protect the method with a sigv4 security scheme or x-amazon-apigateway-auth AWS_IAM",
        ),
        (
            "AGW421",
            24,
            "PUT /files/{key} forwards the caller's identity (credentials 'arn:${AWS::Partition}:iam::*:user/*') but does not use AWS_IAM authorization; import fails with 'AWS_IAM Auth type is required for AWS integrations with identity forwarding specified'; protect the method with a sigv4 security scheme or x-amazon-apigateway-auth AWS_IAM",
        ),
    },
    "rules/cors-options-not-mock/oas3-rest.yaml": {
        (
            "AGW301",
            5,
            "GET /http-backend can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW502",
            11,
            "the CORS preflight OPTIONS /http-backend does not return Access-Control-Allow-Origin, Access-Control-Allow-Methods, Access-Control-Allow-Headers; browsers reject the cross-origin call. Map all three Access-Control-Allow-* headers in its integration response",
        ),
        (
            "AGW502",
            20,
            "the CORS preflight OPTIONS /aws-backend does not return Access-Control-Allow-Origin, Access-Control-Allow-Methods, Access-Control-Allow-Headers; browsers reject the cross-origin call. Map all three Access-Control-Allow-* headers in its integration response",
        ),
        (
            "AGW502",
            29,
            "the CORS preflight OPTIONS /mock-without-template does not return Access-Control-Allow-Origin, Access-Control-Allow-Methods, Access-Control-Allow-Headers; browsers reject the cross-origin call. Map all three Access-Control-Allow-* headers in its integration response",
        ),
        (
            "AGW504",
            15,
            "the CORS preflight OPTIONS /http-backend calls the backend through its 'http' integration; a mock integration answers the preflight in API Gateway without backend latency, cost or failures",
        ),
        (
            "AGW504",
            24,
            "the CORS preflight OPTIONS /aws-backend calls the backend through its 'aws' integration; a mock integration answers the preflight in API Gateway without backend latency, cost or failures",
        ),
        (
            "AGW504",
            32,
            "the CORS preflight OPTIONS /mock-without-template is a mock integration without requestTemplates, so its status depends on the passthrough behaviour (415 with 'never'); add requestTemplates {application/json: '{\"statusCode\": 200}'} as AWS's CORS setup does",
        ),
        (
            "AGW507",
            1,
            "CORS is in use (OPTIONS /http-backend answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (429 throttling, 5xx integration failures and timeouts) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; map that header in DEFAULT_4XX and DEFAULT_5XX",
        ),
    },
    "rules/cors-binary-wildcard-mock/oas3-rest.yaml": {
        (
            "AGW054",
            3,
            "binary media type */* makes every payload binary: Lambda proxy integrations always receive base64 bodies and mock or non-proxy integrations need contentHandling: CONVERT_TO_TEXT to answer text; list the binary types you serve instead",
        ),
        (
            "AGW502",
            6,
            "the CORS preflight OPTIONS /files does not return Access-Control-Allow-Origin, Access-Control-Allow-Methods, Access-Control-Allow-Headers; browsers reject the cross-origin call. Map all three Access-Control-Allow-* headers in its integration response",
        ),
        (
            "AGW502",
            14,
            "the CORS preflight OPTIONS /images does not return Access-Control-Allow-Origin, Access-Control-Allow-Methods, Access-Control-Allow-Headers; browsers reject the cross-origin call. Map all three Access-Control-Allow-* headers in its integration response",
        ),
        (
            "AGW502",
            23,
            "the CORS preflight OPTIONS /converted does not return Access-Control-Allow-Origin, Access-Control-Allow-Methods, Access-Control-Allow-Headers; browsers reject the cross-origin call. Map all three Access-Control-Allow-* headers in its integration response",
        ),
        (
            "AGW507",
            1,
            "CORS is in use (OPTIONS /files answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (429 throttling, 5xx integration failures and timeouts) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; map that header in DEFAULT_4XX and DEFAULT_5XX",
        ),
        (
            "AGW508",
            9,
            "x-amazon-apigateway-binary-media-types contains '*/*', so the mock preflight OPTIONS /files treats its request as binary and fails with 500 ('Unable to transform request'); set contentHandling: CONVERT_TO_TEXT on its integration",
        ),
        (
            "AGW508",
            19,
            "x-amazon-apigateway-binary-media-types contains '*/*', so the mock preflight OPTIONS /images treats its request as binary and fails with 500 ('Unable to transform request'); set contentHandling: CONVERT_TO_TEXT on its integration",
        ),
    },
    "rules/integration-param-undeclared/oas3-rest.yaml": {
        (
            "AGW105",
            30,
            "path variable {orderId} of '/orders/{orderId}' has no `in: path` parameter in POST /orders/{orderId}; without it the method has no method.request.path.orderId to map, cache or validate: declare `- name: orderId, in: path, required: true` on the path or operation",
        ),
        (
            "AGW301",
            7,
            "GET /pets/{id} can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW301",
            31,
            "POST /orders/{orderId} can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW450",
            22,
            "GET /pets/{id} maps integration.request.querystring.Expand from 'method.request.querystring.Expand', but the method declares no query parameter 'Expand'; the import fails with \"Invalid mapping expression parameter specified: method.request.querystring.Expand\". Declare it in the operation's parameters (in: query)",
        ),
        (
            "AGW450",
            24,
            "GET /pets/{id} maps integration.request.header.X-Trace from 'method.request.multivalueheader.X-Trace', but the method declares no header parameter 'X-Trace'; the import fails with \"Invalid mapping expression parameter specified: method.request.multivalueheader.X-Trace\". Declare it in the operation's parameters (in: header)",
        ),
        (
            "AGW450",
            40,
            "POST /orders/{orderId} maps integration.request.path.orderId from 'method.request.path.orderId', but the method declares no path parameter 'orderId'; the import fails with \"Invalid mapping expression parameter specified: method.request.path.orderId\". Declare it in the operation's parameters (in: path)",
        ),
    },
    "rules/http-cors-credentials-wildcard/http.yaml": {
        (
            "AGW301",
            12,
            "GET /notes can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW509",
            7,
            "x-amazon-apigateway-cors sets allowCredentials: true with allowOrigins '*'; API Gateway rejects this ('allow-credentials is not supported if allow-origin is *') and browsers never accept credentials for '*'. List the allowed origins explicitly",
        ),
    },
    "rules/http-cors-config-invalid/http-maxage.yaml": {
        (
            "AGW301",
            9,
            "GET /notes can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW510",
            6,
            "x-amazon-apigateway-cors maxAge is 'one day'; API Gateway accepts an integer number of seconds from -1 to 86400 and rejects anything else",
        ),
    },
    "rules/http-cors-config-ineffective/http.yaml": {
        (
            "AGW301",
            18,
            "GET /notes can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW511",
            6,
            "allowOrigins entry 'https://notes.example.com/' is not an origin (scheme://host[:port], no path or trailing slash); a browser's Origin header never equals it, so no CORS headers are returned for that site. Write e.g. 'https://notes.example.com'",
        ),
        (
            "AGW511",
            8,
            "allowOrigins entry 'notes.example.com' is not an origin (scheme://host[:port], no path or trailing slash); a browser's Origin header never equals it, so no CORS headers are returned for that site. Write e.g. 'https://notes.example.com'",
        ),
        (
            "AGW511",
            10,
            "allowOrigins entry 'https://example.com/app' is not an origin (scheme://host[:port], no path or trailing slash); a browser's Origin header never equals it, so no CORS headers are returned for that site. Write e.g. 'https://example.com'",
        ),
        (
            "AGW511",
            13,
            "x-amazon-apigateway-cors has no field 'AllowHeaders', so API Gateway does not apply it; did you mean allowHeaders?",
        ),
        (
            "AGW511",
            15,
            "x-amazon-apigateway-cors has no field 'allowedMethods', so API Gateway does not apply it; did you mean allowMethods?",
        ),
    },
    "equivalence/openapi.yaml": {
        (
            "AGW301",
            7,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW402",
            20,
            "the Lambda integration of POST /items uses httpMethod 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set httpMethod: POST",
        ),
        (
            "AGW501",
            40,
            "/items/{id} has no OPTIONS method, but browsers preflight its DELETE (DELETE is not a simple method) and CORS is in use (OPTIONS /items answers preflight requests); add an OPTIONS method (a mock integration returning the Access-Control-Allow-* headers)",
        ),
        (
            "AGW502",
            22,
            "the CORS preflight OPTIONS /items Access-Control-Allow-Methods 'GET,OPTIONS' omits POST; browsers reject the cross-origin call. Add POST to it",
        ),
        (
            "AGW507",
            3,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; map that header in DEFAULT_4XX and DEFAULT_5XX",
        ),
    },
    "equivalence/cloudformation.yaml": {
        (
            "AGW301",
            26,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with AuthorizerId) or ApiKeyRequired: true on its AWS::ApiGateway::Method",
        ),
        (
            "AGW402",
            44,
            "the Lambda integration of POST /items uses Integration.IntegrationHttpMethod 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set IntegrationHttpMethod: POST in the Integration of its AWS::ApiGateway::Method",
        ),
        (
            "AGW501",
            12,
            "/items/{id} has no OPTIONS method, but browsers preflight its DELETE (DELETE is not a simple method) and CORS is in use (OPTIONS /items answers preflight requests); add an OPTIONS method (a mock integration returning the Access-Control-Allow-* headers)",
        ),
        (
            "AGW502",
            51,
            "the CORS preflight OPTIONS /items Access-Control-Allow-Methods 'GET,OPTIONS' omits POST; browsers reject the cross-origin call. Add POST to it",
        ),
        (
            "AGW507",
            4,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the ResponseParameters of an AWS::ApiGateway::GatewayResponse for each response type (DEFAULT_4XX and DEFAULT_5XX)",
        ),
    },
    "equivalence/terraform/main.tf": {
        (
            "AGW301",
            30,
            'GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization ("AWS_IAM", "COGNITO_USER_POOLS", or "CUSTOM" with authorizer_id) or api_key_required = true on its aws_api_gateway_method',
        ),
        (
            "AGW402",
            69,
            "the Lambda integration of POST /items uses integration_http_method 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set integration_http_method = \"POST\" on its aws_api_gateway_integration",
        ),
        (
            "AGW501",
            15,
            "/items/{id} has no OPTIONS method, but browsers preflight its DELETE (DELETE is not a simple method) and CORS is in use (OPTIONS /items answers preflight requests); add an OPTIONS method (a mock integration returning the Access-Control-Allow-* headers)",
        ),
        (
            "AGW502",
            77,
            "the CORS preflight OPTIONS /items Access-Control-Allow-Methods 'GET,OPTIONS' omits POST; browsers reject the cross-origin call. Add POST to it",
        ),
        (
            "AGW507",
            2,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the response_parameters of an aws_api_gateway_gateway_response for each response type (DEFAULT_4XX and DEFAULT_5XX)",
        ),
    },
    "equivalence/authorizer/openapi.yaml": {
        (
            "AGW301",
            8,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; add an authorizer, AWS_IAM or an API key to the operation's `security`",
        ),
        (
            "AGW402",
            13,
            "the Lambda integration of GET /items uses httpMethod 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set httpMethod: POST",
        ),
        (
            "AGW501",
            35,
            "/orders has no OPTIONS method, but browsers preflight its PUT (PUT is not a simple method) and CORS is in use (OPTIONS /items answers preflight requests); add an OPTIONS method (a mock integration returning the Access-Control-Allow-* headers)",
        ),
        (
            "AGW503",
            15,
            "the CORS preflight OPTIONS /items requires a Lambda authorizer, but browsers send preflight requests without credentials, so every cross-origin call fails; remove security from the OPTIONS method",
        ),
        (
            "AGW507",
            4,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; map that header in DEFAULT_4XX and DEFAULT_5XX",
        ),
    },
    "equivalence/authorizer/cloudformation.yaml": {
        (
            "AGW301",
            32,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with AuthorizerId) or ApiKeyRequired: true on its AWS::ApiGateway::Method",
        ),
        (
            "AGW402",
            38,
            "the Lambda integration of GET /items uses Integration.IntegrationHttpMethod 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set IntegrationHttpMethod: POST in the Integration of its AWS::ApiGateway::Method",
        ),
        (
            "AGW501",
            18,
            "/orders has no OPTIONS method, but browsers preflight its PUT (PUT is not a simple method) and CORS is in use (OPTIONS /items answers preflight requests); add an OPTIONS method (a mock integration returning the Access-Control-Allow-* headers)",
        ),
        (
            "AGW503",
            45,
            "the CORS preflight OPTIONS /items requires a Lambda authorizer, but browsers send preflight requests without credentials, so every cross-origin call fails; set AuthorizationType: NONE and ApiKeyRequired: false on the OPTIONS AWS::ApiGateway::Method",
        ),
        (
            "AGW507",
            3,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the ResponseParameters of an AWS::ApiGateway::GatewayResponse for each response type (DEFAULT_4XX and DEFAULT_5XX)",
        ),
    },
    "equivalence/authorizer/terraform/main.tf": {
        (
            "AGW301",
            30,
            'GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization ("AWS_IAM", "COGNITO_USER_POOLS", or "CUSTOM" with authorizer_id) or api_key_required = true on its aws_api_gateway_method',
        ),
        (
            "AGW402",
            45,
            "the Lambda integration of GET /items uses integration_http_method 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set integration_http_method = \"POST\" on its aws_api_gateway_integration",
        ),
        (
            "AGW501",
            15,
            "/orders has no OPTIONS method, but browsers preflight its PUT (PUT is not a simple method) and CORS is in use (OPTIONS /items answers preflight requests); add an OPTIONS method (a mock integration returning the Access-Control-Allow-* headers)",
        ),
        (
            "AGW503",
            53,
            'the CORS preflight OPTIONS /items requires a Lambda authorizer, but browsers send preflight requests without credentials, so every cross-origin call fails; set authorization = "NONE" and api_key_required = false on the OPTIONS aws_api_gateway_method',
        ),
        (
            "AGW507",
            2,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the response_parameters of an aws_api_gateway_gateway_response for each response type (DEFAULT_4XX and DEFAULT_5XX)",
        ),
    },
    "rules/method-unauthenticated/cfn-resources.yaml": {
        (
            "AGW301",
            28,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with AuthorizerId) or ApiKeyRequired: true on its AWS::ApiGateway::Method",
        ),
        (
            "AGW314",
            5,
            "an API key is the only protection of 1 method(s) (GET /); API keys identify callers for usage plans and throttling, they are not secrets and do not authenticate; set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with AuthorizerId) on those AWS::ApiGateway::Method resources next to ApiKeyRequired",
        ),
        (
            "AGW427",
            30,
            'the mock integration of GET /items has no integration responses, so API Gateway has nothing to map the mock\'s answer to and every call answers 500 {"message": "Internal server error"}; add IntegrationResponses: [{StatusCode: "200"}] to its Integration, with a status code of its MethodResponses',
        ),
        (
            "AGW427",
            39,
            'the mock integration of POST /items has no integration responses, so API Gateway has nothing to map the mock\'s answer to and every call answers 500 {"message": "Internal server error"}; add IntegrationResponses: [{StatusCode: "200"}] to its Integration, with a status code of its MethodResponses',
        ),
        (
            "AGW427",
            47,
            'the mock integration of PUT /items has no integration responses, so API Gateway has nothing to map the mock\'s answer to and every call answers 500 {"message": "Internal server error"}; add IntegrationResponses: [{StatusCode: "200"}] to its Integration, with a status code of its MethodResponses',
        ),
        (
            "AGW427",
            55,
            'the mock integration of GET / has no integration responses, so API Gateway has nothing to map the mock\'s answer to and every call answers 500 {"message": "Internal server error"}; add IntegrationResponses: [{StatusCode: "200"}] to its Integration, with a status code of its MethodResponses',
        ),
    },
    "rules/method-unauthenticated/cfn-http-resources.yaml": {
        (
            "AGW301",
            28,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set AuthorizationType (AWS_IAM, or JWT or CUSTOM with AuthorizerId) on its AWS::ApiGatewayV2::Route",
        ),
    },
    "rules/private-without-policy/cfn-resources.yaml": {
        (
            "AGW317",
            9,
            'EndpointConfiguration.VpcEndpointIds make this a private API, and a private API cannot be deployed without a resource policy ("Private REST API doesn\'t have a resource policy attached to it"); add a Policy to the AWS::ApiGateway::RestApi allowing execute-api:Invoke from your VPC endpoints (aws:SourceVpce)',
        ),
    },
    "rules/policy-invalid/cfn-resources.yaml": {
        (
            "AGW321",
            8,
            "the Policy of the AWS::ApiGateway::RestApi is not a valid resource policy: statement 0 has Effect 'allow' (must be Allow or Deny, case-sensitive); API Gateway rejects it (\"Invalid policy document\")",
        ),
    },
    "terraform-resources/private-without-policy/rest/main.tf": {
        (
            "AGW317",
            8,
            'endpoint_configuration.vpc_endpoint_ids make this a private API, and a private API cannot be deployed without a resource policy ("Private REST API doesn\'t have a resource policy attached to it"); add a policy to the aws_api_gateway_rest_api (or an aws_api_gateway_rest_api_policy) allowing execute-api:Invoke from your VPC endpoints (aws:SourceVpce)',
        ),
    },
    "terraform-resources/policy-public-allow/rest/main.tf": {
        (
            "AGW319",
            8,
            'the policy argument allows execute-api:Invoke to every principal (Principal "*") with no Condition, so any VPC endpoint of any account in the Region can reach this private API; add a Condition (aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:PrincipalOrgID) or a Deny statement that narrows it',
        ),
    },
    "terraform-resources/policy-invalid/rest-heredoc/main.tf": {
        (
            "AGW321",
            9,
            'the policy argument is not a valid resource policy: it has no Statement; API Gateway rejects it ("Invalid policy document")',
        ),
    },
    "terraform-resources/model-name-invalid/rest/main.tf": {
        (
            "AGW109",
            2,
            "the API has no aws_api_gateway_method; deploying the API fails with 'The REST API doesn't contain any methods': add at least one aws_api_gateway_method with an aws_api_gateway_integration",
        ),
        (
            "AGW250",
            10,
            "model name 'user_model' is not alphanumeric, and API Gateway model names can only contain alphanumeric characters, so creating the model fails ('Model name must be alphanumeric'). Rename the aws_api_gateway_model's name (e.g. 'usermodel') and the request_models and response_models that name it",
        ),
    },
    "terraform-resources/method-unauthenticated/rest-split/main.tf": {
        (
            "AGW301",
            4,
            'GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization ("AWS_IAM", "COGNITO_USER_POOLS", or "CUSTOM" with authorizer_id) or api_key_required = true on its aws_api_gateway_method',
        ),
        (
            "AGW403",
            4,
            "GET /items has no aws_api_gateway_integration; the method is created without one and CreateDeployment fails with 'No integration defined for method'; add an aws_api_gateway_integration for it (type = \"MOCK\" for a stub)",
        ),
        (
            "AGW403",
            4,
            "POST /items has no aws_api_gateway_integration; the method is created without one and CreateDeployment fails with 'No integration defined for method'; add an aws_api_gateway_integration for it (type = \"MOCK\" for a stub)",
        ),
    },
    "terraform-resources/cors-preflight-incomplete/http/main.tf": {
        (
            "AGW301",
            14,
            'GET /pets can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization_type ("AWS_IAM", or "JWT" or "CUSTOM" with authorizer_id) on its aws_apigatewayv2_route',
        ),
        (
            "AGW301",
            19,
            'PUT /pets can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization_type ("AWS_IAM", or "JWT" or "CUSTOM" with authorizer_id) on its aws_apigatewayv2_route',
        ),
        (
            "AGW502",
            6,
            "cors_configuration has no allow_origins, so API Gateway returns no CORS headers; list the allowed origins",
        ),
        (
            "AGW502",
            8,
            "cors_configuration allow_methods omits PUT, which routes of this API use; add them (or '*')",
        ),
    },
    "terraform-resources/cors-preflight-missing/http/main.tf": {
        (
            "AGW301",
            14,
            'PUT /a can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization_type ("AWS_IAM", or "JWT" or "CUSTOM" with authorizer_id) on its aws_apigatewayv2_route',
        ),
        (
            "AGW301",
            20,
            'PUT /b can be called by anyone: it has no authorizer, no IAM authorization and no API key; set authorization_type ("AWS_IAM", or "JWT" or "CUSTOM" with authorizer_id) on its aws_apigatewayv2_route',
        ),
        (
            "AGW501",
            20,
            "/b has no OPTIONS route, but browsers preflight its PUT (PUT is not a simple method) and CORS is in use (OPTIONS /a answers preflight requests); add a cors_configuration block to the aws_apigatewayv2_api (API Gateway then answers preflight requests itself) or add an OPTIONS route whose integration returns the Access-Control-Allow-* headers",
        ),
    },
    "terraform-resources/cors-preflight-requires-auth/http/main.tf": {
        (
            "AGW503",
            22,
            'the CORS preflight OPTIONS /pets requires a JWT authorizer, but browsers send preflight requests without credentials, so every cross-origin call fails; set authorization_type = "NONE" on the OPTIONS aws_apigatewayv2_route',
        ),
    },
    "terraform-resources/lambda-http-method-not-post/rest/main.tf": {
        (
            "AGW402",
            29,
            "the Lambda integration of GET /resource uses integration_http_method 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set integration_http_method = \"POST\" on its aws_api_gateway_integration",
        ),
        (
            "AGW402",
            42,
            'the Lambda integration of DELETE /resource has no integration_http_method; Lambda is invoked with POST, set integration_http_method = "POST" on its aws_api_gateway_integration',
        ),
        (
            "AGW427",
            42,
            'the aws integration of DELETE /resource has no integration responses, so API Gateway has nothing to map the backend\'s answer to and every call answers 500 (the log says "Execution failed due to configuration error: No match for output mapping and no default output mapping configured"); add an aws_api_gateway_integration_response (status_code = "200") with the status_code of one of its aws_api_gateway_method_response resources',
        ),
    },
    "terraform-resources/lambda-http-method-not-post/http/main.tf": {
        (
            "AGW402",
            15,
            "the Lambda integration of GET /items uses integration_method 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set integration_method = \"POST\" on its aws_apigatewayv2_integration",
        ),
    },
    "cdk/broken/method-unauthenticated/cdk.out/MethodUnauthenticated.template.json": {
        (
            "AGW301",
            208,
            "GET /items can be called by anyone: it has no authorizer, no IAM authorization and no API key; set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with AuthorizerId) or ApiKeyRequired: true on its AWS::ApiGateway::Method (CDK construct MethodUnauthenticated/Api/Default/items/GET)",
        ),
    },
    "cdk/broken/lambda-http-method-not-post/cdk.out/LambdaHttpMethodNotPost.template.json": {
        (
            "AGW402",
            126,
            "the Lambda integration of GET /items uses Integration.IntegrationHttpMethod 'GET'; Lambda's Invoke API only accepts POST (the client's method is passed in the event), set IntegrationHttpMethod: POST in the Integration of its AWS::ApiGateway::Method (CDK construct LambdaHttpMethodNotPost/Api/Default/items/GET)",
        ),
    },
    "cdk/broken/cors-preflight-requires-auth/cdk.out/CorsPreflightRequiresAuth.template.json": {
        (
            "AGW503",
            252,
            "the CORS preflight OPTIONS /items requires IAM (SigV4), but browsers send preflight requests without credentials, so every cross-origin call fails; set AuthorizationType: NONE and ApiKeyRequired: false on the OPTIONS AWS::ApiGateway::Method (CDK construct CorsPreflightRequiresAuth/Api/Default/items/OPTIONS)",
        ),
        (
            "AGW507",
            3,
            "CORS is in use (OPTIONS /items answers preflight requests) but DEFAULT_4XX and DEFAULT_5XX set no gatewayresponse.header.Access-Control-Allow-Origin, so errors API Gateway generates itself (authorizer 401/403, missing API key, 429 throttling, 5xx) reach the browser without CORS headers and the page sees an opaque CORS failure instead of the status; add it to the ResponseParameters of an AWS::ApiGateway::GatewayResponse for each response type (DEFAULT_4XX and DEFAULT_5XX) (CDK construct CorsPreflightRequiresAuth/Api)",
        ),
    },
    "cdk/good/rest-cors-cognito/cdk.out/RestCorsCognito.template.json": {
        (
            "AGW105",
            544,
            "path variable {id} of '/items/{id}' has no RequestParameters entry in GET /items/{id}, DELETE /items/{id}; without it the method has no method.request.path.id to map, cache or validate: add `method.request.path.id: true` to the RequestParameters of each of these AWS::ApiGateway::Method resources (CDK construct RestCorsCognito/Api/Default/items/{id})",
        ),
    },
}


@pytest.mark.parametrize("path", MESSAGES)
def test_each_form_names_its_own_keys_properties_or_arguments(path: str) -> None:
    results = lint_path(str(FIXTURES / path), Settings(select=CHANGED))
    assert [(r.error, r.skipped) for r in results] == [(None, None)]
    assert {(f.code, f.line, f.message) for r in results for f in r.findings} == MESSAGES[path]


#: AGW604 (over the authorizer quota) with its `limit` lowered to 1.
_QUOTA = (
    "over the quota of 1 per API (beyond it: {}); share authorizers between methods, or "
    "request a quota increase and set this rule's `limit`"
)
AUTHORIZERS = {
    "rules/authorizer-quota-exceeded/oas3-rest.yaml": (
        13,
        "the API defines 4 authorizers (security schemes with x-amazon-apigateway-authorizer), "
        + _QUOTA.format("'b', 'c', 'd'"),
    ),
    "wording/cloudformation/rest-preflight.yaml": (
        24,
        "the API defines 2 authorizers (AWS::ApiGateway::Authorizer resources), "
        + _QUOTA.format("'keys'"),
    ),
    "wording/terraform/rest-preflight/main.tf": (
        22,
        "the API defines 2 authorizers (aws_api_gateway_authorizer resources), "
        + _QUOTA.format("'keys'"),
    ),
}


@pytest.mark.parametrize("path", AUTHORIZERS)
def test_the_authorizer_quota_names_what_defines_an_authorizer(path: str) -> None:
    settings = Settings(select=("AGW604",), options={"authorizer-quota-exceeded": {"limit": 1}})
    results = lint_path(str(FIXTURES / path), settings)
    assert [(f.line, f.message) for r in results for f in r.findings] == [AUTHORIZERS[path]]


#: AGW603 (over the HTTP API integration quota) with its `limit` lowered to 1.
_SHARE = (
    "the HTTP API has at least {} distinct integrations, over the quota of 1 integrations per "
    "API (300, and it cannot be raised); {}, or split the API"
)
INTEGRATIONS = {
    "rules/integration-quota-exceeded/http.yaml": (
        5,
        _SHARE.format(
            3,
            "share integrations between routes through "
            "components.x-amazon-apigateway-integrations and $ref",
        ),
    ),
    "wording/cloudformation/http.yaml": (
        4,
        _SHARE.format(
            2,
            "point the Target of several AWS::ApiGatewayV2::Route resources at one "
            "AWS::ApiGatewayV2::Integration",
        ),
    ),
    "wording/terraform/http/main.tf": (
        4,
        _SHARE.format(
            2,
            "point the target of several aws_apigatewayv2_route resources at one "
            "aws_apigatewayv2_integration",
        ),
    ),
}


@pytest.mark.parametrize("path", INTEGRATIONS)
def test_the_integration_quota_says_how_routes_share_one(path: str) -> None:
    settings = Settings(select=("AGW603",), options={"integration-quota-exceeded": {"limit": 1}})
    results = lint_path(str(FIXTURES / path), settings)
    assert [(f.line, f.message) for r in results for f in r.findings] == [INTEGRATIONS[path]]


def test_every_term_has_words_for_every_front_end_and_api_kind() -> None:
    for term in TERMS:
        for front in FRONT_ENDS.values():
            for kind in KINDS:
                assert isinstance(phrase(term, front, kind), str), (term, front, kind)
    with pytest.raises(KeyError, match="'integration' has no wording for pulumi rest APIs"):
        phrase("integration", "pulumi", "rest")


#: What only an OpenAPI definition has: a resource's finding never names it.
OPENAPI_WORDS = re.compile(
    r"x-amazon-apigateway|`security`|security from|\$ref|`paths`|httpMethod|responses:|in: path|"
    r"vpcEndpointIds|allowOrigins|allowMethods|operation|schema"
)


def test_no_resource_phrase_names_an_openapi_key() -> None:
    for term in TERMS:
        for front in ("cloudformation", "terraform"):
            for kind in KINDS:
                text = phrase(term, front, kind)
                assert OPENAPI_WORDS.search(text) is None, (term, front, kind, text)


def _literals(*modules: str) -> set[str]:
    """The string literals of front-end modules: the names they read from the user's files."""
    folder = Path(apilint.document.__file__).parent
    text = "".join((folder / module).read_text() for module in modules)
    return set(re.findall(r"\"([^\"\\\s]+)\"", text))


#: Terraform names the wording gives that the Terraform front end does not read (AWS provider
#: documentation): AGW250's `response_models` of aws_api_gateway_method_response (where a model
#: is named).
TERRAFORM_UNREAD = {"response_models"}


def test_names_are_those_the_front_ends_read() -> None:
    cfn = _literals("cfn.py", "cfn_context.py", "cfn_rest.py", "cfn_http.py")
    tf = _literals("terraform.py", "tf_module.py", "tf_openapi.py", "tf_rest.py", "tf_http.py")
    for term, phrases in TERMS.items():
        for key, text in phrases.items():
            if key.startswith("cloudformation"):
                types = set(re.findall(r"AWS::\w+::\w+", text))
                # less the types and IAM names (execute-api:Invoke, aws:SourceVpce)
                rest = re.sub(r"AWS::\w+::\w+|[\w-]+:\w+", "", text)
                properties = set(re.findall(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b", rest))
                assert types | properties <= cfn, (term, key, (types | properties) - cfn)
            elif key.startswith("terraform"):
                names = set(re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", text)) - TERRAFORM_UNREAD
                assert names <= tf, (term, key, names - tf)


def test_an_api_built_from_resources_is_offered_no_fix_in_openapi_terms() -> None:
    # The OpenAPI form's AGW507 fix adds x-amazon-apigateway-gateway-responses; on resources
    # it would land at the template's root, a section CloudFormation refuses.
    openapi = lint_path(str(FIXTURES / "equivalence/openapi.yaml"), Settings(fixes=True))
    assert {
        (f.code, f.fix is not None) for r in openapi for f in r.findings if f.code == "AGW507"
    } == {("AGW507", True)}
    for form in ("cloudformation.yaml", "terraform/main.tf"):
        results = lint_path(str(FIXTURES / "equivalence" / form), Settings(fixes=True))
        assert [f.code for r in results for f in r.findings if f.fix is not None] == []
        assert "AGW507" in {f.code for r in results for f in r.findings}
