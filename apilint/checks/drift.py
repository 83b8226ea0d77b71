"""Checks of a definition against a stage's export (`apilint drift`): each rule reports one
kind of difference that apilint.model.drift finds between the two gateway models."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from apilint.checks import Violation, check, violation
from apilint.model.drift import Difference, compare
from apilint.model.drift import diff as names
from apilint.model.gateway import Api


@dataclass(frozen=True)
class DriftView:
    """What a rule of scope `drift` reads: the definition's model and the stage's."""

    api: Api
    stage: Api

    @cached_property
    def differences(self) -> list[Difference]:
        """Compared once for all the drift rules."""
        return compare(self.api, self.stage)

    def of(self, rule: str) -> Iterator[Violation]:
        for d in self.differences:
            if d.rule == rule:
                yield violation(d.at, d.message, d.operation)


@check
def drift_not_deployed(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.NOT_DEPLOYED)


@check
def drift_only_on_stage(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.ONLY_ON_STAGE)


@check
def drift_auth_weaker(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.AUTH_WEAKER)


@check
def drift_auth_differs(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.AUTH_DIFFERS)


@check
def drift_integration_differs(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.INTEGRATION)


@check
def drift_cors_differs(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.CORS)


@check
def drift_request_validation_differs(
    view: DriftView, options: dict[str, Any]
) -> Iterator[Violation]:
    return view.of(names.REQUEST)


@check
def drift_authorizer_differs(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.AUTHORIZER)


@check
def drift_gateway_response_differs(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.GATEWAY_RESPONSE)


@check
def drift_api_settings_differs(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
    return view.of(names.SETTINGS)
