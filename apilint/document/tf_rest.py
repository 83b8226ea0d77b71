"""A REST API built from Terraform resources: `aws_api_gateway_rest_api` without `body` plus
`aws_api_gateway_resource`, `_method`, `_integration`, `_method_response`,
`_integration_response`, `_authorizer`, `_gateway_response` and `_rest_api_policy` (AWS provider
documentation, registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/
api_gateway_method etc.); the API's own `endpoint_configuration` and `policy` as
cfn_rest.py writes EndpointConfiguration and Policy.

Resources belong to the API whose `id` their `rest_api_id` names; a resource's path is its
`path_part` under its `parent_id` (`root_resource_id` is `/`); a method is found by its
`resource_id` and `http_method`. What Terraform computes (a variable, `for_each` keys) is left
out with a note, never guessed.
"""

from __future__ import annotations

from typing import Any

from apilint.document.parameters import method_parameter
from apilint.document.tf_module import Block, Module, reference
from apilint.document.tf_openapi import (
    INTEGRATION,
    SIGV4,
    Out,
    children,
    follow,
    header_of,
    points_at,
    scheme,
    text,
    unknown,
    unknown_scheme,
    verb_key,
)

_RESOURCE = "aws_api_gateway_resource"
_INTEGRATION_FIELDS = {
    "type": "type",
    "integration_http_method": "httpMethod",
    "uri": "uri",
    "credentials": "credentials",
    "request_templates": "requestTemplates",
    "request_parameters": "requestParameters",
    "passthrough_behavior": "passthroughBehavior",
    "content_handling": "contentHandling",
    "timeout_milliseconds": "timeoutInMillis",
    "connection_type": "connectionType",
    "connection_id": "connectionId",
    "cache_key_parameters": "cacheKeyParameters",
    "cache_namespace": "cacheNamespace",
}
_AUTHORIZER_FIELDS = {
    "authorizer_uri": "authorizerUri",
    "authorizer_credentials": "authorizerCredentials",
    "identity_source": "identitySource",
    "provider_arns": "providerARNs",
    "authorizer_result_ttl_in_seconds": "authorizerResultTtlInSeconds",
    "identity_validation_expression": "identityValidationExpression",
}
_POLICY = "x-amazon-apigateway-policy"
_ENDPOINT = "x-amazon-apigateway-endpoint-configuration"
_API_FIELDS = {
    "api_key_source": "x-amazon-apigateway-api-key-source",
    "binary_media_types": "x-amazon-apigateway-binary-media-types",
}


class RestReader:
    def __init__(self, module: Module, api: Block, out: Out) -> None:
        self.module, self.api, self.out = module, api, out
        self.paths: dict[str, str | None] = {}  # resource address -> path (None: unknown)
        self.methods: dict[tuple[str, str], Block] = {}  # (path, verb) -> method block

    def read(self) -> None:
        self.out.place((), self.out.at(self.api))
        self.out.place(("paths",), self.out.at(self.api))
        self.out.copy(self.api, _API_FIELDS, ())
        self._endpoint()
        self._policy()
        self.out.place(("paths", "/"), self.out.at(self.api))
        for block in self._mine(_RESOURCE):  # every resource counts, methods or not
            self._path("${" + block.address + ".id}")
        for block in self._mine("aws_api_gateway_model"):
            self._model(block)
        for block in self._mine("aws_api_gateway_authorizer"):
            self._authorizer(block)
        for block in self._mine("aws_api_gateway_method"):
            self._method(block)
        for block in self._mine("aws_api_gateway_method_response"):
            self._method_response(block)
        for block in self._mine("aws_api_gateway_integration"):
            self._integration(block)
        for block in self._mine("aws_api_gateway_integration_response"):
            self._integration_response(block)
        for block in self._mine("aws_api_gateway_gateway_response"):
            self._gateway_response(block)
        for path in self.paths.values():
            if path is not None:
                self.out.node(("paths", path))  # a resource without methods is one too

    def _mine(self, kind: str) -> list[Block]:
        return children(self.out, kind, "rest_api_id")

    # -- the API's own settings ----------------------------------------------------------------

    def _endpoint(self) -> None:
        """endpoint_configuration's vpc_endpoint_ids (a private API), as exported under
        `servers` (what cfn_rest writes for EndpointConfiguration.VpcEndpointIds)."""
        config = self.api.nested("endpoint_configuration")
        if config is None or "vpc_endpoint_ids" not in config.attrs:
            return
        at = ("servers", "0", _ENDPOINT)
        self.out.writer.put(("servers",), [{"url": "/", _ENDPOINT: {}}], self.out.at(config))
        self.out.place(at, self.out.at(config))
        ids = self.out.value(config, "vpc_endpoint_ids", at + ("vpcEndpointIds",))
        self.out.data["servers"][0][_ENDPOINT]["vpcEndpointIds"] = ids

    def _policy(self) -> None:
        """The resource policy: the API's `policy`, or an aws_api_gateway_rest_api_policy's
        (the last one written counts). One Terraform computes (a data source's `.json`, a
        variable) stands as a placeholder, so that checks neither judge it nor call it absent."""
        holders = [self.api, *self._mine("aws_api_gateway_rest_api_policy")]
        written = [block for block in holders if "policy" in block.attrs]
        if not written:
            return
        block = written[-1]
        policy = self.out.schema(block, "policy", (_POLICY,))
        if policy is None:  # not JSON text: as written (a placeholder, or text checks refuse)
            policy = self.out.value(block, "policy", (_POLICY,))
        if isinstance(policy, str) and "${" in policy:
            self.out.notes.append(unknown(block, "policy", block.literal("policy")))
        self.out.data[_POLICY] = policy
        self.out.place((_POLICY,), self.out.at(block, "policy"))

    # -- where a method is -------------------------------------------------------------------

    def _path(self, resource_id: Any, depth: int = 0) -> str | None:
        value = follow(self.module, resource_id)
        if points_at(self.module, value, self.api.address, "root_resource_id"):
            return "/"
        ref = reference(value)
        if ref is None or ref.attribute != "id" or depth > 64:
            return None
        if ref.address not in self.paths:
            block = self.module.resources.get(ref.address)
            self.paths[ref.address] = None
            if block is not None and block.labels[0] == _RESOURCE:
                part = text(block.literal("path_part"))
                parent = self._path(block.literal("parent_id"), depth + 1)
                if part is None or parent is None:
                    self.out.notes.append(unknown(block, "path", block.literal("path_part")))
                else:
                    path = parent.rstrip("/") + "/" + part
                    self.paths[ref.address] = path
                    self.out.place(("paths", path), self.out.at(block, "path_part"))
        return self.paths[ref.address]

    def _target(self, block: Block) -> tuple[str, str] | None:
        """(path, verb) of the method a block belongs to (or defines), or None with a note."""
        path = self._path(block.literal("resource_id"))
        verb = text(follow(self.module, block.literal("http_method")))
        if path is None:
            self.out.notes.append(unknown(block, "resource_id", block.literal("resource_id")))
            return None
        if verb is None:
            self.out.notes.append(unknown(block, "http_method", block.literal("http_method")))
            return None
        return path, verb.upper()

    def _operation(self, block: Block) -> tuple[str, ...] | None:
        """The operation of an integration or response block (its method must be known)."""
        target = self._target(block)
        if target is None or target not in self.methods:
            return None
        return ("paths", target[0], verb_key(target[1]))

    # -- the resources ---------------------------------------------------------------------

    def _method(self, block: Block) -> None:
        target = self._target(block)
        if target is None:
            return
        path, verb = target
        self.methods[target] = block
        tokens = ("paths", path, verb_key(verb))
        op = self.out.node(tokens, self.out.at(block, "authorization"))
        op["responses"] = {}
        # Declared ones only, as CloudFormation's front end reads them: API Gateway refuses an
        # integration that maps a path variable the method does not declare (AGW450).
        op["parameters"] = self._parameters(block)
        models = block.literal("request_models")
        if isinstance(models, dict) and models:
            op["requestBody"] = {
                "content": {str(media): self._schema(name) for media, name in models.items()}
            }
            self.out.place(tokens + ("requestBody",), self.out.at(block, "request_models"))
        security = self._security(block)
        if security is not None:
            op["security"] = [security]
            self.out.place(tokens + ("security",), self.out.at(block, "authorization"))

    def _parameters(self, block: Block) -> list[dict[str, Any]]:
        params = block.literal("request_parameters")
        found = (
            (method_parameter(k, v) for k, v in params.items()) if isinstance(params, dict) else ()
        )
        return [p for p in found if p is not None]

    def _security(self, block: Block) -> dict[str, list[Any]] | None:
        kind = block.literal("authorization")
        requirement: dict[str, list[Any]] = {}
        if text(kind) is None:
            requirement[unknown_scheme(self.out, block, "authorization", kind)] = []
        elif kind.upper() == "AWS_IAM":
            scheme(
                self.out,
                SIGV4,
                self.out.at(block, "authorization"),
                {"x-amazon-apigateway-authtype": "awsSigv4"},
            )
            requirement[SIGV4] = []
        elif kind.upper() in ("CUSTOM", "COGNITO_USER_POOLS"):
            name = self._authorizer_name(block.literal("authorizer_id"))
            if name is None:
                name = unknown_scheme(
                    self.out, block, "authorizer_id", block.literal("authorizer_id")
                )
            scopes = block.literal("authorization_scopes")
            requirement[name] = scopes if isinstance(scopes, list) else []
        api_key = block.literal("api_key_required")
        if api_key is True:
            scheme(
                self.out, "api_key", self.out.at(block, "api_key_required"), {"name": "x-api-key"}
            )
            requirement["api_key"] = []
        elif api_key is not None and api_key is not False:
            requirement[unknown_scheme(self.out, block, "api_key_required", api_key)] = []
        return requirement or None

    def _authorizer_name(self, value: Any) -> str | None:
        ref = reference(follow(self.module, value))
        block = self.module.resources.get(ref.address) if ref is not None else None
        if block is None or block.labels[0] != "aws_api_gateway_authorizer":
            return None
        return _scheme_name(block)

    def _authorizer(self, block: Block) -> None:
        name = _scheme_name(block)
        kind = block.literal("type")
        kind = "TOKEN" if kind is None else kind
        authtype = "cognito_user_pools" if str(kind).upper() == "COGNITO_USER_POOLS" else "custom"
        source = block.literal("identity_source")
        tokens = scheme(
            self.out,
            name,
            self.out.at(block),
            {"name": header_of(source), "x-amazon-apigateway-authtype": authtype},
        )
        authorizer = self.out.copy(
            block, _AUTHORIZER_FIELDS, tokens + ("x-amazon-apigateway-authorizer",)
        )
        authorizer["type"] = str(kind).lower() if text(kind) else kind
        self.out.place(
            tokens + ("x-amazon-apigateway-authorizer", "type"), self.out.at(block, "type")
        )
        if source is None and authtype == "custom":
            authorizer["identitySource"] = "method.request.header.Authorization"  # the default

    def _model(self, block: Block) -> None:
        name = text(block.literal("name")) or block.labels[1]
        tokens = ("components", "schemas", name)
        schema = self.out.schema(block, "schema", tokens)
        if isinstance(schema, dict):
            self.out.node(("components", "schemas"))[name] = schema
            self.out.place(tokens, self.out.at(block, "name"))

    def _schema(self, model: Any) -> dict[str, Any]:
        """The schema of a model named by request_models: a $ref to a model the module
        defines, else unknown (any body)."""
        name = text(follow(self.module, model))
        schemas = self.out.data.get("components", {}).get("schemas", {})
        return {"schema": {"$ref": f"#/components/schemas/{name}"} if name in schemas else {}}

    def _method_response(self, block: Block) -> None:
        op = self._operation(block)
        status = text(str(follow(self.module, block.literal("status_code"))))
        if op is None or status is None:
            return
        response = self.out.node(op + ("responses", status), self.out.at(block))
        response["description"] = f"{status} response"
        params = block.literal("response_parameters")
        if isinstance(params, dict) and params:
            headers = response.setdefault("headers", {})
            self.out.place(
                op + ("responses", status, "headers"), self.out.at(block, "response_parameters")
            )
            for key in params:
                parts = str(key).split(".", 3)
                if len(parts) == 4 and parts[:3] == ["method", "response", "header"]:
                    headers[parts[3]] = {"schema": {"type": "string"}}

    def _integration(self, block: Block) -> None:
        op = self._operation(block)
        if op is not None:
            self.out.copy(block, _INTEGRATION_FIELDS, op + (INTEGRATION,))

    def _integration_response(self, block: Block) -> None:
        op = self._operation(block)
        integ = self.out.data["paths"][op[1]][op[2]].get(INTEGRATION) if op else None
        if op is None or integ is None:
            return
        pattern = block.literal("selection_pattern")
        key = pattern if isinstance(pattern, str) and pattern else "default"
        self.out.copy(
            block,
            {
                "status_code": "statusCode",
                "response_parameters": "responseParameters",
                "response_templates": "responseTemplates",
                "content_handling": "contentHandling",
            },
            op + (INTEGRATION, "responses", key),
        )

    def _gateway_response(self, block: Block) -> None:
        kind = text(block.literal("response_type"))
        if kind is None:
            self.out.notes.append(unknown(block, "response_type", block.literal("response_type")))
            return
        self.out.copy(
            block,
            {
                "status_code": "statusCode",
                "response_parameters": "responseParameters",
                "response_templates": "responseTemplates",
            },
            ("x-amazon-apigateway-gateway-responses", kind),
        )


def _scheme_name(block: Block) -> str:
    name = text(block.literal("name"))
    return name if name is not None else block.labels[1]
