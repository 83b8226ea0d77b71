"""Checks of a definition against a stage's export (`apilint drift`): each rule reports one
kind of difference that apilint.model.drift finds between the two gateway models."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from apilint.catalog.registry import default_check
from apilint.checks import Check, Violation, check, violation
from apilint.model.drift import difference as names
from apilint.model.drift.difference import Difference
from apilint.model.gateway import Api


@dataclass(frozen=True)
class DriftView:
    """What a rule of scope `drift` reads: the definition's model and the stage's."""

    api: Api
    stage: Api

    @cached_property
    def differences(self) -> list[Difference]:
        """Compared once for all the drift rules."""
        from apilint.model.drift.diff import compare

        return compare(self.api, self.stage)

    def of(self, rule: str) -> Iterator[Violation]:
        for d in self.differences:
            if d.rule == rule:
                yield violation(d.at, d.message, d.operation)


def _reporting(rule: str) -> Check:
    """The check of a drift rule: the differences of its kind."""

    def reports(view: DriftView, options: dict[str, Any]) -> Iterator[Violation]:
        return view.of(rule)

    reports.__name__ = default_check(rule)
    return check(reports)


for _rule in names.RULES:
    _reporting(_rule)
