"""Document-level checks: structural validity, OpenAPI version, references."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check
from apilint.model.gateway import Api


@check
def oas_version_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    doc = api.doc
    key = "swagger" if "swagger" in doc.data else "openapi"
    if doc.version == "3.1":
        yield Violation(
            doc,
            (key,),
            f"OpenAPI {doc.data[key]} is valid OpenAPI, but API Gateway "
            "rejects 3.1 documents at import ('Invalid OpenAPI input.'); write 3.0.x",
        )
    elif doc.version not in ("2.0", "3.0"):
        yield Violation(
            doc,
            (key,),
            f"{key} version {doc.data[key]!r} is not one API Gateway "
            "imports; use swagger: '2.0' or openapi: 3.0.x",
        )


@check
def ref_remote_not_fetched(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for issue in api.ws.issues:
        if issue.kind == "remote":
            yield Violation(
                issue.doc,
                issue.tokens,
                f"$ref {issue.detail}; what it points to "
                "is not checked. Inline it or bundle the definition before import",
            )


@check
def ref_unresolved(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for issue in api.ws.issues:
        if issue.kind in ("unresolved", "outside"):
            yield Violation(issue.doc, issue.tokens, f"$ref {issue.detail}")
