"""Differences of the methods: on one side only, authorization, integration, CORS mappings,
request validation and parameters."""

from __future__ import annotations

from collections.abc import Iterator

from apilint.model.drift import facts
from apilint.model.drift.difference import (
    AUTH_DIFFERS,
    AUTH_WEAKER,
    CORS,
    INTEGRATION,
    NOT_DEPLOYED,
    ONLY_ON_STAGE,
    REDEPLOY,
    REQUEST,
    Difference,
    fields,
)
from apilint.model.gateway import Api, Method


def method_differences(source: Api, stage: Api) -> Iterator[Difference]:
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
            f"{label}: {has} and the definition {'none' if ours is None else 'one'}; {REDEPLOY}",
            label,
        )
    elif ours is not None and deployed is not None:
        changed = fields(ours.fields, deployed.fields)
        if changed:
            rule = CORS if mine.verb == "OPTIONS" else INTEGRATION
            yield Difference(
                rule,
                where,
                f"{label}: the integration differs in {'; '.join(changed)}; {REDEPLOY}",
                label,
            )
        cors = fields(ours.cors, deployed.cors)
        if cors:
            yield Difference(
                CORS,
                where,
                f"{label}: the Access-Control-* headers the integration responses map differ: "
                f"{'; '.join(cors)}; {REDEPLOY}",
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
        f"{_describe(ours)}; {REDEPLOY}",
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
            f"{mine.label}: the request differs: {'; '.join(changes)}; {REDEPLOY}",
            mine.label,
        )


def _presence(required: bool | None) -> str:
    return "absent" if required is None else "required" if required else "optional"


def _flags(validation: tuple[bool, bool]) -> str:
    parameters, body = ("on" if v else "off" for v in validation)
    return f"parameters {parameters}, body {body}"
