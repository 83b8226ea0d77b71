"""Document structure: what API Gateway's importer can take at all (one self-contained
OpenAPI 3.0 file for HTTP APIs, at most 6 MB for REST, no file `$ref`s, no CloudFormation
intrinsics, no duplicate keys). Sources: docs/dev/gateway-facts.md#document-limits and
#extensions.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, first_visit, violation
from apilint.document.loader import is_remote
from apilint.document.model import Document
from apilint.document.placeholders import has_placeholder
from apilint.document.pointer import Tokens
from apilint.document.refs import iter_refs
from apilint.document.source import FixedLocator
from apilint.model.extensions import http_markers
from apilint.model.gateway import Api
from apilint.model.operations import operation_labels, operation_of

# -- document --------------------------------------------------------------------------------


@check
def http_swagger2(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    if api.version != "2.0":
        return
    where = api.root.child("swagger") or api.root
    if api.kind == "http":  # only --api-type http makes a Swagger 2.0 document an HTTP API
        yield violation(
            where,
            "HTTP APIs import only OpenAPI 3.0, and this is a Swagger 2.0 "
            "document: the import fails; convert it to openapi: 3.0.x",
        )
        return
    names = sorted({what for _, what, _, _ in http_markers(api)})
    if names:
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        yield violation(
            where,
            f"this Swagger 2.0 document carries HTTP API settings ({shown}), "
            "but HTTP APIs import only OpenAPI 3.0 and a REST import ignores "
            "them; convert it to openapi: 3.0.x for an HTTP API, or remove "
            "them for a REST API",
        )


def _serialized_size(data: Any) -> int:
    import orjson

    try:
        return len(orjson.dumps(data))
    except (TypeError, orjson.JSONEncodeError):  # integers beyond 64 bits, lone surrogates
        import json

        # surrogatepass: a lone surrogate (JSON "\ud800") orjson refuses counts as 3 bytes.
        return len(
            json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str).encode(
                "utf-8", "surrogatepass"
            )
        )


@check
def definition_too_large(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = options["limit"]
    size = _serialized_size(api.doc.data)
    if size > limit:
        yield violation(
            api.root,
            f"the definition is {size:,} bytes even as compact JSON, over "
            f"the {limit:,}-byte limit of an API Gateway import "
            "(ImportRestApi/PutRestApi body); split the API or move "
            "documentation and examples out of it",
        )


@check
def ref_external_file(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    ws = api.ws
    # Every $ref was followed by the workspace scan: without a second file and without a failed
    # file reference, there is nothing to find and no need to walk the data.
    if len(ws.docs) == 1 and not any(
        i.ref.partition("#")[0] and i.kind != "remote" for i in ws.issues
    ):
        return
    labels = operation_labels(api)
    for tokens, ref in iter_refs(api.doc.data):
        file_part = ref.partition("#")[0]
        if not file_part or is_remote(ref) or has_placeholder(file_part):
            continue  # local; remote URLs have their own rule; `${x}` is not known yet
        yield Violation(
            api.doc,
            tokens + ("$ref",),
            f"$ref {ref!r} points into another file; API Gateway imports one "
            "document and cannot follow it. Bundle the definition (e.g. `redocly "
            "bundle`) and import the bundle, or inline the target",
            operation_of(labels, tokens),
        )


@check
def duplicate_key(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for doc in list(api.ws.docs.values()):
        issues = [i for i in doc.parse_issues if i.kind == "duplicate-key"]
        if not issues:
            continue
        sites = _duplicate_sites(doc, {(i.span.line, i.span.column) for i in issues})
        for issue in issues:
            position = (issue.span.line, issue.span.column)
            tokens, first = sites.get(position, (issue.tokens or (issue.detail,), None))
            if doc.base and tokens[: len(doc.base)] == doc.base:
                tokens = tokens[len(doc.base) :]  # the node tree is the template's, not the body's
            also = f" (first on line {first})" if first else ""
            # The locator answers for the last occurrence of a key; pin the finding to this one.
            pinned = dataclasses.replace(doc, locator=FixedLocator(issue.span))
            yield Violation(
                pinned,
                tokens,
                f"key {issue.detail!r} appears more than once in the same mapping"
                f"{also}; {'JSON parsers' if doc.fmt == 'json' else 'YAML tools'} "
                "disagree on which value wins (apilint reads the last, others keep "
                "the first or reject the file), so API Gateway "
                "may import something other than what was reviewed. Keep one",
            )


def _duplicate_sites(
    doc: Document, wanted: set[tuple[int, int]]
) -> dict[tuple[int, int], tuple[Tokens, int | None]]:
    """Pointer and first-occurrence line of each duplicate key, found in the YAML node tree."""
    from yaml.nodes import MappingNode, SequenceNode

    found: dict[tuple[int, int], tuple[Tokens, int | None]] = {}
    stack: list[tuple[Tokens, Any]] = [((), getattr(doc.locator, "root", None))]
    seen: set[int] = set()
    while stack and len(found) < len(wanted):
        tokens, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[str, int] = {}
            for key, value in node.value:
                name = str(getattr(key, "value", ""))
                line = key.start_mark.line + 1
                position = (line, key.start_mark.column + 1)
                if position in wanted:
                    found[position] = (tokens + (name,), first.get(name))
                first.setdefault(name, line)
                stack.append((tokens + (name,), value))
        elif isinstance(node, SequenceNode):
            for i, value in enumerate(node.value):
                stack.append((tokens + (str(i),), value))
    return found


@check
def root_response_ref(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    prefix = "#/responses/" if api.version == "2.0" else "#/components/responses/"
    seen: set[tuple[str, Tokens]] = set()
    for method in api.methods:
        responses = method.responses  # a path item $ref can share one with another path
        if (
            responses is None
            or not isinstance(responses.value, dict)
            or not first_visit(seen, responses)
        ):
            continue
        for code, value in responses.value.items():
            ref = value.get("$ref") if isinstance(value, dict) else None
            if isinstance(ref, str) and ref.startswith(prefix):
                site = responses.child(code)
                yield violation(
                    (site.child("$ref") if site else None) or responses,
                    f"response {code} of {method.label} is a $ref to the shared "
                    f"response {ref!r}; API Gateway does not support response "
                    "definitions referenced from the document root. Write the "
                    "response inline (a schema may still $ref a model)",
                    method.label,
                )
