"""The vocabulary of apilint.model.wording: for each term a check's message uses, its phrase
per front end (`openapi`, `cloudformation`, `terraform`) or per front end and API kind
(`cloudformation-rest`, `terraform-http`, ...). Phrases are `str.format` templates. The names
are those the front ends read (apilint/document/cfn_rest.py, cfn_http.py, tf_rest.py,
tf_http.py): the CloudFormation properties and Terraform arguments themselves
(tests/test_wording.py holds them to that)."""

from __future__ import annotations

_REST_METHOD = "AWS::ApiGateway::Method"
_HTTP_ROUTE = "AWS::ApiGatewayV2::Route"
_TF_METHOD = "aws_api_gateway_method"
_TF_ROUTE = "aws_apigatewayv2_route"

TERMS: dict[str, dict[str, str]] = {
    # -- authorization of a method (AGW301, AGW314, AGW503) --------------------------------
    "add-authorization": {
        "openapi": "add an authorizer, AWS_IAM or an API key to the operation's `security`",
        "cloudformation-rest": "set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM "
        f"with AuthorizerId) or ApiKeyRequired: true on its {_REST_METHOD}",
        "cloudformation-http": "set AuthorizationType (AWS_IAM, or JWT or CUSTOM with "
        f"AuthorizerId) on its {_HTTP_ROUTE}",
        "terraform-rest": 'set authorization ("AWS_IAM", "COGNITO_USER_POOLS", or "CUSTOM" '
        f"with authorizer_id) or api_key_required = true on its {_TF_METHOD}",
        "terraform-http": 'set authorization_type ("AWS_IAM", or "JWT" or "CUSTOM" with '
        f"authorizer_id) on its {_TF_ROUTE}",
    },
    "api-key-scheme": {
        "openapi": " (scheme {name!r})",
        # the front end names the scheme itself: the user wrote ApiKeyRequired, no scheme
        "cloudformation": "",
        "terraform": "",
    },
    "add-authorization-beside-key": {
        "openapi": "add an authorizer or IAM authorization next to the key",
        "cloudformation": "set AuthorizationType (AWS_IAM, COGNITO_USER_POOLS, or CUSTOM with "
        f"AuthorizerId) on those {_REST_METHOD} resources next to ApiKeyRequired",
        "terraform": 'set authorization ("AWS_IAM", "COGNITO_USER_POOLS", or "CUSTOM" with '
        f"authorizer_id) on those {_TF_METHOD} resources next to api_key_required",
    },
    "remove-preflight-authorization": {
        "openapi": "remove security from the OPTIONS method",
        "cloudformation-rest": "set AuthorizationType: NONE and ApiKeyRequired: false on the "
        f"OPTIONS {_REST_METHOD}",
        "cloudformation-http": f"set AuthorizationType: NONE on the OPTIONS {_HTTP_ROUTE}",
        "terraform-rest": 'set authorization = "NONE" and api_key_required = false on the '
        f"OPTIONS {_TF_METHOD}",
        "terraform-http": f'set authorization_type = "NONE" on the OPTIONS {_TF_ROUTE}',
    },
    "add-open-preflight": {
        "openapi": "Add an OPTIONS method without security",
        "cloudformation-rest": f"Add an OPTIONS {_REST_METHOD} with AuthorizationType: NONE",
        "cloudformation-http": f"Add an OPTIONS {_HTTP_ROUTE} with AuthorizationType: NONE",
        "terraform-rest": f'Add an OPTIONS {_TF_METHOD} with authorization = "NONE"',
        "terraform-http": f'Add an OPTIONS {_TF_ROUTE} with authorization_type = "NONE"',
    },
    # -- integrations (AGW402, 403, 421, 427, 450, 453, 454, 504, 508, 603) --------------------------------------------------
    "integration-http-method": {
        "openapi": "httpMethod",
        "cloudformation-rest": "Integration.IntegrationHttpMethod",
        "cloudformation-http": "IntegrationMethod",
        "terraform-rest": "integration_http_method",
        "terraform-http": "integration_method",
    },
    "set-integration-post": {
        "openapi": "set httpMethod: POST",
        "cloudformation-rest": f"set IntegrationHttpMethod: POST in the Integration of its "
        f"{_REST_METHOD}",
        "cloudformation-http": "set IntegrationMethod: POST on its AWS::ApiGatewayV2::Integration",
        "terraform-rest": 'set integration_http_method = "POST" on its aws_api_gateway_integration',
        "terraform-http": 'set integration_method = "POST" on its aws_apigatewayv2_integration',
    },
    "integration": {
        "openapi": "x-amazon-apigateway-integration",
        "cloudformation": "Integration",
        "terraform": "aws_api_gateway_integration",
    },
    "add-integration": {
        "openapi": "add an integration (type: mock for a stub)",
        "cloudformation": f"add an Integration to its {_REST_METHOD} (Type: MOCK for a stub)",
        "terraform": 'add an aws_api_gateway_integration for it (type = "MOCK" for a stub)',
    },
    "add-integration-response": {
        "openapi": 'add responses: {{default: {{statusCode: "200"}}}} with a status code the '
        "operation declares",
        "cloudformation": 'add IntegrationResponses: [{{StatusCode: "200"}}] to its Integration, '
        "with a status code of its MethodResponses",
        "terraform": 'add an aws_api_gateway_integration_response (status_code = "200") with '
        "the status_code of one of its aws_api_gateway_method_response resources",
    },
    # -- paths and methods (AGW105, AGW109) -----------------------------------------------------
    "path-parameter": {
        "openapi": "`in: path` parameter",
        "cloudformation": "RequestParameters entry",
        "terraform": "request_parameters entry",
    },
    "declare-path-parameter": {
        "openapi": "declare `- name: {name}, in: path, required: true` on the path or operation",
        "cloudformation": "add `method.request.path.{name}: true` to the RequestParameters of "
        f"each of these {_REST_METHOD} resources",
        "terraform": 'add `"method.request.path.{name}" = true` to the request_parameters of '
        f"each of these {_TF_METHOD} resources",
    },
    "no-operations": {
        "openapi": "`paths` {what}",
        "cloudformation": f"the API has no {_REST_METHOD}",
        "terraform": f"the API has no {_TF_METHOD}",
    },
    "add-operation": {
        "openapi": "add at least one operation (get, post, ..., or "
        "x-amazon-apigateway-any-method) with an integration",
        "cloudformation": f"add at least one {_REST_METHOD} with an Integration",
        "terraform": f"add at least one {_TF_METHOD} with an aws_api_gateway_integration",
    },
    "add-method-response": {
        "openapi": "Add a {status!r} entry to the operation's responses",
        "cloudformation": "Add a MethodResponses entry with StatusCode: {status!r} to its "
        f"{_REST_METHOD}",
        "terraform": 'Add an aws_api_gateway_method_response with status_code = "{status}" '
        "for the method",
    },
    "request-templates": {
        "openapi": "requestTemplates",
        "cloudformation": "RequestTemplates",
        "terraform": "request_templates",
    },
    "add-mock-template": {
        "openapi": "add requestTemplates {{application/json: '{{\"statusCode\": 200}}'}}",
        "cloudformation": "add RequestTemplates: {{application/json: '{{\"statusCode\": 200}}'}} "
        "to its Integration",
        "terraform": 'add request_templates = {{ "application/json" = '
        "jsonencode({{ statusCode = 200 }}) }} to its aws_api_gateway_integration",
    },
    "content-handling-text": {
        "openapi": "contentHandling: CONVERT_TO_TEXT",
        "cloudformation": "ContentHandling: CONVERT_TO_TEXT",
        "terraform": 'content_handling = "CONVERT_TO_TEXT"',
    },
    "the-integration": {
        "openapi": "its integration",
        "cloudformation": "its Integration",
        "terraform": "its aws_api_gateway_integration",
    },
    "integration-request-parameters": {
        "openapi": "the integration's requestParameters",
        "cloudformation": "the Integration's RequestParameters",
        "terraform": "the request_parameters of its aws_api_gateway_integration",
    },
    "credentials": {
        "openapi": "credentials",
        "cloudformation": "Credentials",
        "terraform": "credentials",
    },
    "integration-fails": {
        "openapi": "import fails with",
        "cloudformation": "creating the integration fails with",
        "terraform": "creating the integration fails with",
    },
    "require-iam": {
        "openapi": "protect the method with a sigv4 security scheme or x-amazon-apigateway-auth "
        "AWS_IAM",
        "cloudformation": f"set AuthorizationType: AWS_IAM on its {_REST_METHOD}",
        "terraform": f'set authorization = "AWS_IAM" on its {_TF_METHOD}',
    },
    "share-integrations": {
        "openapi": "share integrations between routes through "
        "components.x-amazon-apigateway-integrations and $ref",
        "cloudformation": "point the Target of several AWS::ApiGatewayV2::Route resources at one "
        "AWS::ApiGatewayV2::Integration",
        "terraform": "point the target of several aws_apigatewayv2_route resources at one "
        "aws_apigatewayv2_integration",
    },
    "mapping-fails": {
        "openapi": "the import fails with",
        "cloudformation": "creating the integration fails with",
        "terraform": "creating the integration fails with",
    },
    "declare-request-parameter": {
        "openapi": "Declare it in the operation's parameters (in: {where})",
        "cloudformation": f"Declare it in the RequestParameters of its {_REST_METHOD} "
        "(`{value}: {required}`{otherwise})",
        "terraform": f"Declare it in the request_parameters of its {_TF_METHOD} "
        '(`"{value}" = {required}`{otherwise})',
    },
    # -- models (AGW250) ------------------------------------------------------------------------
    "model-name-invalid": {
        "openapi": "schema name {name!r} is not alphanumeric; REST API import turns every "
        "schema into a model and fails with 'Model name must be alphanumeric'. Rename it "
        "(e.g. {suggestion!r}) and update its $refs",
        "cloudformation": "model name {name!r} is not alphanumeric, and API Gateway model names "
        "can only contain alphanumeric characters, so creating the model fails ('Model name "
        "must be alphanumeric'). Rename the AWS::ApiGateway::Model's Name (e.g. "
        "{suggestion!r}) and the RequestModels and ResponseModels that name it",
        "terraform": "model name {name!r} is not alphanumeric, and API Gateway model names can "
        "only contain alphanumeric characters, so creating the model fails ('Model name must "
        "be alphanumeric'). Rename the aws_api_gateway_model's name (e.g. {suggestion!r}) and "
        "the request_models and response_models that name it",
    },
    # -- settings (AGW054, AGW317, AGW319-AGW321, AGW508, AGW604) ----------------------------------------------------------------------
    "binary-media-types": {
        "openapi": "x-amazon-apigateway-binary-media-types",
        "cloudformation": "BinaryMediaTypes",
        "terraform": "binary_media_types",
    },
    "authorizers": {
        "openapi": "security schemes with x-amazon-apigateway-authorizer",
        "cloudformation-rest": "AWS::ApiGateway::Authorizer resources",
        "cloudformation-http": "AWS::ApiGatewayV2::Authorizer resources",
        "terraform-rest": "aws_api_gateway_authorizer resources",
        "terraform-http": "aws_apigatewayv2_authorizer resources",
    },
    "vpc-endpoint-ids": {
        "openapi": "vpcEndpointIds",
        "cloudformation": "EndpointConfiguration.VpcEndpointIds",
        "terraform": "endpoint_configuration.vpc_endpoint_ids",
    },
    "resource-policy": {
        "openapi": "x-amazon-apigateway-policy",
        "cloudformation": "the Policy of the AWS::ApiGateway::RestApi",
        "terraform": "the policy argument",
    },
    "add-resource-policy": {
        "openapi": "add x-amazon-apigateway-policy allowing execute-api:Invoke from your VPC "
        "endpoints (aws:SourceVpce), unless your infrastructure code attaches the policy "
        "separately",
        "cloudformation": "add a Policy to the AWS::ApiGateway::RestApi allowing "
        "execute-api:Invoke from your VPC endpoints (aws:SourceVpce)",
        "terraform": "add a policy to the aws_api_gateway_rest_api (or an "
        "aws_api_gateway_rest_api_policy) allowing execute-api:Invoke from your VPC endpoints "
        "(aws:SourceVpce)",
    },
    # -- CORS (AGW501, AGW502, AGW507, AGW509, AGW510, AGW511) -----------------------------------------------------------
    "http-cors": {
        "openapi": "x-amazon-apigateway-cors",
        "cloudformation": "CorsConfiguration",
        "terraform": "cors_configuration",
    },
    "configure-http-cors": {
        "openapi": "configure x-amazon-apigateway-cors",
        "cloudformation": "set CorsConfiguration on the AWS::ApiGatewayV2::Api",
        "terraform": "add a cors_configuration block to the aws_apigatewayv2_api",
    },
    # the keys of x-amazon-apigateway-cors: `cors:` and the OpenAPI key
    **{
        f"cors:{key}": {"openapi": key, "cloudformation": cfn, "terraform": tf}
        for key, cfn, tf in (
            ("allowOrigins", "AllowOrigins", "allow_origins"),
            ("allowMethods", "AllowMethods", "allow_methods"),
            ("allowHeaders", "AllowHeaders", "allow_headers"),
            ("exposeHeaders", "ExposeHeaders", "expose_headers"),
            ("allowCredentials", "AllowCredentials", "allow_credentials"),
            ("maxAge", "MaxAge", "max_age"),
        )
    },
    "assign": {
        "openapi": "{name}: {value}",
        "cloudformation": "{name}: {value}",
        "terraform": "{name} = {value}",
    },
    "map-gateway-header": {
        "openapi": "map that header in {types}",
        "cloudformation": "add it to the ResponseParameters of an "
        "AWS::ApiGateway::GatewayResponse for each response type ({types})",
        "terraform": "add it to the response_parameters of an aws_api_gateway_gateway_response "
        "for each response type ({types})",
    },
}
