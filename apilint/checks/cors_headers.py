"""What REST methods and their preflight return past the preflight itself: a non-proxy method's
response carries Access-Control-Allow-Origin only if its integration response maps it, and the
preflight's Allow-Headers must name every non-safelisted header the methods need (auth headers
follow from the security schemes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, violation
from apilint.document.placeholders import has_placeholder
from apilint.document.refs import At
from apilint.model.cors import ALLOW_ORIGIN, declared_headers, mapped_header
from apilint.model.cors_edits import additions_fix, extend_listed, safety
from apilint.model.gateway import Api, Integration, Method
from apilint.model.mapping import static_value
from apilint.model.preflight import (
    ORIGIN_HEADER,
    api_origin,
    header_additions,
    quoted,
    unmapped_origins,
)
from apilint.model.request_headers import sent_headers

if TYPE_CHECKING:  # fixes are made only when computed (apilint.document.edit)
    from apilint.common.fixes import Fix


def _success_mapping(api: Api, integ: Integration, header: str) -> tuple[At, Any] | None:
    """(position, value) of `method.response.header.<header>` in a 2xx integration response."""
    for _, response in api.integration_responses(integ):
        if not str(response.value.get("statusCode", "")).startswith("2"):
            continue
        params = api.dict_child(response, "responseParameters")
        if params is None:
            continue
        for key, value in params.value.items():
            if mapped_header(key) == header:
                return params.child(key) or params, value
    return None


@check
def cors_method_origin_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for resource in api.resources.values():
        if "OPTIONS" not in resource.methods:
            continue  # only resources that are set up for CORS
        for method, response in unmapped_origins(api, resource):
            status = str(response.value.get("statusCode", ""))
            if ALLOW_ORIGIN in declared_headers(api, method, status):
                why, fix = (
                    "declares Access-Control-Allow-Origin but its integration response "
                    "never maps it, so it is never sent",
                    "",
                )
            else:
                why, fix = (
                    "neither declares nor maps Access-Control-Allow-Origin",
                    f" and declare the header in its {status} response",
                )
            yield violation(
                response.child("statusCode") or response,
                f"{method.label} answers {status} and {why}; browsers hide the "
                f"response from the page although {resource.path} answers the CORS "
                "preflight. Map method.response.header.Access-Control-Allow-Origin "
                f"(e.g. \"'https://app.example.com'\") in that integration "
                f"response{fix}",
                method.label,
                _map_origin(api, method, response),
            )


def _map_origin(api: Api, method: Method, response: At) -> Fix | None:
    """Map (and declare) the origin the API already returns; unsafe when it must be invented."""
    origin = api_origin(api)
    additions = header_additions(api, method, response, {ORIGIN_HEADER: quoted(origin.value)})
    if additions is None:
        return None
    title = f"Map Access-Control-Allow-Origin {origin.value!r} on {method.label}"
    return additions_fix(title, safety(origin), additions)


@check
def cors_allow_headers_incomplete(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for resource in api.resources.values():
        preflight = resource.methods.get("OPTIONS")
        integ = preflight.integration if preflight else None
        if preflight is None or integ is None or integ.is_proxy:
            continue
        site = _success_mapping(api, integ, "access-control-allow-headers")
        allowed = static_value(site[1]) if site else None
        if site is None or allowed is None or has_placeholder(allowed):
            continue  # absent (cors-preflight-incomplete) or echoed from the request
        listed = {h.strip().lower() for h in allowed.split(",") if h.strip()}
        missing: dict[str, str] = {}
        for method in resource.methods.values():
            if method.verb == "OPTIONS":
                continue
            for header, why in sent_headers(api, method):
                key = header.lower()
                # '*' allows any header but Authorization (Fetch: CORS non-wildcard header name)
                covered = key in listed or ("*" in listed and key != "authorization")
                if not covered and key not in (m.lower() for m in missing):
                    missing[header] = f"{method.label}: {why}"
        if missing:
            detail = "; ".join(f"{h} ({why})" for h, why in missing.items())
            note = " ('*' never covers Authorization)" if "*" in listed else ""
            yield violation(
                site[0],
                f"the CORS preflight {preflight.label} allows headers "
                f"{allowed!r}{note} but browsers will ask for {detail}; the "
                "preflight fails and the call is blocked. Add "
                f"{', '.join(missing)} to Access-Control-Allow-Headers",
                preflight.label,
                extend_listed(site[0], allowed, list(missing)),
            )
