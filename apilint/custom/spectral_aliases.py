"""Spectral's `aliases`: `given: "#PathItem.get"` with `aliases: {PathItem: ["$.paths[*]"]}`
stands for `$.paths[*].get` (ruleset/alias.js). Aliases of aliases expand too; a scoped alias
(`targets` picked by document format) cannot be expanded before the document is known, so the
rule that uses one is not run (ScopedAlias: the caller turns it into a Note)."""

from __future__ import annotations

import re
from typing import Any

from apilint.common.errors import UsageError

ALIAS = re.compile(r"^#([A-Za-z0-9_-]+)")


class ScopedAlias(Exception):
    """The alias picks its JSONPaths by format; args[0] is its name."""


def expand(given: str, aliases: dict[str, Any], where: str) -> list[str]:
    """The JSONPaths `given` stands for (itself when it is no alias)."""
    return _expand(given, aliases, where, ())


def _expand(given: str, aliases: dict[str, Any], where: str, stack: tuple[str, ...]) -> list[str]:
    if not given.startswith("#"):
        return [given]
    m = ALIAS.match(given)
    if m is None:
        raise UsageError(f"{where}: {given!r}: an alias is #Name (letters, digits, _ and -)")
    name = m.group(1)
    if name in stack:
        chain = " -> ".join((*stack, name))
        raise UsageError(f"{where}: alias {stack[0]!r} is circular ({chain})")
    if name not in aliases:
        raise UsageError(f"{where}: alias {name!r} is not defined in the ruleset's aliases")
    value = aliases[name]
    rest = given[m.end() :]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [p for v in value for p in _expand(v + rest, aliases, where, (*stack, name))]
    if isinstance(value, dict) and "targets" in value:
        raise ScopedAlias(name)
    raise UsageError(f"{where}: alias {name!r}: expected a list of JSONPaths")
