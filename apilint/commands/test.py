"""`apilint test`: contract-test a deployed API against its definition; report like lint and
pick the exit code like lint (0 clean, 1 findings at or above --fail-on, 2 cannot run)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from apilint.common.errors import ApilintError, UsageError, warn

if TYPE_CHECKING:
    from apilint.catalog.registry import ApiKind
    from apilint.contract.runner import ContractRun
    from apilint.contract.secrets import Credentials
    from apilint.model.gateway import Api

NEEDS_SCHEMATHESIS = "apilint: apilint test needs schemathesis: pip install 'apilint[contract]'\n"


@dataclass(frozen=True, kw_only=True)
class TestOptions:
    """What `apilint test` was asked for; built with keywords (20-odd positional arguments
    invite a silent swap)."""

    spec: str
    base_url: str
    formats: Sequence[str] = ("text",)
    api_key: str | None = None
    bearer: str | None = None
    headers: Sequence[str] = ()
    sigv4: bool = False
    region: str | None = None
    seed: int = 0
    max_examples: int = 10
    max_time: float | None = None
    request_timeout: float = 10.0
    rate_limit: str | None = None
    mode: str = "positive"
    fuzz: bool = True
    probes: bool = True
    lint: bool = False
    fail_on: str = "warning"  # every contract finding fails the run
    api_type: ApiKind | None = None
    quiet: bool = False
    colour: bool = False
    #: --serve: run the definition in the local emulator (with these handlers, or a template's
    #: own functions) and test that.
    serve: bool = False
    serve_handlers: str | None = None
    stage: str | None = None
    stage_vars: tuple[tuple[str, str], ...] = ()
    api_id: str | None = None  # --api: which API of a template to serve
    select: tuple[str, ...] = ()  # check ids, names or prefixes (`probe/`); default: every check
    ignore: tuple[str, ...] = ()


def run_test(options: TestOptions) -> int:
    if importlib.util.find_spec("schemathesis") is None:
        sys.stderr.write(NEEDS_SCHEMATHESIS)
        return 2
    from apilint.commands.lint import outputs_of, report

    try:
        outputs = outputs_of(options.formats)
        from apilint.catalog.contract_checks import selected

        selected(options.select, options.ignore)  # an unknown id stops here, before any request
        if options.lint:
            code = _lint_first(options, outputs)
            if code is not None:
                return code
        run = _run(options)
    except ApilintError as exc:
        warn(f"apilint: {exc}" if exc.file else f"apilint: {exc.message}")
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not end in a traceback
        sys.stderr.write(f"apilint: internal error ({type(exc).__name__}); please report it\n")
        return 2
    return report(
        [run.result],
        [options.fail_on],
        outputs,
        options.quiet,
        options.colour,
        _summary(run, options),
    )


def _run(options: TestOptions) -> ContractRun:
    from apilint.catalog.contract_checks import selected
    from apilint.contract.http import parse_rate
    from apilint.contract.runner import ContractOptions, run_contract

    try:
        rate = parse_rate(options.rate_limit)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if options.mode not in ("positive", "negative", "all"):
        raise UsageError(f"--mode {options.mode!r}: expected positive, negative or all")
    modes = ("positive", "negative") if options.mode == "all" else (options.mode,)
    creds = credentials(options)
    checks = selected(options.select, options.ignore)

    def contract(base_url: str, api: Api | None = None, after: str | None = None) -> ContractRun:
        return run_contract(
            ContractOptions(
                options.spec,
                base_url,
                creds,
                options.max_examples,
                options.seed,
                options.max_time,
                options.request_timeout,
                rate,
                modes,
                options.fuzz,
                options.probes,
                options.region,
                options.api_type,
                api,
                checks,
                after,
            )
        )

    if not options.serve and options.serve_handlers is None:
        return contract(options.base_url)
    from apilint.engine.run import Settings
    from apilint.serve import running
    from apilint.serve.sam import plan

    # One model for the emulator and the contract run. The emulator accepts the key the test
    # sends, as a deployed stage with a usage plan would; its access log stays quiet so the
    # report is the contract findings.
    target = plan(
        options.spec, options.serve_handlers, Settings(api_type=options.api_type), options.api_id
    )
    if target.handlers is None:
        raise UsageError(
            "--serve needs --handlers (or a SAM/CloudFormation template, whose own functions run)"
        )
    keys = (creds.api_key,) if creds.api_key else ()
    with running(
        options.spec,
        target.handlers,
        stage=options.stage or target.stage,
        api_keys=keys,
        stage_vars={**target.stage_vars, **dict(options.stage_vars)},
        log=None,
        api=target.api,
    ) as base_url:
        return contract(base_url, target.api, _serve_first(options, base_url))


def _serve_first(options: TestOptions, base_url: str) -> str:
    """What a reader of a curl line must start first: the emulator this run served on a port
    that closed with the run, on that same port, so the curl line works as printed."""
    import shlex
    from urllib.parse import urlsplit

    words = ["apilint", "serve", options.spec]
    if options.serve_handlers is not None:  # a template runs its own functions without
        words += ["--handlers", options.serve_handlers]
    if options.api_id is not None:
        words += ["--api", options.api_id]
    words += ["--port", str(urlsplit(base_url).port)]
    if options.stage:
        words += ["--stage", options.stage]
    for name, value in options.stage_vars:
        words += ["--stage-var", f"{name}={value}"]
    line = " ".join(shlex.quote(w) for w in words)
    if options.api_key:
        line += " --api-key KEY"  # the key this run sent, masked in the curl line too
    return f"start `{line}` first"


def credentials(options: TestOptions) -> Credentials:
    from apilint.contract.secrets import Credentials

    headers: dict[str, str] = {}
    for raw in options.headers:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n"):
            raise UsageError(f"--header {name.strip()!r}...: expected 'Name: value'")
        headers[name.strip()] = value.strip()
    # APILINT_API_KEY / APILINT_BEARER_TOKEN arrive through the options' envvar (cli.test).
    return Credentials(
        api_key=options.api_key or None,
        bearer=options.bearer or None,
        headers=headers,
        sigv4=options.sigv4,
    )


def _lint_first(options: TestOptions, outputs: list[tuple[str, str | None]]) -> int | None:
    """Lint the definition; with errors, report them (not the test) and return the exit code."""
    from apilint.commands.lint import Options, exit_code, lint, report

    results, _ = lint(Options(paths=(options.spec,), api_type=options.api_type))
    thresholds = ["error"] * len(results)
    if exit_code(results, thresholds) == 0:
        return None
    return report(
        results,
        thresholds,
        outputs,
        options.quiet,
        options.colour,
        ["apilint: the definition has lint errors; fix them before testing"],
    )


def _summary(run: ContractRun, options: TestOptions) -> list[str]:
    """The notes for stderr: what was not fuzzed, and how far the run got."""
    notes = [f"apilint: note: {note}" for note in run.notes]
    probes = "gateway probes run" if run.probes_done else "gateway probes not run"
    if run.budget_reached:
        notes.append(
            f"apilint: time budget reached (--max-time {options.max_time:g}): stopped "
            f"after {run.requests} requests; {run.fuzzed} of {run.operations} "
            f"operations fuzzed, {probes}"
        )
    elif not options.quiet:
        notes.append(
            f"apilint: {run.requests} requests; {run.fuzzed} of {run.operations} "
            f"operations fuzzed (seed {options.seed}); {probes}"
        )
    return notes
