"""Compare the gateway model of a definition with that of a stage's export: what differs, by
operation, at the definition's node where there is one (the export's, for what only the stage
has). Each difference names the rule (rules/drift-*.yaml) that reports it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from apilint.document.refs import At
from apilint.model.drift import api_facts
from apilint.model.drift.difference import (
    AUTHORIZER,
    CORS,
    GATEWAY_RESPONSE,
    REDEPLOY,
    SETTINGS,
    Difference,
    fields,
)
from apilint.model.drift.methods import method_differences
from apilint.model.drift.values import same, shown
from apilint.model.gateway import Api


def compare(source: Api, stage: Api) -> list[Difference]:
    return [
        *method_differences(source, stage),
        *_authorizers(source, stage),
        *_gateway_responses(source, stage),
        *_settings(source, stage),
        *_http_cors(source, stage),
    ]


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
                rule, at, f"{what} {name!r} is in the definition but not on the stage; {REDEPLOY}"
            )
            continue
        changed = fields(value, other[1])
        if changed:
            yield Difference(
                rule, at, f"{what} {name!r} differs in {'; '.join(changed)}; {REDEPLOY}"
            )
    for name, (at, _) in theirs.items():
        if name not in ours:
            yield Difference(
                rule, at, f"{what} {name!r} is on the stage but not in the definition; {REDEPLOY}"
            )


def _authorizers(source: Api, stage: Api) -> Iterator[Difference]:
    yield from _keyed(
        AUTHORIZER, "the authorizer", api_facts.authorizers(source), api_facts.authorizers(stage)
    )


def _gateway_responses(source: Api, stage: Api) -> Iterator[Difference]:
    yield from _keyed(
        GATEWAY_RESPONSE,
        "the gateway response",
        api_facts.gateway_responses(source),
        api_facts.gateway_responses(stage),
    )


def _settings(source: Api, stage: Api) -> Iterator[Difference]:
    theirs = api_facts.settings(stage)
    for name, (at, value) in api_facts.settings(source).items():
        staged_at, staged = theirs[name]
        if not same(value, staged):
            where = at or staged_at or source.root
            what = (
                _statements(value, staged)
                if name == api_facts.POLICY
                else f"{shown(staged)} on the stage, {shown(value)} in the definition"
            )
            yield Difference(SETTINGS, where, f"{name} differs ({what}); {REDEPLOY}")


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
    at, ours = api_facts.http_cors(source)
    staged_at, theirs = api_facts.http_cors(stage)
    if ours is None and theirs is None:
        return
    where = at or staged_at or source.root
    if ours is None or theirs is None:
        has = (
            "the stage configures CORS and the definition does not"
            if ours is None
            else ("the definition configures CORS and the stage does not")
        )
        yield Difference(CORS, where, f"x-amazon-apigateway-cors: {has}; {REDEPLOY}")
        return
    changed = fields(ours, theirs)
    if changed:
        yield Difference(
            CORS, where, f"x-amazon-apigateway-cors differs in {'; '.join(changed)}; {REDEPLOY}"
        )
