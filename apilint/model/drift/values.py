"""Comparing a definition's values with a stage's. A placeholder in the definition (template
variable, CloudFormation intrinsic, stage variable) matches any text in its place, and
`ANY` stands for a value the definition leaves to AWS."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from apilint.document.placeholders import PLACEHOLDER, has_placeholder, is_placeholder
from apilint.model.lambdas import function_part
from apilint.model.values import number


class _Any:
    """The definition does not say, and AWS's default is not documented: any value matches."""

    def __repr__(self) -> str:
        return "(any)"


ANY: Any = _Any()


@lru_cache(maxsize=512)
def _pattern(text: str) -> re.Pattern[str]:
    parts = PLACEHOLDER.split(text)
    return re.compile(".*".join(re.escape(p) for p in parts), re.S)


def same(source: Any, stage: Any) -> bool:
    """Whether the stage's value is what the definition's value allows."""
    if source is ANY:
        return True
    if isinstance(source, str) and has_placeholder(source):
        if not isinstance(stage, str):
            return is_placeholder(source) and stage is not None
        return _pattern(source).fullmatch(stage) is not None
    if isinstance(source, dict) and isinstance(stage, dict):
        return source.keys() == stage.keys() and all(same(source[k], stage[k]) for k in source)
    if isinstance(source, (list, tuple)) and isinstance(stage, (list, tuple)):
        return len(source) == len(stage) and all(same(a, b) for a, b in zip(source, stage))
    if isinstance(source, (int, float, str)) and isinstance(stage, (int, float, str)):
        # Exports write numbers where definitions may quote them ("200", 29000).
        n = number(source)
        if n is not None and n == number(stage) and not isinstance(source, bool):
            return True
    return bool(source == stage)


def shown(value: Any, limit: int = 80) -> str:
    """A value for a message: JSON, cut at `limit` characters."""
    if value is None:
        return "none"
    if value is ANY:
        return "(any)"
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def lower(value: Any, default: Any = None) -> Any:
    """A keyword in lower case (a placeholder as written), or the default when absent."""
    if value is None:
        return default
    return value if not isinstance(value, str) or has_placeholder(value) else value.lower()


def upper(value: Any, default: Any = None) -> Any:
    if value is None:
        return default
    return value if not isinstance(value, str) or has_placeholder(value) else value.upper()


def mapping(value: Any) -> dict[str, Any]:
    """A map of strings (parameters, templates) without null entries; {} when absent."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if v is not None}


def names(value: Any, fold: bool = False) -> tuple[str, ...] | Any:
    """A list that AWS keeps as a set (media types, ARNs, audiences), sorted; a placeholder
    standing for the whole list as written."""
    if isinstance(value, str) and is_placeholder(value):
        return value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    items = {str(v).strip().lower() if fold else str(v).strip() for v in value if v is not None}
    return tuple(sorted(items))


_LAMBDA_PATH = re.compile(r":lambda:path/[^/]*/functions/(?P<fn>.+)/(?P<action>[^/]+)$")


def target_uri(value: Any) -> Any:
    """A Lambda invocation URI and the bare function ARN (HTTP APIs) name the same target;
    the region in the URI and the API version are not part of it."""
    if not isinstance(value, str):
        return value
    m = _LAMBDA_PATH.search(value.strip())
    if m:
        return f"{m['fn']}/{m['action']}"
    bare = function_part(value)
    return f"{bare}/invocations" if bare is not None else value.strip()


def templates(value: Any) -> dict[str, Any]:
    return {k.lower(): v.strip() if isinstance(v, str) else v for k, v in mapping(value).items()}
