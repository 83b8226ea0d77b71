"""Authorization as API Gateway applies it (root-level security is ignored on REST APIs)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, shown, violation
from apilint.document.edit import add_entries, make_fix
from apilint.model.auth import allowed_by
from apilint.model.cors import cors_evidence
from apilint.model.gateway import AUTHENTICATING, UNKNOWN_AUTH, Api, Method
from apilint.model.sam import sam_edits, sam_no_auth
from apilint.model.wording import say

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix


def _has_own_security(method: Method) -> bool:
    return "security" in method.value


def _why_open(api: Api, method: Method) -> str:
    kinds = method.auth.kinds
    if api.kind == "rest" and not _has_own_security(method) and api.root_security is not None:
        return (
            "it has no `security` of its own and REST APIs ignore root-level security, so it "
            "deploys with authorization NONE (the same cause as root-security-ignored AGW302 "
            "at the root `security`)"
        )
    if "undefined" in kinds:
        missing = [n for n in method.auth.schemes if n not in api.schemes]
        if all(sam_no_auth(api, n) for n in missing):
            return "its security is SAM's NONE (Authorizer: NONE), which means no authorization"
        return f"its security names {', '.join(map(repr, missing))}, which is not a defined scheme"
    if "unsupported" in kinds:
        return (
            "its security schemes are not ones API Gateway enforces (REST APIs need an "
            "x-amazon-apigateway-authorizer, x-amazon-apigateway-authtype awsSigv4 or an "
            "apiKey scheme; HTTP APIs a jwt/request authorizer or awsSigv4)"
        )
    if "api_key" in kinds:
        return "an API key is its only protection and API keys do not authenticate callers"
    if method.auth.source == "operation" and not method.auth.schemes:
        return "its `security` is empty, which makes it public"
    return "it has no authorizer, no IAM authorization and no API key"


@check
def method_unauthenticated(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    allow = options["allow"]
    api_key_counts = options["api-key-counts"]
    sam_default = sam_edits(api, "Auth")
    for method in api.methods:
        if method.verb == "OPTIONS" or allowed_by(method, allow):
            continue
        if sam_default and method.auth.source == "none":
            continue  # SAM puts its DefaultAuthorizer on every method without security
        kinds = method.auth.kinds
        if method.auth.authenticated or kinds & {"invalid-authorizer", UNKNOWN_AUTH}:
            continue
        if api_key_counts and "api_key" in kinds:
            continue
        yield violation(
            method.at,
            f"{method.label} can be called by anyone: {_why_open(api, method)}; "
            f"{say(api, 'add-authorization')}",
            method.label,
        )


@check
def root_security_ignored(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    root = api.root_security
    if (
        root is None
        or not isinstance(root.value, list)
        or not any(isinstance(r, dict) and r for r in root.value)
    ):
        return
    relied = [m for m in api.methods if m.verb != "OPTIONS" and not _has_own_security(m)]
    if not relied:
        return
    yield violation(
        root,
        f"root-level `security` is ignored by API Gateway REST APIs: "
        f"{len(relied)} operation(s) rely on it and deploy with no authorization "
        f"({shown(relied)}); repeat the requirement in each operation's "
        "`security`",
        fix=_copy_root_security(api, root.value, relied),
    )


def _copy_root_security(api: Api, requirement: list[Any], relied: list[Method]) -> Fix | None:
    """The root requirement in each operation that relied on it, when it names authorizers or
    IAM and no operation that gets it lacks the CORS preflight its auth header then needs."""
    names = {n for r in requirement if isinstance(r, dict) for n in r}
    kinds = {api.schemes[n].kind if n in api.schemes else "undefined" for n in names}
    if not kinds or not kinds <= AUTHENTICATING:
        return None  # an API key alone, or a scheme API Gateway cannot use: no protection
    if cors_evidence(api) is not None and any(
        "OPTIONS" not in api.resources[m.path].methods for m in relied if m.path in api.resources
    ):
        return None  # auth headers make browsers preflight: that resource needs OPTIONS first
    return make_fix(
        "Copy the root security requirement into each operation that relied on it",
        "unsafe",
        *(
            add_entries(m.at.doc, m.at.tokens, {"security": copy.deepcopy(requirement)})
            for m in relied
        ),
    )
