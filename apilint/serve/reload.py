"""--reload: rebuild the gateway when the definition or a handler file changes. A definition
that no longer loads keeps the previous one serving, with the reason in the log."""

from __future__ import annotations

import threading
from pathlib import Path

from apilint.common.errors import ApilintError
from apilint.serve.gateway import Gateway
from apilint.serve.server import Served, build_gateway


def _stamps(files: list[Path]) -> dict[Path, int]:
    out = {}
    for f in files:
        try:
            out[f] = f.stat().st_mtime_ns
        except OSError:
            out[f] = -1
    return out


def _rebuild(served: Served) -> Gateway:
    from apilint.serve.sam import TemplateSource, plan

    source = served.handlers
    if not isinstance(source, TemplateSource):
        return build_gateway(served.spec, source, served.gateway.config)
    # A template: translated again, its functions imported afresh.
    target = plan(served.spec, source.overrides, api_id=source.api_id)
    gateway = build_gateway(served.spec, target.handlers or {}, served.gateway.config, target.api)
    if target.handlers is not None:
        served.handlers = target.handlers
    return gateway


def watch(served: Served, stop: threading.Event, interval: float = 0.5) -> threading.Thread:
    def loop() -> None:
        stamps = _stamps(served.files)
        while not stop.wait(interval):
            now = _stamps(served.files)
            if now == stamps:
                continue
            stamps = now
            try:
                gateway = _rebuild(served)
            except ApilintError as exc:
                served.server.log.line(
                    f"reload failed, still serving the previous definition: {exc}"
                )
                continue
            served.server.gateway = gateway
            stamps = _stamps(served.files)
            served.server.log.line(f"reloaded {served.spec}")

    thread = threading.Thread(target=loop, name="apilint-serve-reload", daemon=True)
    thread.start()
    return thread
