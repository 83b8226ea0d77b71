"""Quotas a definition can exceed on its own."""

from __future__ import annotations

from typing import Any, Iterator

from apilint.checks import Violation, check, violation
from apilint.model.gateway import Api


@check
def resource_quota_exceeded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = int(options.get("limit", 300))
    count = len(api.resources)
    if count <= limit:
        return
    declared = sum(1 for r in api.resources.values() if r.declared)
    where = api.root.child("paths") or api.root
    yield violation(where, f"the API has {count} resources (every path prefix is a resource, "
                           f"plus the root '/'; {declared} are paths of their own), over the quota "
                           f"of {limit} per REST API; split the API, or request a quota increase "
                           "and set this rule's `limit`")
