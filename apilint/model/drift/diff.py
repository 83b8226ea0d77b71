"""Compare the gateway model of a definition with that of a stage's export: what differs, by
operation, at the definition's node where there is one (the export's, for what only the stage
has). Each difference names the rule (rules/drift-*.yaml) that reports it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from apilint.document.refs import At
from apilint.model.drift import facts
from apilint.model.drift.values import ANY, same, shown
from apilint.model.gateway import Api, Method

NOT_DEPLOYED = "drift-not-deployed"
ONLY_ON_STAGE = "drift-only-on-stage"
AUTH_WEAKER = "drift-auth-weaker"
AUTH_DIFFERS = "drift-auth-differs"
INTEGRATION = "drift-integration-differs"
CORS = "drift-cors-differs"
REQUEST = "drift-request-validation-differs"
AUTHORIZER = "drift-authorizer-differs"
GATEWAY_RESPONSE = "drift-gateway-response-differs"
SETTINGS = "drift-api-settings-differs"
#: Every rule a difference may name (one check each, apilint/checks/drift.py).
RULES = (
    NOT_DEPLOYED,
    ONLY_ON_STAGE,
    AUTH_WEAKER,
    AUTH_DIFFERS,
    INTEGRATION,
    CORS,
    REQUEST,
    AUTHORIZER,
    GATEWAY_RESPONSE,
    SETTINGS,
)

_REDEPLOY = "deploy the definition, or write what the stage runs into it if the change is meant"


@dataclass(frozen=True)
class Difference:
    rule: str
    at: At
    message: str
    operation: str | None = None


def compare(source: Api, stage: Api) -> list[Difference]:
    return [
        *_methods(source, stage),
        *_authorizers(source, stage),
        *_gateway_responses(source, stage),
        *_settings(source, stage),
        *_http_cors(source, stage),
    ]


def _fields(source: dict[str, Any], stage: dict[str, Any]) -> list[str]:
    """`name (stage value on the stage, definition value in the definition)` per field that
    differs; maps are compared key by key (`responses.default.statusCode`), so the message
    names the value that changed."""
    out: list[str] = []
    _field_diff("", source, stage, out)
    return out


def _field_diff(name: str, source: Any, stage: Any, out: list[str]) -> None:
    if source is ANY:
        return
    if isinstance(source, dict) and isinstance(stage, dict):
        for key in sorted(set(source) | set(stage)):
            _field_diff(f"{name}.{key}" if name else key, source.get(key), stage.get(key), out)
    elif not same(source, stage):
        out.append(f"{name} ({shown(stage)} on the stage, {shown(source)} in the definition)")


def _methods(source: Api, stage: Api) -> Iterator[Difference]:
    deployed = {m.label: m for m in stage.methods}
    for method in source.methods:
        other = deployed.pop(method.label, None)
        if other is not None:
            yield from _method(source, stage, method, other)
            continue
        yield _missing(
            method,
            NOT_DEPLOYED,
            "is in the definition but not on the stage: deploy the definition (a change merged "
            "but never deployed), or remove the method if it was taken down on purpose",
        )
    for method in deployed.values():
        yield _missing(
            method,
            ONLY_ON_STAGE,
            "runs on the stage but is not in the definition (added by hand, e.g. in the "
            "console): add it to the definition, or delete it from the API and redeploy",
        )


def _missing(method: Method, rule: str, what: str) -> Difference:
    """A method only one side has (an OPTIONS method is CORS)."""
    rule = CORS if method.verb == "OPTIONS" else rule
    return Difference(rule, method.at, f"{method.label} {what}", method.label)


def _method(source: Api, stage: Api, mine: Method, theirs: Method) -> Iterator[Difference]:
    label = mine.label
    yield from _auth(source, stage, mine, theirs)
    ours, deployed = facts.integration(source, mine), facts.integration(stage, theirs)
    where = mine.integration.at if mine.integration is not None else mine.at
    if (ours is None) != (deployed is None):
        has = "the stage has an integration" if ours is None else "the stage has no integration"
        rule = CORS if mine.verb == "OPTIONS" else INTEGRATION
        yield Difference(
            rule,
            where,
            f"{label}: {has} and the definition {'none' if ours is None else 'one'}; {_REDEPLOY}",
            label,
        )
    elif ours is not None and deployed is not None:
        changed = _fields(ours.fields, deployed.fields)
        if changed:
            rule = CORS if mine.verb == "OPTIONS" else INTEGRATION
            yield Difference(
                rule,
                where,
                f"{label}: the integration differs in {'; '.join(changed)}; {_REDEPLOY}",
                label,
            )
        cors = _fields(ours.cors, deployed.cors)
        if cors:
            yield Difference(
                CORS,
                where,
                f"{label}: the Access-Control-* headers the integration responses map differ: "
                f"{'; '.join(cors)}; {_REDEPLOY}",
                label,
            )
    yield from _request(source, stage, mine, theirs)


def _auth(source: Api, stage: Api, mine: Method, theirs: Method) -> Iterator[Difference]:
    ours, deployed = facts.grants(source, mine), facts.grants(stage, theirs)
    if ours == deployed:
        return
    where = mine.auth.at if mine.auth.at is not None else mine.at
    lost = facts.protections(ours) - facts.protections(deployed)
    narrowed = _scopes_dropped(ours, deployed)
    if lost or narrowed:
        what = " and ".join(sorted(lost)) if lost else f"the scopes {', '.join(narrowed)}"
        yield Difference(
            AUTH_WEAKER,
            where,
            f"{mine.label}: the stage does not require {what}, which the definition requires "
            f"(the stage {_describe(deployed)}; the definition {_describe(ours)}): restore "
            "the method's authorization on the stage now (redeploy the definition)",
            mine.label,
        )
        return
    yield Difference(
        AUTH_DIFFERS,
        where,
        f"{mine.label}: the stage {_describe(deployed)}, the definition "
        f"{_describe(ours)}; {_REDEPLOY}",
        mine.label,
    )


def _scopes_dropped(ours: frozenset[facts.Grant], deployed: frozenset[facts.Grant]) -> list[str]:
    """Scopes the definition requires of an authorizer that the stage's method lets go."""
    stage_scopes = {(g.kind, g.who): set(g.scopes) for g in deployed}
    dropped: list[str] = []
    for grant in ours:
        kept = stage_scopes.get((grant.kind, grant.who))
        if kept is not None and grant.scopes and not set(grant.scopes) <= kept:
            dropped += sorted(set(grant.scopes) - kept)
    return dropped


def _describe(found: frozenset[facts.Grant]) -> str:
    if not found:
        return "lets anyone call it"
    parts = []
    for g in sorted(found):
        what = {
            "iam": "IAM (SigV4)",
            "api_key": "an API key",
            "lambda": f"the Lambda authorizer {g.who!r}",
            "cognito": f"the Cognito authorizer {g.who!r}",
            "jwt": f"the JWT authorizer {g.who!r}",
        }.get(g.kind, f"the scheme {g.who!r}")
        parts.append(what + (f" with scopes {', '.join(g.scopes)}" if g.scopes else ""))
    return "requires " + " and ".join(parts)


def _request(source: Api, stage: Api, mine: Method, theirs: Method) -> Iterator[Difference]:
    changes = []
    ours, deployed = source.request_validation(mine), stage.request_validation(theirs)
    if ours != deployed:
        changes.append(
            f"request validation ({_flags(deployed)} on the stage; {_flags(ours)} in the "
            "definition)"
        )
    params, staged = facts.parameters(source, mine), facts.parameters(stage, theirs)
    for name in sorted(set(params) | set(staged)):
        if params.get(name) != staged.get(name):
            changes.append(
                f"parameter {name} is {_presence(staged.get(name))} on the stage, "
                f"{_presence(params.get(name))} in the definition"
            )
    if changes:
        yield Difference(
            REQUEST,
            mine.at,
            f"{mine.label}: the request differs: {'; '.join(changes)}; {_REDEPLOY}",
            mine.label,
        )


def _presence(required: bool | None) -> str:
    return "absent" if required is None else "required" if required else "optional"


def _flags(validation: tuple[bool, bool]) -> str:
    parameters, body = ("on" if v else "off" for v in validation)
    return f"parameters {parameters}, body {body}"


def _keyed(
    rule: str,
    what: str,
    ours: dict[str, tuple[At, dict[str, Any]]],
    theirs: dict[str, tuple[At, dict[str, Any]]],
) -> Iterator[Difference]:
    """Differences between two tables of named things (authorizers, gateway responses)."""
    for name, (at, value) in ours.items():
        other = theirs.get(name)
        if other is None:
            yield Difference(
                rule, at, f"{what} {name!r} is in the definition but not on the stage; {_REDEPLOY}"
            )
            continue
        changed = _fields(value, other[1])
        if changed:
            yield Difference(
                rule, at, f"{what} {name!r} differs in {'; '.join(changed)}; {_REDEPLOY}"
            )
    for name, (at, _) in theirs.items():
        if name not in ours:
            yield Difference(
                rule, at, f"{what} {name!r} is on the stage but not in the definition; {_REDEPLOY}"
            )


def _authorizers(source: Api, stage: Api) -> Iterator[Difference]:
    yield from _keyed(
        AUTHORIZER, "the authorizer", facts.authorizers(source), facts.authorizers(stage)
    )


def _gateway_responses(source: Api, stage: Api) -> Iterator[Difference]:
    yield from _keyed(
        GATEWAY_RESPONSE,
        "the gateway response",
        facts.gateway_responses(source),
        facts.gateway_responses(stage),
    )


def _settings(source: Api, stage: Api) -> Iterator[Difference]:
    theirs = facts.settings(stage)
    for name, (at, value) in facts.settings(source).items():
        staged_at, staged = theirs[name]
        if not same(value, staged):
            where = at or staged_at or source.root
            what = (
                _statements(value, staged)
                if name == facts.POLICY
                else f"{shown(staged)} on the stage, {shown(value)} in the definition"
            )
            yield Difference(SETTINGS, where, f"{name} differs ({what}); {_REDEPLOY}")


def _statements(ours: Any, theirs: Any) -> str:
    """Which policy statements only one side has."""
    mine = set(ours) if isinstance(ours, list) else set()
    staged = set(theirs) if isinstance(theirs, list) else set()
    parts = []
    for where, only in (("on the stage", staged - mine), ("in the definition", mine - staged)):
        if only:
            parts.append(f"only {where}: {shown(min(only), 120)}")
    return "; ".join(parts) or f"{shown(theirs)} on the stage, {shown(ours)} in the definition"


def _http_cors(source: Api, stage: Api) -> Iterator[Difference]:
    at, ours = facts.http_cors(source)
    staged_at, theirs = facts.http_cors(stage)
    if ours is None and theirs is None:
        return
    where = at or staged_at or source.root
    if ours is None or theirs is None:
        has = (
            "the stage configures CORS and the definition does not"
            if ours is None
            else ("the definition configures CORS and the stage does not")
        )
        yield Difference(CORS, where, f"x-amazon-apigateway-cors: {has}; {_REDEPLOY}")
        return
    changed = _fields(ours, theirs)
    if changed:
        yield Difference(
            CORS, where, f"x-amazon-apigateway-cors differs in {'; '.join(changed)}; {_REDEPLOY}"
        )
