"""The shape of `x-amazon-apigateway-integration` objects: presence, type, uri, backend
transport (plain HTTP, TLS verification, VPC links), stage variables, timeouts, response
streaming, content handling and caller-identity passthrough.

Lambda invocation URIs and the POST rule live in `integrations.py`. Integration types compare
case-insensitively (exports write `aws_proxy`, HTTP API docs `AWS_PROXY`); `${...}` placeholders
(stage variables, `${AWS::Region}`, template variables) are unknown values, never invalid ones.
HTTP APIs may share one integration object between routes through
`$ref: '#/components/x-amazon-apigateway-integrations/...'`, so integration-level findings are
reported once per object.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from apilint.checks import Violation, check, violation
from apilint.checks.integrations import is_lambda
from apilint.document.placeholders import UNKNOWN, has_placeholder, mask
from apilint.document.refs import At
from apilint.model.gateway import INTEGRATION, Api, Integration, Method

TYPES = ("aws", "aws_proxy", "http", "http_proxy", "mock")
HTTP_API_TYPES = ("aws_proxy", "http_proxy")
TIMEOUT_MIN = 50
TIMEOUT_MAX_HTTP = 30000
# The highest value a raised quota allows for BUFFERED REST integrations, and the STREAM limit
# (15 minutes): the bounds terraform-provider-aws#45482 validates ("Timeout should be between
# 50 ms and 900000 ms" is the API's answer for streamed integrations).
TIMEOUT_MAX_REST = 300000
TIMEOUT_MAX_STREAM = 900000


# -- shared helpers ----------------------------------------------------------------------------

def integrations(api: Api) -> Iterator[tuple[Integration, list[Method]]]:
    """Each integration object once, with the methods that use it (several when shared)."""
    users: dict[tuple[str, tuple[str, ...]], tuple[Integration, list[Method]]] = {}
    for method in api.methods:
        integ = method.integration
        if integ is None or not isinstance(integ.at.value, dict):
            continue
        key = (str(integ.at.doc.abspath), integ.at.tokens)
        users.setdefault(key, (integ, []))[1].append(method)
    yield from users.values()


def _where(methods: list[Method]) -> str:
    if len(methods) == 1:
        return methods[0].label
    return f"{methods[0].label} (and {len(methods) - 1} more using the same integration)"


def _literal(value: Any) -> str | None:
    """A string without placeholders, else None (unknown or not a string)."""
    return value if isinstance(value, str) and not has_placeholder(value) else None


def _type(integ: Integration) -> str | None:
    raw = _literal(integ.value.get("type"))
    return raw.strip().lower() if raw is not None else None


def _number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def _upper(value: Any) -> str | None:
    lit = _literal(value)
    return lit.strip().upper() if lit is not None else None


def _transfer_mode(integ: Integration) -> str | None:
    """STREAM | BUFFERED (the default) | None when unknown or invalid."""
    raw = integ.value.get("responseTransferMode")
    if raw is None:
        return "BUFFERED"
    mode = _upper(raw)
    return mode if mode in ("BUFFERED", "STREAM") else None


def _at(integ: Integration, key: str) -> At:
    return integ.at.child(key) or integ.at


def _vpc_link(integ: Integration) -> bool:
    return _upper(integ.value.get("connectionType")) == "VPC_LINK"


# -- presence and type -------------------------------------------------------------------------

@check
def integration_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        # A present but unresolvable or malformed value is another rule's finding.
        if INTEGRATION in method.value:
            continue
        yield violation(method.at, f"{method.label} has no x-amazon-apigateway-integration; "
                                   "the method is created without one and CreateDeployment fails "
                                   "with 'No integration defined for method'; add an integration "
                                   "(type: mock for a stub)", method.label)


@check
def integration_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        raw = integ.value.get("type")
        where = _where(methods)
        if raw is None:
            yield violation(integ.at, f"the integration of {where} has no type; import answers "
                                      "\"Unknown integration type 'null'\" and drops it; set type "
                                      "to one of aws, aws_proxy, http, http_proxy, mock",
                            methods[0].label)
        elif _literal(raw) is not None and raw.strip().lower() not in TYPES:
            yield violation(_at(integ, "type"),
                            f"the integration of {where} has type {raw!r}; API Gateway knows "
                            "aws, aws_proxy, http, http_proxy and mock (any case)",
                            methods[0].label)


@check
def http_integration_type_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        kind = _type(integ)
        if kind in ("aws", "http", "mock"):
            yield violation(_at(integ, "type"),
                            f"the integration of {_where(methods)} has type "
                            f"{integ.value['type']!r}, which HTTP APIs do not support; import "
                            "warns and the route gets no integration; use AWS_PROXY (Lambda, or "
                            "an AWS service with integrationSubtype) or HTTP_PROXY",
                            methods[0].label)


@check
def http_payload_format_version(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        kind = _type(integ)
        if kind not in HTTP_API_TYPES:
            continue
        where = _where(methods)
        lambda_proxy = kind == "aws_proxy" and "integrationSubtype" not in integ.value
        allowed = ("1.0", "2.0") if lambda_proxy else ("1.0",)
        if "payloadFormatVersion" not in integ.value:
            yield violation(integ.at, f"the integration of {where} has no payloadFormatVersion, "
                                      "which HTTP API integrations require; set "
                                      f"payloadFormatVersion: \"{allowed[-1]}\"", methods[0].label)
            continue
        raw = integ.value["payloadFormatVersion"]
        if isinstance(raw, float) and raw in (1.0, 2.0):
            value: str | None = f"{raw:.1f}"  # YAML `1.0` is a number; import reads it as text
        else:
            value = _literal(raw)
        if value is None or value.strip() in allowed:
            continue
        what = ("Lambda proxy integrations take 1.0 or 2.0" if lambda_proxy else
                "integrations other than Lambda proxy take only 1.0")
        yield violation(_at(integ, "payloadFormatVersion"),
                        f"the integration of {where} has payloadFormatVersion {raw!r}; {what}",
                        methods[0].label)


# -- uri -----------------------------------------------------------------------------------------

def _blank(uri: Any) -> bool:
    return uri is None or (isinstance(uri, str) and not uri.strip())


@check
def integration_uri_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    needs = HTTP_API_TYPES if api.kind == "http" else ("aws", "aws_proxy", "http", "http_proxy")
    for integ, methods in integrations(api):
        kind = _type(integ)
        if kind not in needs or not _blank(integ.uri):
            continue
        if api.kind == "http" and "integrationSubtype" in integ.value:
            continue  # AWS service integrations name their target in requestParameters
        yield violation(_at(integ, "uri"),
                        f"the {kind} integration of {_where(methods)} has no uri; only mock "
                        "integrations may omit it; set the Lambda invocation URI, the AWS service "
                        "ARN or the backend URL", methods[0].label)


_SERVICE_ARN = re.compile(r"^arn:[^:]*:apigateway:[^:]*:[^:]*:(?P<rest>.*)$", re.S)


@check
def aws_uri_missing_path_or_action(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        uri = integ.uri
        if _type(integ) != "aws" or not isinstance(uri, str) or _blank(uri):
            continue
        masked = mask(uri.strip())
        if masked.startswith(UNKNOWN) or is_lambda(api, integ):
            continue  # Lambda URIs are lambda-uri-invalid's
        m = _SERVICE_ARN.match(masked)
        if m is None:
            if UNKNOWN in masked:
                continue  # a placeholder may stand for several ARN parts
            problem = ("is not an AWS service integration ARN "
                       "(arn:PARTITION:apigateway:REGION:SERVICE:path/... or :action/...)")
        elif m["rest"].startswith(("path/", "action/", UNKNOWN)):
            continue
        else:
            problem = "must continue after the service with path/... or action/..."
        yield violation(_at(integ, "uri"),
                        f"the AWS integration of {_where(methods)} has uri {uri!r}, which "
                        f"{problem}; import fails with 'AWS ARN for integration must contain path "
                        "or action'", methods[0].label)


_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?P<authority>[^/?#]*)(?P<rest>.*)$",
                  re.S)
_HOST = re.compile(r"^([A-Za-z0-9._~\-\ue000]+|\[[0-9A-Fa-f:.]+\])$")
_URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%{}\ue000]*$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _http_url_problem(masked: str, rest_api: bool) -> str | None:
    m = _URL.match(masked)
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
    if not _HOST.match(host):
        return f"has an invalid host {host!r}"
    if port is not None and UNKNOWN not in port:
        if not port.isdigit():
            return f"has an invalid port {port!r}"
        # "Standard 80 and 443 ports are supported as well as custom ports above 1024" (REST).
        if rest_api and int(port) not in (80, 443) and not 1024 < int(port) <= 65535:
            return f"uses port {port}; REST API integrations allow 80, 443 or 1025-65535"
    if not _URI_CHARS.match(masked):
        bad = next(c for c in masked if not _URI_CHARS.match(c))
        return f"contains {bad!r}, which must be percent-encoded"
    if _BAD_PERCENT.search(masked):
        return "contains a '%' that does not start a percent-encoded byte"
    return None


@check
def http_uri_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        uri = integ.uri
        if _type(integ) not in ("http", "http_proxy") or not isinstance(uri, str) or _blank(uri):
            continue
        masked = mask(uri)
        if masked.startswith(UNKNOWN):
            continue
        if api.kind == "http" and _vpc_link(integ) and masked.startswith("arn:"):
            continue  # a listener or Cloud Map ARN: vpclink-config checks it
        problem = _http_url_problem(masked, api.kind == "rest")
        if problem:
            yield violation(_at(integ, "uri"),
                            f"the HTTP integration of {_where(methods)} has uri {uri!r}, which "
                            f"{problem}; import fails with 'Invalid HTTP endpoint specified for "
                            "URI'", methods[0].label)


_PRIVATE_HOST = re.compile(
    r"^(localhost|127\.\d+\.\d+\.\d+|10\.\d+\.\d+\.\d+|192\.168\.\d+\.\d+|169\.254\.\d+\.\d+"
    r"|172\.(1[6-9]|2\d|3[01])\.\d+\.\d+|\[::1\])$"
    # RFC 2606/6761 names only ever appear as stand-ins, and *.internal/*.local are private DNS.
    r"|(^|\.)(example\.(com|net|org)|example|test|invalid|localhost|local|internal)$",
    re.I)


@check
def backend_plain_http(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        uri = integ.uri
        if _type(integ) not in ("http", "http_proxy") or not isinstance(uri, str):
            continue
        if _vpc_link(integ):
            continue  # private integrations stay on the AWS network; HTTP is their default
        m = _URL.match(mask(uri.strip()))
        if m is None or m["scheme"].lower() != "http":
            continue
        host = m["authority"].rsplit("@", 1)[-1]
        if not host.endswith("]"):
            host = host.split(":", 1)[0]
        labels = host.split(".")
        # `${stageVariables.env}.api.acme-corp.io` is still a public name; a placeholder in the
        # registered domain itself could be anything.
        if not host or any(UNKNOWN in label for label in labels[-2:]) or _PRIVATE_HOST.search(host):
            continue
        yield violation(_at(integ, "uri"),
                        f"the integration of {_where(methods)} calls {uri!r} over plain HTTP: "
                        "requests, forwarded credentials and responses cross the internet "
                        "unencrypted and unauthenticated; use https://", methods[0].label)


@check
def tls_verification_disabled(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        tls = integ.at.child("tlsConfig")
        flag = tls.child("insecureSkipVerification") if tls else None
        if flag is None:
            continue
        value = flag.value
        if value is True or (isinstance(value, str) and value.strip().lower() == "true"):
            yield violation(flag, f"the integration of {_where(methods)} sets "
                                  "tlsConfig.insecureSkipVerification: true, so API Gateway "
                                  "accepts any certificate from the backend (man-in-the-middle "
                                  "risk); give the backend a certificate from a trusted CA and "
                                  "remove the setting", methods[0].label)


# -- stage variables ---------------------------------------------------------------------------

_STAGE_VAR = re.compile(r"\$\{stageVariables\.([^}]*)\}")
_STAGE_VAR_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")


@check
def stage_variable_lambda(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        uri = integ.uri
        if not isinstance(uri, str) or "${stageVariables." not in uri or not is_lambda(api, integ):
            continue
        function = uri.split("/functions/", 1)[1].rsplit("/", 1)[0] if "/functions/" in uri else uri
        names = _STAGE_VAR.findall(function)
        if names:
            yield violation(_at(integ, "uri"),
                            f"the Lambda integration of {_where(methods)} chooses its function "
                            f"with stage variable {names[0]!r}: every function it can name must "
                            "be in the API's account and grant apigateway.amazonaws.com "
                            "lambda:InvokeFunction (aws lambda add-permission), or calls fail "
                            "with 500 'Invalid permissions on Lambda function'",
                            methods[0].label)


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
    names = _STAGE_VAR.findall(leaf.value)
    if any(t in _BARE_SITES for t in leaf.tokens):
        # `stageVariables.name` mapping expressions / identity sources (comma separated).
        names += [part.strip()[len("stageVariables."):] for part in leaf.value.split(",")
                  if part.strip().startswith("stageVariables.")]
    return [n for n in names if not _STAGE_VAR_NAME.match(n) and "$" not in n and "{" not in n]


@check
def stage_variable_name_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    roots: list[tuple[At, str, str | None]] = [
        (integ.at, f"the integration of {_where(methods)}", methods[0].label)
        for integ, methods in integrations(api)]
    roots += [(s.authorizer, f"the authorizer {s.name!r}", None)
              for s in api.schemes.values() if s.authorizer is not None]
    for root, what, operation in roots:
        for leaf in sorted(_strings(root), key=lambda a: a.tokens):
            bad = _bad_stage_variable_names(leaf)
            if bad:
                shown = ", ".join(repr(n) for n in dict.fromkeys(bad))
                yield violation(leaf, f"{what} uses stage variable {shown}; stage variable names "
                                      "are 1-64 letters, digits or '_', so no stage can define "
                                      "it and the reference never resolves; rename it",
                                operation)


# -- timeouts ------------------------------------------------------------------------------------

def _timeouts(api: Api) -> Iterator[tuple[Integration, list[Method], At, int]]:
    for integ, methods in integrations(api):
        at = integ.at.child("timeoutInMillis")
        value = _number(at.value) if at is not None else None
        if at is not None and value is not None:
            yield integ, methods, at, value


@check
def timeout_out_of_range(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods, at, value in _timeouts(api):
        mode = _transfer_mode(integ) if api.kind == "rest" else "BUFFERED"
        if value < TIMEOUT_MIN:
            limit = f"at least {TIMEOUT_MIN} ms"
        elif api.kind == "http" and value > TIMEOUT_MAX_HTTP:
            limit = f"at most {TIMEOUT_MAX_HTTP} ms for HTTP APIs (not adjustable)"
        elif api.kind == "rest" and mode == "STREAM" and value > TIMEOUT_MAX_STREAM:
            limit = f"at most {TIMEOUT_MAX_STREAM} ms (15 minutes) for streamed responses"
        elif api.kind == "rest" and mode == "BUFFERED" and value > TIMEOUT_MAX_REST:
            limit = (f"at most {TIMEOUT_MAX_REST} ms even with a raised quota (stream the "
                     "response for longer)")
        else:
            continue
        yield violation(at, f"the integration of {_where(methods)} has timeoutInMillis {value}; "
                            f"it must be {limit}", methods[0].label)


@check
def timeout_needs_quota_increase(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    quota = int(options.get("limit", 29000))
    for integ, methods, at, value in _timeouts(api):
        if _transfer_mode(integ) == "BUFFERED" and quota < value <= TIMEOUT_MAX_REST:
            yield violation(at, f"the integration of {_where(methods)} has timeoutInMillis "
                                f"{value}, above the default quota of {quota} ms: it deploys only "
                                "on a Regional or private API whose account raised the quota "
                                "(edge-optimized APIs cannot); otherwise PutIntegration fails "
                                "with 'Timeout should be between 50 ms and 29000 ms'",
                            methods[0].label)


# -- response streaming --------------------------------------------------------------------------

@check
def stream_mode_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        where, op = _where(methods), methods[0].label
        raw = integ.value.get("responseTransferMode")
        mode = _transfer_mode(integ)
        if mode is None:
            if _literal(raw) is not None:
                yield violation(_at(integ, "responseTransferMode"),
                                f"the integration of {where} has responseTransferMode {raw!r}; "
                                "it must be BUFFERED (the default) or STREAM", op)
            continue
        kind = _type(integ)
        if mode == "STREAM" and kind is not None and kind not in HTTP_API_TYPES:
            yield violation(_at(integ, "responseTransferMode"),
                            f"the {kind} integration of {where} sets responseTransferMode: "
                            "STREAM; only HTTP_PROXY and AWS_PROXY integrations can stream", op)
            continue
        uri = integ.uri
        if not isinstance(uri, str) or not is_lambda(api, integ):
            continue
        masked = mask(uri.strip())
        if mode == "STREAM" and masked.endswith("/invocations"):
            yield violation(_at(integ, "uri"),
                            f"the Lambda integration of {where} streams but invokes "
                            "/2015-03-31/functions/.../invocations; streaming needs "
                            "/2021-11-15/functions/FUNCTION_ARN/response-streaming-invocations",
                            op)
        elif mode == "BUFFERED" and masked.endswith("/response-streaming-invocations"):
            yield violation(_at(integ, "uri"),
                            f"the Lambda integration of {where} uses the response-streaming "
                            "invocation URI without responseTransferMode: STREAM; set it, or use "
                            "/2015-03-31/functions/FUNCTION_ARN/invocations", op)


@check
def stream_incompatible_features(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    compression = api.root.child("x-amazon-apigateway-minimum-compression-size")
    compresses = compression is not None and (_number(compression.value) is not None
                                              or has_placeholder(compression.value))
    for integ, methods in integrations(api):
        if _transfer_mode(integ) != "STREAM":
            continue
        where, op = _where(methods), methods[0].label
        responses = integ.at.child("responses")
        if responses is not None and isinstance(responses.value, dict):
            for status in responses.value:
                response = responses.child(status)
                templates = response.child("responseTemplates") if response else None
                if templates is not None and isinstance(templates.value, dict) and templates.value:
                    yield violation(templates, f"the streamed integration of {where} has "
                                               f"responseTemplates for {status!r}; streamed "
                                               "responses are never transformed with VTL", op)
        keys = integ.at.child("cacheKeyParameters")
        if keys is not None and keys.value:
            yield violation(keys, f"the streamed integration of {where} has cacheKeyParameters; "
                                  "endpoint caching does not apply to streamed responses", op)
        if compresses:
            yield violation(_at(integ, "responseTransferMode"),
                            f"the integration of {where} streams, but the API sets "
                            "x-amazon-apigateway-minimum-compression-size: streamed responses "
                            "are not compressed; compress in the backend if needed", op)


# -- content handling, VPC links, references, identity passthrough ------------------------------

_CONTENT_HANDLING = ("CONVERT_TO_TEXT", "CONVERT_TO_BINARY")


@check
def content_handling_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        sites = [integ.at.child("contentHandling")]
        responses = integ.at.child("responses")
        if responses is not None and isinstance(responses.value, dict):
            for status in responses.value:
                response = responses.child(status)
                sites.append(response.child("contentHandling") if response else None)
        for site in sites:
            if site is None or _literal(site.value) is None:
                continue
            if site.value.strip().upper() not in _CONTENT_HANDLING:
                yield violation(site, f"the integration of {_where(methods)} has contentHandling "
                                      f"{site.value!r}; it must be CONVERT_TO_TEXT or "
                                      "CONVERT_TO_BINARY, or be left out to pass payloads "
                                      "through", methods[0].label)


_LISTENER_ARN = re.compile(r"^arn:[^:]*:(elasticloadbalancing:[^:]*:[^:]*:listener/"
                           r"|servicediscovery:[^:]*:[^:]*:service/)")
_LOAD_BALANCER_ARN = re.compile(r"^arn:[^:]*:elasticloadbalancing:[^:]*:[^:]*:loadbalancer/"
                                r"(app|net)/")


def _vpc_link_problems(api: Api, integ: Integration) -> Iterator[tuple[At, str]]:
    value = integ.value
    raw_type = value.get("connectionType")
    connection = _upper(raw_type)
    if connection is not None and connection not in ("INTERNET", "VPC_LINK"):
        yield _at(integ, "connectionType"), (f"has connectionType {raw_type!r}; it must be "
                                              "INTERNET (the default) or VPC_LINK")
        return
    if raw_type is not None and connection is None:
        return  # unknown
    has_id = not _blank(value.get("connectionId"))
    if connection == "VPC_LINK":
        if not has_id:
            yield _at(integ, "connectionType"), ("sets connectionType: VPC_LINK without a "
                                                  "connectionId (the VPC link id or "
                                                  "${stageVariables.vpcLinkId})")
        kind = _type(integ)
        allowed = ("http_proxy",) if api.kind == "http" else ("http", "http_proxy")
        relevant = api.kind == "rest" or kind in HTTP_API_TYPES  # HTTP drops the others anyway
        if kind is not None and kind not in allowed and relevant:
            yield _at(integ, "connectionType"), (f"routes a {kind} integration through a VPC "
                                                  "link; private integrations are "
                                                  f"{' or '.join(allowed)}")
        uri = integ.uri
        if (api.kind == "http" and kind == "http_proxy" and isinstance(uri, str) and not _blank(uri)
                and not mask(uri).startswith(UNKNOWN) and not _LISTENER_ARN.match(mask(uri))):
            yield _at(integ, "uri"), (f"has uri {uri!r}; an HTTP API private integration names "
                                      "an ALB/NLB listener ARN or a Cloud Map service ARN")
    elif has_id:
        yield _at(integ, "connectionId"), ("has a connectionId but connectionType is "
                                           f"{raw_type or 'INTERNET (the default)'}, so the VPC "
                                           "link is not used; set connectionType: VPC_LINK")
    target = integ.at.child("integrationTarget")
    if api.kind == "rest" and target is not None and _literal(target.value) is not None:
        if connection != "VPC_LINK":
            yield target, ("has an integrationTarget but no connectionType: VPC_LINK; the load "
                           "balancer is reached only through a VPC link V2")
        elif not _LOAD_BALANCER_ARN.match(target.value.strip()):
            yield target, (f"has integrationTarget {target.value!r}; it must be an Application "
                           "or Network Load Balancer ARN (…:loadbalancer/app/… or /net/…)")


@check
def vpclink_config(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, methods in integrations(api):
        for at, problem in _vpc_link_problems(api, integ):
            yield violation(at, f"the integration of {_where(methods)} {problem}",
                            methods[0].label)


@check
def integrations_ref_in_rest(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        site = method.at.child(INTEGRATION)
        if site is None or not isinstance(site.value, dict) or not isinstance(
                site.value.get("$ref"), str):
            continue
        yield violation(site, f"the integration of {method.label} is a $ref "
                              f"({site.value['$ref']!r}); REST API import does not resolve it "
                              "(x-amazon-apigateway-integrations is for HTTP APIs), answers "
                              "\"Unknown integration type 'null'\" and leaves the method without "
                              "an integration; write the integration object inline", method.label)


_PASSTHROUGH = re.compile(r"^arn:[^:]*:iam::\*:user/\*$")


@check
def identity_passthrough_requires_iam(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        integ = method.integration
        credentials = integ.at.child("credentials") if integ else None
        if credentials is None or not isinstance(credentials.value, str):
            continue
        if _PASSTHROUGH.match(mask(credentials.value.strip())) and not method.auth.requires("iam"):
            yield violation(credentials, f"{method.label} forwards the caller's identity "
                                         f"(credentials {credentials.value!r}) but does not use "
                                         "AWS_IAM authorization; import fails with 'AWS_IAM Auth "
                                         "type is required for AWS integrations with identity "
                                         "forwarding specified'; protect the method with a "
                                         "sigv4 security scheme or x-amazon-apigateway-auth "
                                         "AWS_IAM", method.label)
