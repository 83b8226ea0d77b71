"""Credentials for `apilint test`, and the masking that keeps them out of every output.

Masking works on values, not only on header names: a secret quoted in a message, a URL or a
response body is hidden too. Header values under credential-like names (Authorization,
X-Api-Key, Cookie, ...Token, ...Secret) are secrets even when they came from `--header`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apilint.model.gateway import Api, Method

MASK = "***"
_CREDENTIAL_NAME = re.compile(
    r"authorization|api[-_]?key|cookie|token|secret|password|passwd|credential|session|"
    r"signature|x-amz-security-token", re.IGNORECASE)
#: A SigV4 Authorization header: everything after the algorithm names the key and signature.
_SIGV4 = re.compile(r"(AWS4-HMAC-SHA256)\s+\S.*", re.IGNORECASE)
#: Headers requests adds on its own: noise in a reproduction.
_DEFAULT_HEADERS = {"user-agent", "accept-encoding", "connection", "content-length"}
_MIN_SECRET = 4  # shorter values would mask ordinary text


def is_credential_header(name: str) -> bool:
    return _CREDENTIAL_NAME.search(name) is not None


@dataclass
class Credentials:
    api_key: str | None = None
    api_key_header: str = "x-api-key"
    bearer: str | None = None
    headers: dict[str, str] = field(default_factory=dict)  # --header, in order
    sigv4: bool = False

    def secrets(self) -> list[str | None]:
        return [self.api_key, self.bearer,
                *(v for k, v in self.headers.items() if is_credential_header(k))]

    def missing_for(self, method: Method, api: Api) -> str | None:
        """What the method needs that these credentials lack (None: nothing): fuzzing it would
        only collect the gateway's 401/403 answers."""
        names = {n.lower() for n in self.headers}
        kinds = method.auth.kinds
        if "api_key" in kinds and not self.api_key and self.api_key_header.lower() not in names:
            return "an API key (--api-key)"
        identity = {(api.schemes[n].header or "authorization").lower()
                    for n in method.auth.schemes
                    if n in api.schemes and api.schemes[n].kind in ("lambda", "cognito", "jwt")}
        if identity and not self.bearer and not identity & names:
            return "a token for its authorizer (--bearer or --header)"
        if "iam" in kinds and not self.sigv4 and "authorization" not in names:
            return "SigV4 signing (--sigv4)"
        return None

    def request_headers(self, api_key: bool = True, auth: bool = True) -> dict[str, str]:
        """The headers a request carries: everything, or without the API key / the token."""
        out: dict[str, str] = {}
        for name, value in self.headers.items():
            lowered = name.lower()
            if not api_key and lowered == self.api_key_header.lower():
                continue
            if not auth and lowered == "authorization":
                continue
            out[name] = value
        if api_key and self.api_key:
            out[self.api_key_header] = self.api_key
        if auth and self.bearer:
            out["Authorization"] = f"Bearer {self.bearer}"
        return out


class Masker:
    """Replaces every known secret (and SigV4 signatures) in text with ***."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        # Longest first: a secret that contains another is masked whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= _MIN_SECRET}, key=len,
                              reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def header(self, name: str, value: str) -> str:
        if _SIGV4.match(value):
            return _SIGV4.sub(r"\1 " + MASK, value)
        if is_credential_header(name):
            return MASK
        return self(value)


def curl(method: str, url: str, headers: Mapping[str, Any], body: Any, mask: Masker) -> str:
    """A shell-safe `curl` line that repeats the request, secrets masked."""
    parts = ["curl", "-X", method.upper()]
    for name, value in headers.items():
        if name.lower() in _DEFAULT_HEADERS or (name.lower() == "accept" and value == "*/*"):
            continue
        parts += ["-H", f"{name}: {mask.header(name, str(value))}"]
    if body:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        parts += ["--data-binary", mask(text)]
    parts.append(mask(url))
    return " ".join(shlex.quote(p) for p in parts)
