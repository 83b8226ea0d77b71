"""Reading a Spectral ruleset (`.spectral.yaml`/`.json`) as Spectral 6 merges it: local
`extends` (with `off`/`recommended`/`all`), rule definitions and severity-only entries, ruleset
and rule `formats`, and the root ruleset's `overrides`. What apilint cannot run becomes a Note
(one per rule or per extends), never an error; what Spectral itself would refuse (a missing
extended file, a rule that is not a mapping, a severity it does not know) is a UsageError naming
the file and the field, exit 2.

Semantics follow @stoplight/spectral-core 6 (ruleset/ruleset.js, ruleset/rule.js,
ruleset/mergers/rules.js).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from apilint.common.errors import LoadError, UsageError
from apilint.common.files import SMALL_FILE_LIMIT, read_bounded, repository_root
from apilint.custom.spectral_rules import Context, SpectralRule, formats_of, merge_rule
from apilint.document.loader import parse_strict

#: The keys of a Spectral ruleset (spectral-core's ruleset.schema.json).
RULESET_KEYS = (
    "extends",
    "formats",
    "rules",
    "overrides",
    "aliases",
    "functions",
    "functionsDir",
    "parserOptions",
    "documentationUrl",
    "description",
)
#: How an extended ruleset's rules are switched on: `[./base.yaml, all]`.
EXTENDS_MODES = ("off", "recommended", "all")
BUILT_IN_NOTE = (
    "Spectral's built-in {name} ruleset is not reimplemented: apilint's own rules (`apilint "
    "rules`) check OpenAPI as API Gateway reads it; the other rules of this ruleset run"
)


@dataclass(frozen=True)
class Note:
    """Something of the ruleset apilint does not run: a rule (`rule`) or an extends."""

    source: str
    rule: str | None
    reason: str

    def __str__(self) -> str:
        what = f"Spectral rule {self.rule!r} is not run" if self.rule else "not run"
        return f"{self.source}: note: {what}: {self.reason}"

    def as_dict(self) -> dict[str, str | None]:
        return {"file": self.source, "rule": self.rule, "message": self.reason}


@dataclass(frozen=True)
class Override:
    """An `overrides` entry of the root ruleset: files (globs relative to the ruleset's folder,
    optionally `#/pointer`) and the rules it changes or adds."""

    index: int
    files: tuple[str, ...]
    rules: dict[str, Any]
    formats: tuple[str, ...] | None


@dataclass
class Ruleset:
    path: Path
    rules: dict[str, SpectralRule]
    overrides: tuple[Override, ...] = ()
    notes: list[Note] = field(default_factory=list)
    #: Declared custom JavaScript functions (`functions:` of any ruleset read).
    js_functions: frozenset[str] = frozenset()
    #: The root ruleset's aliases: rules its overrides define use them.
    aliases: dict[str, Any] = field(default_factory=dict)


def read_mapping(path: Path) -> dict[str, Any]:
    """A ruleset file's top-level mapping (YAML or JSON)."""
    name = shown(path)
    try:
        text = read_bounded(path, SMALL_FILE_LIMIT).decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{name}: no such ruleset file") from None
    except OSError as exc:
        raise UsageError(f"cannot read ruleset {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{name}: a ruleset must be UTF-8 text") from None
    if path.suffix in (".js", ".mjs", ".cjs", ".ts"):
        raise UsageError(
            f"{name}: JavaScript rulesets cannot be read; give the ruleset as YAML or JSON"
        )
    try:
        data = parse_strict(text, name, as_json=path.suffix == ".json")
    except LoadError as exc:
        where = f"{name}:{exc.line}" if exc.line is not None else name
        raise UsageError(f"{where}: invalid ruleset: {exc.message}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{name}: a ruleset must be a mapping (rules, extends, ...)")
    return data


def shown(path: Path) -> str:
    """A ruleset file as messages name it: relative to the working directory when inside it."""
    rel = os.path.relpath(path)
    return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()


class Reader:
    """Reads a ruleset and those it extends; collects notes and the JS functions declared."""

    def __init__(self) -> None:
        self.notes: list[Note] = []
        self.js_functions: set[str] = set()
        self._stack: list[Path] = []
        self._root = Path("/")

    def read(self, path: Path) -> Ruleset:
        path = path.resolve()
        # the files a ruleset extends must lie in its repository, else its folder
        self._root = repository_root(path.parent) or path.parent
        data = read_mapping(path)
        rules = self.rules_of(path, data, "recommended", explicit=False)
        overrides = tuple(_overrides(path, data.get("overrides"), self.notes))
        return Ruleset(
            path, rules, overrides, self.notes, frozenset(self.js_functions), _aliases(path, data)
        )

    def rules_of(
        self, path: Path, data: dict[str, Any], mode: str, explicit: bool
    ) -> dict[str, SpectralRule]:
        """The rules of one ruleset as extended with `mode` (Ruleset#getRules)."""
        self._stack.append(path)
        try:
            source = shown(path)
            self._check_keys(source, data)
            context = Context(source, _aliases(path, data), data.get("documentationUrl"))
            functions = data.get("functions", [])
            if not isinstance(functions, list) or not all(isinstance(f, str) for f in functions):
                raise UsageError(f"{source}: functions: expected a list of function names")
            self.js_functions.update(functions)
            formats = formats_of(data.get("formats"), f"{source}: formats")
            context = replace(context, formats=formats)
            rules: dict[str, SpectralRule] = {}
            for target, ext_mode, ext_explicit in _extends(source, data.get("extends")):
                for rule in self.extended(path, target, ext_mode, ext_explicit).values():
                    rules[rule.name] = rule
            own = data.get("rules", {})
            if not isinstance(own, dict):
                raise UsageError(f"{source}: rules: expected a mapping of rule name to rule")
            for name, definition in own.items():
                where = f"{source}: rules.{name}"
                rule = merge_rule(rules.get(name), str(name), definition, context, where)
                if rule.source == source or explicit:
                    rule = replace(rule, enabled=_enabled(rule, mode))
                rules[rule.name] = rule
            if explicit:
                rules = {n: replace(r, enabled=_enabled(r, mode)) for n, r in rules.items()}
            return rules
        finally:
            self._stack.pop()

    def _check_keys(self, source: str, data: dict[str, Any]) -> None:
        """Spectral refuses a ruleset with keys it does not know; parserOptions (the severity
        of Spectral's own parser diagnostics) has no counterpart in apilint."""
        for key in data:
            if key not in RULESET_KEYS:
                raise UsageError(
                    f"{source}: {key}: unknown key (a Spectral ruleset has "
                    f"{', '.join(RULESET_KEYS)})"
                )
        if "parserOptions" in data:
            self.notes.append(
                Note(
                    source,
                    None,
                    "parserOptions are not applied: apilint reports duplicate keys and values "
                    "of the wrong type with its own rules",
                )
            )

    def extended(
        self, base: Path, target: str, mode: str, explicit: bool
    ) -> dict[str, SpectralRule]:
        source = shown(base)
        if target.startswith("spectral:"):
            self.notes.append(
                Note(source, None, f"extends {target}: {BUILT_IN_NOTE.format(name=target)}")
            )
            return {}
        if target.startswith(("http://", "https://")):
            self.notes.append(
                Note(
                    source,
                    None,
                    f"extends {target}: remote rulesets are not fetched (apilint "
                    "lints without network access); copy it beside the ruleset and extend the file",
                )
            )
            return {}
        if not target.startswith((".", "/")) and not target.endswith((".yaml", ".yml", ".json")):
            self.notes.append(
                Note(
                    source,
                    None,
                    f"extends {target}: rulesets from npm packages are not read; "
                    "extend the package's ruleset file by its path",
                )
            )
            return {}
        path = (base.parent / target).resolve()
        if path in self._stack:  # Spectral skips a ruleset that extends itself (its stack)
            return {}
        if not path.is_relative_to(self._root):
            raise UsageError(
                f"{source}: extends: {target} is outside {self._root}, the repository of the "
                "ruleset: a ruleset may arrive with a pull request and must not make CI read "
                "files elsewhere"
            )
        if not path.is_file():
            raise UsageError(f"{source}: extends: {target}: no such ruleset file")
        return self.rules_of(path, read_mapping(path), mode, explicit)


def _enabled(rule: SpectralRule, mode: str) -> bool:
    return mode == "all" or (mode == "recommended" and rule.recommended)


def _extends(source: str, value: Any) -> list[tuple[str, str, bool]]:
    """(target, mode, explicit) of each `extends` entry."""
    if value is None:
        return []
    entries = value if isinstance(value, list) else [value]
    out = []
    for i, entry in enumerate(entries):
        where = f"{source}: extends[{i}]"
        if isinstance(entry, str):
            out.append((entry, "recommended", False))
        elif (
            isinstance(entry, list)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and (entry[1] in EXTENDS_MODES or entry[1] is False)
        ):
            out.append((entry[0], entry[1] or "off", True))
        else:
            raise UsageError(f"{where}: expected a ruleset path or [path, off | recommended | all]")
    return out


def _aliases(path: Path, data: dict[str, Any]) -> dict[str, Any]:
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict):
        raise UsageError(f"{shown(path)}: aliases: expected a mapping of name to JSONPaths")
    return aliases


def _overrides(path: Path, value: Any, notes: list[Note]) -> list[Override]:
    """The root ruleset's overrides. Per-pointer severities (`file.yaml#/paths/~1x`) and an
    override's own extends are not applied: a note says so."""
    if value is None:
        return []
    where = f"{shown(path)}: overrides"
    if not isinstance(value, list):
        raise UsageError(f"{where}: expected a list of {{files, rules}} entries")
    out = []
    for i, entry in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(entry, dict):
            raise UsageError(f"{here}: expected a mapping with files and rules")
        files = entry.get("files")
        if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
            raise UsageError(f"{here}.files: expected a list of file globs")
        rules = entry.get("rules", {})
        if not isinstance(rules, dict):
            raise UsageError(f"{here}.rules: expected a mapping of rule name to rule or severity")
        formats = formats_of(entry.get("formats"), f"{here}.formats")
        for skipped in [f for f in files if "#" in f] + (["extends"] if "extends" in entry else []):
            what = (
                f"the severities it sets under the JSON pointer of {skipped!r}"
                if skipped != "extends"
                else "the rulesets it extends"
            )
            notes.append(Note(shown(path), None, f"overrides[{i}]: {what} are not applied"))
        out.append(Override(i, tuple(files), rules, tuple(sorted(formats)) if formats else None))
    return out
