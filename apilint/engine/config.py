"""Project configuration: `[tool.apilint]` in pyproject.toml or the top level of .apilint.toml.

Found by walking up from each linted file's directory (the nearest wins; `.apilint.toml` beats a
`pyproject.toml` in the same directory, and a pyproject without `[tool.apilint]` is passed over);
`--config FILE` names one for every file. Unknown keys, unknown rules and wrongly typed values
are usage errors (exit 2) naming the file and the key.

Configuration files arrive with the pull request that CI lints, so they are not trusted: what
widens what apilint reads (COMMAND_LINE_ONLY) is refused as a key, `max-file-size` may only lower
the limit, and a nested file may make fail-on stricter than the files above it (and the
repository root's), never more lenient (inherited_fail_on).
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import field
from pathlib import Path, PurePosixPath
from typing import Any

from apilint.catalog.registry import Rule, find_rule, find_rules_or_error
from apilint.common.errors import UsageError
from apilint.common.files import read_text_bounded, repository_root
from apilint.common.findings import FAIL_ON, Severity
from apilint.common.records import FACTORY, record
from apilint.common.text import close_matches
from apilint.document.loader import DEFAULT_MAX_BYTES

KEYS = (
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "severity",
    "options",
    "fail-on",
    "api-type",
    "max-file-size",
    "error-on-no-input",
    "rules",
    "extend",
    "ruleset",
)
#: Settings that widen what apilint reads or fetches. A configuration file arrives with the pull
#: request that CI lints, so these are command-line flags only; the text says why.
COMMAND_LINE_ONLY = {
    "allow-remote-refs": "must not make CI fetch URLs",
    "allow-outside-refs": "must not make CI read files outside the definition's directory "
    "(/etc/passwd, /proc/self/environ)",
}


@record()  # the methods @dataclass would compile at import (apilint.common.records)
class Config:
    """The settings of a configuration file (all defaults without one)."""

    path: Path | None = None  # None: no configuration file
    select: tuple[str, ...] = ()  # rule names (the selectors resolved)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, rule names)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule name -> severity
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule name -> options
    fail_on: str | None = None
    api_type: str | None = None
    max_bytes: int | None = None  # at most DEFAULT_MAX_BYTES: a file may lower the limit only
    #: Exit 2 when the paths hold no API definition (a moved folder must not pass CI silently).
    error_on_no_input: bool = False
    #: Custom rule files and folders (absolute): `rules` and those of the packs it extends.
    custom: tuple[str, ...] = ()
    #: A Spectral ruleset (absolute; inside the configuration file's folder).
    ruleset: str | None = None

    def __init__(
        self,
        path: Path | None = None,
        select: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = (),
        severity: dict[str, Severity] = FACTORY,
        options: dict[str, dict[str, Any]] = FACTORY,
        fail_on: str | None = None,
        api_type: str | None = None,
        max_bytes: int | None = None,
        error_on_no_input: bool = False,
        custom: tuple[str, ...] = (),
        ruleset: str | None = None,
    ) -> None:
        self.path = path
        self.select = select
        self.extend_select = extend_select
        self.ignore = ignore
        self.per_file_ignores = per_file_ignores
        self.severity = {} if severity is FACTORY else severity
        self.options = {} if options is FACTORY else options
        self.fail_on = fail_on
        self.api_type = api_type
        self.max_bytes = max_bytes
        self.error_on_no_input = error_on_no_input
        self.custom = custom
        self.ruleset = ruleset

    def ignored_for(self, file: str) -> tuple[str, ...]:
        """Rule names that per-file-ignores switch off for `file` (globs are relative to the
        configuration file's directory; a glob without a slash also matches the base name)."""
        if not self.per_file_ignores:
            return ()
        base = self.path.parent if self.path else Path.cwd()
        try:
            rel = PurePosixPath(Path(os.path.abspath(file)).relative_to(base).as_posix())
        except ValueError:
            rel = PurePosixPath(Path(file).as_posix())
        names: list[str] = []
        for pattern, rules in self.per_file_ignores:
            # `**/` also stands for no directory at all, as in ruff and .gitignore:
            # `legacy/**/*.yaml` covers legacy/old.yaml, `**/*.yaml` a file at the top.
            if any(
                rel.match(p) or fnmatch.fnmatch(str(rel), p)
                for p in {pattern, pattern.replace("**/", "")}
            ) or ("/" not in pattern and fnmatch.fnmatch(rel.name, pattern)):
                names.extend(rules)
        return tuple(names)


def config_chain(start: Path, load: Callable[[Path], Config]) -> list[Config]:
    """The configurations above `start`, nearest first, loaded by `load`. When the outermost
    file is below the root of the git repository, a default Config stands for the root: a
    nested file must not be taken for the one CI relies on."""
    chain = [load(path) for path in find_configs(start)]
    root = repository_root(_folders(start)[0])
    if (
        chain
        and root is not None
        and chain[-1].path is not None
        and chain[-1].path.parent != root
        and chain[-1].path.is_relative_to(root)
    ):
        chain.append(Config())
    return chain


def _folders(start: Path) -> list[Path]:
    """`start`'s directory and those above it, nearest first."""
    directory = (start if start.is_dir() else start.parent).resolve()
    return [directory, *directory.parents]


def find_configs(start: Path) -> Iterator[Path]:
    """The configuration files above `start`, nearest first: in each directory `.apilint.toml`,
    else a pyproject.toml with a [tool.apilint] table."""
    for folder in _folders(start):
        dotfile = folder / ".apilint.toml"
        pyproject = folder / "pyproject.toml"
        if dotfile.is_file():
            yield dotfile
        elif pyproject.is_file() and _has_tool_table(pyproject):
            yield pyproject


#: fail-on values from the most lenient to the strictest.
_STRICTNESS = ("never", "error", "warning", "info")


def inherited_fail_on(chain: Sequence[Config]) -> str:
    """The fail-on in force under the configuration files `chain` (nearest first): the
    outermost's (default: error), or a nested file's where that is stricter. A nested file can
    arrive with a pull request, below the file CI relies on: it may tighten the gate, never
    loosen it (leaving fail-on out keeps the outer value)."""
    values = [c.fail_on for c in chain[:-1] if c.fail_on] + [chain[-1].fail_on or "error"]
    return max(values, key=_STRICTNESS.index)


def _has_tool_table(path: Path) -> bool:
    try:
        text = read_text_bounded(path)
    except (OSError, UnicodeDecodeError):
        return False
    # A cheap look before parsing: most pyproject files have no [tool.apilint].
    return "tool.apilint" in text or "[tool]" in text and "apilint" in text


def load_config(path: Path) -> Config:
    # Imported here: most runs find no configuration, and start-up is a pre-commit hook's time.
    from apilint.engine.packs import read_table

    where = str(path)
    raw = read_table(path)
    if path.name == "pyproject.toml":
        table = raw.get("tool", {}).get("apilint", {})
        prefix = "tool.apilint."
    else:
        table, prefix = raw, ""
    if not isinstance(table, dict):
        raise UsageError(f"{where}: {prefix.rstrip('.') or 'the file'} must be a table")
    return parse_config(table, path, prefix)


#: How deep packs may extend packs (a cycle must end in an error, not a recursion).
MAX_PACK_DEPTH = 8


def parse_config(table: dict[str, Any], path: Path, prefix: str = "", depth: int = 0) -> Config:
    """A configuration table, with the packs it extends merged under it."""
    from apilint.engine.packs import load_pack, merge, pack_folder

    if depth > MAX_PACK_DEPTH:
        raise UsageError(f"{path}: extend: packs extend each other more than {MAX_PACK_DEPTH} deep")
    extend = table.get("extend", [])
    extend = [extend] if isinstance(extend, str) else extend
    if not isinstance(extend, list) or not all(isinstance(e, str) for e in extend):
        raise UsageError(f"{path}: {prefix}extend: expected a list of rule packs")
    packs = [
        load_pack(pack_folder(e, path), lambda t, p: parse_config(t, p, "", depth + 1))
        for e in extend
    ]
    config = _parse_own(table, path, prefix, tuple(s for p in packs for s in p.custom))
    base = Config()
    for pack in packs:
        base = merge(base, pack)
    return merge(base, config)


def _parse_own(
    table: dict[str, Any], path: Path, prefix: str, inherited: tuple[str, ...]
) -> Config:
    from apilint.engine.packs import local_sources
    from apilint.engine.ruleset import rule_set

    where = str(path)

    def fail(key: str, problem: str) -> UsageError:
        return UsageError(f"{where}: {prefix}{key}: {problem}")

    for key in table:
        if key in COMMAND_LINE_ONLY:
            raise fail(
                key,
                f"is a command-line flag only (--{key}): a configuration file "
                f"arrives with the pull request and {COMMAND_LINE_ONLY[key]}",
            )
        if key not in KEYS:
            close = close_matches(key, KEYS, n=1)
            hint = (
                f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
            )
            raise fail(key, f"unknown key{hint}")
    own = local_sources(table["rules"], path, prefix + "rules") if "rules" in table else []
    custom = tuple(dict.fromkeys((*inherited, *(str(p) for p in own))))
    rules = rule_set(custom).rules
    ruleset = _ruleset(table["ruleset"], path, prefix) if "ruleset" in table else None
    if ruleset is not None:  # its rules may be selected, ignored and re-graded here too
        from apilint.custom.spectral import catalog

        rules += tuple({r.code: r for r in catalog(ruleset)}.values())

    def rule_list(key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(
                key,
                "expected a list of rule selectors (codes, names, code prefixes "
                "such as AGW3, categories such as security, or ALL)",
            )
        try:
            return tuple(r.name for r in find_rules_or_error(tuple(value), rules))
        except UsageError as exc:
            raise fail(key, exc.message) from None

    config = Config(path=path, custom=custom)
    config.select = rule_list("select", table.get("select", []))
    config.extend_select = rule_list("extend-select", table.get("extend-select", []))
    config.ignore = rule_list("ignore", table.get("ignore", []))
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise fail("per-file-ignores", "expected a table of glob = [rules]")
    config.per_file_ignores = tuple(
        (glob, rule_list(f"per-file-ignores.{glob}", value)) for glob, value in per_file.items()
    )
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise fail("severity", 'expected a table of rule = "error" | "warning" | "info"')
    for ident, level in severity.items():
        rule = _rule(ident, rules, fail, "severity")
        try:
            config.severity[rule.name] = Severity.parse(level if isinstance(level, str) else "?")
        except ValueError:
            raise fail(f"severity.{ident}", f"{level!r} is not error, warning or info") from None
    options = table.get("options", {})
    if not isinstance(options, dict):
        raise fail("options", "expected a table of [options.<rule>] tables")
    for ident, values in options.items():
        rule = _rule(ident, rules, fail, "options")
        if not isinstance(values, dict):
            raise fail(f"options.{ident}", "expected a table of option = value")
        known = {o.name: o for o in rule.options}
        for name, value in values.items():
            if name not in known:
                close = close_matches(name, sorted(known), n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"{rule.name} takes {', '.join(sorted(known)) or 'no options'}"
                )
                raise fail(f"options.{ident}.{name}", f"unknown option ({hint})")
            problem = known[name].problem(value)
            if problem:
                raise fail(f"options.{ident}.{name}", problem)
        config.options[rule.name] = dict(values)
    fail_on = table.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise fail("fail-on", f"{fail_on!r} is not one of {', '.join(FAIL_ON)}")
    config.fail_on = fail_on
    api_type = table.get("api-type")
    if api_type is not None and api_type not in ("rest", "http", "auto"):
        raise fail("api-type", f"{api_type!r} is not rest, http or auto")
    config.api_type = None if api_type == "auto" else api_type
    if "max-file-size" in table:
        try:
            config.max_bytes = parse_size(table["max-file-size"])
        except ValueError as exc:
            raise fail("max-file-size", str(exc)) from None
        if config.max_bytes > DEFAULT_MAX_BYTES:
            raise fail(
                "max-file-size",
                f"{table['max-file-size']!r} is over the default "
                f"{DEFAULT_MAX_BYTES:,} bytes: a configuration file arrives with the pull "
                "request and may only lower the limit (--max-file-size raises it)",
            )
    no_input = table.get("error-on-no-input", False)
    if not isinstance(no_input, bool):
        raise fail("error-on-no-input", f"{no_input!r} is not true or false")
    config.error_on_no_input = no_input
    config.ruleset = ruleset
    return config


def _ruleset(value: Any, path: Path, prefix: str) -> str:
    """The Spectral ruleset a configuration names, relative to it and inside its repository
    (the file arrives with the pull request; --ruleset on the command line may name any)."""
    from apilint.engine.packs import local_sources

    if not isinstance(value, str) or not value:
        raise UsageError(f"{path}: {prefix}ruleset: expected the path of a Spectral ruleset")
    (target,) = local_sources(value, path, prefix + "ruleset")
    if not target.is_file():
        raise UsageError(f"{path}: {prefix}ruleset: {value!r} is a folder, not a ruleset file")
    return str(target)


_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}


def parse_size(value: Any) -> int:
    """Bytes from 6291456, "6MB", "512 KB" (binary units)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number, unit = value, ""
    else:
        m = re.fullmatch(r"\s*(\d+)\s*([kKmMgG]?[bB]?)\s*", str(value))
        if m is None:
            raise ValueError(f"{value!r} is not a size such as 6MB, 512KB or 1048576")
        number, unit = int(m.group(1)), m.group(2).lower()
        unit = unit if unit.endswith("b") or not unit else unit + "b"
    if number <= 0:
        raise ValueError(f"{value!r} must be more than 0 bytes")
    return number * _UNITS[unit]


def _rule(ident: Any, rules: tuple[Rule, ...], fail: Any, key: str) -> Rule:
    try:
        return find_rule(str(ident), rules)
    except KeyError as exc:
        raise fail(key, exc.args[0]) from None
