"""APIs built without an OpenAPI body (CloudFormation `AWS::ApiGateway::Method` ... resources,
CDK output, Terraform `aws_api_gateway_*` resources): the entry point a resource front end uses
to hand the engine such an API.

A front end writes the OpenAPI 3 document API Gateway would export for the API (`aws apigateway
get-export --extensions integrations,authorizers`; HTTP APIs' export likewise): paths, methods
with `security`, `x-amazon-apigateway-integration`, security schemes with
`x-amazon-apigateway-authorizer`, gateway responses, validators, models. The gateway model is then
built from it exactly as from an OpenAPI file (apilint.model.build), so every rule reads one
view. Each node keeps its place: `moves` maps a node of the written document to the resource
property it was made from (longest prefix wins, as for Fn::If readings), so a finding on
`paths./items.get.x-amazon-apigateway-integration.uri` is reported at the Method's
`Integration.Uri`, line and column of the template, with that template pointer. Rules that need
the OpenAPI text itself (`needs: [document]`) do not run on it (apilint.engine.run).

For a new front end: fill a `Writer` (`put` a node with the holder tokens it came from, `place`
a node that is not written but has a place, `constructs` for labels), then
`writer.document(holder, built_from=..., kind="rest"|"http", label=..., iac=...,
provides=...)`: `provides` names the facts it fills in (GATEWAY_FACTS when all), and a rule
needing one it leaves out is skipped rather than fed a gap. cfn_resources is the example.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from apilint.common.findings import Span
from apilint.document.model import FACTS, Document
from apilint.document.pointer import Tokens

#: The OpenAPI version of the documents front ends write (what API Gateway exports).
VERSION = "3.0"
OPENAPI = "3.0.1"
#: What a front end that fills in every gateway fact provides.
GATEWAY_FACTS = frozenset(FACTS) - {"document"}


@dataclass(frozen=True)
class ResourceLocator:
    """Positions of a written document's nodes in the file the resources are in."""

    inner: Any  # the file's locator
    moves: dict[Tokens, Tokens]
    #: written node → CDK construct path (`aws:cdk:path` metadata, without `/Resource`)
    constructs: dict[Tokens, str] = field(default_factory=dict)
    #: Written nodes whose value is the property's value as written (a mapping template, a
    #: policy, a schema): a node below one is placed at the same path below the property.
    mirrors: frozenset[Tokens] = frozenset()

    def placed(self, tokens: Tokens) -> Tokens:
        """The holder's tokens for a node of the written document (its nearest placed
        ancestor); the holder's root when nothing above it is placed."""
        for n in range(len(tokens), -1, -1):
            moved = self.moves.get(tokens[:n])
            if moved is not None:
                return moved + tokens[n:] if tokens[:n] in self.mirrors else moved
        return ()

    def source(self, tokens: Tokens) -> Tokens:
        """The file's tokens for a node (through the holder's own reading of an Fn::If
        branch, when it is one: intrinsics.ReadingLocator)."""
        placed = self.placed(tokens)
        place = getattr(self.inner, "place", None)
        return place(placed) if place is not None else placed

    def span(self, tokens: Tokens) -> Span:
        span: Span = self.inner.span(self.placed(tokens))
        return span

    def construct(self, tokens: Tokens) -> str | None:
        for n in range(len(tokens), -1, -1):
            found = self.constructs.get(tokens[:n])
            if found is not None:
                return found
        return None


def resource_document(
    holder: Document,
    data: dict[str, Any],
    moves: dict[Tokens, Tokens],
    *,
    built_from: str,
    kind: str,
    label: str,
    iac: Any = None,
    constructs: dict[Tokens, str] | None = None,
    mirrors: frozenset[Tokens] = frozenset(),
    provides: frozenset[str] = GATEWAY_FACTS,
    suppressions: bool = False,
) -> Document:
    """The document of an API built from resources of `holder` (the template or Terraform file
    read with its source map). `data`: the OpenAPI document written for the API; `moves`: its
    node → the holder's tokens of the resource property it was made from (a node without a
    placed ancestor is reported at the top of the file, so place at least each path, method,
    integration and security scheme); `kind`: "rest" or "http"; `label`: which API of the file
    (logical id, Terraform address); `constructs`: node → CDK construct path; `mirrors`: nodes
    whose value is the property's own (positions below them are kept); `iac`: what checks of the holder read (a cfn.Template);
    `provides`: the facts the front end fills in (rules needing others are skipped);
    `suppressions`: `data` holds `x-apilint-ignore` keys (placed where the user wrote them)."""
    return dataclasses.replace(
        holder,
        data=data,
        version=VERSION,
        base=(),
        locator=ResourceLocator(holder.locator, moves, constructs or {}, mirrors),
        parse_issues=[],
        placeholders=False,
        suppressions=suppressions,
        iac=iac,
        kind_hint=kind,
        label=label,
        alternative=False,
        built_from=built_from,
        provides=provides,
    )


@dataclass
class Writer:
    """Writes the document of an API built from resources, recording where each node came
    from (what resource_document takes)."""

    data: dict[str, Any]
    moves: dict[Tokens, Tokens] = field(default_factory=dict)
    constructs: dict[Tokens, str] = field(default_factory=dict)
    mirrors: set[Tokens] = field(default_factory=set)

    def put(
        self, at: Tokens, value: Any, source: Tokens | None = None, mirror: bool = False
    ) -> None:
        """Set the node at `at` (creating the mappings above it), made from the property at
        `source`; `mirror`: the value is the property's own (positions below it are kept)."""
        node = self.data
        for key in at[:-1]:
            node = node.setdefault(key, {})
        node[at[-1]] = value
        if source is not None:
            self.place(at, source, mirror)

    def place(self, at: Tokens, source: Tokens, mirror: bool = False) -> None:
        self.moves.setdefault(at, source)
        if mirror:
            self.mirrors.add(at)

    def document(self, holder: Document, **kwargs: Any) -> Document:
        return resource_document(
            holder,
            self.data,
            self.moves,
            constructs=self.constructs,
            mirrors=frozenset(self.mirrors),
            **kwargs,
        )
