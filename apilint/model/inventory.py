"""What an AWS account says about Lambda functions, as plain data: which functions, versions
and aliases exist and what their resource policies allow. Filled by live look-ups
(`apilint.aws.lookups`) or from saved AWS CLI output (`--lambda-inventory`); the checks only
read it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from apilint.model.lambdas import HOLE, FunctionRef

APIGATEWAY = "apigateway.amazonaws.com"
_INVOKE_ACTIONS = {"lambda:invokefunction", "lambda:*", "*"}


@dataclass(frozen=True)
class Answer:
    """The account's answer about one function reference."""

    state: str  # "found" | "missing" | "unverified"
    detail: str = ""  # what is missing, or why it could not be verified
    #: The resource policy's statements; None when unknown (not looked up, not in the inventory).
    statements: tuple[dict[str, Any], ...] | None = None
    policy_error: str | None = None  # why the resource policy could not be read


@dataclass
class FunctionInfo:
    name: str
    region: str
    account: str | None
    qualifiers: set[str] | None = None  # versions and aliases; None = not listed
    policies: dict[str | None, tuple[dict[str, Any], ...]] = field(default_factory=dict)


@dataclass
class Inventory:
    """Functions by (region, name), and answers of live look-ups by FunctionRef.key."""

    functions: dict[tuple[str, str], FunctionInfo] = field(default_factory=dict)
    answers: dict[tuple[str | None, str, str | None], Answer] = field(default_factory=dict)
    #: Whether a function without a policy here has none (live look-ups, or an inventory file
    #: with get-policy outputs) rather than an unknown one.
    policies_known: bool = False
    #: The same for versions and aliases (list-aliases output names no function when empty).
    qualifiers_known: bool = False
    default_region: str | None = None
    source: str = "the inventory"

    def answer(self, ref: FunctionRef) -> Answer:
        region = ref.region or self.default_region
        direct = self.answers.get((region, ref.name, ref.qualifier))
        if direct is not None:
            return direct
        regions = {r for r, _ in self.functions}
        if region is not None and regions and region not in regions:
            return Answer(
                "unverified", f"{self.source} covers {', '.join(sorted(regions))}, not {region}"
            )
        found = [
            f
            for (r, n), f in sorted(self.functions.items())
            if n == ref.name and (region is None or r == region)
        ]
        if not found:
            where = f" in {region}" if region else ""
            return Answer(
                "missing", f"function {ref.name!r} does not exist{where} (per {self.source})"
            )
        info = found[0]
        if ref.account and info.account and ref.account != info.account:
            return Answer(
                "unverified",
                f"it is in account {ref.account}, {self.source} describes account {info.account}",
            )
        qualifier = ref.qualifier
        if qualifier not in (None, "$LATEST"):
            if info.qualifiers is None and not self.qualifiers_known:
                return Answer(
                    "unverified",
                    f"{self.source} lists no versions or aliases of "
                    f"{ref.name!r} (add `aws lambda list-aliases` and "
                    "`list-versions-by-function` output)",
                )
            if qualifier not in (info.qualifiers or ()):
                kind = "version" if qualifier.isdigit() else "alias"
                return Answer(
                    "missing",
                    f"function {ref.name!r} has no {kind} {qualifier!r} (per {self.source})",
                )
        statements = info.policies.get(qualifier)
        if statements is None and self.policies_known:
            statements = ()
        return Answer("found", statements=statements)


def policy_statements(policy: Any) -> tuple[dict[str, Any], ...]:
    """The statements of a resource policy given as Lambda returns it (a JSON string)."""
    doc = json.loads(policy) if isinstance(policy, str) else policy
    statements = doc.get("Statement", ()) if isinstance(doc, dict) else ()
    if isinstance(statements, dict):
        statements = [statements]
    return tuple(s for s in statements if isinstance(s, dict))


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _glob(pattern: str) -> re.Pattern[str]:
    # ArnLike/StringLike: '*' any run of characters, '?' one character, case-sensitive.
    return re.compile(
        "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern) + r"\Z",
        re.S,
    )


def _fill(candidate: str, pattern: str) -> str:
    """Put the pattern's own text into the candidate's holes: where the API id, stage
    or authorizer id is unknown, any value the policy names may be the right one."""
    if HOLE not in candidate:
        return candidate
    c_head, _, c_tail = candidate.partition("/")
    p_head, _, p_tail = pattern.partition("/")
    c_fields, p_fields = c_head.split(":"), p_head.split(":")
    fields = [_take(c, p_fields[i] if i < len(p_fields) else "") for i, c in enumerate(c_fields)]
    c_segs, p_segs = c_tail.split("/"), p_tail.split("/")
    segs = [_take(c, p_segs[i] if i < len(p_segs) else "") for i, c in enumerate(c_segs)]
    return ":".join(fields) + "/" + "/".join(segs)


def _take(own: str, theirs: str) -> str:
    return theirs.replace("*", "").replace("?", "x") if own == HOLE else own


def _matches(condition_values: Any, candidate: str) -> bool:
    return any(
        isinstance(v, str) and _glob(v).match(_fill(candidate, v))
        for v in _values(condition_values)
    )


def _condition_holds(condition: Any, source_arn: str, account: str | None) -> bool:
    """Whether the statement's conditions can hold for this invocation; conditions we cannot
    judge count as holding (a finding must never rest on a guess)."""
    if not isinstance(condition, dict):
        return True
    for operator, pairs in condition.items():
        if not isinstance(pairs, dict):
            continue
        op = str(operator).lower()
        for key, values in pairs.items():
            k = str(key).lower()
            if k == "aws:sourcearn" and op in (
                "arnlike",
                "arnequals",
                "stringlike",
                "stringequals",
            ):
                if not _matches(values, source_arn):
                    return False
            elif k == "aws:sourceaccount" and op in ("stringequals", "stringlike") and account:
                if not _matches(values, account):
                    return False
    return True


def _principal_is_apigateway(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        services = [str(s).lower() for s in _values(principal.get("Service", []))]
        return APIGATEWAY in services or "*" in _values(principal.get("AWS", []))
    return False


def _invokes(statement: Mapping[str, Any]) -> bool:
    return any(str(a).lower() in _INVOKE_ACTIONS for a in _values(statement.get("Action", [])))


def allows(statements: Iterable[Mapping[str, Any]], source_arn: str, account: str | None) -> bool:
    """Whether the policy lets API Gateway invoke the function for `source_arn` (holes '\\0'
    stand for unknown ids); an explicit Deny wins over any Allow."""
    allowed = False
    for st in statements:
        if not (_principal_is_apigateway(st.get("Principal")) and _invokes(st)):
            continue
        if not _condition_holds(st.get("Condition"), source_arn, account):
            continue
        effect = str(st.get("Effect", "Allow")).lower()
        if effect == "deny":
            return False
        allowed = allowed or effect == "allow"
    return allowed


@dataclass(frozen=True)
class Deployment:
    """Where the definition runs: the API id and stage (for source ARNs and stage variables),
    region and account. Unknown parts stay None and are never guessed."""

    api_id: str | None = None
    stage: str | None = None
    stage_vars: Mapping[str, str] | None = None
    region: str | None = None
    account: str | None = None
    partition: str = "aws"

    def source_arn(self, resource: str, region: str | None) -> str:
        """The execute-api ARN of `resource` (see lambdas.source_arns), holes for unknown parts."""
        if self.stage is not None and resource.startswith(HOLE + "/"):
            resource = self.stage + resource[1:]
        fields = (
            self.partition,
            "execute-api",
            region or self.region or HOLE,
            self.account or HOLE,
        )
        return f"arn:{':'.join(fields)}:{self.api_id or HOLE}/{resource}"
