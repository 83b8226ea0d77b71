"""Paths and resources: what API Gateway accepts as a resource path, how path variables must be
declared, and paths that cannot work as written.

REST APIs build a resource tree from the path keys (every prefix is a resource); the rules about
characters, whole-segment variables and one variable per tree level come from that tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, first_visit, shown, violation
from apilint.common.regex import lazy
from apilint.document.placeholders import UNKNOWN, has_placeholder, mask
from apilint.document.pointer import Tokens
from apilint.document.refs import At
from apilint.model.gateway import Api, Method
from apilint.model.wording import say

#: Literal path segments (REST known issues, current text): "alphanumeric characters,
#: underscores, hyphens, periods, commas, colons, and curly braces" (colon allowed since 2021-08,
#: underscore since 2023-04).
_LITERAL = lazy(r"[A-Za-z0-9._\-,:]+")
_VARIABLE = lazy(r"\{([^{}]*)\}")  # a segment that is one whole variable
_BAD_CHAR = lazy(r"[^A-Za-z0-9._\-,:]")
_RESERVED = ("ping", "sping")


def _paths(api: Api) -> list[tuple[str, At]]:
    """(path, At of its key in `paths`) for every path key the model read, in document order."""
    paths = api.dict_child(api.root, "paths")
    out: list[tuple[str, At]] = []
    if paths is None:
        return out
    for path in paths.value:
        at = paths.child(path)
        if isinstance(path, str) and path.startswith("/") and at is not None:
            out.append((path, at))
    return out


def _segments(path: str) -> list[str]:
    return path.split("/")[1:] if path != "/" else []


def variable(segment: str) -> str | None:
    """The variable name of a whole-segment `{name}` / `{name+}`, else None."""
    m = _VARIABLE().fullmatch(segment)
    return m.group(1).removesuffix("+") if m else None


def template_variables(path: str) -> list[str]:
    """Variable names of a path; a variable holding a `${...}` placeholder is left out."""
    return [
        v
        for v in (variable(s) for s in _segments(mask(path)))
        if v is not None and UNKNOWN not in v
    ]


@check
def path_segment_invalid_chars(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for path, at in _paths(api):
        segments = _segments(mask(path))
        problems = []
        for i, segment in enumerate(segments):
            if UNKNOWN in segment or "{" in segment or "}" in segment:
                name = variable(segment)
                if name is None or UNKNOWN in segment:
                    continue  # a placeholder, or a partial variable (path-param-partial-segment)
                if not name:
                    problems.append(f"variable {segment!r} has no name")
                elif not _LITERAL().fullmatch(name):
                    problems.append(f"variable {segment!r} has a name holding {_chars(name)}")
                continue
            if segment == "":
                if i < len(segments) - 1:  # a trailing '/' is not an empty resource
                    problems.append("an empty segment ('//')")
                continue
            if not _LITERAL().fullmatch(segment):
                problems.append(f"segment {segment!r} holds {_chars(segment)}")
        if problems:
            yield violation(
                at,
                f"path {path!r} cannot be imported: {'; '.join(problems)}. REST "
                "API path segments may only hold letters, digits and . _ - , : "
                "(a variable is a whole segment in curly braces); rename the "
                "segment, e.g. replace other characters with '-'",
            )


def _chars(text: str) -> str:
    return ", ".join(repr(c) for c in sorted(set(_BAD_CHAR().findall(text))))


def _partial(path: str) -> list[str]:
    """Segments with curly braces that are not one whole variable (placeholders aside)."""
    return [
        s
        for s in _segments(mask(path))
        if ("{" in s or "}" in s) and variable(s) is None and UNKNOWN not in s
    ]


@check
def path_param_partial_segment(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for path, at in _paths(api):
        bad = _partial(path)
        if bad:
            shown = ", ".join(repr(s) for s in bad)
            yield violation(
                at,
                f"path {path!r} has a path variable that is not a whole segment "
                f"({shown}); API Gateway only accepts '/res/{{id}}', not "
                "'/res{id}' or '/{id}.json': make the variable its own segment "
                "(e.g. '/res/{id}/json') or take the suffix apart in the backend",
            )


@check
def greedy_param_not_last(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for path, at in _paths(api):
        segments = _segments(mask(path.rstrip("/")))
        early = [s for s in segments[:-1] if _VARIABLE().fullmatch(s) and s.endswith("+}")]
        if early:
            yield violation(
                at,
                f"path {path!r} has the greedy variable {early[0]!r} before its "
                "last segment; a greedy variable catches the rest of the path and "
                "must be the last segment: move it to the end or drop the '+'",
            )


def _first_key(api: Api) -> dict[str, At]:
    """For every resource path, the first path key that creates it (itself or a longer path)."""
    out: dict[str, At] = {}
    for path, at in _paths(api):
        segments = [s for s in _segments(path) if s]
        for n in range(1, len(segments) + 1):
            out.setdefault("/" + "/".join(segments[:n]), at)
    return out


@check
def sibling_path_variable_conflict(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    keys = _first_key(api)
    by_parent: dict[str, list[str]] = {}
    for resource in keys:  # document order: the first variable seen wins
        parent, _, last = resource.rpartition("/")
        if variable(last) is not None and "${" not in last:
            by_parent.setdefault(parent or "/", []).append(resource)
    for parent, children in by_parent.items():
        first = children[0].rpartition("/")[2]
        for child in children[1:]:
            segment = child.rpartition("/")[2]
            yield violation(
                keys[child],
                f"resource {child!r} puts the variable {segment} next to "
                f"{first} under {parent!r}; a REST API resource may have "
                "only one variable child (import fails with 'A sibling "
                "of this resource already has a variable path part'): "
                f"use {first} in every path at this position",
            )


@check
def path_param_undeclared(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    by_path: dict[str, list[Method]] = {}
    for method in api.methods:
        # CORS preflights (console "Enable CORS", exports) are created without path parameters.
        if method.verb != "OPTIONS":
            by_path.setdefault(method.path, []).append(method)
    for path, at in _paths(api):
        methods = by_path.get(path, [])
        for name in dict.fromkeys(template_variables(path)):
            missing = [
                m
                for m in methods
                if not any(p.location == "path" and p.name == name for p in m.parameters)
            ]
            if not missing:
                continue
            yield violation(
                at,
                f"path variable {{{name}}} of {path!r} has no "
                f"{say(api, 'path-parameter')} in {shown(missing)}; without it the method "
                f"has no method.request.path.{name} to map, cache or validate: "
                f"{say(api, 'declare-path-parameter', name=name)}",
            )


@check
def path_param_not_in_template(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    seen: set[tuple[str, Tokens]] = set()
    for method in api.methods:
        if has_placeholder(method.path) or _partial(method.path):
            continue  # a placeholder may stand for the variable; partial ones are AGW102's
        names = template_variables(method.path)
        for param in method.parameters:
            if param.location != "path" or param.name in names or "${" in param.name:
                continue
            if not first_visit(seen, param.site):
                continue
            shared = param.path_level
            where = f"path {method.path!r}" if shared else method.label
            yield violation(
                param.site.child("name") or param.site,
                f"path parameter {param.name!r} of {where} is not a variable of the "
                f"path{_closest(param.name, names)}; API Gateway creates "
                f"method.request.path.{param.name}, which never gets a value: "
                "rename it to the path variable (names are case-sensitive) or "
                "remove it",
                None if shared else method.label,
            )


def _closest(name: str, names: list[str]) -> str:
    for other in names:
        if other.lower() == name.lower():
            return f" (the path has {{{other}}})"
    return (
        f" (the path has {', '.join('{' + n + '}' for n in names)})"
        if names
        else " (the path has no variables)"
    )


@check
def reserved_ping_path(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    keys = _first_key(api)
    for name in _RESERVED:
        at = keys.get("/" + name)
        if at is not None:
            yield violation(
                at,
                f"the root-level resource '/{name}' is reserved for API Gateway's "
                "health check: behind a custom domain name, requests to it do not "
                f"reach your API; rename it (e.g. '/health') or nest it "
                f"('/v1/{name}')",
            )


_ARN_PREFIX = len("arn:aws-us-gov:execute-api:ap-southeast-3:123456789012:abcdefghij/")


@check
def method_arn_length(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    threshold = options["threshold"]
    stage = options["stage_length"]
    policy = api.root.child("x-amazon-apigateway-policy") is not None
    for method in api.methods:
        if not policy and not method.auth.requires("lambda", "cognito", "iam"):
            continue
        # arn:...:api-id/STAGE/VERB/path, counting every path variable as an empty value
        length = (
            _ARN_PREFIX
            + stage
            + 1
            + len(method.verb)
            + len(method.path)
            - sum(len(s) for s in _segments(method.path) if variable(s) is not None)
        )
        if length >= threshold:
            yield violation(
                method.at,
                f"the execute-api ARN of {method.label} is about {length} "
                "bytes before any path variable value; API Gateway answers "
                "414 when the ARN of an authorized method exceeds 1600 "
                "bytes: shorten the path",
                method.label,
            )


@check
def no_operations(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    paths = api.dict_child(api.root, "paths")
    if paths is None or api.methods:
        return
    what = (
        "is empty" if not paths.value else "declares no operation API Gateway creates a method for"
    )
    yield violation(
        api.root.child("paths") or api.root,
        f"{say(api, 'no-operations', what=what)}; deploying the API fails with 'The REST "
        f"API doesn't contain any methods': {say(api, 'add-operation')}",
    )
