"""Credentials for `apilint test`, and the masking that keeps them out of every output.

Masking works on values, not only on header names: a secret quoted in a message, a URL or a
response body is hidden too, in the spellings a server echoes it in (JSON-escaped, base64,
URL-encoded, any case), and so are SigV4 credentials and signatures in free text. Header values
under credential-like names (Authorization, X-Api-Key, Cookie, ...Token, ...Secret) are secrets
even when they came from `--header`.
"""

from __future__ import annotations

import base64
import json
import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus

from apilint.model.gateway import Api, Method

MASK = "***"
_CREDENTIAL_NAME = re.compile(
    r"authorization|api[-_]?key|cookie|token|secret|password|passwd|credential|session|"
    r"signature|x-amz-security-token",
    re.IGNORECASE,
)
#: A SigV4 Authorization header: everything after the algorithm names the key and signature.
_SIGV4 = re.compile(r"(AWS4-HMAC-SHA256)\s+\S.*", re.IGNORECASE)
#: The same in text a server echoed: the access key scope and the signature.
_SIGV4_PARTS = re.compile(r"\b(Credential=)[\w/-]+|\b(Signature=)[0-9a-f]+", re.IGNORECASE)
_SIGV4_REACH = 160  # a credential scope or signature is shorter
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
        return [
            self.api_key,
            self.bearer,
            *(v for k, v in self.headers.items() if is_credential_header(k)),
        ]

    def missing_for(self, method: Method, api: Api) -> str | None:
        """What the method needs that these credentials lack (None: nothing): fuzzing it would
        only collect the gateway's 401/403 answers."""
        names = {n.lower() for n in self.headers}
        kinds = method.auth.kinds
        if "api_key" in kinds and not self.api_key and self.api_key_header.lower() not in names:
            return "an API key (--api-key)"
        identity = {
            (api.schemes[n].header or "authorization").lower()
            for n in method.auth.schemes
            if n in api.schemes and api.schemes[n].kind in ("lambda", "cognito", "jwt")
        }
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


def spellings(secret: str) -> set[str]:
    """How a server may echo `secret`: as is, JSON-escaped (with or without `\\/`), base64
    (standard or URL-safe, padded or not) and URL-encoded. Case is handled by the matcher."""
    raw = secret.encode("utf-8", "surrogatepass")
    found = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
    for ascii_only in (True, False):
        escaped = json.dumps(secret, ensure_ascii=ascii_only)[1:-1]
        found |= {escaped, escaped.replace("/", "\\/")}
    for encoded in (base64.b64encode(raw), base64.urlsafe_b64encode(raw)):
        text = encoded.decode()
        found |= {text, text.rstrip("=")}
    return found


class Masker:
    """Replaces every known secret, in every spelling, and SigV4 credentials and signatures in
    text with ***."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        self.secrets = {s for s in secrets if s and len(s) >= _MIN_SECRET}
        # Longest first: a spelling that contains another is masked whole.
        variants = sorted({v for s in self.secrets for v in spellings(s)}, key=len, reverse=True)
        self._pattern = (
            re.compile("|".join(map(re.escape, variants)), re.IGNORECASE) if variants else None
        )
        #: How far past a position masking can reach: the longest spelling or SigV4 part.
        self.reach = max([_SIGV4_REACH, *map(len, variants)])

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(MASK, text)
        return _SIGV4_PARTS.sub(lambda m: (m.group(1) or m.group(2)) + MASK, text)

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
