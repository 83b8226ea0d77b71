"""Who may call a method: security requirement lists, the API key source, and the `allow`
patterns rules accept for methods that are open on purpose."""

from __future__ import annotations

from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.model.gateway import Api, Method

API_KEY_SOURCE = "x-amazon-apigateway-api-key-source"


def key_source(api: Api) -> tuple[At | None, str | None]:
    """Where the API key source is written and its value (upper case); (None, None) when it is
    not written or not known yet (a placeholder). API Gateway's default is HEADER."""
    at = api.ext(API_KEY_SOURCE)
    if at is None or has_placeholder(at.value):
        return None, None
    return at, at.value.upper() if isinstance(at.value, str) else None


def requirements(security: At) -> Iterator[tuple[At, dict[str, Any]]]:
    """Each requirement object of a `security` list, with where it is."""
    if not isinstance(security.value, list):
        return
    for i, requirement in enumerate(security.value):
        at = security.child(i)
        if at is not None and isinstance(requirement, dict):
            yield at, requirement


def allowed_by(method: Method, patterns: list[str]) -> bool:
    """Whether an `allow` option's "METHOD /path" glob patterns name the method (any case)."""
    label = method.label.lower()
    return any(fnmatchcase(label, p.lower()) for p in patterns)
