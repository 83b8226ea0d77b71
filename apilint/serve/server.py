"""The HTTP side: a stdlib threading server on loopback that reads requests defensively (bounded
body and headers, malformed requests answered, never fatal) and hands them to the Gateway."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qsl

from apilint.common.errors import ApilintError
from apilint.engine.run import load_api
from apilint.model.gateway import Api
from apilint.serve.gateway import Gateway
from apilint.serve.handlers import HandlerSource, load_handlers
from apilint.serve.log import AccessLog
from apilint.serve.messages import Request, Response
from apilint.serve.proxy import header_problem
from apilint.serve.settings import ServeConfig

_VERBS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
# ASCII digits only: int() also takes "²", "١", "-0x1_0" and surrounding blanks.
_LENGTH = re.compile(r"[0-9]{1,18}")
_CHUNK_SIZE = re.compile(rb"[0-9A-Fa-f]{1,15}")


class _TooLarge(Exception):
    pass


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _text(raw: str) -> str:
    """http.server decodes the wire as latin-1; recover UTF-8 where it is UTF-8."""
    return raw.encode("latin-1", errors="replace").decode("utf-8", errors="replace")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: at 50 concurrent clients the kernel dropped
    # connections, which waited for a SYN retransmission (p99 of 2.5-4.3 s, timeouts).
    request_queue_size = 128
    gateway: Gateway  # replaced as a whole by --reload
    log: AccessLog


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "apilint-serve"
    sys_version = ""
    timeout = 15  # a client that stops sending mid-request does not hold a thread forever
    default_request_version = "HTTP/1.1"  # answer garbage with a status line, not HTTP/0.9

    def __getattr__(self, name: str) -> Any:
        # Every verb reaches the gateway, which answers unknown ones as API Gateway does.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own rejections (bad request line, oversized or too many headers) as
        JSON, with the connection closed."""
        self.close_connection = True
        text = message or self.responses.get(code, ("Error",))[0]
        self.server.log.line(f"{self.client_address[0]} rejected: {code} {text}")
        self._send(
            Response(
                code, [("Content-Type", "application/json")], json.dumps({"message": text}).encode()
            )
        )

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        pass  # our own access log has one line per request

    def log_message(self, format: str, *args: Any) -> None:
        self.server.log.line(f"{self.client_address[0]} rejected: {format % args}")

    def _read(self) -> Request:
        config = self.server.gateway.config
        # Header values "total combined size ... 10,240 bytes" (REST and HTTP API quotas).
        if sum(len(v) for v in self.headers.values()) > config.max_header_bytes:
            raise _BadRequest(431, "Request Header Fields Too Large")
        target = "".join(c if ord(c) < 128 else f"%{ord(c):02X}" for c in self.path)
        raw_path, _, raw_query = target.partition("?")
        headers = [(k, _text(v)) for k, v in self.headers.items()]
        request = Request(
            self.command,
            raw_path or "/",
            raw_query,
            parse_qsl(raw_query, keep_blank_values=True, errors="replace"),
            headers,
            b"",
            self.client_address[0],
            self.request_version,
        )
        request.body = self._body(request)
        return request

    def _body(self, request: Request) -> bytes:
        limit = self.server.gateway.config.max_body_bytes
        if "chunked" in (request.header("transfer-encoding") or "").lower():
            return self._chunked(limit)
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b""
        if len(lengths) > 1:  # which one the body follows is how requests are smuggled
            raise _BadRequest(400, "Bad Request: more than one Content-Length")
        if not _LENGTH.fullmatch(lengths[0].strip(" \t")):
            raise _BadRequest(400, "Bad Request: invalid Content-Length")
        length = int(lengths[0])
        if length > limit:
            raise _TooLarge()
        body = self.rfile.read(length)
        if len(body) != length:
            raise _BadRequest(400, "Bad Request: body shorter than Content-Length")
        return body

    def _chunked(self, limit: int) -> bytes:
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            text = line.split(b";")[0].strip(b" \t\r\n")
            # Plain hex only: int(..., 16) takes "-1", and read(-1) reads to the end of the
            # stream, past every limit.
            if not _CHUNK_SIZE.fullmatch(text):
                raise _BadRequest(400, "Bad Request: invalid chunk size")
            size = int(text, 16)
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return bytes(body)
            if len(body) + size > limit:
                raise _TooLarge()
            body += self.rfile.read(size)
            if self.rfile.readline(1024) not in (b"\r\n", b"\n"):
                # More data than the size said: what follows would be read as the next chunk.
                raise _BadRequest(400, "Bad Request: chunk longer than its size")

    def _serve(self) -> None:
        started = time.monotonic()
        try:
            request = self._read()
            response = self.server.gateway.handle(request)
        except _TooLarge:
            response = self.server.gateway.reject(
                Request(self.command, self.path.partition("?")[0], "", [], []), "REQUEST_TOO_LARGE"
            )
            self.close_connection = True  # the body is still on the wire, unread
        except _BadRequest as exc:
            response = Response(
                exc.status,
                [("Content-Type", "application/json")],
                json.dumps({"message": exc.message}).encode(),
                "http",
            )
            self.close_connection = True
        except OSError:  # the client went away or stalled past the timeout
            self.close_connection = True
            return
        # Logged before it is sent: whoever got the answer can already read its line.
        self.server.log.request(
            self.client_address[0],
            self.command,
            _text(self.path),
            response.status,
            response.integration,
            (time.monotonic() - started) * 1000,
            response.note,
        )
        self._send(response)

    def _send(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                if name.lower() in ("content-length", "connection", "transfer-encoding"):
                    continue
                problem = header_problem(name, value)
                if problem:  # from the definition (handlers' are refused earlier): said, dropped
                    self.server.log.line(
                        f"{self.client_address[0]} dropped a response header: {problem}"
                    )
                    continue
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except OSError:
            self.close_connection = True


@dataclass
class Served:
    """A running emulator."""

    url: str  # the base URL of the stage: requests go to f"{url}/pets"
    root: str  # http://HOST:PORT
    server: _Server
    spec: str
    handlers: HandlerSource

    @property
    def gateway(self) -> Gateway:
        return self.server.gateway

    @property
    def files(self) -> list[Path]:
        """What --reload watches: the definition and the handler files."""
        return [Path(self.spec), *self.gateway.handlers.files]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def build_gateway(
    spec_path: str, handlers: HandlerSource, config: ServeConfig, api: Api | None = None
) -> Gateway:
    api = api or load_api(spec_path)
    if config.jwt_keys:
        from apilint.serve.jwt_auth import load_keys

        load_keys(config.jwt_keys)  # a bad key file is a usage error now, not a 500 later
    return Gateway(api, load_handlers(handlers), config)


def start(
    spec_path: str | os.PathLike[str],
    handlers: HandlerSource,
    config: ServeConfig | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    log: TextIO | None = None,
    api: Api | None = None,
) -> Served:
    """Load the definition (unless its model `api` is given) and handlers, bind, and serve in a
    background thread."""
    config = config or ServeConfig()
    spec = os.fspath(spec_path)
    gateway = build_gateway(spec, handlers, config, api)
    server_class = (
        type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
        if ":" in host
        else _Server
    )
    try:
        server = server_class((host, port), _Handler)
    except OSError as exc:
        raise ApilintError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.gateway = gateway
    server.log = AccessLog(log, config.api_keys)
    root = f"http://{_url_host(host)}:{server.server_address[1]}"
    # A short poll interval: close() (shutdown) waits for one.
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.1},
        name="apilint-serve",
        daemon=True,
    )
    thread.start()
    return Served(root + gateway.prefix, root, server, spec, handlers)


@contextmanager
def running(
    spec_path: str | os.PathLike[str],
    handlers: HandlerSource,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    stage: str | None = None,
    api_keys: tuple[str, ...] = (),
    stage_vars: dict[str, str] | None = None,
    jwt_keys: tuple[str, ...] = (),
    max_body_bytes: int | None = None,
    log: TextIO | None = None,
    api: Api | None = None,
) -> Iterator[str]:
    """Serve `spec_path` (or its model `api`, when the caller built it) with `handlers` on
    host:port (0: a free port) while the block runs; yields the stage's base URL
    (`http://127.0.0.1:PORT/prod` for a REST API). Raises ApilintError (one-line message) when
    the definition or handlers cannot be loaded."""
    config = ServeConfig(
        stage=stage,
        api_keys=tuple(api_keys),
        stage_vars=dict(stage_vars or {}),
        jwt_keys=tuple(jwt_keys),
        **({"max_body_bytes": max_body_bytes} if max_body_bytes else {}),
    )
    served = start(spec_path, handlers, config, host=host, port=port, log=log, api=api)
    try:
        yield served.url
    finally:
        served.close()
