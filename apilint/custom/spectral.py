"""`apilint lint --ruleset .spectral.yaml` (and the configuration key `ruleset`): the rules of a
Spectral ruleset that use Spectral's core functions, run as apilint custom rules (code
`spectral/<rule-name>`) through the declarative engine (apilint.custom.declarative).

Severities map error → error, warn → warning, info and hint → info, off → not run. What apilint
cannot run is listed once per rule as a Note (stderr, and `notes` in JSON output), never dropped
silently: a custom JavaScript function, a `given` JSONPath the engine cannot read (JavaScript in
a filter), remote, npm and `spectral:` extends (`spectral:oas` is not reimplemented: apilint's
built-in rules cover OpenAPI as API Gateway reads it).

Reading and merging the ruleset: apilint.custom.spectral_ruleset; overrides and formats per
file: apilint.custom.spectral_files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from apilint.catalog.registry import Reference, Rule
from apilint.checks import Check
from apilint.common.errors import UsageError
from apilint.custom.errors import rule_error
from apilint.custom.functions import FUNCTIONS
from apilint.custom.jsonpath import JSONPathError, compile_path
from apilint.custom.loader import ALL_VERSIONS, CustomRule, check_key
from apilint.custom.spectral_files import override_rule, rules_for, versions_of
from apilint.custom.spectral_rules import SpectralRule
from apilint.custom.spectral_ruleset import Note, Reader, Ruleset

CODE_PREFIX = "spectral/"
#: {{description}} is the rule's own description: filled in once, when the rule compiles.
_DESCRIPTION = re.compile(r"\{\{\s*description\s*\}\}")
CATEGORY = "spectral"


@dataclass(frozen=True)
class Loaded:
    """A ruleset ready to run: the ruleset as read, the notes of what is not run, and the names
    of the rules that are not (left out of every file's rules)."""

    ruleset: Ruleset
    notes: tuple[Note, ...]
    skipped: frozenset[str]


@lru_cache(maxsize=8)
def load(path: str) -> Loaded:
    """Read a ruleset and check every rule that may run (its own and those its overrides
    define): a UsageError for what is malformed, a Note for what apilint cannot run."""
    ruleset = Reader().read(Path(path))
    notes = list(ruleset.notes)
    skipped: set[str] = set()
    for rule in _candidates(ruleset):
        if rule.name in skipped:
            continue
        reason = unsupported(rule, ruleset.js_functions)
        if reason is not None:
            skipped.add(rule.name)
            notes.append(Note(rule.source, rule.name, reason))
            continue
        if not versions_of(rule.formats) and rule.formats is not None:
            skipped.add(rule.name)
            formats = ", ".join(sorted(rule.formats))
            notes.append(
                Note(rule.source, rule.name, f"its formats ({formats}) match no OpenAPI version")
            )
            continue
        compiled(rule)  # a malformed rule fails the run now, naming the field
    return Loaded(ruleset, tuple(notes), frozenset(skipped))


def _candidates(ruleset: Ruleset) -> list[SpectralRule]:
    """The rules that may run on some file: the active ones, and each rule an override
    switches on or defines (merged over the ruleset's own, as for a file it matches)."""
    out = [r for r in ruleset.rules.values() if r.active]
    for override in ruleset.overrides:
        for name in override.rules:
            rule = override_rule(ruleset, override, str(name), ruleset.rules.get(str(name)))
            if rule.active:
                out.append(rule)
    return out


def unsupported(rule: SpectralRule, js_functions: frozenset[str]) -> str | None:
    """Why apilint cannot run `rule`, or None."""
    if rule.problem is not None:
        return rule.problem
    for step in rule.then:
        if step.function in js_functions:
            return f"it calls the custom JavaScript function {step.function!r}"
        if step.function not in FUNCTIONS:
            return None  # compiled() names the unknown function: Spectral refuses it too
    for given in rule.given + tuple(s.field for s in rule.then if s.field and s.field[0] == "$"):
        try:
            compile_path(given)
        except JSONPathError as exc:
            reason = str(exc).replace(f"invalid JSONPath {given!r}: ", "")
            return f"apilint cannot read its JSONPath {given!r} ({reason})"
    return None


def rules_of_file(path: str, file: str) -> tuple[CustomRule, ...]:
    """The custom rules the ruleset at `path` runs on `file`."""
    loaded = load(path)
    return tuple(
        compiled(r) for r in rules_for(loaded.ruleset, file) if r.name not in loaded.skipped
    )


_COMPILED: dict[tuple[Any, ...], CustomRule] = {}


def compiled(rule: SpectralRule) -> CustomRule:
    """The apilint custom rule for a Spectral rule (severity and formats included), compiled
    once per run for each form a rule takes (overrides may change it per file)."""
    key = (
        rule.name,
        rule.source,
        rule.severity,
        rule.formats,
        json.dumps(rule.definition, sort_keys=True, default=str),
    )
    if key not in _COMPILED:
        _COMPILED[key] = _compile(rule)
    return _COMPILED[key]


def _compile(rule: SpectralRule) -> CustomRule:
    from apilint.custom.declarative import compile_rule

    source = Path(rule.source)
    thens = [
        {
            **({"field": s.field} if s.field is not None else {}),
            "function": s.function,
            **({"functionOptions": s.options} if s.options is not None else {}),
        }
        for s in rule.then
    ]
    data: dict[str, Any] = {
        "given": list(rule.given),
        # As written: a list names its steps then[0], then[1] in errors, a mapping `then`.
        "then": thens if isinstance(rule.definition.get("then"), list) else thens[0],
        "resolved": rule.resolved,
        # Spectral's message: the rule's, else its description, else the function's.
        "message": _DESCRIPTION.sub(
            (rule.description or "").replace("\\", "\\\\"),
            rule.message or rule.description or "{{error}}",
        ),
    }
    try:
        check = compile_rule(data, source)
    except UsageError as exc:  # `<file>: then.function: ...`, the field within the rule
        field = exc.message.removeprefix(f"{source}: ")
        raise rule_error(rule.source, f"rules.{rule.name}.{field}") from None
    meta = _rule(rule)
    return CustomRule(meta, check, source)


def _rule(rule: SpectralRule) -> Rule:
    assert rule.severity is not None  # only active rules are compiled
    code = CODE_PREFIX + rule.name
    return Rule(
        code=code,
        name=code,
        severity=rule.severity,
        category=CATEGORY,
        check=check_key(code),
        api=("rest", "http"),
        versions=versions_of(rule.formats) or tuple(ALL_VERSIONS),  # type: ignore[arg-type]
        needs=frozenset({"document"}),  # JSONPaths over the OpenAPI document
        tags=("spectral",),
        summary=rule.description or f"Spectral rule {rule.name}",
        rationale=f"A rule of the Spectral ruleset {rule.source}, run as Spectral runs it: "
        f"{', '.join(s.function for s in rule.then)} on {', '.join(rule.given)}.",
        fix=f"Change the definition so that the rule holds, or the rule in {rule.source}.",
        references=(Reference("Spectral rule documentation", rule.documentation),)
        if rule.documentation
        else (),
        options=(),
        bad_example="",
        good_example="",
    )


def catalog(path: str) -> tuple[Rule, ...]:
    """Every rule the ruleset may run, in each form (overrides change severities per file)."""
    loaded = load(path)
    rules = _candidates(loaded.ruleset)
    return tuple(compiled(r).rule for r in rules if r.name not in loaded.skipped)


def checks_of(rules: tuple[CustomRule, ...]) -> dict[str, Check]:
    return {c.rule.check: c.check for c in rules}
