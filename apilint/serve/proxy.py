"""The Lambda proxy response contract: what a handler must return and what the client gets.

1.0 (REST, and HTTP APIs with payloadFormatVersion 1.0): a JSON object with statusCode, headers,
multiValueHeaders, body (a string) and isBase64Encoded; anything else is "Malformed Lambda proxy
response" (https://repost.aws/knowledge-center/malformed-502-api-gateway) and the REST gateway
answers 502. "If you specify values for both headers and multiValueHeaders, API Gateway merges
them ... only the values from multiValueHeaders will appear" (set-up-lambda-proxy-integrations).
2.0: without a statusCode the whole return value is the body, with status 200 and
content-type application/json (https://repost.aws/knowledge-center/api-gateway-status-codes-http-api).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from apilint.serve.messages import Response

_FIELDS_1_0 = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded"}
#: Lambda's limit on a synchronous invocation's response, in the bytes its error names:
#: "Response payload size exceeded maximum allowed payload size (6291556 bytes)", which API
#: Gateway answers with 502 {"message": "Internal server error"}, response type
#: INTEGRATION_FAILURE (access logs in DataBiosphere/azul#8192 and #7466; the Lambda Invoke API
#: reference: "For synchronous invocations, the maximum payload size is 6 MB").
RESPONSE_LIMIT = 6_291_556
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_LINE_BREAK = re.compile(r"[\r\n\0]")


class Malformed(Exception):
    """The handler's return value breaks the proxy response contract."""


def _scalar(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise Malformed(f"{where} must be a string, number or boolean, not {type(value).__name__}")


def _status(value: Any) -> int:
    status = value.get("statusCode")
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise Malformed(f"statusCode must be an integer HTTP status, not {status!r}")
    return status


def _headers(value: Any, multi: bool) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    single = value.get("headers")
    many = value.get("multiValueHeaders") if multi else None
    for name, what in ((single, "headers"), (many, "multiValueHeaders")):
        if name is not None and not isinstance(name, dict):
            raise Malformed(f"{what} must be an object")
    for key, values in (many or {}).items():
        if not isinstance(values, list):
            raise Malformed(f"multiValueHeaders.{key} must be a list")
        headers += [(str(key), _scalar(v, f"multiValueHeaders.{key}")) for v in values]
    taken = {k.lower() for k, _ in headers}
    headers += [
        (str(k), _scalar(v, f"headers.{k}"))
        for k, v in (single or {}).items()
        if str(k).lower() not in taken
    ]
    return headers


def header_problem(name: str, value: str) -> str | None:
    """Why a header cannot be written as it is (None: it can): a line break would split the
    answer into a second header, or a second answer, of the sender's choosing."""
    if not _TOKEN.fullmatch(name):
        return f"header name {name!r} is not an HTTP token"
    if _LINE_BREAK.search(value):
        return f"header {name!r} has a line break or NUL in its value"
    return None


def _sendable(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The handler's headers, or Malformed for one that cannot be sent. What AWS does with such
    a header is not verified; it cannot send it either, and a Lambda response the gateway cannot
    use is answered with 502."""
    for name, value in headers:
        problem = header_problem(name, value)
        if problem:
            raise Malformed(problem)
    return headers


def too_large(value: Any) -> bool:
    """Whether the handler's return value, serialised as Lambda returns it, is over the
    response payload limit."""
    body = value.get("body") if isinstance(value, dict) else value
    if isinstance(body, str) and len(body) > RESPONSE_LIMIT:
        return True  # without serialising 60 MB to find out
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return False  # not JSON: the proxy contract refuses it on its own
    return len(text.encode("utf-8", "surrogatepass")) > RESPONSE_LIMIT


def _payload(value: dict[str, Any], decode: bool) -> bytes:
    body = value.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise Malformed(f"body must be a string, not {type(body).__name__}")
    encoded = value.get("isBase64Encoded", False)
    if not isinstance(encoded, bool):
        raise Malformed("isBase64Encoded must be true or false")
    if encoded and decode:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise Malformed("isBase64Encoded is true but body is not base64") from None
    return body.encode("utf-8", errors="surrogateescape")


def result_1_0(value: Any, decode_binary: bool) -> Response:
    """A 1.0 proxy result; `decode_binary`: the request accepts one of the binary media types
    (REST) or the API is an HTTP API, so an isBase64Encoded body is sent decoded."""
    if not isinstance(value, dict):
        raise Malformed(
            f"the handler returned {type(value).__name__}, not an object with statusCode and body"
        )
    extra = sorted(set(value) - _FIELDS_1_0)
    if extra:
        raise Malformed(
            f"unexpected field(s) {', '.join(map(str, extra))}; only "
            f"{', '.join(sorted(_FIELDS_1_0))} are allowed"
        )
    response = Response(
        _status(value), _sendable(_headers(value, multi=True)), _payload(value, decode_binary)
    )
    # "API Gateway includes a Content-Type header for all integration responses. By default,
    # the content type is application/json." [KI]
    response.set_default("Content-Type", "application/json")
    return response


def result_2_0(value: Any) -> Response:
    if not (isinstance(value, dict) and "statusCode" in value):
        try:
            body = value if isinstance(value, str) else json.dumps(value)
        except (TypeError, ValueError) as exc:
            raise Malformed(f"the return value is not JSON-serialisable ({exc})") from None
        return Response(200, [("Content-Type", "application/json")], body.encode())
    response = Response(_status(value), _headers(value, multi=False), _payload(value, True))
    cookies = value.get("cookies") or []
    if not isinstance(cookies, list):
        raise Malformed("cookies must be a list of strings")
    # "In the response to the client, each cookie becomes a set-cookie header."
    response.headers += [("Set-Cookie", _scalar(c, "cookies")) for c in cookies]
    _sendable(response.headers)
    return response
