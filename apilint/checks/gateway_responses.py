"""What API Gateway answers by itself, without an integration.

REST APIs: `x-amazon-apigateway-gateway-responses` customises the errors the gateway generates
(authorizer 401/403, missing API key, throttling 429, validation 400, integration 5xx). They never
pass through a method response, so CORS headers must be set on them separately, and their
templates get plain `$context`/`$stageVariables` substitution, not VTL.

HTTP APIs: `x-amazon-apigateway-cors` makes the gateway answer preflight requests itself and add
the CORS headers to every response; AWS validates its fields like the ApiGatewayV2 `Cors` shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, violation
from apilint.common.regex import lazy
from apilint.common.text import close_matches
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.model.cors import cors_evidence, http_cors
from apilint.model.cors_edits import additions_fix, safety
from apilint.model.gateway import GATEWAY_RESPONSES, Api
from apilint.model.mapping import STATUS, static_value, variable
from apilint.model.preflight import allow_origin_additions, allow_origin_gaps, api_origin
from apilint.model.wording import cors_key, cors_setting, say

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix

#: botocore apigateway GatewayResponseType.
RESPONSE_TYPES = (
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "RESOURCE_NOT_FOUND",
    "UNAUTHORIZED",
    "INVALID_API_KEY",
    "ACCESS_DENIED",
    "AUTHORIZER_FAILURE",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "INVALID_SIGNATURE",
    "EXPIRED_TOKEN",
    "MISSING_AUTHENTICATION_TOKEN",
    "INTEGRATION_FAILURE",
    "INTEGRATION_TIMEOUT",
    "API_CONFIGURATION_ERROR",
    "UNSUPPORTED_MEDIA_TYPE",
    "BAD_REQUEST_PARAMETERS",
    "BAD_REQUEST_BODY",
    "REQUEST_TOO_LARGE",
    "THROTTLED",
    "QUOTA_EXCEEDED",
    "WAF_FILTERED",
)
_QUOTES = "'\"\u2018\u2019"
_PARAM_KEY = lazy(r"gatewayresponse\.(header|path|querystring)\.[^\s.:'\"][^\s:'\"]*")
#: `method.input.params.X` is the form AWS's own gateway-response OpenAPI example uses
#: (set-up-gateway-responses-in-swagger): an error for it would fail AWS's documentation.
_PARAM_SOURCE = lazy(
    r"method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.\S+"
    r"|method\.input\.params\.\S+"
    rf"|method\.request\.body(\.\S+)?|{variable('rest')}"
)
#: VTL directives and the VTL-only references ($input, $util) that gateway templates never evaluate.
_VTL = lazy(
    r"#\{?(set|if|elseif|else|end|foreach|break|stop|define|macro|parse|include|"
    r"evaluate)\b|\$!?\{?(input|util)\."
)


def _container(api: Api) -> At | None:
    return api.dict_child(api.root, GATEWAY_RESPONSES)


@check
def gateway_response_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    container = _container(api)
    if container is None:
        return
    for key in container.value:
        if key in RESPONSE_TYPES or has_placeholder(key):
            continue
        name = str(key)
        close = [t for t in RESPONSE_TYPES if t == name.upper().replace("-", "_")] or close_matches(
            name.upper(), RESPONSE_TYPES, n=1, cutoff=0.6
        )
        hint = f"Did you mean {close[0]}? " if close else ""
        yield violation(
            container.child(key) or container,
            f"gateway response type {name!r} does not exist, so API Gateway rejects "
            f"or skips the entry. {hint}Use one of the GatewayResponseType values "
            "(DEFAULT_4XX, DEFAULT_5XX, UNAUTHORIZED, ACCESS_DENIED, THROTTLED, ...)",
        )


@check
def gateway_response_413(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for key, site, _ in api.gateway_responses():
        if key == "REQUEST_TOO_LARGE":
            yield violation(
                site,
                "API Gateway does not support customising the REQUEST_TOO_LARGE "
                "(413) gateway response: it still returns the default one, "
                "without these headers or templates; remove the entry (and do "
                "not rely on it for CORS headers on 413)",
            )


@check
def gateway_response_vtl(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for key, _, response in api.gateway_responses():
        templates = api.dict_child(response, "responseTemplates")
        if templates is None:
            continue
        for media, template in templates.value.items():
            m = _VTL().search(template) if isinstance(template, str) else None
            if m is not None:
                yield violation(
                    templates.child(media) or templates,
                    f"the {key} gateway response template for {media} uses "
                    f"{m.group(0).rstrip('.')!r}, but gateway response templates are "
                    "not processed by the VTL engine: only $context and "
                    "$stageVariables references are substituted, the rest is sent "
                    "verbatim. Use a static body with $context variables",
                )


@check
def gateway_response_status_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for key, _, response in api.gateway_responses():
        site = response.child("statusCode")
        if site is None or has_placeholder(site.value) or isinstance(site.value, (dict, list)):
            continue
        code = site.value
        if isinstance(code, bool) or not STATUS().fullmatch(str(code).strip()):
            yield violation(
                site,
                f"the {key} gateway response has statusCode {code!r}, which is "
                "not an HTTP status API Gateway accepts (three digits, 100-599); "
                'the import is rejected. Use e.g. "401"',
            )


@check
def gateway_response_param_unquoted_or_invalid(
    api: Api, options: dict[str, Any]
) -> Iterator[Violation]:
    for key, _, response in api.gateway_responses():
        params = api.dict_child(response, "responseParameters")
        if params is None:
            continue
        for name, value in params.value.items():
            site = params.child(name) or params
            if not has_placeholder(name) and not _PARAM_KEY().fullmatch(str(name)):
                yield violation(
                    site,
                    f"the {key} gateway response maps {name!r}, but keys must be "
                    "gatewayresponse.header.<name> (or .path/.querystring); "
                    "API Gateway rejects it with 'Invalid mapping expression'. "
                    f"Write gatewayresponse.header.{_header_part(str(name))}",
                )
            elif isinstance(value, (bool, int, float)) or (
                isinstance(value, str) and not has_placeholder(value) and not _valid_source(value)
            ):
                text = str(value).lower() if isinstance(value, bool) else str(value)
                fix = (
                    "a gateway response has no integration response to map from"
                    if text.strip().startswith("integration.")
                    else f"quote a static value: \"'{text.strip(_QUOTES)}'\""
                )
                yield violation(
                    site,
                    f"the {key} gateway response sets {name} to {value!r}, which "
                    "is neither a static value in single quotes nor "
                    "method.request.*, stageVariables.* or context.*; API "
                    "Gateway rejects it with 'Invalid mapping expression' "
                    f"({fix})",
                )


def _valid_source(value: str) -> bool:
    text = value.strip()
    return static_value(text) is not None or _PARAM_SOURCE().fullmatch(text) is not None


def _header_part(name: str) -> str:
    for prefix in ("method.response.header.", "integration.response.header.", "header."):
        if name.lower().startswith(prefix):
            return name[len(prefix) :]
    return name.rsplit(".", 1)[-1]


@check
def cors_gateway_responses_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    evidence = cors_evidence(api)
    if evidence is None:
        return
    gaps = allow_origin_gaps(api)
    missing = list(gaps)
    at = next((site for site, _ in gaps.values() if site is not None), None)
    if not missing:
        return
    at = at or api.root.child(GATEWAY_RESPONSES) or api.root
    verb = "sets" if len(missing) == 1 else "set"
    yield violation(
        at,
        f"CORS is in use ({evidence}) but {' and '.join(missing)} {verb} no "
        "gatewayresponse.header.Access-Control-Allow-Origin, so errors API "
        f"Gateway generates itself ({_generated_errors(api)}) reach the browser "
        "without CORS headers and the page sees an opaque CORS failure instead "
        f"of the status; {say(api, 'map-gateway-header', types=' and '.join(missing))}",
        fix=_map_allow_origin(api),
    )


def _map_allow_origin(api: Api) -> Fix | None:
    """The API's own origin on DEFAULT_4XX/DEFAULT_5XX (unsafe when it has to be invented)."""
    origin = api_origin(api)
    return additions_fix(
        f"Map Access-Control-Allow-Origin {origin.value!r} on the default gateway responses",
        safety(origin),
        allow_origin_additions(api, origin),
    )


def _generated_errors(api: Api) -> str:
    """The errors the gateway itself can answer this API's callers with, for the message: an
    API whose methods require no authorizer, API key or IAM never answers 401/403 for them."""
    if any(method.auth.kinds for method in api.methods):
        return "authorizer 401/403, missing API key, 429 throttling, 5xx"
    return "429 throttling, 5xx integration failures and timeouts"


# -- HTTP APIs: x-amazon-apigateway-cors ----------------------------------------------------

_CORS_LISTS = ("allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders")
_CORS_KEYS = _CORS_LISTS + ("allowCredentials", "maxAge")


@check
def http_cors_credentials_wildcard(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    cors = http_cors(api)
    origins = api.ws.resolve(cors.child("allowOrigins")) if cors else None
    if (
        cors is None
        or cors.value.get("allowCredentials") is not True
        or origins is None
        or not isinstance(origins.value, list)
    ):
        return
    for i, origin in enumerate(origins.value):
        if isinstance(origin, str) and origin.strip() == "*":
            yield violation(
                origins.child(i) or origins,
                f"{say(api, 'http-cors')} sets {cors_setting(api, 'allowCredentials', 'true')} "
                f"with {say(api, 'cors:allowOrigins')} '*'; API Gateway rejects this "
                "('allow-credentials is "
                "not supported if allow-origin is *') and browsers never accept "
                "credentials for '*'. "
                "List the allowed origins explicitly",
            )


@check
def http_cors_config_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    cors = http_cors(api)
    if cors is None:
        return
    for key in _CORS_LISTS:
        site = api.ws.resolve(cors.child(key))
        if site is None or has_placeholder(site.value):
            continue
        if not isinstance(site.value, list):
            yield violation(
                site,
                f"{cors_key(api, key)} is {_kind(site.value)}, but it "
                f"must be a list of strings; write {cors_setting(api, key, '[...]')}",
            )
            continue
        for i, item in enumerate(site.value):
            if not isinstance(item, str) or (key == "allowMethods" and not 1 <= len(item) <= 64):
                yield violation(
                    site.child(i) or site,
                    f"{cors_key(api, key)} entry {item!r} is not "
                    + (
                        "a method name of 1 to 64 characters"
                        if key == "allowMethods" and isinstance(item, str)
                        else "a string"
                    )
                    + "; API Gateway rejects the CORS configuration",
                )
    credentials = cors.child("allowCredentials")
    if (
        credentials is not None
        and not isinstance(credentials.value, bool)
        and not has_placeholder(credentials.value)
        and str(credentials.value).lower() not in ("true", "false")
    ):
        yield violation(
            credentials,
            f"{cors_key(api, 'allowCredentials')} is "
            f"{credentials.value!r}; it must be true or false",
        )
    age = cors.child("maxAge")
    if age is not None and not has_placeholder(age.value):
        value = age.value
        number = (
            int(value)
            if isinstance(value, int) and not isinstance(value, bool)
            else int(value)
            if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip())
            else None
        )
        if number is None or not -1 <= number <= 86400:
            yield violation(
                age,
                f"{cors_key(api, 'maxAge')} is {value!r}; API Gateway "
                "accepts an integer number of seconds from -1 to 86400 and "
                "rejects anything else",
            )


def _kind(value: Any) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    return {dict: "an object", bool: "a boolean"}.get(type(value), f"{value!r}")


_ORIGIN = lazy(r"(https?|[a-z][a-z0-9+.-]*)://[^/\s]+")


@check
def http_cors_config_ineffective(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    cors = http_cors(api)
    if cors is None:
        return
    for key in cors.value:
        if key not in _CORS_KEYS and not str(key).startswith("x-"):
            close = [k for k in _CORS_KEYS if k.lower() == str(key).lower()] or close_matches(
                str(key), _CORS_KEYS, n=1, cutoff=0.6
            )
            hint = f"; did you mean {close[0]}?" if close else ""
            yield violation(
                cors.child(key) or cors,
                f"{say(api, 'http-cors')} has no field {key!r}, so API Gateway does "
                f"not apply it{hint}",
            )
    origins = api.ws.resolve(cors.child("allowOrigins"))
    if origins is None or not isinstance(origins.value, list):
        return
    for i, origin in enumerate(origins.value):
        if not isinstance(origin, str) or has_placeholder(origin) or origin.strip() == "*":
            continue
        if not _ORIGIN().fullmatch(origin.strip()):
            yield violation(
                origins.child(i) or origins,
                f"{say(api, 'cors:allowOrigins')} entry {origin!r} is not an origin "
                "(scheme://host[:port], no path or trailing slash); a browser's "
                "Origin header never equals it, so no CORS headers are returned for "
                "that site. Write e.g. "
                f"{_as_origin(origin)!r}",
            )


def _as_origin(value: str) -> str:
    text = value.strip()
    if "://" not in text:
        text = "https://" + text
    scheme, _, rest = text.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"
