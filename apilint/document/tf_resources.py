"""APIs that Terraform builds from resources (an `aws_api_gateway_rest_api` or
`aws_apigatewayv2_api` without `body`), as the OpenAPI document API Gateway would export for
them, each node placed on the .tf attribute that writes it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from apilint.document.hcl import HclLocator
from apilint.document.model import TERRAFORM, Document
from apilint.document.resources import GATEWAY_FACTS, OPENAPI, Writer
from apilint.document.terraform import API_RESOURCES, TerraformModule
from apilint.document.tf_http import HttpReader
from apilint.document.tf_module import Block, Module, read_module
from apilint.document.tf_openapi import Out, text, unknown
from apilint.document.tf_rest import RestReader


def resource_apis(
    path: Path, text_: str, tree: Any, shown: str
) -> tuple[list[Document], list[str]]:
    """The APIs the resources of `path`'s module build, for each API resource of `path`."""
    module = read_module(path, text_, tree)
    here = path.resolve()
    docs: list[Document] = []
    notes: list[str] = []
    for block in module.resources.values():
        if block.labels[0] in API_RESOURCES and "body" not in block.attrs:
            if block.path.resolve() == here:
                doc = _document(module, block, shown, notes)
                if doc is not None:
                    docs.append(doc)
    return docs, notes


def _document(module: Module, api: Block, shown: str, notes: list[str]) -> Document | None:
    kind = API_RESOURCES[api.labels[0]]
    if kind == "http":
        protocol = api.literal("protocol_type")
        if text(protocol) is None or protocol.upper() != "HTTP":
            notes.append(
                unknown(api, "protocol_type", protocol)
                if text(protocol) is None
                else f"{api.address} is a {protocol} API; apilint lints REST and HTTP APIs"
            )
            return None
    title = text(api.literal("name")) or api.address
    out = Out(
        module,
        api,
        Writer({"openapi": OPENAPI, "info": {"title": title, "version": "1"}, "paths": {}}),
    )
    if api.repeated:
        out.notes.append(f"{api.address} has {api.repeated}: linted as one API")
    if kind == "http":
        HttpReader(module, api, out).read()
    else:
        RestReader(module, api, out).read()
    notes.extend(out.notes)
    holder = Document(shown, api.path.resolve(), {}, HclLocator(out.spans), "hcl", "")
    doc = out.writer.document(
        holder,
        built_from=TERRAFORM,
        kind=kind,
        label=api.address,
        iac=TerraformModule(shown, api.address, module.declared),
        provides=GATEWAY_FACTS,
    )
    # References stay `${...}` placeholders: unknown values, never malformed ones.
    return dataclasses.replace(doc, placeholders=True)
