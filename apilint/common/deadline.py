"""A total time limit for one HTTP exchange. A socket timeout bounds each read only: a server
that sends a byte every few seconds, in the headers or the body, is never cut off by it. The
watchdog shuts down the exchange's connections when the time is up, so a blocked read ends at
once; whoever reads then checks `fired` (a cut answer may even look complete)."""

from __future__ import annotations

import socket
import threading
from typing import Any


class Watchdog:
    """`with Watchdog(seconds) as dog:` and `dog.watch(conn)` for every connection used: a
    socket, or a urllib3 connection (connected lazily: its `sock` is read when the time is up).
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._conns: list[Any] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, conn: Any) -> None:
        with self._lock:
            self._conns.append(conn)
            if self.fired:
                _cut(conn)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for conn in self._conns:
                _cut(conn)


def _cut(conn: Any) -> None:
    sock = conn if isinstance(conn, socket.socket) else getattr(conn, "sock", None)
    if sock is None:
        return
    try:
        # socket.socket's own shutdown: SSLSocket's would tear down TLS state that the reading
        # thread is using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass
