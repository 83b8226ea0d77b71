"""The rules of a run: apilint's built-in catalog plus the custom rules its configuration names
(rule folders and packs), with the check each one runs.

A RuleSet is keyed by the custom rule sources (absolute paths, picklable: the settings that carry
them cross into parallel lint workers, which load the same rules once each).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from apilint.catalog.registry import Rule, load_rules
from apilint.checks import Check, checks_for
from apilint.common.records import NamedTuple
from apilint.custom import CUSTOM_PREFIX

if TYPE_CHECKING:  # custom rules: loaded only when a configuration names some
    from apilint.custom.loader import CustomRule


class RuleSet(NamedTuple):
    """The rules of a run: built-in and custom."""

    #: Every rule, built-in and custom, in code order: what selectors, suppressions, reports
    #: and `explain` look rules up in.
    rules: tuple[Rule, ...]
    custom: tuple[CustomRule, ...] = ()

    def checks(self, scopes: Iterable[str] | None = None) -> dict[str, Check]:
        """Every rule's check (`scopes`: as apilint.checks.checks_for reads it). The built-in
        ones are looked up on each call (a rule whose check went missing must stop the run that
        needs it, not only the first)."""
        builtin = checks_for(
            (r for r in self.rules if not r.check.startswith(CUSTOM_PREFIX)), scopes
        )
        return {**builtin, **{c.rule.check: c.check for c in self.custom}}

    def by_code(self) -> dict[str, Rule]:
        return {r.code: r for r in self.rules}


def rule_set(sources: tuple[str, ...] = ()) -> RuleSet:
    """The built-in rules and the custom ones of `sources` (rule files or folders); UsageError
    naming the rule file and field when one is malformed. Loaded again when a rule file changes
    (a long-running `serve --reload`, tests that rewrite a rule)."""
    return _rule_set(sources, _signature(sources)) if sources else _rule_set((), ())


def _signature(sources: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    from apilint.custom.loader import rule_files

    out = []
    for source in sources:
        path = Path(source)
        files = rule_files(path) if path.is_dir() else [path]
        for file in files:
            try:
                out.append((str(file), file.stat().st_mtime_ns))
            except OSError:
                out.append((str(file), -1))
    return tuple(out)


@lru_cache(maxsize=16)
def _rule_set(sources: tuple[str, ...], _signature: tuple[tuple[str, int], ...]) -> RuleSet:
    builtin = load_rules()
    if not sources:
        return RuleSet(builtin)
    from apilint.custom.loader import load_custom_rules

    custom = load_custom_rules([Path(s) for s in sources], builtin)
    merged = tuple(sorted((*builtin, *(c.rule for c in custom)), key=lambda r: r.code))
    return RuleSet(merged, custom)


def run_catalog(
    sources: set[tuple[str, ...]], rulesets: Iterable[str | None] = ()
) -> dict[str, Rule]:
    """Every rule a run may report, keyed by code: the built-in ones, the custom rules of each
    configuration it used and the rules of its Spectral rulesets (what renderers describe
    findings with)."""
    out = {r.code: r for r in load_rules()}
    for key in sources:
        out.update(rule_set(key).by_code())
    named = {r for r in rulesets if r is not None}
    if named:
        from apilint.custom.spectral import catalog

        for path in sorted(named):
            out.update({r.code: r for r in catalog(path)})
    return out
