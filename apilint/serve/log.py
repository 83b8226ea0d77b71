"""The access log: one line per request (method, path, status, integration, latency), details
indented below it. API keys never appear in clear text."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TextIO

from apilint.common.text import printable


def mask_key(key: str) -> str:
    """Enough of a key to tell keys apart, never enough to use one."""
    return "****" + key[-4:] if len(key) >= 12 else "****"


class AccessLog:
    def __init__(self, stream: TextIO | None, secrets: Iterable[str] = ()) -> None:
        self.stream = stream
        self.secrets = sorted((s for s in secrets if s), key=len, reverse=True)
        self._lock = threading.Lock()

    def mask(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, mask_key(secret))
        return text

    def line(self, text: str, detail: str | None = None) -> None:
        if self.stream is None:
            return
        # Request lines are attacker-controlled: no terminal escapes or fake log lines.
        out = self.mask(printable(text))
        if detail:
            out += "".join(
                f"\n    | {self.mask(printable(d))}" for d in detail.rstrip().splitlines()
            )
        with self._lock:
            try:
                self.stream.write(out + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass  # a closed log must not take requests down with it

    def request(
        self,
        client: str,
        method: str,
        target: str,
        status: int,
        integration: str,
        latency_ms: float,
        note: str | None = None,
    ) -> None:
        self.line(f"{client} {method} {target} {status} {integration} {latency_ms:.0f}ms", note)
