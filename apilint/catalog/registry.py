"""Rule metadata: one declarative YAML file per rule in the top-level `rules/` folder.

The files are validated against `rules/rule.schema.json` when they load, so a rule without a
summary, rationale, examples, fix or references cannot ship.

A rule file holds metadata only; its check is the function of that name (`-` as `_`) in a module
of `apilint.checks` (`check:` names another), except for rules of scope `engine`, whose findings
the engine makes itself.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, cast

from apilint.common.cache import cache_dir, read_cache, write_cache
from apilint.common.findings import Severity
from apilint.common.records import FACTORY, NamedTuple, record
from apilint.common.regex import lazy
from apilint.common.text import close_matches


class RuleDefinitionError(Exception):
    pass


#: The kinds of API Gateway API a rule applies to (`api:`).
ApiKind = Literal["rest", "http"]
#: The OpenAPI/Swagger versions a rule applies to (`versions:`).
Version = Literal["2.0", "3.0", "3.1"]
#: What a rule's check reads: one API definition, a CloudFormation/SAM template, a definition
#: with the AWS account's Lambda facts; or nothing: the engine makes the findings itself
#: (suppression bookkeeping), so there is no check function.
Scope = Literal["definition", "template", "account", "drift", "engine"]
#: A rule file's scope, or "contract": an `apilint test` check described as a rule for reports.
AnyScope = Literal[Scope, "contract"]


class Reference(NamedTuple):
    """A document a rule cites (`references:`)."""

    title: str
    url: str


class Evidence(NamedTuple):
    """Why the severity holds: the AWS error message or documentation sentence, verbatim."""

    quote: str
    source: Reference


@record(frozen=True)  # the methods @dataclass would compile at import (apilint.common.records)
class Option:
    """A setting of a rule (`options:`), with its default and schema."""

    name: str
    default: Any
    description: str
    #: JSON Schema of the value; configuration is checked against it when it loads.
    schema: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __init__(
        self, name: str, default: Any, description: str, schema: dict[str, Any] = FACTORY
    ) -> None:
        schema = {} if schema is FACTORY else schema
        vars(self).update(name=name, default=default, description=description, schema=schema)

    def problem(self, value: Any) -> str | None:
        """Why `value` does not fit the option's schema, or None when it does."""
        from apilint.common.validate import compile_schema, narrow

        errors = compile_schema(self.schema).errors(value)
        return narrow(errors[0]).message if errors else None


@record(frozen=True)  # the methods @dataclass would compile at import (apilint.common.records)
class Rule:
    """A rule file's metadata (rules/<name>.yaml), as the engine, reports and docs read it."""

    code: str
    name: str
    severity: Severity
    category: str
    #: The check function's name in apilint.checks ("" for scope engine).
    check: str
    api: tuple[ApiKind, ...]
    versions: tuple[Version, ...]
    #: What the check reads (apilint.document.model.FACTS): it runs on an API built from
    #: resources only when the front end provides all of it.
    needs: frozenset[str]
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
    #: For scope "drift": the stage's export the examples are compared with.
    example_deployed: str = field(default="", compare=False, hash=False)
    default_enabled: bool = True
    #: The AWS message or documentation sentence that shows the severity (required for errors).
    evidence: tuple[Evidence, ...] = ()
    #: "definition" (runs on each API definition), "template" (on a CloudFormation template),
    #: "account" (on a definition, with what the AWS account says about its functions),
    #: "drift" (on a definition, with the model of a stage's export) or
    #: "engine" (made by the engine, no check function).
    scope: AnyScope = "definition"
    #: "safe" or "unsafe" when the check attaches fixes (`lint --fix`), else None.
    fixable: str | None = None
    #: A definition and what `--fix` makes of it, when that is not bad → good example.
    fix_example: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __init__(
        self,
        code: str,
        name: str,
        severity: Severity,
        category: str,
        check: str,
        api: tuple[ApiKind, ...],
        versions: tuple[Version, ...],
        needs: frozenset[str],
        tags: tuple[str, ...],
        summary: str,
        rationale: str,
        fix: str,
        references: tuple[Reference, ...],
        options: tuple[Option, ...],
        bad_example: str,
        good_example: str,
        example_options: dict[str, Any] = FACTORY,
        example_inventory: tuple[dict[str, Any], ...] = (),
        example_deployment: dict[str, Any] = FACTORY,
        example_deployed: str = "",
        default_enabled: bool = True,
        evidence: tuple[Evidence, ...] = (),
        scope: AnyScope = "definition",
        fixable: str | None = None,
        fix_example: dict[str, str] = FACTORY,
    ) -> None:
        # Frozen: the fields go in the instance's dict at once (143 rules are made on each run).
        vars(self).update(
            code=code,
            name=name,
            severity=severity,
            category=category,
            check=check,
            api=api,
            versions=versions,
            needs=needs,
            tags=tags,
            summary=summary,
            rationale=rationale,
            fix=fix,
            references=references,
            options=options,
            bad_example=bad_example,
            good_example=good_example,
            example_options={} if example_options is FACTORY else example_options,
            example_inventory=example_inventory,
            example_deployment={} if example_deployment is FACTORY else example_deployment,
            example_deployed=example_deployed,
            default_enabled=default_enabled,
            evidence=evidence,
            scope=scope,
            fixable=fixable,
            fix_example={} if fix_example is FACTORY else fix_example,
        )

    @classmethod
    def made_of(cls, fields: dict[str, Any]) -> Rule:
        """The rule of these values, one for every field, as __init__ would store them: the
        catalog's 143 rules are made on every run, and passing 25 keywords to __init__ took a
        third of that."""
        rule = object.__new__(cls)
        vars(rule).update(fields)
        return rule

    @property
    def fix_before(self) -> str:
        return self.fix_example.get("before", self.bad_example)

    @property
    def fix_after(self) -> str:
        return self.fix_example.get("after", self.good_example)

    def applies_to(self, kind: str, version: str) -> bool:
        family = version if version in ("2.0", "3.0", "3.1") else "other"
        return kind in self.api and (family in self.versions or family == "other")

    def runs_on(self, provided: frozenset[str]) -> bool:
        """The API's document provides every fact the rule needs."""
        return self.needs <= provided

    @property
    def needs_document(self) -> bool:
        return "document" in self.needs

    @property
    def on_resources(self) -> bool:
        """It also runs on APIs built from resources (CloudFormation, CDK, Terraform)."""
        return self.scope == "engine" or (self.scope != "template" and not self.needs_document)

    @property
    def where_it_runs(self) -> str:
        """OpenAPI definitions only, or also APIs built from resources (docs, explain)."""
        if self.scope == "template":
            return "CloudFormation/SAM templates"
        if self.scope == "engine":
            return (
                "suppressions: `x-apilint-ignore` in OpenAPI definitions, and in the `Metadata` "
                "of CloudFormation resources an API is built from"
            )
        if self.needs_document:
            return "OpenAPI definitions only (it reads the document itself)"
        return (
            "OpenAPI definitions, and APIs built from CloudFormation resources (CDK output) or "
            f"Terraform resources (it reads {', '.join(sorted(self.needs))})"
        )

    def default_options(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def as_dict(self, enabled: bool | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "category": self.category,
            "api": list(self.api),
            "versions": list(self.versions),
            "needs": sorted(self.needs),
            "tags": list(self.tags),
            "summary": self.summary,
            "rationale": self.rationale,
            "fix": self.fix,
            "references": [{"title": r.title, "url": r.url} for r in self.references],
            "evidence": [
                {"quote": e.quote, "source": {"title": e.source.title, "url": e.source.url}}
                for e in self.evidence
            ],
            "options": [
                {
                    "name": o.name,
                    "default": o.default,
                    "schema": o.schema,
                    "description": o.description,
                }
                for o in self.options
            ],
            "examples": {"bad": self.bad_example, "good": self.good_example},
            "scope": self.scope,
        }
        if self.fixable is not None:
            out["fixable"] = self.fixable
        if self.fix_example:
            out["fix-example"] = dict(self.fix_example)
        if enabled is not None:
            out["enabled"] = enabled
        return out


def rules_dir() -> Path:
    package = Path(__file__).resolve().parent.parent  # apilint/
    packaged = package / "_rules"  # inside an installed wheel
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"  # a source checkout


def default_check(name: str) -> str:
    """The check function a rule runs unless its file names another: `method-unauthenticated`
    runs `method_unauthenticated`."""
    return name.replace("-", "_")


def _parse(data: dict[str, Any]) -> Rule:
    examples = data["examples"]
    get = data.get
    scope = cast(Scope, get("scope", "definition"))
    options = get("options")
    evidence = get("evidence")
    # Every field, by name (tests/test_rule_api.py): the rule is made from them at once.
    return Rule.made_of(
        {
            "code": data["code"],
            "name": data["name"],
            "severity": Severity.parse(data["severity"]),
            "category": data["category"],
            "check": "" if scope == "engine" else get("check") or default_check(data["name"]),
            "api": tuple(data["api"]),
            "versions": tuple(data["versions"]),
            "needs": frozenset(data["needs"]),
            "tags": tuple(get("tags", ())),
            "summary": data["summary"].strip(),
            "rationale": data["rationale"].strip(),
            "fix": data["fix"].strip(),
            "references": tuple([Reference(r["title"], r["url"]) for r in data["references"]]),
            "options": tuple(
                [
                    Option(name, spec["default"], spec["description"].strip(), spec["schema"])
                    for name, spec in options.items()
                ]
            )
            if options
            else (),
            "bad_example": examples["bad"],
            "good_example": examples["good"],
            "example_options": dict(examples.get("options") or {}),
            "example_inventory": tuple(examples.get("inventory") or ()),
            "example_deployment": dict(examples.get("deployment") or {}),
            "example_deployed": examples.get("deployed", ""),
            "default_enabled": get("enabled", True),
            "evidence": tuple(
                [
                    Evidence(
                        " ".join(e["quote"].split()),
                        Reference(e["source"]["title"], e["source"]["url"]),
                    )
                    for e in evidence
                ]
            )
            if evidence
            else (),
            "scope": scope,
            "fixable": get("fixable"),
            "fix_example": dict(get("fix-example") or {}),
        }
    )


#: The rule files compiled into one JSON document, with a checksum of the sources it was made
#: from. Parsing 100+ YAML files and validating them costs ~60 ms on every run; reading this
#: costs ~3. It is never committed (every rule change would rewrite it, so any two would
#: conflict): the wheel carries one made at build time (hatch_build.py), and a source checkout
#: caches one per user, named by the files' stamp (rules_stamp), so an edited rule always
#: takes effect.
CATALOG = "catalog.json"


def _sources(directory: Path) -> tuple[str, list[tuple[Path, bytes]]]:
    import zlib

    files = [(p, p.read_bytes()) for p in sorted(directory.glob("*.yaml"))]
    checksum = zlib.crc32((directory / "rule.schema.json").read_bytes())
    for path, blob in files:
        checksum = zlib.crc32(path.name.encode() + b"\0" + blob, checksum)
    return f"{checksum:08x}-{len(files)}", files


def _read_sources(
    directory: Path, files: list[tuple[Path, bytes]]
) -> list[tuple[str, dict[str, Any]]]:
    """(file name, rule data) of every rule file, validated against rule.schema.json."""
    import yaml

    from apilint.common.validate import compile_schema, iter_narrowed

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


def _catalog_json(checksum: str, entries: list[tuple[str, dict[str, Any]]]) -> str:
    return (
        json.dumps(
            {
                "checksum": checksum,
                "rules": [{"file": name, "rule": data} for name, data in entries],
            },
            indent=1,
        )
        + "\n"
    )


def catalog_text(directory: Path | None = None) -> str:
    """The catalog for the rule files as they are now (validated: a bad rule raises)."""
    directory = directory or rules_dir()
    checksum, files = _sources(directory)
    return _catalog_json(checksum, _read_sources(directory, files))


def rules_stamp(directory: Path) -> str | None:
    """A key for the rule files as they are now: the folder, and each file's name, size,
    inode, modification and change time. Reading and checksumming all 140 files to find the
    cached catalog was a twentieth of a pre-commit run; their stat is a tenth of that. The
    modification time alone can be set back (`cp -p`, `rsync -a`, tar, Nix's fixed dates) to
    an edited file of the same size; the change time cannot. None when the folder cannot be
    listed."""
    import zlib

    folder = os.fspath(directory)  # joined as text: a Path per file costs more than its stat
    key, count = zlib.crc32(os.path.realpath(folder).encode(errors="surrogateescape")), 0
    try:
        with os.scandir(folder) as found:
            names = sorted(e.name for e in found if e.name.endswith(".yaml"))
        for name in (*names, "rule.schema.json"):
            info = os.stat(os.path.join(folder, name))
            stamp = (
                f"{name}\0{info.st_size}\0{info.st_ino}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0"
            )
            key = zlib.crc32(stamp.encode(errors="surrogateescape"), key)
            count += 1
    except OSError:
        return None
    return f"{key:08x}-{count}"


def cached_catalog(stamp: str | None) -> Path | None:
    """The user's cached catalog for rule files of this stamp. It is the catalog's JSON data
    marshalled: read on every run from a source checkout, it loads in half the time orjson
    parses the JSON (0.6 ms less; the catalog holds JSON's types only, which every marshal
    version since Python 3.4 writes alike)."""
    where = cache_dir()
    return where / f"catalog-{stamp}.marshal" if where is not None and stamp else None


#: Cached catalogs kept besides the one just written: switching between a few checkouts or
#: branches stays fast, and editing rules all day does not fill the disk.
CACHE_KEEP = 8


def _packaged(raw: bytes | None, checksum: str) -> Any:
    """A wheel's catalog (hatch_build.py puts it beside the rule files), when it was made from
    rule files of this checksum; else None (missing, stale, damaged)."""
    if raw is None:
        return None
    import orjson  # 4x faster than json on the 460 KB catalog

    try:
        catalog = orjson.loads(raw)
    except ValueError:
        return None
    return catalog if _entries_of(catalog, checksum) is not None else None


#: What a cached catalog starts with: then the stamp it was written for, the CRC-32 of the
#: payload (the marshalled catalog), each ended by a NUL, and the payload.
_SEAL = b"apilint-catalog 1\0"


def _sealed(stamp: str, payload: bytes) -> bytes:
    import zlib

    return _SEAL + f"{stamp}\0{zlib.crc32(payload):08x}\0".encode() + payload


def _read_cached(raw: bytes | None, stamp: str | None) -> list[tuple[str, dict[str, Any]]] | None:
    """The entries of a cached catalog (cached_catalog), or None: missing, damaged (a byte
    changed, a file cut short: its CRC-32 does not match, 0.1 ms), or written for another stamp
    (a catalog renamed in a cache folder another user can write to). A cache may cost speed,
    never change which rules run."""
    if raw is None or stamp is None or not raw.startswith(_SEAL):
        return None
    import marshal
    import zlib

    written, crc, payload = (raw[len(_SEAL) :].split(b"\0", 2) + [b"", b""])[:3]
    if written != stamp.encode() or crc != f"{zlib.crc32(payload):08x}".encode():
        return None
    try:
        return _entries_of(marshal.loads(payload), None)
    except (EOFError, ValueError, TypeError, MemoryError):
        return None


def _entries_of(catalog: Any, checksum: str | None) -> list[tuple[str, dict[str, Any]]] | None:
    try:
        if checksum is None or catalog.get("checksum") == checksum:
            return [(e["file"], e["rule"]) for e in catalog["rules"]]
    except (KeyError, TypeError, AttributeError):
        pass
    return None


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _entries(directory: Path, stamp: str | None) -> list[tuple[str, dict[str, Any]]]:
    """The rule files' data when the user's cache has none for their stamp: from the catalog
    next to them (a wheel's, checked against their content) or parsed and validated; then
    cached. A wheel's catalog is checked once: checksumming its 140 rule files on every run of
    a pre-commit hook (which installs a wheel) cost 1.3 ms, and 19 ms when the disk cache was
    cold."""
    import marshal

    checksum, files = _sources(directory)
    catalog = _packaged(_bytes_of(directory / CATALOG), checksum)
    if catalog is None:
        # What the JSON catalog holds (its types: a run reads the same data either way).
        catalog = json.loads(_catalog_json(checksum, _read_sources(directory, files)))
    if stamp is not None:
        write_cache(cached_catalog(stamp), _sealed(stamp, marshal.dumps(catalog)), CACHE_KEEP)
    return _entries_of(catalog, None) or []


@lru_cache(maxsize=4)
def load_rules(directory: Path | None = None) -> tuple[Rule, ...]:
    """The rules of the rule files, from the user's cache when it holds them (found by the
    files' stamp)."""
    folder = directory or rules_dir()
    stamp = rules_stamp(folder)
    cached = _read_cached(read_cache(cached_catalog(stamp)), stamp)
    if cached is not None:
        try:
            return _rules_of(cached)
        except (RuleDefinitionError, KeyError, TypeError, ValueError, AttributeError):
            pass  # sealed, yet it makes no rules (a bug of an older apilint): the files decide
    return _rules_of(_entries(folder, stamp))


def _rules_of(entries: list[tuple[str, dict[str, Any]]]) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for name, data in entries:
        rule = _parse(data)
        if os.path.splitext(name)[0] != rule.name:  # Path(name).stem, without a Path each
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
    # a Spectral rule's name is its code: each once
    names = list(dict.fromkeys([r.name for r in rules] + [r.code for r in rules]))
    close = close_matches(wanted, names, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `apilint rules` lists them"
    raise KeyError(f"unknown rule {ident!r}{hint}")


#: The selector that names every rule (ruff's spelling).
ALL = "ALL"
_CODE_PREFIX = lazy(r"AGW\d{0,3}", re.IGNORECASE)


def select_rules(selector: str, rules: tuple[Rule, ...] | None = None) -> tuple[Rule, ...]:
    """The rules a selector names, as ruff reads selectors: `ALL`, a code (`AGW301`) or name,
    a code prefix (`AGW3`: every AGW3xx; `AGW30`: AGW300-AGW309), a category (`security`) or a
    custom rules' namespace (`acme/`).
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
    if wanted.endswith("/") and len(wanted) > 1:  # a custom rules' namespace: acme/
        namespaced = tuple(r for r in rules if r.code.lower().startswith(lowered))
        if namespaced:
            return namespaced
    if _CODE_PREFIX().fullmatch(wanted):
        prefixed = tuple(r for r in rules if r.code.startswith(wanted.upper()))
        if prefixed:
            return prefixed
    candidates = list(
        dict.fromkeys(  # a Spectral rule's name is its code: each once
            [r.name for r in rules]
            + [r.code for r in rules]
            + sorted({r.category for r in rules})
            + [ALL]
        )
    )
    close = close_matches(wanted, candidates, n=3, cutoff=0.5)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; a selector is a code (AGW301), a name, a code prefix (AGW3), a category "
        "(security) or ALL: `apilint rules` lists them"
    )
    raise KeyError(f"unknown rule {selector!r}{hint}")


def find_rules_or_error(
    selectors: tuple[str, ...], rules: tuple[Rule, ...] | None = None
) -> list[Rule]:
    """The rules the selectors name, each once, in code order; an unknown selector is a usage
    error naming it (with a did-you-mean)."""
    from apilint.common.errors import UsageError

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
