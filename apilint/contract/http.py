"""How `apilint test` talks to the API: only to the base URL, no redirects, paced, and within
the run's wall-clock budget (a hanging answer costs at most the time that is left).

The time limit of a request is a total, headers and body included (apilint.common.deadline: urllib3's
timeout bounds each socket read only), and bodies are read here, up to a bound."""

from __future__ import annotations

import http.client
import io
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from apilint import __version__
from apilint.common.deadline import Watchdog

#: schemathesis tags each request with a random id; dropping it keeps seeded runs identical.
_CASE_ID_HEADER = "X-Schemathesis-TestCaseId"
#: API Gateway's payload quota (REST and HTTP APIs, not adjustable; docs/dev/gateway-facts.md#quotas):
#: a longer answer cannot come through a buffered stage, and reading it whole costs memory.
MAX_ANSWER_BYTES = 10 * 1024 * 1024
#: Set on the request whose answer was cut (the value: the bound); schemathesis wraps the response
#: in its own type but keeps the request.
CUT = "apilint_cut_at"
_CHUNK = 64 * 1024
#: RFC 9110 §9.2.2: a client may send an idempotent request again when the connection closed
#: before any answer came (a kept-alive connection the server had just dropped).
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
_CLOSED_UNANSWERED = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)
_current = threading.local()  # the watchdog of the request this thread is sending


class BudgetReached(Exception):
    """The run's wall-clock budget is spent."""


class OffTarget(Exception):
    """A request would have left the base URL (a bug: never sent)."""


@dataclass
class Budget:
    max_time: float | None  # seconds for the whole run; None = unbounded
    request_timeout: float
    started: float = field(default_factory=time.monotonic)
    reached: bool = False

    def remaining(self) -> float | None:
        if self.max_time is None:
            return None
        return self.max_time - (time.monotonic() - self.started)

    def timeout(self) -> float:
        """The timeout for the next request; BudgetReached if no time is left."""
        left = self.remaining()
        if left is not None and left <= 0.05:
            self.reached = True
            raise BudgetReached()
        return self.request_timeout if left is None else min(self.request_timeout, left)


class _Watched:
    """A connection pool that tells the thread's watchdog which connection a request uses."""

    def _make_request(self, conn: Any, *args: Any, **kwargs: Any) -> Any:
        dog = getattr(_current, "watchdog", None)
        if dog is not None:
            dog.watch(conn)
        return super()._make_request(conn, *args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPPool(_Watched, HTTPConnectionPool):
    pass


class _WatchedHTTPSPool(_Watched, HTTPSConnectionPool):
    pass


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPPool,
            "https": _WatchedHTTPSPool,
        }


class _Spent:
    """`response.raw` once the body is read: the headers and version schemathesis looks at, and
    the body once more for a reader of raw (schemathesis reads event streams so)."""

    def __init__(self, raw: Any, body: bytes) -> None:
        self._raw = raw
        self._body = io.BytesIO(body)

    def read(self, amt: int | None = None, *args: Any, **kwargs: Any) -> bytes:
        return self._body.read(amt)

    def read1(self, amt: int = -1, *args: Any, **kwargs: Any) -> bytes:
        return self._body.read1(amt)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class GuardedSession(requests.Session):
    """A session that sends only under `base_url`, never follows redirects, and keeps to
    `rate` requests per second; each answer within its time and read up to `max_answer` bytes."""

    def __init__(
        self,
        base_url: str,
        budget: Budget,
        rate: float | None = None,
        max_answer: int = MAX_ANSWER_BYTES,
    ) -> None:
        super().__init__()
        for prefix in ("http://", "https://"):
            self.mount(prefix, _Adapter())
        self.max_answer = max_answer
        parts = urlsplit(base_url)
        self.origin = (parts.scheme.lower(), parts.netloc.lower())
        self.prefix = parts.path.rstrip("/")
        self.budget = budget
        self.interval = 1.0 / rate if rate else 0.0
        self.last = 0.0
        self.sent = 0
        self.headers["User-Agent"] = f"apilint/{__version__}"

    def request(
        self, method: str, url: str | bytes, *args: Any, **kwargs: Any
    ) -> requests.Response:
        # Dropped before the request is prepared, so that a SigV4 signature does not cover it.
        headers = kwargs.get("headers")
        if headers:
            kwargs["headers"] = {
                k: v for k, v in headers.items() if k.lower() != _CASE_ID_HEADER.lower()
            }
        return super().request(method, url, *args, **kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        # Every request passes here (Session.request too): the one place for target, pace,
        # timeout and redirects.
        parts = urlsplit(request.url or "")
        if (parts.scheme.lower(), parts.netloc.lower()) != self.origin or not (
            parts.path == self.prefix or parts.path.startswith(self.prefix + "/")
        ):
            raise OffTarget(f"refused to send to {request.url}: outside the base URL")
        self._pace()
        timeout = self.budget.timeout()
        kwargs.update(timeout=timeout, allow_redirects=False, stream=True)
        self.sent += 1
        with Watchdog(timeout) as dog:
            _current.watchdog = dog
            try:
                response = self._send_once_more_if_dropped(request, dog, **kwargs)
                self._read(response)
            except requests.RequestException:
                if not dog.fired:
                    raise
                response = None
            finally:
                _current.watchdog = None
        # No response means the watchdog fired; an answer it cut may even look complete.
        if dog.fired or response is None:
            if response is not None:
                response.close()
            left = self.budget.remaining()
            if left is not None and left <= 0.05:
                self.budget.reached = True
                raise BudgetReached()
            raise requests.ReadTimeout(f"no complete answer within {timeout:g} s", request=request)
        return response

    def _send_once_more_if_dropped(
        self, request: requests.PreparedRequest, dog: Watchdog, **kwargs: Any
    ) -> requests.Response:
        try:
            return super().send(request, **kwargs)
        except requests.ConnectionError as exc:
            if dog.fired or request.method not in _IDEMPOTENT or not _closed_unanswered(exc):
                raise
        return super().send(request, **kwargs)  # on a new connection, within the same time

    def _read(self, response: requests.Response) -> None:
        """The body, up to max_answer bytes (decoded: a gzip bomb is cut too)."""
        body = bytearray()
        for chunk in response.iter_content(_CHUNK):
            body += chunk
            if len(body) > self.max_answer:
                del body[self.max_answer :]
                setattr(response.request, CUT, self.max_answer)
                response.raw.close()  # the rest stays unread: the connection cannot be reused
                break
        response._content = bytes(body)
        response._content_consumed = True
        response.close()  # returns a fully read connection to the pool
        response.raw = _Spent(response.raw, response._content)

    def _pace(self) -> None:
        if self.interval:
            wait = self.last + self.interval - time.monotonic()
            left = self.budget.remaining()
            if wait > 0:
                if left is not None and wait >= left:
                    self.budget.reached = True
                    raise BudgetReached()
                time.sleep(wait)
            self.last = time.monotonic()


def _closed_unanswered(exc: BaseException) -> bool:
    """The connection closed before any byte of an answer (requests and urllib3 wrap the
    socket's error in their own, as an argument)."""
    seen: list[object] = [exc]
    while seen:
        item = seen.pop()
        if isinstance(item, _CLOSED_UNANSWERED):
            return True
        if isinstance(item, BaseException):
            seen.extend(item.args)
            seen.extend(e for e in (item.__cause__,) if e is not None)
    return False


def cut_at(response: Any) -> int | None:
    """The bound an answer was cut at (None: read whole)."""
    return getattr(getattr(response, "request", None), CUT, None)


def parse_rate(text: str | None) -> float | None:
    """`10/s`, `100/m`, `2/h` or a bare number of requests per second."""
    if not text:
        return None
    count, _, unit = text.partition("/")
    per = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}.get(unit.strip().lower())
    try:
        value = float(count)
    except ValueError:
        value = -1.0
    if per is None or value <= 0:
        raise ValueError(f"--rate-limit {text!r}: expected N/s, N/m or N/h")
    return value / per
