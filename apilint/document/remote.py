"""Remote `$ref`s, fetched only with `--allow-remote-refs`: http(s) only, bounded in size and
time, each URL once per run. Without the flag apilint never opens a connection while linting.

The flag exists on the command line only, never in a configuration file: a configuration file
arrives with the pull request being linted, and must not be able to make CI fetch URLs.

The time limit is a total for a URL, redirects included (apilint.common.deadline). Redirects are
followed to http(s) URLs only (urllib would follow one to ftp:, and connect), a few hops at most,
and messages name where they went.
"""

from __future__ import annotations

import hashlib
import http.client
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from apilint.common.deadline import Watchdog
from apilint.common.errors import LoadError
from apilint.common.files import read_at_most

TIMEOUT_SECONDS = 10  # in total for one URL, redirects included
MAX_REDIRECTS = 3
_SCHEMES = ("http", "https")


@dataclass
class Fetched:
    text: str
    url: str  # where the text came from, after redirects: relative refs resolve against it


def _watched(base: type[http.client.HTTPConnection], dog: Watchdog) -> Any:
    """A connection factory for urllib's do_open whose connections the watchdog can cut."""

    class Watched(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()  # bounded by the socket timeout
            # The socket itself: urllib sets `sock` to None once the headers are read.
            dog.watch(self.sock)

    return Watched


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, dog: Watchdog) -> None:
        super().__init__()
        self.dog = dog

    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_watched(http.client.HTTPConnection, self.dog), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, dog: Watchdog) -> None:
        super().__init__()
        self.dog = dog

    def https_open(self, req: urllib.request.Request) -> Any:
        # urllib keeps the handler's SSL context in a private attribute the stubs do not name.
        context = self._context  # type: ignore[attr-defined]
        return self.do_open(_watched(http.client.HTTPSConnection, self.dog), req, context=context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most MAX_REDIRECTS redirects, to http(s) URLs only, and keeps the chain."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.hops: list[str] = []

    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in _SCHEMES:
            raise LoadError(
                f"redirected to {newurl!r}: only http and https redirects are "
                "followed" + self.said(),
                self.url,
            )
        self.hops.append(newurl)
        if len(self.hops) > MAX_REDIRECTS:
            raise LoadError(
                f"more than {MAX_REDIRECTS} redirects ({' -> '.join(self.hops)})", self.url
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)

    def said(self) -> str:
        """`(redirected to ...)` for a message, when there were redirects."""
        return f" (redirected to {' -> '.join(self.hops)})" if self.hops else ""


def _opener(dog: Watchdog, redirects: _Redirects) -> urllib.request.OpenerDirector:
    # Built by hand: build_opener adds the ftp:, file: and data: handlers too.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _HTTP(dog),
        _HTTPS(dog),
        urllib.request.HTTPDefaultErrorHandler(),
        redirects,
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, max_bytes: int) -> Fetched:
    """The text at `url`, or a LoadError naming the URL, where it was redirected and what went
    wrong."""
    if urlsplit(url).scheme.lower() not in _SCHEMES:
        raise LoadError(f"only http and https URLs are fetched, not {urlsplit(url).scheme}:", url)
    request = urllib.request.Request(
        url, headers={"User-Agent": "apilint", "Accept": "application/json, application/yaml, */*"}
    )
    redirects = _Redirects(url)
    with Watchdog(TIMEOUT_SECONDS) as dog:
        try:
            with _opener(dog, redirects).open(request, timeout=TIMEOUT_SECONDS) as answer:
                final = answer.geturl()
                raw = read_at_most(answer, max_bytes + 1)  # one more: over the limit
        except urllib.error.HTTPError as exc:
            raise LoadError(
                f"the server answered {exc.code} {exc.reason}{redirects.said()}", url
            ) from None
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if not dog.fired:
                reason = getattr(exc, "reason", exc)
                raise LoadError(f"cannot fetch: {reason}{redirects.said()}", url) from None
    if dog.fired:  # a cut answer may even look complete
        raise LoadError(
            f"cannot fetch: no complete answer within {TIMEOUT_SECONDS:g} s{redirects.said()}", url
        )
    if len(raw) > max_bytes:
        raise LoadError(
            f"over the {max_bytes:,}-byte limit (--max-file-size raises it){redirects.said()}", url
        )
    try:
        return Fetched(raw.decode("utf-8-sig"), final)
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x}){redirects.said()}", url
        ) from None


def stand_in_path(url: str) -> Path:
    """A path no file has, naming a fetched document where a Path is wanted (keys, caches)."""
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    name = Path(urlsplit(url).path).name or "document"
    return Path(tempfile.gettempdir()) / "apilint-remote" / digest / name
