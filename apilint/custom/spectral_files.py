"""Which Spectral rules apply to one linted file: the root ruleset's `overrides` whose `files`
match it (globs relative to the ruleset's folder, as Spectral's minimatch with matchBase reads
them), merged over the ruleset's rules in order (Ruleset#fromSource), and the rule's `formats`
against the document's OpenAPI version."""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache
from pathlib import Path

from apilint.custom.spectral_rules import Context, SpectralRule, merge_rule
from apilint.custom.spectral_ruleset import Override, Ruleset, shown

#: Spectral's format names (spectral-ruleset-migrator) for the OpenAPI versions apilint reads;
#: the other formats (asyncapi2, json-schema, ...) match no definition apilint lints.
OPENAPI_FORMATS = {
    "oas2": ("2.0",),
    "oas3": ("3.0", "3.1"),
    "oas3.0": ("3.0",),
    "oas3_0": ("3.0",),
    "oas3.1": ("3.1",),
    "oas3_1": ("3.1",),
}


def versions_of(formats: frozenset[str] | None) -> tuple[str, ...] | None:
    """The OpenAPI versions (2.0, 3.0, 3.1) a rule's formats match; None: every document."""
    if formats is None:
        return None
    return tuple(sorted({v for f in formats for v in OPENAPI_FORMATS.get(f, ())}))


def rules_for(ruleset: Ruleset, file: str) -> tuple[SpectralRule, ...]:
    """The active rules for `file`, its overrides applied."""
    matching = tuple(o for o in ruleset.overrides if _matches(ruleset.path, o, file))
    return _merged(ruleset, matching)


@cache
def _spec(pattern: str) -> object:
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines([pattern])


def file_pattern(pattern: str) -> tuple[str, str | None]:
    """(glob, JSON pointer) of an overrides `files` entry (`legacy/*.yaml#/paths`)."""
    glob, hash_, pointer = pattern.partition("#")
    return glob, pointer if hash_ else None


def _matches(ruleset: Path, override: Override, file: str) -> bool:
    rel = os.path.relpath(os.path.abspath(file), ruleset.parent).replace(os.sep, "/")
    if rel.startswith("../"):  # minimatch's ** does not match a `..` segment
        return False
    for pattern in override.files:
        glob, pointer = file_pattern(pattern)
        if pointer is None and _spec(glob).match_file(rel):  # type: ignore[attr-defined]
            return True
    return False


def _merged(ruleset: Ruleset, overrides: tuple[Override, ...]) -> tuple[SpectralRule, ...]:
    rules = dict(ruleset.rules)
    for override in overrides:
        for name in override.rules:
            rules[str(name)] = override_rule(ruleset, override, str(name), rules.get(str(name)))
    return tuple(r for r in rules.values() if r.active)


def override_rule(
    ruleset: Ruleset, override: Override, name: str, existing: SpectralRule | None
) -> SpectralRule:
    """An override's entry for `name` applied over `existing` (mergeRulesets into the root's
    definition: its aliases, the override's formats). A rule object switches the rule on."""
    definition = override.rules[name]
    formats = frozenset(override.formats) if override.formats else None
    context = Context(shown(ruleset.path), ruleset.aliases, None, formats)
    where = f"{context.source}: overrides[{override.index}].rules.{name}"
    rule = merge_rule(existing, name, definition, context, where)
    return replace(rule, enabled=True) if isinstance(definition, dict) else rule
