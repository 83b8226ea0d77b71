"""One Spectral rule as a ruleset defines it: its severity (names and numbers), `given` (aliases
expanded), `then` steps, formats and documentation, and how a later `rules:` entry changes it
(spectral-core's ruleset/mergers/rules.js: a boolean switches it, a severity sets it, a mapping
adds a rule or replaces the fields it names)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from apilint.common.errors import UsageError
from apilint.common.findings import Severity
from apilint.custom.spectral_aliases import ScopedAlias, expand

#: Spectral's severities (names and the numbers of its JSON output); hint has no apilint
#: level of its own and becomes info. None: off.
SEVERITIES: dict[Any, Severity | None] = {
    "error": Severity.ERROR,
    "warn": Severity.WARNING,
    "info": Severity.INFO,
    "hint": Severity.INFO,
    "off": None,
    0: Severity.ERROR,
    1: Severity.WARNING,
    2: Severity.INFO,
    3: Severity.INFO,
    -1: None,
}
#: Spectral's default (DEFAULT_SEVERITY_LEVEL).
DEFAULT_SEVERITY = Severity.WARNING


@dataclass(frozen=True)
class Then:
    field: str | None
    function: str
    options: Any


@dataclass(frozen=True)
class SpectralRule:
    name: str
    source: str  # the ruleset file that defines it
    given: tuple[str, ...]
    then: tuple[Then, ...]
    severity: Severity | None  # None: off
    enabled: bool = True
    recommended: bool = True
    description: str | None = None
    message: str | None = None
    formats: frozenset[str] | None = None  # None: every document
    resolved: bool = True
    documentation: str | None = None  # documentationUrl: the rule's, or the ruleset's + #name
    #: Why apilint cannot run the rule, when reading it showed already (a scoped alias).
    problem: str | None = None
    #: The raw definition, for partial object overrides (Object.assign in Spectral).
    definition: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def active(self) -> bool:
        return self.enabled and self.severity is not None


@dataclass(frozen=True)
class Context:
    """What a rule takes from the ruleset that defines (or redefines) it."""

    source: str
    aliases: dict[str, Any] = field(default_factory=dict, hash=False)
    documentation: str | None = None  # the ruleset's documentationUrl
    formats: frozenset[str] | None = None


def severity_of(value: Any, where: str) -> Severity | None:
    """A Spectral severity (name or number); UsageError naming `where` otherwise."""
    if value is False:  # an unquoted `off`, as YAML 1.1 reads it (Spectral's parser: "off")
        return None
    if isinstance(value, bool) or (value not in SEVERITIES):
        raise UsageError(
            f"{where}: {value!r} is not a Spectral severity (error, warn, info, hint, off)"
        )
    return SEVERITIES[value]


def formats_of(value: Any, where: str) -> frozenset[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(f, str) for f in value):
        raise UsageError(f"{where}: expected a list of format names (oas2, oas3, ...)")
    return frozenset(value)


def merge_rule(
    existing: SpectralRule | None, name: str, definition: Any, context: Context, where: str
) -> SpectralRule:
    """A `rules:` entry applied to the rule of that name so far (mergeRule): a boolean switches
    it, a severity sets it, a mapping adds a rule or replaces the fields it names."""
    if isinstance(definition, (bool, str, int)):
        if existing is None:
            raise UsageError(f"{where}: sets the severity of a rule no extended ruleset defines")
        if isinstance(definition, bool):
            return replace(existing, enabled=definition)
        level = severity_of(definition, where)
        return replace(existing, severity=level, enabled=level is not None or existing.enabled)
    if not isinstance(definition, dict):
        raise UsageError(f"{where}: expected a rule (given, then, ...) or a severity")
    if existing is None:
        return build_rule(name, definition, context, where)
    # Object.assign: the fields named replace the rule's; its owner (source, formats) stays,
    # and a new `given` reads the aliases of the ruleset that wrote it.
    merged = {**existing.definition, **definition}
    owner = replace(
        context,
        source=existing.source,
        formats=existing.formats,
        documentation=existing.documentation,
    )
    return build_rule(name, merged, owner, where, keep=None if "given" in definition else existing)


def build_rule(
    name: str,
    definition: dict[str, Any],
    context: Context,
    where: str,
    keep: SpectralRule | None = None,
) -> SpectralRule:
    """A rule from its definition; `keep`: the rule whose given (expanded already) it keeps."""
    given = definition.get("given")
    givens: list[Any] = given if isinstance(given, list) else [given]
    if not givens or not all(isinstance(g, str) and g for g in givens):
        raise UsageError(f"{where}.given: expected a JSONPath or a list of them")
    paths, problem = (keep.given, keep.problem) if keep else _expanded(givens, context, where)
    then = definition.get("then")
    thens = then if isinstance(then, list) else [then]
    steps = []
    for i, step in enumerate(thens):
        here = f"{where}.then" + (f"[{i}]" if isinstance(then, list) else "")
        if not isinstance(step, dict) or not isinstance(step.get("function"), str):
            raise UsageError(f"{here}: expected a mapping with a function name")
        fld = step.get("field")
        if fld is not None and not isinstance(fld, str):
            raise UsageError(f"{here}.field: expected a property name, @key or a JSONPath")
        steps.append(Then(fld, step["function"], step.get("functionOptions")))
    for key in ("description", "message", "documentationUrl"):
        if definition.get(key) is not None and not isinstance(definition[key], str):
            raise UsageError(f"{where}.{key}: expected text")
    severity = (
        severity_of(definition["severity"], f"{where}.severity")
        if "severity" in definition
        else DEFAULT_SEVERITY
    )
    documentation = definition.get("documentationUrl") or (
        f"{context.documentation}#{name}" if context.documentation else None
    )
    return SpectralRule(
        name=name,
        source=context.source,
        given=paths,
        then=tuple(steps),
        severity=severity,
        recommended=definition.get("recommended", True) is not False,
        description=definition.get("description"),
        message=definition.get("message"),
        formats=formats_of(definition["formats"], f"{where}.formats")
        if "formats" in definition
        else context.formats,
        resolved=definition.get("resolved", True) is not False,
        documentation=documentation,
        problem=problem,
        definition=dict(definition),
    )


def _expanded(
    givens: list[str], context: Context, where: str
) -> tuple[tuple[str, ...], str | None]:
    """The JSONPaths of `given` with aliases expanded; a scoped alias is a problem (the rule is
    not run), not an error."""
    out: list[str] = []
    for given in givens:
        try:
            out.extend(expand(given, context.aliases, f"{where}.given"))
        except ScopedAlias as alias:
            problem = (
                f"its given {given!r} uses the scoped alias #{alias.args[0]} (its JSONPaths "
                "depend on the document's format), which apilint does not expand"
            )
            return tuple(givens), problem
    return tuple(out), None
