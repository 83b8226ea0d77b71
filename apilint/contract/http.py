"""How `apilint test` talks to the API: only to the base URL, no redirects, paced, and within
the run's wall-clock budget (a hanging answer costs at most the time that is left)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from apilint import __version__

#: schemathesis tags each request with a random id; dropping it keeps seeded runs identical.
_CASE_ID_HEADER = "X-Schemathesis-TestCaseId"


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


class GuardedSession(requests.Session):
    """A session that sends only under `base_url`, never follows redirects, and keeps to
    `rate` requests per second."""

    def __init__(self, base_url: str, budget: Budget, rate: float | None = None) -> None:
        super().__init__()
        parts = urlsplit(base_url)
        self.origin = (parts.scheme.lower(), parts.netloc.lower())
        self.prefix = parts.path.rstrip("/")
        self.budget = budget
        self.interval = 1.0 / rate if rate else 0.0
        self.last = 0.0
        self.sent = 0
        self.headers["User-Agent"] = f"apilint/{__version__}"

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any
                ) -> requests.Response:
        # Dropped before the request is prepared, so that a SigV4 signature does not cover it.
        headers = kwargs.get("headers")
        if headers:
            kwargs["headers"] = {k: v for k, v in headers.items()
                                 if k.lower() != _CASE_ID_HEADER.lower()}
        return super().request(method, url, *args, **kwargs)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        # Every request passes here (Session.request too): the one place for target, pace,
        # timeout and redirects.
        parts = urlsplit(request.url or "")
        if ((parts.scheme.lower(), parts.netloc.lower()) != self.origin
                or not (parts.path == self.prefix or parts.path.startswith(self.prefix + "/"))):
            raise OffTarget(f"refused to send to {request.url}: outside the base URL")
        self._pace()
        kwargs["timeout"] = self.budget.timeout()
        kwargs["allow_redirects"] = False
        self.sent += 1
        return super().send(request, **kwargs)

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
