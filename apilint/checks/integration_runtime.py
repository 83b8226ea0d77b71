"""Integration behaviour at run time: stage variables, timeouts, response streaming, content
handling, VPC links and identity passthrough
(docs/dev/gateway-facts.md#integrations)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, literal, number, upper, violation
from apilint.common.regex import lazy
from apilint.document.edit import make_fix, remove, set_value
from apilint.document.placeholders import UNKNOWN, has_placeholder, mask
from apilint.document.refs import At
from apilint.model.gateway import INTEGRATION, PROXY_TYPES, Api, Integration, Method
from apilint.model.integration import (
    PASSTHROUGH,
    TIMEOUT_MAX_HTTP,
    TIMEOUT_MAX_REST,
    TIMEOUT_MAX_STREAM,
    TIMEOUT_MIN,
    blank,
    integration_type,
    key_at,
    transfer_mode,
    users_label,
)
from apilint.model.lambdas import is_lambda
from apilint.model.wording import say

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix

# -- stage variables ---------------------------------------------------------------------------

_STAGE_VAR = lazy(r"\$\{stageVariables\.([^}]*)\}")
_STAGE_VAR_NAME = lazy(r"^[A-Za-z0-9_]{1,64}$")


@check
def stage_variable_lambda(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        uri = integ.uri
        if not isinstance(uri, str) or "${stageVariables." not in uri or not is_lambda(api, integ):
            continue
        function = uri.split("/functions/", 1)[1].rsplit("/", 1)[0] if "/functions/" in uri else uri
        names = _STAGE_VAR().findall(function)
        if names:
            yield violation(
                key_at(integ, "uri"),
                f"the Lambda integration of {users_label(methods)} chooses its "
                f"function with stage variable {names[0]!r}: every function it can "
                "name must be in the API's account and grant "
                "apigateway.amazonaws.com lambda:InvokeFunction (aws lambda "
                "add-permission), or calls fail with 500 'Invalid permissions on "
                "Lambda function'",
                methods[0].label,
            )


def _strings(at: At) -> Iterator[At]:
    stack = [at]
    while stack:
        node = stack.pop()
        if isinstance(node.value, str):
            yield node
        elif isinstance(node.value, dict):
            stack.extend(c for k in node.value if (c := node.child(k)) is not None)
        elif isinstance(node.value, list):
            stack.extend(c for i in range(len(node.value)) if (c := node.child(i)) is not None)


_BARE_SITES = ("requestParameters", "responseParameters", "identitySource")


def _bad_stage_variable_names(leaf: At) -> list[str]:
    names = _STAGE_VAR().findall(leaf.value)
    if any(t in _BARE_SITES for t in leaf.tokens):
        # `stageVariables.name` mapping expressions / identity sources (comma separated).
        names += [
            part.strip()[len("stageVariables.") :]
            for part in leaf.value.split(",")
            if part.strip().startswith("stageVariables.")
        ]
    return [n for n in names if not _STAGE_VAR_NAME().match(n) and "$" not in n and "{" not in n]


@check
def stage_variable_name_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    roots: list[tuple[At, str, str | None]] = [
        (integ.at, f"the integration of {users_label(methods)}", methods[0].label)
        for integ, methods in api.integrations()
    ]
    roots += [
        (s.authorizer, f"the authorizer {s.name!r}", None)
        for s in api.schemes.values()
        if s.authorizer is not None
    ]
    for root, what, operation in roots:
        for leaf in sorted(_strings(root), key=lambda a: a.tokens):
            bad = _bad_stage_variable_names(leaf)
            if bad:
                shown = ", ".join(repr(n) for n in dict.fromkeys(bad))
                yield violation(
                    leaf,
                    f"{what} uses stage variable {shown}; stage variable names "
                    "are 1-64 letters, digits or '_', so no stage can define "
                    "it and the reference never resolves; rename it",
                    operation,
                )


# -- timeouts ------------------------------------------------------------------------------------


def _timeouts(api: Api) -> Iterator[tuple[Integration, list[Method], At, int]]:
    for integ, methods in api.integrations():
        at = integ.at.child("timeoutInMillis")
        value = number(at.value) if at is not None else None
        if at is not None and value is not None:
            yield integ, methods, at, value


#: The default quota of BUFFERED REST integrations (timeout-needs-quota-increase's `limit`).
TIMEOUT_DEFAULT_REST = 29000


@check
def timeout_out_of_range(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods, at, value in _timeouts(api):
        mode = transfer_mode(integ)
        if value < TIMEOUT_MIN:
            limit, bound = f"at least {TIMEOUT_MIN} ms", TIMEOUT_MIN
        elif api.kind == "http" and value > TIMEOUT_MAX_HTTP:
            limit = f"at most {TIMEOUT_MAX_HTTP} ms for HTTP APIs (not adjustable)"
            bound = TIMEOUT_MAX_HTTP
        elif api.kind == "rest" and mode == "STREAM" and value > TIMEOUT_MAX_STREAM:
            limit = f"at most {TIMEOUT_MAX_STREAM} ms (15 minutes) for streamed responses"
            bound = TIMEOUT_MAX_STREAM
        elif api.kind == "rest" and mode == "BUFFERED" and value > TIMEOUT_MAX_REST:
            limit = (
                f"at most {TIMEOUT_MAX_REST} ms even with a raised quota (stream the "
                "response for longer)"
            )
            bound = TIMEOUT_DEFAULT_REST  # what deploys without a raised quota
        else:
            continue
        yield violation(
            at,
            f"the integration of {users_label(methods)} has timeoutInMillis "
            f"{value}; it must be {limit}",
            methods[0].label,
            # Unsafe: a clamped timeout cuts off work the backend may need the time for.
            make_fix(
                f"Clamp timeoutInMillis to {bound}", "unsafe", set_value(at.doc, at.tokens, bound)
            ),
        )


@check
def timeout_needs_quota_increase(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    quota = options["limit"]
    for integ, methods, at, value in _timeouts(api):
        if transfer_mode(integ) == "BUFFERED" and quota < value <= TIMEOUT_MAX_REST:
            yield violation(
                at,
                f"the integration of {users_label(methods)} has timeoutInMillis "
                f"{value}, above the default quota of {quota} ms: it deploys only "
                "on a Regional or private API whose account raised the quota "
                "(edge-optimized APIs cannot); otherwise PutIntegration fails "
                "with 'Timeout should be between 50 ms and 29000 ms'",
                methods[0].label,
            )


# -- response streaming --------------------------------------------------------------------------


def _response_fields(api: Api, integ: Integration, key: str) -> Iterator[tuple[str, At]]:
    """(selection pattern, `key` of that integration response) where it is set."""
    for pattern, response in api.integration_responses(integ):
        field = response.child(key)
        if field is not None:
            yield pattern, field


@check
def stream_mode_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        where, op = users_label(methods), methods[0].label
        raw = integ.value.get("responseTransferMode")
        mode = transfer_mode(integ)
        if mode is None:
            if literal(raw) is not None:
                yield violation(
                    key_at(integ, "responseTransferMode"),
                    f"the integration of {where} has responseTransferMode {raw!r}; "
                    "it must be BUFFERED (the default) or STREAM",
                    op,
                )
            continue
        kind = integration_type(integ)
        if mode == "STREAM" and kind is not None and kind not in PROXY_TYPES:
            yield violation(
                key_at(integ, "responseTransferMode"),
                f"the {kind} integration of {where} sets responseTransferMode: "
                "STREAM; only HTTP_PROXY and AWS_PROXY integrations can stream",
                op,
            )
            continue
        uri = integ.uri
        if not isinstance(uri, str) or not is_lambda(api, integ):
            continue
        masked = mask(uri.strip())
        if mode == "STREAM" and masked.endswith("/invocations"):
            yield violation(
                key_at(integ, "uri"),
                f"the Lambda integration of {where} streams but invokes "
                "/2015-03-31/functions/.../invocations; streaming needs "
                "/2021-11-15/functions/FUNCTION_ARN/response-streaming-invocations",
                op,
            )
        elif mode == "BUFFERED" and masked.endswith("/response-streaming-invocations"):
            yield violation(
                key_at(integ, "uri"),
                f"the Lambda integration of {where} uses the response-streaming "
                "invocation URI without responseTransferMode: STREAM; set it, or use "
                "/2015-03-31/functions/FUNCTION_ARN/invocations",
                op,
            )


@check
def stream_incompatible_features(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    compression = api.root.child("x-amazon-apigateway-minimum-compression-size")
    compresses = compression is not None and (
        number(compression.value) is not None or has_placeholder(compression.value)
    )
    for integ, methods in api.integrations():
        if transfer_mode(integ) != "STREAM":
            continue
        where, op = users_label(methods), methods[0].label
        for status, templates in _response_fields(api, integ, "responseTemplates"):
            if isinstance(templates.value, dict) and templates.value:
                yield violation(
                    templates,
                    f"the streamed integration of {where} has "
                    f"responseTemplates for {status!r}; streamed "
                    "responses are never transformed with VTL",
                    op,
                )
        keys = integ.at.child("cacheKeyParameters")
        if keys is not None and keys.value:
            yield violation(
                keys,
                f"the streamed integration of {where} has cacheKeyParameters; "
                "endpoint caching does not apply to streamed responses",
                op,
            )
        if compresses:
            yield violation(
                key_at(integ, "responseTransferMode"),
                f"the integration of {where} streams, but the API sets "
                "x-amazon-apigateway-minimum-compression-size: streamed responses "
                "are not compressed; compress in the backend if needed",
                op,
            )


# -- content handling, VPC links, references, identity passthrough ------------------------------

_CONTENT_HANDLING = ("CONVERT_TO_TEXT", "CONVERT_TO_BINARY")


@check
def content_handling_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        top = integ.at.child("contentHandling")
        sites = [top] if top is not None else []
        sites += [site for _, site in _response_fields(api, integ, "contentHandling")]
        for site in sites:
            value = upper(site.value)
            if value is not None and value not in _CONTENT_HANDLING:
                yield violation(
                    site,
                    f"the integration of {users_label(methods)} has "
                    f"contentHandling {site.value!r}; it must be "
                    "CONVERT_TO_TEXT or CONVERT_TO_BINARY, or be left out to "
                    "pass payloads through",
                    methods[0].label,
                    _content_handling_fix(site, value),
                )


def _content_handling_fix(site: At, value: str) -> Fix | None:
    """The value it evidently means: TEXT or BINARY in any spelling; a pass-through spelled
    out is what leaving the field out does."""
    letters = re.sub(r"[^A-Z]", "", value)
    meant = [c for c in _CONTENT_HANDLING if c.rsplit("_", 1)[1] in letters]
    if len(meant) == 1:
        return make_fix(
            f"Set contentHandling: {meant[0]}", "safe", set_value(site.doc, site.tokens, meant[0])
        )
    if letters in ("PASSTHROUGH", "NONE"):
        return make_fix("Remove contentHandling", "safe", remove(site.doc, site.tokens))
    return None


_LISTENER_ARN = lazy(
    r"^arn:[^:]*:(elasticloadbalancing:[^:]*:[^:]*:listener/"
    r"|servicediscovery:[^:]*:[^:]*:service/)"
)
_LOAD_BALANCER_ARN = lazy(
    r"^arn:[^:]*:elasticloadbalancing:[^:]*:[^:]*:loadbalancer/"
    r"(app|net)/"
)


def _vpc_link_problems(api: Api, integ: Integration) -> Iterator[tuple[At, str]]:
    value = integ.value
    raw_type = value.get("connectionType")
    connection = upper(raw_type)
    if connection is not None and connection not in ("INTERNET", "VPC_LINK"):
        yield (
            key_at(integ, "connectionType"),
            (f"has connectionType {raw_type!r}; it must be INTERNET (the default) or VPC_LINK"),
        )
        return
    if raw_type is not None and connection is None:
        return  # unknown
    has_id = not blank(value.get("connectionId"))
    if connection == "VPC_LINK":
        if not has_id:
            yield (
                key_at(integ, "connectionType"),
                (
                    "sets connectionType: VPC_LINK without a "
                    "connectionId (the VPC link id or "
                    "${stageVariables.vpcLinkId})"
                ),
            )
        kind = integration_type(integ)
        allowed = ("http_proxy",) if api.kind == "http" else ("http", "http_proxy")
        relevant = api.kind == "rest" or kind in PROXY_TYPES  # HTTP drops the others anyway
        if kind is not None and kind not in allowed and relevant:
            yield (
                key_at(integ, "connectionType"),
                (
                    f"routes a {kind} integration through a VPC "
                    "link; private integrations are "
                    f"{' or '.join(allowed)}"
                ),
            )
        uri = integ.uri
        masked = mask(uri) if isinstance(uri, str) and not blank(uri) else None
        if (
            api.kind == "http"
            and kind == "http_proxy"
            and masked is not None
            and not masked.startswith(UNKNOWN)
            and not _LISTENER_ARN().match(masked)
        ):
            yield (
                key_at(integ, "uri"),
                (
                    f"has uri {uri!r}; an HTTP API private integration "
                    "names an ALB/NLB listener ARN or a Cloud Map service "
                    "ARN"
                ),
            )
    elif has_id:
        yield (
            key_at(integ, "connectionId"),
            (
                "has a connectionId but connectionType is "
                f"{raw_type or 'INTERNET (the default)'}, so the VPC "
                "link is not used; set connectionType: VPC_LINK"
            ),
        )
    target = integ.at.child("integrationTarget")
    if api.kind == "rest" and target is not None and literal(target.value) is not None:
        if connection != "VPC_LINK":
            yield (
                target,
                (
                    "has an integrationTarget but no connectionType: VPC_LINK; the load "
                    "balancer is reached only through a VPC link V2"
                ),
            )
        elif not _LOAD_BALANCER_ARN().match(target.value.strip()):
            yield (
                target,
                (
                    f"has integrationTarget {target.value!r}; it must be an Application "
                    "or Network Load Balancer ARN (…:loadbalancer/app/… or /net/…)"
                ),
            )


@check
def vpclink_config(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        for at, problem in _vpc_link_problems(api, integ):
            yield violation(
                at, f"the integration of {users_label(methods)} {problem}", methods[0].label
            )


@check
def integrations_ref_in_rest(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        site = method.at.child(INTEGRATION)
        if (
            site is None
            or not isinstance(site.value, dict)
            or not isinstance(site.value.get("$ref"), str)
        ):
            continue
        yield violation(
            site,
            f"the integration of {method.label} is a $ref "
            f"({site.value['$ref']!r}); REST API import does not resolve it "
            "(x-amazon-apigateway-integrations is for HTTP APIs), answers "
            "\"Unknown integration type 'null'\" and leaves the method without "
            "an integration; write the integration object inline",
            method.label,
        )


@check
def identity_passthrough_requires_iam(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        integ = method.integration
        credentials = integ.at.child("credentials") if integ else None
        if credentials is None or not isinstance(credentials.value, str):
            continue
        if PASSTHROUGH().match(mask(credentials.value.strip())) and not method.auth.requires("iam"):
            yield violation(
                credentials,
                f"{method.label} forwards the caller's identity "
                f"({say(api, 'credentials')} {credentials.value!r}) but does not use "
                f"AWS_IAM authorization; {say(api, 'integration-fails')} 'AWS_IAM Auth "
                "type is required for AWS integrations with identity "
                f"forwarding specified'; {say(api, 'require-iam')}",
                method.label,
            )
