"""Integration fields that parse but cannot work: the integration responses a non-proxy REST
integration needs, the `credentials` API Gateway assumes, and the mapping fields
(`requestParameters`, `requestTemplates`, `responseParameters`, `responseTemplates`) that must
be maps. Placeholders (`${...}`: stage variables, `Fn::Sub`, templatefile) are unknown values,
never wrong ones; a CloudFormation intrinsic left in place is cfn-intrinsic-in-definition's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, violation
from apilint.common.regex import lazy
from apilint.document.placeholders import UNKNOWN, has_placeholder, mask
from apilint.document.refs import At
from apilint.model.arn import ACCOUNT, PARTITION_REGIONS
from apilint.model.gateway import Api, Integration
from apilint.model.integration import PASSTHROUGH, blank, users_label
from apilint.model.mapping import STATUS
from apilint.model.wording import say


def _kind(value: Any) -> str:
    return {
        str: "string",
        list: "list",
        dict: "map",
        bool: "boolean",
        int: "number",
        float: "number",
    }.get(type(value), type(value).__name__)


# -- integration responses -----------------------------------------------------------------------


@check
def integration_responses_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        if integ.type not in ("aws", "http", "mock"):
            continue  # proxies return the backend's response as is
        site = integ.at.child("responses")
        resolved = api.ws.resolve(site)
        if site is not None and (
            resolved is None or resolved.value or has_placeholder(resolved.value)
        ):
            continue  # present (its shape is other rules' concern), unknown or unresolvable
        what = (
            'answers 500 {"message": "Internal server error"}'
            if integ.type == "mock"
            else 'answers 500 (the log says "Execution failed due to configuration error: '
            'No match for output mapping and no default output mapping configured")'
        )
        yield violation(
            site or integ.at,
            f"the {integ.type} integration of {users_label(methods)} has no "
            f"integration responses, so API Gateway has nothing to map the "
            f"{'mock' if integ.type == 'mock' else 'backend'}'s answer to and every "
            f"call {what}; {say(api, 'add-integration-response')}",
            methods[0].label,
        )


# -- credentials -----------------------------------------------------------------------------------

#: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` (IAM: path and name of [\w+=,.@-]).
_ROLE = lazy(
    r"^arn:(?P<partition>[^:]*):iam::(?P<account>[^:]*):role/"
    rf"(?P<name>[\w+=,.@/{UNKNOWN}-]*)$"
)
_ANY_ARN = lazy(r"^arn:[^:]*:(?P<service>[^:]*):[^:]*:[^:]*:(?P<resource>.*)$")


def _credentials_problem(masked: str) -> str | None:
    """Why a (masked) credentials value is neither a role ARN nor caller passthrough, or None."""
    if PASSTHROUGH().match(masked):
        return None
    role = _ROLE().match(masked)
    if role is not None:
        partition, account = role["partition"], role["account"]
        if UNKNOWN not in partition and partition not in PARTITION_REGIONS:
            return f"partition {partition!r} is not an AWS partition"
        if UNKNOWN not in account and not ACCOUNT().match(account):
            return f"account id {account!r} is not 12 digits"
        if not role["name"] or role["name"].endswith("/"):
            return "the role name is missing"
        return None
    if UNKNOWN in masked:
        return None  # a placeholder may stand for any part of the ARN
    other = _ANY_ARN().match(masked)
    if other is None:
        name = re.fullmatch(r"[\w+=,.@-]{1,64}", masked)
        return "it is not an ARN" + (" (a role name alone is not enough)" if name else "")
    if other["service"] == "iam" and other["resource"].startswith("user/"):
        return "it names an IAM user, and API Gateway can assume only roles"
    if other["service"] == "iam" and other["resource"].startswith("role/"):
        return "the role name holds characters IAM does not allow (letters, digits, +=,.@_-)"
    service = other["service"]
    return (
        f"it is an ARN of {service!r}, not of an IAM role"
        if service
        else "it is not an IAM role ARN"
    )


@check
def integration_credentials_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        site = integ.at.child("credentials")
        if site is None or blank(site.value) or isinstance(site.value, dict):
            continue  # absent, null or empty (resource-based permissions); an intrinsic is unknown
        value = site.value
        problem = (
            _credentials_problem(mask(value.strip()))
            if isinstance(value, str)
            else f"it is a {_kind(value)}, not a string"
        )
        if problem is None:
            continue
        yield violation(
            site,
            f"the integration of {users_label(methods)} has credentials "
            f"{value!r}: {problem}. API Gateway calls the backend with an IAM "
            "role it assumes (arn:aws:iam::ACCOUNT:role/NAME) or with the "
            "caller's identity (arn:aws:iam::*:user/*); set the role's ARN, or "
            "remove credentials to rely on resource-based permissions",
            methods[0].label,
        )


# -- mapping fields that must be maps --------------------------------------------------------------

#: What one entry of each field looks like, for the fix (REST grammar, then HTTP APIs').
_ENTRY = {
    "requestParameters": "integration.request.header.X: method.request.header.X",
    "requestTemplates": "application/json: '<template>'",
    "responseParameters": "method.response.header.X: integration.response.header.X",
    "responseTemplates": "application/json: '<template>'",
}
_HTTP_ENTRY = {
    "requestParameters": "overwrite:header.X: $request.header.Y",
    "responseParameters": "'200': {overwrite:header.X: $response.header.Y}",
}


def _unknown(value: Any) -> bool:
    """Null, a placeholder or a CloudFormation intrinsic ({Fn::Sub: ...}, {Ref: ...}): nothing
    to judge here (cfn-intrinsic-in-definition reports intrinsics)."""
    return (
        value is None
        or has_placeholder(value)
        or (
            isinstance(value, dict)
            and len(value) == 1
            and (next(iter(value)).startswith("Fn::") or "Ref" in value)
        )
    )


def _not_map(api: Api, site: At | None, what: str, depth: int) -> Iterator[tuple[At, str]]:
    """(site, problem) where `site` is not a map whose values are strings (`depth` 2: maps of
    such maps, HTTP API responseParameters keyed by status code)."""
    resolved = api.ws.resolve(site)
    if site is None or resolved is None or _unknown(resolved.value):
        return  # absent, unresolvable or unknown until rendered
    if not isinstance(resolved.value, dict):
        yield site, f"{what} is a {_kind(resolved.value)}, not a map"
        return
    for key in resolved.value:
        entry = resolved.child(key)
        assert entry is not None
        if depth > 1:
            if STATUS().fullmatch(str(key)):  # other keys are http-parameter-mapping's
                yield from _not_map(api, entry, f"{what} entry {key!r}", depth - 1)
        elif isinstance(entry.value, (list, dict)) and not _unknown(entry.value):
            yield entry, f"{what} entry {key!r} is a {_kind(entry.value)}, not a string"


def _mapping_sites(api: Api, integ: Integration) -> Iterator[tuple[At, str, str, str]]:
    """(site, problem, field, where) for each mapping field of the integration that is not a
    map (`where`: the integration, or one of its integration responses)."""
    # HTTP APIs import only proxies, which have no templates (http-integration-type-unsupported)
    for field in ("requestParameters",) + (("requestTemplates",) if api.kind == "rest" else ()):
        for site, problem in _not_map(api, integ.at.child(field), field, 1):
            yield site, problem, field, "the integration"
    if api.kind == "http":
        field = "responseParameters"
        for site, problem in _not_map(api, integ.at.child(field), field, 2):
            yield site, problem, field, "the integration"
        return
    for pattern, response in api.integration_responses(integ):
        for field in ("responseParameters", "responseTemplates"):
            for site, problem in _not_map(api, response.child(field), field, 1):
                yield site, problem, field, f"integration response {pattern!r}"


@check
def integration_mapping_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        for site, problem, field, where in _mapping_sites(api, integ):
            entry = (_HTTP_ENTRY if api.kind == "http" else {}).get(field, _ENTRY[field])
            yield violation(
                site,
                f"in {where} of {users_label(methods)}, {problem}; "
                "API Gateway cannot read it and the import fails ('Unable to "
                "parse API definition because of a malformed integration'); "
                f"write a map with one entry per name, e.g. {{{entry}}}",
                methods[0].label,
            )
