"""Fuzzing with schemathesis' documented Python API
(docs/dev/contract-facts.md#documented-api): a Hypothesis test per operation over
`APIOperation.as_strategy()`, sent with `Case.call()` and judged with `Case.validate_response()`.
Driving Hypothesis ourselves (not the internal engine) gives a seed that fixes every request, no
shrinking or example database, and a budget that really stops the run: the engine's `max-time`
is a budget that fuzzing fills (docs/dev/contract-facts.md#max-time)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.core.result import Err

from apilint.catalog.contract_checks import CONTRACT_CHECKS, FUZZ_CHECKS, ContractCheck
from apilint.common.errors import LoadError
from apilint.contract.http import BudgetReached, GuardedSession, cut_at
from apilint.contract.normalize import Normalised
from apilint.contract.observe import Observation, answer, reproduce
from apilint.contract.secrets import Credentials, Masker
from apilint.model.gateway import Method

#: Checks about the body and headers: meaningless on an answer API Gateway wrote itself.
_BACKEND_ONLY = {
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
}
_NO_RESPONSE = CONTRACT_CHECKS["contract/no-response"]
_TOO_LARGE = CONTRACT_CHECKS["contract/answer-too-large"]


class _Stop(BaseException):
    """Ends a Hypothesis run at once: Hypothesis reports an Exception as a failing example and
    replays it, while a BaseException passes straight through."""


@dataclass
class FuzzSettings:
    base_url: str
    max_examples: int = 10
    seed: int = 0
    modes: tuple[str, ...] = ("positive",)
    checks: frozenset[str] = frozenset(CONTRACT_CHECKS)  # the selected ids; others are not judged


@dataclass
class FuzzResult:
    notes: list[str] = field(default_factory=list)
    tested: int = 0  # operations fuzzed to the end
    total: int = 0


def fuzz(
    normalised: Normalised,
    fuzz_settings: FuzzSettings,
    session: GuardedSession,
    creds: Credentials,
    sign: Any,
    mask: Masker,
    report: Callable[[Observation], None],
) -> FuzzResult:
    config = schemathesis.Config.from_dict(
        {
            # Explicit, so that a schemathesis.toml lying around cannot change the run.
            "base-url": fuzz_settings.base_url,
            "generation": {"with-security-parameters": False},
        }
    )
    try:
        schema = schemathesis.openapi.from_dict(normalised.spec, config=config)
    except Exception as exc:  # noqa: BLE001 - schemathesis' loader errors have no common base
        raise LoadError(f"schemathesis cannot load the definition: {exc}") from None
    checks = [
        (c, getattr(schemathesis.checks, c.schemathesis))
        for c in FUZZ_CHECKS
        if c.schemathesis and c.id in fuzz_settings.checks
    ]
    result = FuzzResult()
    operations = list(schema.get_all_operations())
    result.total = len(operations)
    try:
        for item in operations:
            if isinstance(item, Err):  # schemathesis could not load it (a dangling $ref, ...)
                result.notes.append(f"not fuzzed: {mask(str(item.err()))}")
                continue
            op = item.ok()
            method = normalised.methods[(op.method.upper(), op.path)]
            missing = creds.missing_for(method, normalised.api)
            if missing is not None:
                note = f"not fuzzed: {method.label} needs {missing}"
                if note not in result.notes:  # once for an ANY method, not per verb
                    result.notes.append(note)
                continue
            for mode in fuzz_settings.modes:
                _run(op, method, mode, fuzz_settings, session, creds, sign, mask, checks, report)
            result.tested += 1
    except _Stop:
        pass
    return result


def _run(
    op: Any,
    method: Method,
    mode: str,
    fs: FuzzSettings,
    session: GuardedSession,
    creds: Credentials,
    sign: Any,
    mask: Masker,
    checks: list[tuple[ContractCheck, Any]],
    report: Callable[[Observation], None],
) -> None:
    headers = creds.request_headers()
    extra = {"auth": sign} if sign is not None and method.auth.requires("iam") else {}
    label = method.label
    sent_as = "" if method.verb == op.method.upper() else f" (sent as {op.method.upper()})"

    @settings(
        max_examples=fs.max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=(Phase.explicit, Phase.generate),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
    )
    @hypothesis_seed(fs.seed)
    @given(case=op.as_strategy(schemathesis.GenerationMode(mode)))
    def test(case: Any) -> None:
        try:
            response = case.call(base_url=fs.base_url, session=session, headers=headers, **extra)
        except BudgetReached:
            raise _Stop() from None
        except requests.RequestException as exc:
            request = getattr(exc, "request", None)
            report(
                Observation(
                    _NO_RESPONSE,
                    label,
                    method.at,
                    f"no answer{sent_as}",
                    _NO_RESPONSE.expected,
                    mask(f"{type(exc).__name__}: {exc}")[:300],
                    reproduce(request, mask) if request is not None else "",
                )
            )
            return
        bound = cut_at(response)
        if bound is not None:  # a cut body would fail every check on its body
            report(
                Observation(
                    _TOO_LARGE,
                    label,
                    method.at,
                    f"the answer was cut after {bound:,} bytes{sent_as}",
                    _TOO_LARGE.expected,
                    answer(response, mask),
                    reproduce(response.request, mask),
                )
            )
            return
        for check, failure in _failures(case, response, checks):
            first = next(
                (line.strip() for line in failure.message.splitlines() if line.strip()), ""
            )
            what = f"{failure.title}{sent_as}" + (f": {first}" if first else "")
            report(
                Observation(
                    check,
                    label,
                    method.at,
                    mask(what)[:300],
                    _expected(check, method),
                    answer(response, mask),
                    reproduce(response.request, mask),
                )
            )

    test()


def _expected(check: ContractCheck, method: Method) -> str:
    text = check.expected
    documented = method.responses.value if method.responses is not None else None
    if check.schemathesis == "status_code_conformance" and isinstance(documented, dict):
        text += f" ({', '.join(map(str, documented))})"
    return text


def _failures(
    case: Any, response: Any, checks: list[tuple[ContractCheck, Any]]
) -> list[tuple[ContractCheck, Failure]]:
    found: list[tuple[ContractCheck, Failure]] = []
    for check, function in checks:
        try:
            case.validate_response(response, checks=[function])
        except FailureGroup as group:
            found.extend((check, f) for f in group.exceptions)
        except Failure as failure:
            found.append((check, failure))
    if response.status_code >= 500:
        # The crash is the finding; an undocumented 500 with an odd body is the same bug.
        return [(c, f) for c, f in found if c.schemathesis == "not_a_server_error"]
    if "x-amzn-errortype" in {k.lower() for k in response.headers}:
        found = [(c, f) for c, f in found if c.schemathesis not in _BACKEND_ONLY]
    if not response.content:
        # No body, nothing to type (a 204 from a Lambda proxy).
        found = [(c, f) for c, f in found if f.code != "ST104"]
    return found
