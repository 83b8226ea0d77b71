"""CloudFormation APIs built without an OpenAPI body (hand-written templates and `cdk synth`
output): an `AWS::ApiGateway::RestApi` or `AWS::ApiGatewayV2::Api` without `Body` /
`BodyS3Location`, plus the Resource, Method, Route, Integration, Authorizer ... resources that
name it. Each becomes the OpenAPI document API Gateway would export for it
(apilint.document.resources; the REST and HTTP writers are cfn_rest and cfn_http, on the shared
cfn_context), every node placed at the property it was made from, and labelled with the CDK
construct path (`aws:cdk:path` metadata) when the template has one."""

from __future__ import annotations

from apilint.document import cfn_http, cfn_rest
from apilint.document.cfn import ApiResource, Template, TemplateFile
from apilint.document.cfn_context import API_TYPES, BUILT_FROM, Context
from apilint.document.model import Document
from apilint.document.resources import OPENAPI, Writer


def built_apis(template: TemplateFile, apis: list[ApiResource], notes: list[str]) -> list[Document]:
    """The documents of the template's APIs that have no body, built from their resources."""
    out = []
    for api in apis:
        if api.source != "none" or api.type not in API_TYPES:
            continue
        writer = Writer(
            {"openapi": OPENAPI, "info": {"title": api.logical_id, "version": "1"}, "paths": {}}
        )
        writer.place((), ("Resources", api.logical_id))
        context = Context(template, api, writer, notes)
        context.label((), api.logical_id)
        build = cfn_rest.write if api.kind == "rest" else cfn_http.write
        if not build(context):
            continue
        out.append(
            writer.document(
                template.doc,
                built_from=BUILT_FROM,
                kind=api.kind,
                label=api.logical_id,
                iac=Template(template, api),
            )
        )
    return out
