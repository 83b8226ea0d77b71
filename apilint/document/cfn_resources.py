"""CloudFormation APIs built without an OpenAPI body (hand-written templates and `cdk synth`
output): an `AWS::ApiGateway::RestApi` or `AWS::ApiGatewayV2::Api` without `Body` /
`BodyS3Location`, plus the Resource, Method, Route, Integration, Authorizer ... resources that
name it. Each becomes the OpenAPI document API Gateway would export for it
(apilint.document.resources; the REST and HTTP writers are cfn_rest and cfn_http, on the shared
cfn_context), every node placed at the property it was made from, and labelled with the CDK
construct path (`aws:cdk:path` metadata) when the template has one."""

from __future__ import annotations

import dataclasses

from apilint.document import cfn_http, cfn_rest
from apilint.document.cfn import ApiResource, Template, TemplateFile
from apilint.document.cfn_context import API_TYPES, Context, target_id
from apilint.document.intrinsics import ReadingLocator, branch_readings
from apilint.document.loader import SUPPRESSION_KEY
from apilint.document.model import CLOUDFORMATION, Document
from apilint.document.resources import OPENAPI, Writer


def built_apis(template: TemplateFile, apis: list[ApiResource], notes: list[str]) -> list[Document]:
    """The documents of the template's APIs that have no body, built from their resources: one
    per reading of the template's `Fn::If`s (the first branch of each, then the second, as for
    a body), the second marked as the alternative reading of the first."""
    wanted = [a for a in apis if a.source == "none" and a.type in API_TYPES]
    if not wanted:
        return []
    out: list[Document] = []
    first: set[str] = set()  # APIs the first reading built (an alternative joins its result)
    for n, reading in enumerate(branch_readings(template.resources)):
        # the template as this reading sees it; positions through the reading's moves
        holder = dataclasses.replace(
            template.doc,
            locator=ReadingLocator(template.doc.locator, ("Resources",), reading.moves),
        )
        seen = dataclasses.replace(template, doc=holder, resources=reading.data)
        for api in wanted:
            doc = _build(seen, api, notes if n == 0 else [])
            if doc is not None:
                alternative = n > 0 and api.logical_id in first
                first.add(api.logical_id)
                out.append(
                    dataclasses.replace(doc, iac=Template(template, api), alternative=alternative)
                )
    # each API's readings side by side, as the engine joins an alternative with the one before
    return sorted(out, key=lambda d: (wanted.index(_api_of(d, wanted)), d.alternative))


def _api_of(doc: Document, apis: list[ApiResource]) -> ApiResource:
    return next(a for a in apis if a.logical_id == doc.label)


def _build(template: TemplateFile, api: ApiResource, notes: list[str]) -> Document | None:
    writer = Writer(
        {"openapi": OPENAPI, "info": {"title": api.logical_id, "version": "1"}, "paths": {}}
    )
    writer.place((), ("Resources", api.logical_id))
    context = Context(template, api, writer, notes)
    context.label((), api.logical_id)
    build = cfn_rest.write if api.kind == "rest" else cfn_http.write
    if not build(context):
        return None
    suppressions = _suppressions(context)
    return writer.document(
        template.doc,
        built_from=CLOUDFORMATION,
        kind=api.kind,
        label=api.logical_id,
        suppressions=suppressions,
    )


#: Where the written document keeps the suppressions of the API's resources: one object per
#: resource, placed at the resource, so a suppression covers the findings under it.
SUPPRESSIONS = "x-apilint-resources"


def _suppressions(ctx: Context) -> bool:
    """`Metadata: {x-apilint-ignore: ...}` on the API or one of its resources (as cfn-lint
    reads `Metadata: cfn-lint`), written where the engine's suppressions find it."""
    link = API_TYPES[ctx.api.type]
    found = False
    for logical_id, resource in ctx.template.resources.items():
        meta = resource.get("Metadata") if isinstance(resource, dict) else None
        if not isinstance(meta, dict) or SUPPRESSION_KEY not in meta:
            continue
        if logical_id != ctx.api_id and target_id(ctx.props(logical_id).get(link)) != ctx.api_id:
            continue
        at = (SUPPRESSIONS, logical_id)
        ctx.writer.put(at, {SUPPRESSION_KEY: meta[SUPPRESSION_KEY]}, ("Resources", logical_id))
        ctx.writer.place(
            at + (SUPPRESSION_KEY,), ("Resources", logical_id, "Metadata", SUPPRESSION_KEY), True
        )
        found = True
    return found
