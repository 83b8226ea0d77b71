"""Integration request/response mappings and method responses.

REST: `requestParameters`, `cacheKeyParameters`, integration `responses` (statusCode,
responseParameters, templates), passthrough behaviour and the operation's method responses, as
the import builds them: method request parameters come only from declared `parameters`, method
responses only from numeric `responses` keys (`default` is skipped), method response headers from
that response's `headers`. Grammar:
https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-parameter-mapping-sources.html
HTTP APIs: the `append|overwrite|remove:` parameter-mapping keys
(https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, first_visit, violation
from apilint.common.regex import lazy
from apilint.common.text import close_matches
from apilint.document.edit import make_fix, remove, set_value
from apilint.document.parameters import PARAMETER_IN
from apilint.document.placeholders import has_placeholder
from apilint.document.pointer import get
from apilint.document.refs import At
from apilint.model.gateway import Api, Integration, Method
from apilint.model.integration import transfer_mode
from apilint.model.lambdas import is_lambda
from apilint.model.mapping import STATUS, VARIABLE_REFERENCE, static_value
from apilint.model.wording import say

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix

_LOC = "path|querystring|header|multivaluequerystring|multivalueheader"
_REQUEST_KEY = lazy(rf"integration\.request\.({_LOC})\.(\S+)")
_METHOD_PARAM = lazy(rf"method\.request\.({_LOC})\.(\S+)")
_REQUEST_BODY = lazy(r"method\.request\.body(\..+)?")
_RESPONSE_KEY = lazy(r"method\.response\.header\.(\S+)")
_RESPONSE_SOURCE = lazy(r"integration\.response\.((multivalue)?header\.\S+|body(\..+)?)")
_EXPRESSION_PREFIX = ("$", "method.", "integration.")
_PASSTHROUGH = ("when_no_match", "when_no_templates", "never")

#: Important notes, REST header table: dropped on the way to Lambda and HTTP integrations.
_DROPPED_REQUEST = frozenset(
    {
        "content-md5",
        "expect",
        "max-forwards",
        "proxy-authenticate",
        "server",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "www-authenticate",
    }
)
#: ... and on the way back: dropped, or renamed to X-Amzn-Remapped-<name> (Date/Server overwritten).
_DROPPED_RESPONSE = frozenset(
    {"expect", "host", "proxy-authenticate", "te", "trailer", "transfer-encoding", "upgrade"}
)
_REMAPPED_RESPONSE = frozenset(
    {
        "authorization",
        "connection",
        "content-md5",
        "max-forwards",
        "user-agent",
        "www-authenticate",
        "date",
        "server",
    }
)


# -- reading -------------------------------------------------------------------------------------


def _status(value: Any) -> str | None:
    """An integration response statusCode as text; None when unknown (placeholder, intrinsic)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = str(value).strip()
    return None if has_placeholder(text) else text


def _method_responses(api: Api, method: Method) -> dict[str, At | None] | None:
    """Method responses the import creates (numeric codes), or None without a readable map."""
    responses = method.responses
    if responses is None or not isinstance(responses.value, dict):
        return None
    return {
        code: api.ws.resolve(responses.child(code))
        for code in responses.value
        if STATUS().fullmatch(code)
    }


def _declared(api: Api, method: Method) -> dict[str, set[str]] | None:
    """Declared request parameter names by `in` (headers lower-cased); None when a parameter
    list cannot be read completely (an unresolved $ref), so nothing is called undeclared."""
    item_tokens = method.at.tokens[:-1]
    try:
        item = At(method.at.doc, item_tokens, get(method.at.doc.data, item_tokens))
    except KeyError:
        return None
    for holder in (item, method.at):
        if not isinstance(holder.value, dict) or "parameters" not in holder.value:
            continue
        listed = api.ws.resolve(holder.child("parameters"))
        if listed is None or not isinstance(listed.value, list):
            return None
        for i in range(len(listed.value)):
            p = api.ws.resolve(listed.child(i))
            if (
                p is None
                or not isinstance(p.value, dict)
                or not isinstance(p.value.get("name"), str)
                or not isinstance(p.value.get("in"), str)
            ):
                return None
    out: dict[str, set[str]] = {"path": set(), "query": set(), "header": set()}
    for param in method.parameters:
        if param.location in out:
            out[param.location].add(
                param.name.lower() if param.location == "header" else param.name
            )
    return out


def _undeclared(declared: dict[str, set[str]] | None, loc: str, name: str) -> str | None:
    """The `in` of a `method.request.<loc>.<name>` reference that `declared` (see _declared)
    lacks; None when declared or unknown."""
    where = PARAMETER_IN[loc]
    if declared is None:
        return None
    key = name.lower() if where == "header" else name
    return None if key in declared[where] else where


def _declare(api: Api, where: str, value: str) -> str:
    """How to declare the method request parameter `value` (`in: where`) in the API's own words.
    A path parameter is always sent (the path does not match without it), so it is declared
    required; the others are optional unless the client must send them."""
    path = where == "path"
    return say(
        api,
        "declare-request-parameter",
        where=where,
        value=value,
        required="true" if path else "false",
        otherwise="" if path else ", or true when required",
    )


def _classify(value: Any, side: str) -> tuple[str, str, str]:
    """("param", loc, name) | ("ok"|"unknown"|"invalid"|"unquoted", "", "") for one mapping
    value; side is "request" or "response"."""
    if isinstance(value, (bool, int, float)):
        return "unquoted", "", ""
    if not isinstance(value, str) or has_placeholder(value):
        return "unknown", "", ""  # an intrinsic function or a template placeholder
    if static_value(value) is not None or VARIABLE_REFERENCE().fullmatch(value):
        return "ok", "", ""
    if side == "request":
        m = _METHOD_PARAM().fullmatch(value)
        if m:
            return "param", m.group(1), m.group(2)
        if _REQUEST_BODY().fullmatch(value):
            return "ok", "", ""
    elif _RESPONSE_SOURCE().fullmatch(value):
        return "ok", "", ""
    if value.startswith(_EXPRESSION_PREFIX):
        return "invalid", "", ""
    return "unquoted", "", ""


def _request_parameters(api: Api, integ: Integration) -> At | None:
    """The parameter mappings of a REST or HTTP API integration request."""
    # An integrationSubtype (HTTP API AWS service integration) keys requestParameters by the
    # action's own parameter names, which neither mapping grammar covers; http-swagger2 and
    # friends report the misplaced document.
    if "integrationSubtype" in integ.value:
        return None
    return api.dict_child(integ.at, "requestParameters")


def _entries(holder: At | None) -> Iterator[tuple[str, At, Any]]:
    """(key, where the key stands, value) of a mapping object; nothing for None."""
    if holder is None:
        return
    for key, value in holder.value.items():
        yield key, holder.child(key) or holder, value


def _mappings(api: Api, integ: Integration) -> Iterator[tuple[str, str, At, Any]]:
    """(side, key, where the key stands, value) for every REST parameter mapping of integ."""
    holders = [("request", _request_parameters(api, integ))]
    holders += [
        ("response", api.dict_child(response, "responseParameters"))
        for _, response in api.integration_responses(integ)
    ]
    for side, holder in holders:
        for key, at, value in _entries(holder):
            yield side, key, at, value


# -- REST parameter mappings ---------------------------------------------------------------------


@check
def integration_param_undeclared(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    reported: set[tuple[str, tuple[str, ...]]] = set()
    for method in api.methods:
        integ = method.integration
        params = _request_parameters(api, integ) if integ else None
        declared = _declared(api, method) if params is not None else None
        for key, at, value in _entries(params):
            kind, loc, name = _classify(value, "request")
            where = _undeclared(declared, loc, name) if kind == "param" else None
            if where is None or not first_visit(reported, at):
                continue
            yield violation(
                at,
                f"{method.label} maps {key} from {value!r}, but the method "
                f"declares no {where} parameter {name!r}; {say(api, 'mapping-fails')} "
                f'"Invalid mapping expression parameter specified: {value}". '
                f"{_declare(api, where, value)}",
                method.label,
            )


@check
def mapping_expression_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        for side, key, at, value in _mappings(api, integ):
            if has_placeholder(key):
                continue
            if side == "request" and not _REQUEST_KEY().fullmatch(key):
                yield violation(
                    at,
                    f"the request parameter mapping key {key!r} of {method.label} "
                    "is not integration.request.{path|querystring|header}.<name> "
                    '(or a multivalue location); the import fails with "Invalid '
                    'mapping expression specified". Map only to path, query '
                    "string or header parameters (use a requestTemplate for the "
                    "body)",
                    method.label,
                )
                continue
            if side == "response" and not _RESPONSE_KEY().fullmatch(key):
                yield violation(
                    at,
                    f"the response parameter mapping key {key!r} of "
                    f"{method.label} is not method.response.header.<name>; only "
                    "method response headers can be mapped, the import fails "
                    'with "Invalid mapping expression specified"',
                    method.label,
                )
                continue
            if _classify(value, side)[0] == "invalid":
                sources = (
                    "method.request.{path|querystring|header}.<name>, method.request.body"
                    if side == "request"
                    else "integration.response.header.<name>, integration.response.body"
                )
                yield violation(
                    at,
                    f"{method.label} maps {key} from {value!r}, which is not a "
                    "mapping expression API Gateway knows; use "
                    f"{sources}[.JSONPath], context.<var>, stageVariables.<var> "
                    "or a single-quoted static value",
                    method.label,
                )


@check
def static_mapping_unquoted(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        for side, key, at, value in _mappings(api, integ):
            if _classify(value, side)[0] != "unquoted":
                continue
            text = value if isinstance(value, str) else json.dumps(value)
            shown = repr(value) if isinstance(value, str) else text
            yield violation(
                at,
                f"{method.label} maps {key} from {shown}, which is neither a "
                "mapping expression nor a single-quoted static value; the "
                'import fails with "Invalid mapping expression specified". '
                f"Quote static values: \"'{text.strip(chr(34))}'\"",
                method.label,
                _quote_fix(at, text.strip(chr(34))),
            )


def _quote_fix(at: At, inner: str) -> Fix | None:
    """The static value in single quotes, when that is unambiguous (no quote inside)."""
    if "'" in inner:
        return None
    return make_fix(
        f"Quote the static value: \"'{inner}'\"", "safe", set_value(at.doc, at.tokens, f"'{inner}'")
    )


@check
def cache_key_undeclared(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        integ = method.integration
        keys = api.ws.resolve(integ.at.child("cacheKeyParameters")) if integ else None
        if integ is None or keys is None or not isinstance(keys.value, list):
            continue
        params = api.dict_child(integ.at, "requestParameters")
        mapped = set(params.value) if params else set()
        declared = _declared(api, method)
        for i, entry in enumerate(keys.value):
            if not isinstance(entry, str) or has_placeholder(entry):
                continue
            at = keys.child(i) or keys
            m = _METHOD_PARAM().fullmatch(entry)
            if m:
                where = _undeclared(declared, m.group(1), m.group(2))
                if where is not None:
                    yield violation(
                        at,
                        f"cache key {entry!r} of {method.label} names a {where} "
                        "parameter the method does not declare; cache keys must "
                        'be method request parameters ("Invalid cache key"). '
                        f"{_declare(api, where, entry)}",
                        method.label,
                    )
            elif _REQUEST_KEY().fullmatch(entry):
                if entry not in mapped:
                    yield violation(
                        at,
                        f"cache key {entry!r} of {method.label} is not mapped in "
                        f"{say(api, 'integration-request-parameters')}; map it there or "
                        "use the method.request.* parameter",
                        method.label,
                    )
            else:
                yield violation(
                    at,
                    f"cache key {entry!r} of {method.label} is not a request "
                    "parameter expression (method.request.{path|querystring|"
                    f'header}}.<name>); {say(api, "mapping-fails")} "Invalid cache '
                    'key"',
                    method.label,
                )


# -- integration responses and method responses --------------------------------------------------


def _maps_headers(api: Api, response: At) -> bool:
    params = api.dict_child(response, "responseParameters")
    return params is not None and any(_RESPONSE_KEY().fullmatch(k) for k in params.value)


@check
def integration_response_status_unknown(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        integ = method.integration
        codes = _method_responses(api, method) if integ else None
        if integ is None or codes is None or integ.type not in ("aws", "http", "mock"):
            continue  # proxy integrations never use their integration responses
        for pattern, response in api.integration_responses(integ):
            status = _status(response.value.get("statusCode"))
            if status is None or status in codes or _maps_headers(api, response):
                continue  # header mappings make it an import error: response-header-undeclared
            declared = ", ".join(sorted(codes)) or "none"
            yield violation(
                response.child("statusCode") or response,
                f"integration response {pattern!r} of {method.label} returns status "
                f"{status}, which is not a response of the operation (declared: "
                f"{declared}); whenever it is selected the call fails with 500 "
                f'"Output mapping refers to an invalid method response: {status}". '
                f"{say(api, 'add-method-response', status=status)}",
                method.label,
            )


def _response_header_gaps(api: Api) -> Iterator[tuple[Method, str, str, At, str, bool, list[str]]]:
    """Integration responses that map `method.response.header.X` where the method response
    for their statusCode declares no X: (method, key, X, where, status, whether that status is
    a response of the operation, the declared status codes)."""
    for method in api.methods:
        integ = method.integration
        codes = _method_responses(api, method) if integ else None
        if integ is None or codes is None:
            continue
        for _, response in api.integration_responses(integ):
            status = _status(response.value.get("statusCode"))
            params = api.dict_child(response, "responseParameters")
            if status is None or params is None:
                continue
            known = status in codes
            method_response = codes.get(status)
            headers = api.dict_child(method_response, "headers")
            if known and (
                method_response is None
                or not isinstance(method_response.value, dict)
                or (headers is None and "headers" in method_response.value)
            ):
                continue  # an unreadable response or headers ($ref problem): reported elsewhere
            names = {str(h).lower() for h in headers.value} if headers else set()
            for key, at, _ in _entries(params):
                m = _RESPONSE_KEY().fullmatch(key) if not has_placeholder(key) else None
                header = m.group(1) if m else None
                if header is not None and header.lower() not in names:
                    yield method, key, header, at, status, known, sorted(codes)


@check
def response_header_undeclared(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method, key, header, at, status, known, _ in _response_header_gaps(api):
        if known:
            yield violation(
                at,
                f"{method.label} maps {key} for status {status}, but that "
                f"response declares no header {header!r}; the import fails "
                'with "Invalid mapping expression parameter specified: '
                f'{key}"; declare {header} under responses.{status}.headers',
                method.label,
            )


@check
def response_status_undeclared(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method, key, header, at, status, known, codes in _response_header_gaps(api):
        if not known:
            yield violation(
                at,
                f"{method.label} maps {key} for status {status}, but the "
                f"operation has no {status} response (declared: "
                f"{', '.join(codes) or 'none'}), so no method response carries "
                f"the header; add a {status!r} response that declares {header}",
                method.label,
            )


@check
def no_responses(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for method in api.methods:
        integ = method.integration
        if integ is None or integ.type not in ("aws", "http", "mock"):
            continue
        responses = method.responses
        if responses is None or (isinstance(responses.value, dict) and not responses.value):
            if api.version in ("2.0", "3.0"):
                continue  # schema-invalid already reports a missing or empty responses object
        elif not isinstance(responses.value, dict) or any(
            STATUS().fullmatch(code) for code in responses.value
        ):
            continue
        yield violation(
            method.at.child("responses") or method.at,
            f"{method.label} has a non-proxy ({integ.type}) integration but no "
            "numeric status code in its responses (`default` and ranges such as "
            '2XX create no method response); the import warns "No responses '
            'specified" and every call fails with 500. Declare the status codes '
            "the integration responses return, e.g. '200'",
            method.label,
        )


@check
def mapping_template_too_large(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit_kb = options["limit-kb"]
    limit = float(limit_kb) * 1024 if isinstance(limit_kb, (int, float)) else 300 * 1024

    def too_large(templates: At | None, what: str, operation: str | None) -> Iterator[Violation]:
        for mime, at, text in _entries(templates):
            size = len(text.encode("utf-8")) if isinstance(text, str) else 0
            if size > limit:
                yield violation(
                    at,
                    f"the {mime} {what} is {size / 1024:.1f} KB, over the "
                    f"{limit_kb} KB limit (API Gateway's quota for a mapping "
                    "template is 300 KB); move logic to the backend or split the "
                    "template",
                    operation,
                )

    for integ, (method, *_) in api.integrations():
        yield from too_large(
            api.dict_child(integ.at, "requestTemplates"),
            f"request template of {method.label}",
            method.label,
        )
        for pattern, response in api.integration_responses(integ):
            yield from too_large(
                api.dict_child(response, "responseTemplates"),
                f"response template ({pattern!r}) of {method.label}",
                method.label,
            )
    for kind, _, response in api.gateway_responses():
        yield from too_large(
            api.dict_child(response, "responseTemplates"),
            f"template of gateway response {kind}",
            None,
        )


@check
def header_mapping_futile(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        if integ.type not in ("http", "http_proxy") and not is_lambda(api, integ):
            continue  # the important-notes table covers Lambda and HTTP integrations
        for side, key, at, _ in _mappings(api, integ):
            pattern = _REQUEST_KEY() if side == "request" else _RESPONSE_KEY()
            m = pattern.fullmatch(key)
            if m is None or (side == "request" and m.group(1) != "header"):
                continue
            name = m.group(m.lastindex or 1).lower()
            if side == "request" and name in _DROPPED_REQUEST:
                fate = "drops it from requests to Lambda and HTTP integrations"
            elif side == "response" and name in _DROPPED_RESPONSE:
                fate = "drops it from responses"
            elif side == "response" and name in _REMAPPED_RESPONSE:
                fate = "renames it to X-Amzn-Remapped-" + m.group(1) + " (or overwrites it)"
            else:
                continue
            yield violation(
                at,
                f"{method.label} maps {key}, but API Gateway {fate}; the "
                "mapping has no effect. Use another header name",
                method.label,
            )


# -- passthrough behaviour -----------------------------------------------------------------------


def _passthrough(integ: Integration) -> tuple[At | None, str | None]:
    at = integ.at.child("passthroughBehavior")
    value = at.value if at is not None else None
    return at, value.lower() if isinstance(value, str) and not has_placeholder(value) else None


@check
def passthrough_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        at, value = _passthrough(integ)
        if at is None:
            continue
        if (value is not None and value not in _PASSTHROUGH) or isinstance(
            at.value, (bool, int, float, list)
        ):
            yield violation(
                at,
                f"passthroughBehavior {at.value!r} of {method.label} is not one of "
                "when_no_match, when_no_templates, never; the import rejects it",
                method.label,
                _passthrough_fix(at, value),
            )


def _passthrough_fix(at: At, value: str | None) -> Fix | None:
    """The behaviour the value spells another way (`when-no-match`, `when_no_template`)."""
    letters = re.sub(r"[^a-z]", "", value or "")
    spelled = {p.replace("_", ""): p for p in _PASSTHROUGH}
    meant = close_matches(letters, spelled, n=2, cutoff=0.85)
    if len(meant) != 1:
        return None
    chosen = spelled[meant[0]]
    return make_fix(
        f"Set passthroughBehavior: {chosen}", "safe", set_value(at.doc, at.tokens, chosen)
    )


@check
def passthrough_on_proxy(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        if not integ.is_proxy:
            continue
        at, value = _passthrough(integ)
        if at is not None and value in ("when_no_templates", "never"):
            yield violation(
                at,
                f"passthroughBehavior {at.value!r} of the {integ.type} "
                f"integration of {method.label} has no effect: proxy "
                "integrations pass every request through. Remove it (or use a "
                "request validator to reject bodies)",
                method.label,
                make_fix("Remove passthroughBehavior", "safe", remove(at.doc, at.tokens)),
            )
        templates = api.dict_child(integ.at, "requestTemplates")
        if templates is not None and templates.value:
            yield violation(
                integ.at.child("requestTemplates") or integ.at,
                f"the {integ.type} integration of {method.label} has requestTemplates, "
                "which proxy integrations ignore; use a non-proxy integration to "
                "transform requests, or remove them",
                method.label,
                make_fix(
                    "Remove requestTemplates", "safe", remove(templates.doc, templates.tokens)
                ),
            )
        streamed = transfer_mode(integ) == "STREAM"
        for pattern, response in api.integration_responses(integ):
            # stream-incompatible-features reports templates on streamed integrations
            for field in ("responseParameters",) + (() if streamed else ("responseTemplates",)):
                found = api.dict_child(response, field)
                if found is not None and found.value:
                    yield violation(
                        response.child(field) or response,
                        f"integration response {pattern!r} of {method.label} has "
                        f"{field}, which {integ.type} integrations ignore (the "
                        "backend's response is returned as is); set headers in the "
                        "backend or use a non-proxy integration",
                        method.label,
                    )


@check
def passthrough_when_no_match(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        if integ.type not in ("aws", "http"):
            continue  # proxies pass everything anyway; mock integrations have no backend
        at, value = _passthrough(integ)
        templates = api.dict_child(integ.at, "requestTemplates")
        if at is None or value != "when_no_match" or templates is None or not templates.value:
            continue
        listed = ", ".join(str(t) for t in templates.value)
        yield violation(
            at,
            f"{method.label} transforms {listed} bodies with templates but uses "
            "passthroughBehavior when_no_match, so a request with any other "
            "Content-Type reaches the backend untransformed; use "
            "when_no_templates (or never) to answer it with 415",
            method.label,
            # Unsafe: requests of other content types get 415 from now on.
            make_fix(
                "Set passthroughBehavior: when_no_templates",
                "unsafe",
                set_value(at.doc, at.tokens, "when_no_templates"),
            ),
        )


# -- HTTP APIs -----------------------------------------------------------------------------------

_HTTP_REQUEST_KEY = lazy(
    r"(append|overwrite|remove):(header|querystring)\.\S+"
    r"|overwrite[:.]path"
)
_HTTP_RESPONSE_KEY = lazy(r"(append|overwrite|remove):header\.\S+|overwrite[:.]statuscode")


@check
def http_parameter_mapping(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for integ, (method, *_) in api.integrations():
        if not integ.is_proxy:
            continue  # HTTP APIs import only proxies: http-integration-type-unsupported
        for key, at, _ in _entries(_request_parameters(api, integ)):
            if has_placeholder(key) or _HTTP_REQUEST_KEY().fullmatch(key):
                continue
            hint = " (that is REST API syntax)" if key.startswith("integration.") else ""
            yield violation(
                at,
                f"request parameter mapping key {key!r} of {method.label} "
                f"is not an HTTP API mapping key{hint}; use append|overwrite|"
                "remove:header.<name>, append|overwrite|remove:querystring."
                "<name> or overwrite:path",
                method.label,
            )
        responses = api.dict_child(integ.at, "responseParameters")
        for status, at, _ in _entries(responses):
            if has_placeholder(status):
                continue
            if not (STATUS().fullmatch(status) and 200 <= int(status) <= 599):
                hint = " (that is REST API syntax)" if status.startswith("method.") else ""
                yield violation(
                    at,
                    f"responseParameters of {method.label} has the key "
                    f"{status!r}{hint}; HTTP APIs key response mappings by the "
                    "integration's status code (200-599), each holding "
                    "append|overwrite|remove:header.<name> or "
                    "overwrite:statuscode entries",
                    method.label,
                )
                continue
            for key, key_at, _ in _entries(api.dict_child(responses, status)):
                if has_placeholder(key) or _HTTP_RESPONSE_KEY().fullmatch(key):
                    continue
                yield violation(
                    key_at,
                    f"response mapping key {key!r} (status {status}) of "
                    f"{method.label} is not an HTTP API mapping key; use "
                    "append|overwrite|remove:header.<name> or overwrite:statuscode",
                    method.label,
                )
