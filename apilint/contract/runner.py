"""One contract run: load the definition, fuzz it against the base URL, probe the gateway, and
return the findings as a FileResult (so every lint format renders them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from urllib.parse import urlsplit

import requests

from apilint.catalog.contract_checks import CONTRACT_CHECKS
from apilint.common.errors import UsageError
from apilint.common.findings import FileResult, Finding
from apilint.common.text import printable
from apilint.contract.http import Budget, BudgetReached, GuardedSession
from apilint.contract.normalize import normalise
from apilint.contract.observe import Observation, merge
from apilint.contract.secrets import Credentials, Masker
from apilint.engine.run import Settings, load_api, outline, span_of
from apilint.model.gateway import Api


@dataclass
class ContractOptions:
    spec: str  # the definition file (a template holding one API works too)
    base_url: str  # the stage URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/prod
    creds: Credentials = field(default_factory=Credentials)
    max_examples: int = 10  # generated requests per operation (and mode)
    seed: int = 0
    max_time: float | None = None  # wall-clock cap for the whole run, seconds
    request_timeout: float = 10.0
    rate_limit: float | None = None  # requests per second
    modes: tuple[str, ...] = ("positive",)
    fuzz: bool = True
    probes: bool = True
    region: str | None = None  # for --sigv4; default from the URL or botocore
    api_type: str | None = None  # "rest" | "http" | None (detect)
    api: Api | None = None  # the definition's model when the caller built it already
    checks: frozenset[str] = frozenset(
        CONTRACT_CHECKS
    )  # the check ids to run (--select / --ignore)
    #: Said before each curl line: what to start first when the URL was the emulator's.
    reproduce_after: str | None = None


@dataclass
class ContractRun:
    result: FileResult
    requests: int = 0
    budget_reached: bool = False
    fuzzed: int = 0  # operations fuzzed to the end
    operations: int = 0
    probes_done: bool = False
    notes: list[str] = field(default_factory=list)


def run_contract(options: ContractOptions) -> ContractRun:
    """Contract-test `options.base_url` against `options.spec`. Raises ApilintError (UsageError,
    LoadError) for what the user must fix; every string in the result has secrets masked."""
    base_url = _base_url(options.base_url)
    api = options.api or load_api(options.spec, Settings(api_type=options.api_type))
    normalised = normalise(api)  # before any request: a definition it refuses sends nothing
    sign = None
    if options.creds.sigv4:
        from apilint.contract.sigv4 import SigV4, region_of

        sign = SigV4(region_of(base_url, options.region))
    mask = Masker(options.creds.secrets() + (sign.secrets() if sign is not None else []))
    budget = Budget(options.max_time, options.request_timeout)
    session = GuardedSession(base_url, budget, options.rate_limit)
    run = ContractRun(FileResult(api.doc.path, api_kind=api.kind, outline=outline(api)))
    found: list[Observation] = []
    merged = partial(merge, found)  # fuzzing and probes alike: one observation per check+operation

    def report(observation: Observation) -> None:
        if observation.check.id in options.checks:
            merged(observation)

    fuzzing = options.fuzz and any(CONTRACT_CHECKS[c].schemathesis for c in options.checks)
    try:
        _reachable(session, base_url, mask)
        if fuzzing:
            from apilint.contract.fuzz import FuzzSettings, fuzz

            outcome = fuzz(
                normalised,
                FuzzSettings(
                    base_url, options.max_examples, options.seed, options.modes, options.checks
                ),
                session,
                options.creds,
                sign,
                mask,
                report,
            )
            run.fuzzed, run.operations = outcome.tested, outcome.total
            run.notes.extend(outcome.notes)
        if options.probes and not budget.reached:
            from apilint.contract.probes import Probe, run_probes

            run_probes(
                Probe(api, session, base_url, options.creds, sign, mask, options.seed),
                report,
                options.checks,
            )
            run.probes_done = True
    except BudgetReached:
        pass
    finally:
        session.close()
    run.budget_reached = budget.reached
    run.requests = session.sent
    run.result.findings = [_finding(api, o, mask, options.reproduce_after) for o in found]
    run.result.findings.sort(key=Finding.sort_key)
    return run


def _base_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-url {url!r}: expected http(s)://host[/stage]")
    if parts.query or parts.fragment:
        raise UsageError(f"--base-url {url!r}: a base URL has no query or fragment")
    return url.rstrip("/")


def _reachable(session: GuardedSession, base_url: str, mask: Masker) -> None:
    """One request to the stage root, so that a wrong URL is one clear error, not a finding on
    every operation."""
    try:
        session.request("GET", base_url + "/")
    except (requests.ConnectionError, requests.Timeout) as exc:
        if session.budget.reached:
            raise BudgetReached() from None
        reason = (
            exc.__class__.__name__ if isinstance(exc, requests.Timeout) else "connection failed"
        )
        raise UsageError(mask(f"cannot reach {base_url} ({reason}); check --base-url")) from None


def _finding(api: Api, o: Observation, mask: Masker, after: str | None) -> Finding:
    doc = o.at.doc if o.at is not None else api.doc
    tokens = o.at.tokens if o.at is not None else ()
    span = span_of(doc, tokens)
    times = f" ({o.count} requests)" if o.count > 1 else ""
    message = f"{o.operation}: {o.what}{times}; expected {o.expected}; got {o.got}"
    if o.curl:
        message += f"; reproduce ({after}): {o.curl}" if after else f"; reproduce: {o.curl}"
    # printable: the failure text of a check may quote the server's answer too.
    return Finding(
        o.check.id,
        o.check.name,
        o.check.severity,
        printable(mask(message)),
        doc.path,
        doc.pointer(tokens),
        span,
        o.operation,
    )
