"""The HTTP request and response as the emulated gateway sees them: already read off the wire,
independent of the server that carries them."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote


def media_matches(pattern: str, media: str) -> bool:
    """A binary media type pattern (`image/png`, `image/*`, `*/*`) against a media type."""
    if pattern in ("*/*", media):
        return True
    return pattern.endswith("/*") and media.startswith(pattern[:-1])


def segments(raw_path: str) -> list[str]:
    """Decoded path segments; empty ones (`//`, a trailing `/`) are dropped. Split before
    decoding, so an encoded slash (%2F) stays inside its segment."""
    return [unquote(s, errors="replace") for s in raw_path.split("/") if s]


@dataclass
class Request:
    method: str
    raw_path: str  # as sent, still percent-encoded, without the query string
    raw_query: str
    query: list[tuple[str, str]]  # decoded, in order ("REST APIs decode URL-encoded request
    #                              parameters before passing them to backend integrations" [KI])
    headers: list[tuple[str, str]]  # in order, names as sent
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"

    def header(self, name: str) -> str | None:
        """The last value of a header (names compare case-insensitively), or None."""
        values = self.header_values(name)
        return values[-1] if values else None

    def header_values(self, name: str) -> list[str]:
        low = name.lower()
        return [v for k, v in self.headers if k.lower() == low]

    def query_values(self, name: str) -> list[str]:
        return [v for k, v in self.query if k == name]

    def query_value(self, name: str) -> str | None:
        """The last value of a query parameter, or None."""
        values = self.query_values(name)
        return values[-1] if values else None

    @property
    def media_type(self) -> str | None:
        """The Content-Type without parameters, lower case."""
        value = self.header("content-type")
        return value.split(";")[0].strip().lower() or None if value else None

    @property
    def accept(self) -> str:
        """The first media type of Accept, as sent ("API Gateway only honors the first Accept
        media type" [KI]); "" without one."""
        return (self.header("accept") or "").split(",")[0].split(";")[0].strip()


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    #: What answered, for the access log: "lambda:listOrders", "mock", "gateway:UNAUTHORIZED".
    integration: str = "-"
    #: Detail for the log only (a handler's traceback, why a response was malformed).
    note: str | None = None

    def header(self, name: str) -> str | None:
        low = name.lower()
        return next((v for k, v in reversed(self.headers) if k.lower() == low), None)

    def set_default(self, name: str, value: str) -> None:
        if self.header(name) is None:
            self.headers.append((name, value))
