"""The shape of `x-amazon-apigateway-integration` objects: presence, type, uri and backend
transport (plain HTTP, TLS verification). Run-time behaviour (stage variables, timeouts,
streaming, content handling, VPC links, identity passthrough) lives in `integration_runtime.py`;
Lambda invocation URIs and the POST rule live in `integrations.py`. Integration types compare
case-insensitively (exports write `aws_proxy`, HTTP API docs `AWS_PROXY`); `${...}` placeholders
(stage variables, `${AWS::Region}`, template variables) are unknown values, never invalid ones.
HTTP APIs may share one integration object between routes through
`$ref: '#/components/x-amazon-apigateway-integrations/...'`, so integration-level findings are
reported once per object.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, literal, violation
from apilint.common.regex import lazy
from apilint.document.edit import add_entries, make_fix, set_value
from apilint.document.placeholders import UNKNOWN, mask
from apilint.document.refs import At
from apilint.model.gateway import INTEGRATION, PROXY_TYPES, Api
from apilint.model.integration import (
    TYPES,
    blank,
    integration_type,
    is_vpc_link,
    key_at,
    users_label,
)
from apilint.model.lambdas import is_lambda
from apilint.model.wording import say

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix

# -- presence and type -------------------------------------------------------------------------


@check
def integration_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        # A present but unresolvable or malformed value is another rule's finding.
        if INTEGRATION in method.value:
            continue
        yield violation(
            method.at,
            f"{method.label} has no {say(api, 'integration')}; "
            "the method is created without one and CreateDeployment fails "
            f"with 'No integration defined for method'; {say(api, 'add-integration')}",
            method.label,
        )


@check
def integration_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        raw, kind = integ.value.get("type"), integration_type(integ)
        where = users_label(methods)
        if raw is None:
            yield violation(
                integ.at,
                f"the integration of {where} has no type; import answers "
                "\"Unknown integration type 'null'\" and drops it; set type "
                "to one of aws, aws_proxy, http, http_proxy, mock",
                methods[0].label,
            )
        elif kind is not None and kind not in TYPES:
            yield violation(
                key_at(integ, "type"),
                f"the integration of {where} has type {raw!r}; API Gateway knows "
                "aws, aws_proxy, http, http_proxy and mock (any case)",
                methods[0].label,
            )


@check
def http_integration_type_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        kind = integration_type(integ)
        if kind in ("aws", "http", "mock"):
            yield violation(
                key_at(integ, "type"),
                f"the integration of {users_label(methods)} has type "
                f"{integ.value['type']!r}, which HTTP APIs do not support; import "
                "warns and the route gets no integration; use AWS_PROXY (Lambda, or "
                "an AWS service with integrationSubtype) or HTTP_PROXY",
                methods[0].label,
            )


@check
def http_payload_format_version(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        kind = integration_type(integ)
        if kind not in PROXY_TYPES:
            continue
        where = users_label(methods)
        lambda_proxy = kind == "aws_proxy" and "integrationSubtype" not in integ.value
        allowed = ("1.0", "2.0") if lambda_proxy else ("1.0",)
        if "payloadFormatVersion" not in integ.value:
            if not lambda_proxy:
                continue  # 1.0 is the only value there: nothing to choose, nothing to report
            yield violation(
                integ.at,
                f"the Lambda proxy integration of {where} has no "
                "payloadFormatVersion, which HTTP API integrations require; "
                'set payloadFormatVersion: "2.0" (or "1.0" for the '
                "REST-style event)",
                methods[0].label,
                make_fix(
                    'Add payloadFormatVersion: "2.0" (the function gets the 2.0 event)',
                    "unsafe",
                    add_entries(integ.at.doc, integ.at.tokens, {"payloadFormatVersion": "2.0"}),
                ),
            )
            continue
        raw = integ.value["payloadFormatVersion"]
        if isinstance(raw, float) and raw in (1.0, 2.0):
            value: str | None = f"{raw:.1f}"  # YAML `1.0` is a number; import reads it as text
        else:
            value = literal(raw)
        if value is None or value.strip() in allowed:
            continue
        what = (
            "Lambda proxy integrations take 1.0 or 2.0"
            if lambda_proxy
            else "integrations other than Lambda proxy take only 1.0"
        )
        at = key_at(integ, "payloadFormatVersion")
        yield violation(
            at,
            f"the integration of {where} has payloadFormatVersion {raw!r}; {what}",
            methods[0].label,
            _version_fix(at, value, allowed),
        )


def _version_fix(at: At, value: str, allowed: tuple[str, ...]) -> Fix | None:
    """The allowed version the value evidently means (`2`, `v2`, `2.0.0` → "2.0"), or the only
    one there is."""
    digits = re.sub(r"[^0-9.]", "", value).strip(".")
    meant = [v for v in allowed if digits and v.startswith(digits.split(".")[0])]
    chosen = allowed[0] if len(allowed) == 1 else meant[0] if len(meant) == 1 else None
    if chosen is None:
        return None
    return make_fix(
        f'Set payloadFormatVersion: "{chosen}"', "safe", set_value(at.doc, at.tokens, chosen)
    )


# -- uri -----------------------------------------------------------------------------------------


@check
def integration_uri_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    needs = PROXY_TYPES if api.kind == "http" else ("aws", "aws_proxy", "http", "http_proxy")
    for integ, methods in api.integrations():
        kind = integration_type(integ)
        if kind not in needs or not blank(integ.uri):
            continue
        if api.kind == "http" and "integrationSubtype" in integ.value:
            continue  # AWS service integrations name their target in requestParameters
        yield violation(
            key_at(integ, "uri"),
            f"the {kind} integration of {users_label(methods)} has no uri; only mock "
            "integrations may omit it; set the Lambda invocation URI, the AWS service "
            "ARN or the backend URL",
            methods[0].label,
        )


_SERVICE_ARN = lazy(r"^arn:[^:]*:apigateway:[^:]*:[^:]*:(?P<rest>.*)$", re.S)


@check
def aws_uri_missing_path_or_action(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        uri = integ.uri
        if integration_type(integ) != "aws" or not isinstance(uri, str) or blank(uri):
            continue
        masked = mask(uri.strip())
        if masked.startswith(UNKNOWN) or is_lambda(api, integ):
            continue  # Lambda URIs are lambda-uri-invalid's
        m = _SERVICE_ARN().match(masked)
        if m is None:
            if UNKNOWN in masked:
                continue  # a placeholder may stand for several ARN parts
            problem = (
                "is not an AWS service integration ARN "
                "(arn:PARTITION:apigateway:REGION:SERVICE:path/... or :action/...)"
            )
        elif m["rest"].startswith(("path/", "action/", UNKNOWN)):
            continue
        else:
            problem = "must continue after the service with path/... or action/..."
        yield violation(
            key_at(integ, "uri"),
            f"the AWS integration of {users_label(methods)} has uri {uri!r}, which "
            f"{problem}; import fails with 'AWS ARN for integration must contain path "
            "or action'",
            methods[0].label,
        )


_URL = lazy(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)$", re.S)
_HOST = lazy(r"^([A-Za-z0-9._~\-\ue000]+|\[[0-9A-Fa-f:.]+\])$")
_URI_CHARS = lazy(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%{}\ue000]*$")
_BAD_PERCENT = lazy(r"%(?![0-9A-Fa-f]{2})")


def _http_url_problem(masked: str, rest_api: bool) -> str | None:
    m = _URL().match(masked)
    if m is None:
        return "is not an absolute URL (http:// or https://)"
    if m["scheme"].lower() not in ("http", "https"):
        return f"uses scheme {m['scheme']!r}; only http and https are supported"
    authority = m["authority"].rsplit("@", 1)[-1]
    host, port = authority, None
    if not authority.endswith("]") and ":" in authority:
        host, port = authority.rsplit(":", 1)
    if not host:
        return "has no host"
    if not _HOST().match(host):
        return f"has an invalid host {host!r}"
    if port is not None and UNKNOWN not in port:
        if not port.isdigit():
            return f"has an invalid port {port!r}"
        # "Standard 80 and 443 ports are supported as well as custom ports above 1024" (REST).
        if rest_api and int(port) not in (80, 443) and not 1024 < int(port) <= 65535:
            return f"uses port {port}; REST API integrations allow 80, 443 or 1025-65535"
    if not _URI_CHARS().match(masked):
        bad = next(c for c in masked if not _URI_CHARS().match(c))
        return f"contains {bad!r}, which must be percent-encoded"
    if _BAD_PERCENT().search(masked):
        return "contains a '%' that does not start a percent-encoded byte"
    return None


@check
def http_uri_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        uri = integ.uri
        if (
            integration_type(integ) not in ("http", "http_proxy")
            or not isinstance(uri, str)
            or blank(uri)
        ):
            continue
        masked = mask(uri)
        if masked.startswith(UNKNOWN):
            continue
        if api.kind == "http" and is_vpc_link(integ) and masked.startswith("arn:"):
            continue  # a listener or Cloud Map ARN: vpclink-config checks it
        problem = _http_url_problem(masked, api.kind == "rest")
        if problem:
            yield violation(
                key_at(integ, "uri"),
                f"the HTTP integration of {users_label(methods)} has uri {uri!r}, "
                f"which {problem}; import fails with 'Invalid HTTP endpoint "
                "specified for URI'",
                methods[0].label,
            )


_PRIVATE_HOST = lazy(
    r"^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|169\.254\.\d+\.\d+"
    r"|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[::1\])$"
    # RFC 2606/6761 names only ever appear as stand-ins, and *.internal/*.local are private DNS.
    r"|(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local|internal)$",
    re.I,
)


@check
def backend_plain_http(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        uri = integ.uri
        if integration_type(integ) not in ("http", "http_proxy") or not isinstance(uri, str):
            continue
        if is_vpc_link(integ):
            continue  # private integrations stay on the AWS network; HTTP is their default
        m = _URL().match(mask(uri.strip()))
        if m is None or m["scheme"].lower() != "http":
            continue
        host = m["authority"].rsplit("@", 1)[-1]
        if not host.endswith("]"):
            host = host.split(":", 1)[0]
        labels = host.split(".")
        # `${stageVariables.env}.api.acme-corp.io` is still a public name; a placeholder in the
        # registered domain itself could be anything.
        if (
            not host
            or any(UNKNOWN in label for label in labels[-2:])
            or _PRIVATE_HOST().search(host)
        ):
            continue
        yield violation(
            key_at(integ, "uri"),
            f"the integration of {users_label(methods)} calls {uri!r} over plain HTTP: "
            "requests, forwarded credentials and responses cross the internet "
            "unencrypted and unauthenticated; use https://",
            methods[0].label,
        )


@check
def tls_verification_disabled(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in api.integrations():
        tls = integ.at.child("tlsConfig")
        flag = tls.child("insecureSkipVerification") if tls else None
        if flag is None:
            continue
        value = flag.value
        if value is True or (isinstance(value, str) and value.strip().lower() == "true"):
            yield violation(
                flag,
                f"the integration of {users_label(methods)} sets "
                "tlsConfig.insecureSkipVerification: true, so API Gateway "
                "accepts any certificate from the backend (man-in-the-middle "
                "risk); give the backend a certificate from a trusted CA and "
                "remove the setting",
                methods[0].label,
            )
