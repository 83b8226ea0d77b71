"""Quotas a definition can exceed on its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, violation
from apilint.model.gateway import Api
from apilint.model.wording import say


@check
def resource_quota_exceeded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = options["limit"]
    count = len(api.resources)
    if count <= limit:
        return
    declared = sum(1 for r in api.resources.values() if r.declared)
    where = api.root.child("paths") or api.root
    yield violation(
        where,
        f"the API has {count} resources (every path prefix is a resource, "
        f"plus the root '/'; {declared} are paths of their own), over the quota "
        f"of {limit} per REST API; split the API, or request a quota increase "
        "and set this rule's `limit`",
    )


@check
def route_quota_exceeded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = options["limit"]
    count = len(api.methods)  # every path x method (ANY and the $default route included)
    if count > limit:
        yield violation(
            api.root.child("paths") or api.root,
            f"the HTTP API has {count} routes (one per path and method), over the "
            f"quota of {limit} routes per API; split the API, merge routes into "
            "{proxy+}/ANY routes, or request a quota increase and set this rule's "
            "`limit`",
        )


@check
def integration_quota_exceeded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # Count distinct integration objects by content: routes that share one ($ref to
    # components.x-amazon-apigateway-integrations, or identical copies) are counted once, so
    # the count is a lower bound and never a false alarm.
    limit = options["limit"]  # not adjustable: a lower limit leaves headroom
    distinct = {
        json.dumps(m.integration.at.value, sort_keys=True, default=str)
        for m in api.methods
        if m.integration is not None
    }
    if len(distinct) > limit:
        yield violation(
            api.root.child("paths") or api.root,
            f"the HTTP API has at least {len(distinct)} distinct integrations, over "
            f"the quota of {limit} integrations per API (300, and it cannot be "
            f"raised); {say(api, 'share-integrations')}, or split the API",
        )


@check
def authorizer_quota_exceeded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = options["limit"]
    authorizers = [s for s in api.schemes.values() if s.authorizer is not None]
    if len(authorizers) <= limit:
        return
    extra = authorizers[limit]
    names = ", ".join(repr(s.name) for s in authorizers[limit : limit + 3])
    yield violation(
        extra.at,
        f"the API defines {len(authorizers)} authorizers "
        f"({say(api, 'authorizers')}), over the "
        f"quota of {limit} per API (beyond it: {names}); share authorizers "
        "between methods, or request a quota increase and set this rule's "
        "`limit`",
    )
