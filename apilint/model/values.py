"""Reading values as API Gateway would: a literal, an integer, a keyword; a placeholder is an
unknown value, never a wrong one."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from apilint.document.placeholders import has_placeholder
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Api

T = TypeVar("T")


def per_api(build: Callable[[Api], T]) -> Callable[[Api], T]:
    """Compute once per API what several rules read (roots, schema nodes, CORS evidence).
    Callers must not change what they get."""
    cache: WeakKeyDictionary[Api, T] = WeakKeyDictionary()

    @functools.wraps(build)
    def cached(api: Api) -> T:
        if api not in cache:
            cache[api] = build(api)
        return cache[api]

    return cached


def literal(value: Any) -> str | None:
    """A string without placeholders, else None (unknown or not a string)."""
    return value if isinstance(value, str) and not has_placeholder(value) else None


def number(value: Any) -> int | None:
    """An integer written as a number or a string of digits (5.0 counts; True does not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def upper(value: Any) -> str | None:
    lit = literal(value)
    return lit.strip().upper() if lit is not None else None


def first_visit(seen: set[tuple[str, Tokens]], at: At) -> bool:
    """True the first time a node is met (path items and parameters shared through `$ref`
    reach the same node from several methods)."""
    key = (at.doc.path, at.tokens)
    if key in seen:
        return False
    seen.add(key)
    return True
