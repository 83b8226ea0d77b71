"""`apilint serve`: run a definition as a local API Gateway until Ctrl-C."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass
from typing import TextIO

from apilint.common.errors import ApilintError, LoadError, UsageError


@dataclass(frozen=True, kw_only=True)
class ServeOptions:
    spec: str | None
    handlers: str | None
    host: str = "127.0.0.1"
    port: int = 0
    stage: str | None = None
    api_keys: tuple[str, ...] = ()
    stage_vars: tuple[str, ...] = ()  # NAME=VALUE
    jwt_keys: tuple[str, ...] = ()
    max_body_size: str | None = None
    reload: bool = False
    explain: bool = False
    api_id: str | None = None  # which API of a template (its logical id)


def run_serve(
    options: ServeOptions,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Serve until Ctrl-C (or `stop` is set): 0; 2 when the definition, handlers or options
    are unusable (one line, no traceback)."""
    out = out or sys.stdout
    err = err or sys.stderr
    from apilint.commands.account import parse_stage_vars
    from apilint.common.text import printable
    from apilint.serve import describe
    from apilint.serve.log import mask_key
    from apilint.serve.sam import plan, template_problems
    from apilint.serve.server import build_gateway, start
    from apilint.serve.settings import ServeConfig

    try:
        if options.explain and options.spec is None:
            out.write(describe.general() + "\n")
            return 0
        if options.spec is None:
            raise UsageError("serve needs a definition file (or --explain)")
        if not os.path.exists(options.spec):  # before asking for handlers to serve it with
            raise LoadError("no such file", options.spec)
        target = plan(options.spec, options.handlers, api_id=options.api_id)
        if target.handlers is None and not options.explain:
            raise UsageError(
                "serve needs --handlers DIR|FILE.py|MODULE|MAPPING.json (or a "
                "SAM/CloudFormation template, whose own functions run)"
            )
        kwargs = {}
        if options.max_body_size is not None:
            from apilint.engine.config import parse_size

            try:
                kwargs["max_body_bytes"] = parse_size(options.max_body_size)
            except ValueError as exc:
                raise UsageError(f"--max-body-size: {exc}") from None
        config = ServeConfig(
            stage=options.stage or target.stage,
            api_keys=options.api_keys,
            stage_vars={**target.stage_vars, **dict(parse_stage_vars(list(options.stage_vars)))},
            jwt_keys=options.jwt_keys,
            **kwargs,
        )
        if options.explain:
            gateway = build_gateway(options.spec, target.handlers or {}, config, target.api)
            out.write(describe.general() + "\n\nIn " + options.spec + ":\n")
            out.write(
                "".join(
                    f"  {printable(line)}\n"
                    for line in describe.inventory(gateway, target.handlers is not None)
                )
                or "  every method is served as API Gateway would serve it\n"
            )
            return 0
        served = start(
            options.spec,
            target.handlers or {},
            config,
            host=options.host,
            port=options.port,
            log=err,
            api=target.api,
        )
    except ApilintError as exc:  # template text and handler errors: no terminal escapes
        err.write(f"apilint serve: {printable(str(exc))}\n")
        return 2
    gateway = served.gateway
    label = gateway.api.doc.label  # which API of a template
    what = f"{label} of {options.spec}" if label else options.spec
    out.write(
        f"Listening on {served.root} ({gateway.api.kind.upper()} API {printable(what)}, "
        f"stage {gateway.stage}: {served.url}); Ctrl-C stops\n"
    )
    out.flush()
    for line in describe.inventory(gateway) + template_problems(gateway.handlers):
        err.write(f"note: {printable(line)}\n")
    if config.api_keys:
        err.write(f"API keys: {', '.join(mask_key(k) for k in config.api_keys)}\n")
    stop = stop or threading.Event()
    if options.reload:
        from apilint.serve.reload import watch

        watch(served, stop)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        served.close()
    out.write("apilint serve: stopped\n")
    out.flush()
    return 0
