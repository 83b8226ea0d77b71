"""The Lambda proxy events API Gateway sends, built from a request.

REST and HTTP payload 1.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
HTTP payload 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
("Format 2.0 doesn't have multiValueHeaders or multiValueQueryStringParameters fields. Duplicate
headers are combined with commas ... Duplicate query strings are combined with commas";
"All cookie headers in the request are combined with commas and added to the cookies field";
"All header names are lowercase").
"""

from __future__ import annotations

import base64
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from apilint.serve.invoke import ACCOUNT_ID, REGION
from apilint.serve.messages import Request, media_matches
from apilint.serve.routing import Match

API_ID = "apilint000"  # an API id has 10 characters; this one is never deployed
_TEXT_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-www-form-urlencoded",
)


@dataclass
class Call:
    """One request on its way through the gateway."""

    request: Request
    stage: str
    stage_vars: dict[str, str]
    request_id: str
    path: str  # the path below the stage prefix, as sent ("/pets/7")
    binary_types: tuple[str, ...] = ()
    started: float = field(default_factory=time.time)
    match: Match | None = None
    authorizer: dict[str, Any] | None = None  # requestContext.authorizer
    api_key: str | None = None

    @property
    def stage_path(self) -> str:
        """The path with the stage prefix, as the client sent it."""
        return self.request.raw_path

    def method_arn(self) -> str:
        """arn:aws:execute-api:{region}:{account}:{api}/{stage}/{verb}/{path} (authorizer input)."""
        return (
            f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{API_ID}/{self.stage}/"
            f"{self.request.method}/{unquote(self.path).lstrip('/')}"
        )


def _body(call: Call, http_api: bool) -> tuple[str | None, bool]:
    body = call.request.body
    if not body:
        return None, False
    media = call.request.media_type or ""
    if http_api:
        binary = not media.startswith(_TEXT_TYPES) and not media.endswith("+json")
    else:  # REST: only the API's binary media types arrive base64-encoded
        binary = any(media_matches(t, media) for t in call.binary_types)
    if not binary:
        try:
            return body.decode("utf-8"), False
        except UnicodeDecodeError:
            if not http_api:
                return body.decode("utf-8", errors="replace"), False
    return base64.b64encode(body).decode("ascii"), True


def _request_time(call: Call) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(call.started))


def payload_version(config: dict[str, Any], key: str, rest: bool) -> str:
    """The Lambda payload format of an integration or authorizer: always 1.0 on REST APIs; on
    HTTP APIs `key` (payloadFormatVersion, authorizerPayloadFormatVersion), 2.0 by default."""
    return "1.0" if rest else str(config.get(key, "2.0"))


def lambda_event(call: Call, version: str, rest: bool) -> dict[str, Any]:
    """The event of payload format `version` (see payload_version)."""
    if version == "2.0":
        return http_event(call)
    return rest_event(call, None if rest else "1.0")


def _single_and_multi(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """1.0's two views of repeated names: the last value, and all values in order."""
    multi: dict[str, list[str]] = {}
    for k, v in pairs:
        multi.setdefault(k, []).append(v)
    return {k: v[-1] for k, v in multi.items()}, multi


def rest_event(call: Call, version: str | None = None) -> dict[str, Any]:
    """Payload format 1.0 (REST APIs; HTTP APIs with payloadFormatVersion 1.0 add `version`)."""
    req, match = call.request, call.match
    assert match is not None
    headers, multi = _single_and_multi(req.headers)
    query, multi_query = _single_and_multi(req.query)
    body, encoded = _body(call, http_api=version is not None)
    identity: dict[str, Any] = dict.fromkeys(
        (
            "cognitoIdentityPoolId",
            "accountId",
            "cognitoIdentityId",
            "caller",
            "accessKey",
            "cognitoAuthenticationType",
            "cognitoAuthenticationProvider",
            "userArn",
            "user",
        )
    )
    identity.update(
        sourceIp=req.source_ip,
        userAgent=req.header("user-agent"),
        apiKey=call.api_key,
        apiKeyId="apilint-local-key" if call.api_key else None,
    )
    context: dict[str, Any] = {
        "resourceId": format(zlib.crc32(match.resource.encode()) % 10**6, "06d"),
        "resourcePath": match.resource,
        "httpMethod": req.method,
        "extendedRequestId": call.request_id,
        "requestTime": _request_time(call),
        "path": call.stage_path,
        "accountId": ACCOUNT_ID,
        "protocol": req.protocol,
        "stage": call.stage,
        "domainPrefix": "localhost",
        "requestTimeEpoch": int(call.started * 1000),
        "requestId": call.request_id,
        "identity": identity,
        "domainName": req.header("host") or "localhost",
        "apiId": API_ID,
    }
    if call.authorizer is not None:
        context["authorizer"] = call.authorizer
    event = {
        "resource": match.resource,
        "path": unquote(call.path, errors="replace"),
        "httpMethod": req.method,
        "headers": headers or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": match.params or None,
        "stageVariables": call.stage_vars or None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": encoded,
    }
    return {"version": version, **event} if version else event


def http_event(call: Call) -> dict[str, Any]:
    """Payload format 2.0 (HTTP APIs)."""
    req, match = call.request, call.match
    assert match is not None
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for k, v in req.headers:
        if k.lower() == "cookie":
            cookies += [c.strip() for c in v.split(";") if c.strip()]
            continue
        key = k.lower()
        headers[key] = f"{headers[key]},{v}" if key in headers else v
    query: dict[str, str] = {}
    for k, v in req.query:
        query[k] = f"{query[k]},{v}" if k in query else v
    body, encoded = _body(call, http_api=True)
    context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": API_ID,
        "domainName": req.header("host") or "localhost",
        "domainPrefix": "localhost",
        "http": {
            "method": req.method,
            "path": unquote(call.stage_path, errors="replace"),
            "protocol": req.protocol,
            "sourceIp": req.source_ip,
            "userAgent": req.header("user-agent") or "",
        },
        "requestId": call.request_id,
        "routeKey": match.route_key,
        "stage": call.stage,
        "time": _request_time(call),
        "timeEpoch": int(call.started * 1000),
    }
    if call.authorizer is not None:
        context["authorizer"] = call.authorizer
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": match.route_key,
        "rawPath": call.stage_path,
        "rawQueryString": req.raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = context
    if body is not None:
        event["body"] = body
    if match.params:
        event["pathParameters"] = match.params
    event["isBase64Encoded"] = encoded
    if call.stage_vars:
        event["stageVariables"] = call.stage_vars
    return event
