"""Rule metadata: one declarative YAML file per rule in the top-level `rules/` folder.

The files are validated against `rules/rule.schema.json` when they load, so a rule without a
summary, rationale, examples, fix or references cannot ship.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from apilint.findings import Severity


class RuleDefinitionError(Exception):
    pass


@dataclass(frozen=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True)
class Evidence:
    """Why the severity holds: the AWS error message or documentation sentence, verbatim."""

    quote: str
    source: Reference


@dataclass(frozen=True)
class Option:
    name: str
    default: Any
    description: str
    #: JSON Schema of the value; configuration is checked against it when it loads.
    schema: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def problem(self, value: Any) -> str | None:
        """Why `value` does not fit the option's schema, or None when it does."""
        from apilint.validate import compile_schema, narrow

        errors = compile_schema(self.schema).errors(value)
        return narrow(errors[0]).message if errors else None


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    category: str
    check: str
    api: tuple[str, ...]
    versions: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str
    rationale: str
    fix: str
    references: tuple[Reference, ...]
    options: tuple[Option, ...]
    bad_example: str
    good_example: str
    example_options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: For scope "account": the AWS CLI outputs and deployment the examples are checked with.
    example_inventory: tuple[dict[str, Any], ...] = field(default=(), compare=False, hash=False)
    example_deployment: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    default_enabled: bool = True
    #: The AWS message or documentation sentence that shows the severity (required for errors).
    evidence: tuple[Evidence, ...] = ()
    #: "definition" (runs on each API definition), "template" (on a CloudFormation template)
    #: or "account" (on a definition, with what the AWS account says about its functions).
    scope: str = "definition"

    def applies_to(self, kind: str, version: str) -> bool:
        family = version if version in ("2.0", "3.0", "3.1") else "other"
        return kind in self.api and (family in self.versions or family == "other")

    def default_options(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def as_dict(self, enabled: bool | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code, "name": self.name, "severity": str(self.severity),
            "category": self.category, "api": list(self.api), "versions": list(self.versions),
            "tags": list(self.tags), "summary": self.summary, "rationale": self.rationale,
            "fix": self.fix,
            "references": [{"title": r.title, "url": r.url} for r in self.references],
            "evidence": [{"quote": e.quote, "source": {"title": e.source.title, "url": e.source.url}}
                         for e in self.evidence],
            "options": [{"name": o.name, "default": o.default, "schema": o.schema,
                         "description": o.description} for o in self.options],
            "examples": {"bad": self.bad_example, "good": self.good_example},
            "scope": self.scope,
        }
        if enabled is not None:
            out["enabled"] = enabled
        return out


def rules_dir() -> Path:
    packaged = Path(__file__).parent / "_rules"  # inside an installed wheel
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"  # a source checkout


def _parse(data: dict[str, Any]) -> Rule:
    examples = data["examples"]
    return Rule(
        code=data["code"], name=data["name"], severity=Severity.parse(data["severity"]),
        category=data["category"], check=data["check"], api=tuple(data["api"]),
        versions=tuple(data["versions"]), tags=tuple(data.get("tags", ())),
        summary=data["summary"].strip(), rationale=data["rationale"].strip(),
        fix=data["fix"].strip(),
        references=tuple(Reference(r["title"], r["url"]) for r in data["references"]),
        options=tuple(Option(name, spec["default"], spec["description"].strip(), spec["schema"])
                      for name, spec in (data.get("options") or {}).items()),
        bad_example=examples["bad"], good_example=examples["good"],
        example_options=dict(examples.get("options") or {}),
        example_inventory=tuple(examples.get("inventory") or ()),
        example_deployment=dict(examples.get("deployment") or {}),
        default_enabled=data.get("enabled", True), scope=data.get("scope", "definition"),
        evidence=tuple(Evidence(" ".join(e["quote"].split()),
                                Reference(e["source"]["title"], e["source"]["url"]))
                       for e in data.get("evidence") or ()),
    )


#: The rule files compiled into one JSON document, with a checksum of the sources it was made
#: from. Parsing 100+ YAML files and validating them costs ~60 ms on every run; reading this
#: costs ~3. It is regenerated with the docs (`python -m apilint.docs`); when it is stale (a
#: rule was edited) apilint reads the YAML files instead, so an edit always takes effect.
CATALOG = "catalog.json"


def _sources(directory: Path) -> tuple[str, list[tuple[Path, bytes]]]:
    import zlib

    files = [(p, p.read_bytes()) for p in sorted(directory.glob("*.yaml"))]
    checksum = zlib.crc32((directory / "rule.schema.json").read_bytes())
    for path, blob in files:
        checksum = zlib.crc32(path.name.encode() + b"\0" + blob, checksum)
    return f"{checksum:08x}-{len(files)}", files


def _read_sources(directory: Path, files: list[tuple[Path, bytes]]) -> list[tuple[str, dict[str, Any]]]:
    """(file name, rule data) of every rule file, validated against rule.schema.json."""
    import yaml

    from apilint.validate import compile_schema, iter_narrowed

    schema = json.loads((directory / "rule.schema.json").read_text(encoding="utf-8"))
    validator = compile_schema(schema)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for path, blob in files:
        try:
            data = yaml.load(blob.decode("utf-8"), Loader=loader)
        except yaml.YAMLError as exc:
            raise RuleDefinitionError(f"{path.name}: invalid YAML: {exc}") from None
        problems = list(iter_narrowed(validator, data))
        if problems:
            where = "/".join(problems[0].path) or "(top level)"
            raise RuleDefinitionError(f"{path.name}: {where}: {problems[0].message}")
        out.append((path.name, data))
    return out


def catalog_text(directory: Path | None = None) -> str:
    """The catalog for the rule files as they are now."""
    directory = directory or rules_dir()
    checksum, files = _sources(directory)
    entries = [{"file": name, "rule": data} for name, data in _read_sources(directory, files)]
    return json.dumps({"checksum": checksum, "rules": entries}, indent=1) + "\n"


@lru_cache(maxsize=4)
def load_rules(directory: Path | None = None) -> tuple[Rule, ...]:
    directory = directory or rules_dir()
    checksum, files = _sources(directory)
    entries: list[tuple[str, dict[str, Any]]] | None = None
    try:
        catalog = json.loads((directory / CATALOG).read_text(encoding="utf-8"))
        if catalog.get("checksum") == checksum:
            entries = [(e["file"], e["rule"]) for e in catalog["rules"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if entries is None:
        entries = _read_sources(directory, files)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, data in entries:
        rule = _parse(data)
        if Path(name).stem != rule.name:
            raise RuleDefinitionError(f"{name}: file name must be the rule name {rule.name!r}")
        for ident in (rule.code, rule.name):
            if ident in seen:
                raise RuleDefinitionError(f"{name}: {ident} is already used by {seen[ident]}")
            seen[ident] = name
        rules.append(rule)
    return tuple(sorted(rules, key=lambda r: r.code))


def find_rule(ident: str, rules: tuple[Rule, ...] | None = None) -> Rule:
    """A rule by code (case-insensitive) or name; KeyError with a did-you-mean otherwise."""
    rules = rules if rules is not None else load_rules()
    wanted = ident.strip()
    for rule in rules:
        if rule.code.lower() == wanted.lower() or rule.name == wanted.lower():
            return rule
    names = [r.name for r in rules] + [r.code for r in rules]
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `apilint rules` lists them"
    raise KeyError(f"unknown rule {ident!r}{hint}")


#: The selector that names every rule (ruff's spelling).
ALL = "ALL"
_CODE_PREFIX = re.compile(r"AGW\d{0,3}", re.IGNORECASE)


def select_rules(selector: str, rules: tuple[Rule, ...] | None = None) -> tuple[Rule, ...]:
    """The rules a selector names, as ruff reads selectors: `ALL`, a code (`AGW301`) or name,
    a code prefix (`AGW3`: every AGW3xx; `AGW30`: AGW300-AGW309) or a category (`security`).
    KeyError with a did-you-mean when it names none."""
    rules = rules if rules is not None else load_rules()
    wanted = selector.strip()
    lowered = wanted.lower()
    if wanted.upper() == ALL:
        return rules
    exact = tuple(r for r in rules if r.code.lower() == lowered or r.name == lowered)
    if exact:
        return exact
    in_category = tuple(r for r in rules if r.category == lowered)
    if in_category:
        return in_category
    if _CODE_PREFIX.fullmatch(wanted):
        prefixed = tuple(r for r in rules if r.code.startswith(wanted.upper()))
        if prefixed:
            return prefixed
    candidates = [r.name for r in rules] + [r.code for r in rules] + \
        sorted({r.category for r in rules}) + [ALL]
    close = difflib.get_close_matches(wanted, candidates, n=3, cutoff=0.5)
    hint = (f"; did you mean {', '.join(close)}?" if close else
            "; a selector is a code (AGW301), a name, a code prefix (AGW3), a category "
            "(security) or ALL: `apilint rules` lists them")
    raise KeyError(f"unknown rule {selector!r}{hint}")


def find_rules_or_error(selectors: tuple[str, ...], rules: tuple[Rule, ...] | None = None
                        ) -> list[Rule]:
    """The rules the selectors name, each once, in code order; an unknown selector is a usage
    error naming it (with a did-you-mean)."""
    from apilint.errors import UsageError

    rules = rules if rules is not None else load_rules()
    found: dict[str, Rule] = {}
    # Most selectors are codes or names (a resolved selection is names): look those up at once.
    index = {r.code.lower(): r for r in rules} | {r.name: r for r in rules} if selectors else {}
    for selector in selectors:
        exact = index.get(selector.strip().lower())
        if exact is not None:
            found[exact.code] = exact
            continue
        try:
            found.update((r.code, r) for r in select_rules(selector, rules))
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    return sorted(found.values(), key=lambda r: r.code)
