"""Project configuration: `[tool.apilint]` in pyproject.toml or the top level of .apilint.toml.

Found by walking up from each linted file's directory (the nearest wins; `.apilint.toml` beats a
`pyproject.toml` in the same directory, and a pyproject without `[tool.apilint]` is passed over);
`--config FILE` names one for every file. Unknown keys, unknown rules and wrongly typed values
are usage errors (exit 2) naming the file and the key.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from apilint.errors import UsageError
from apilint.findings import Severity
from apilint.registry import Rule, find_rule, load_rules

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "severity", "options", "fail-on",
        "api-type", "max-file-size", "allow-outside-refs")
FAIL_ON = ("error", "warning", "info", "never")


@dataclass
class Config:
    path: Path | None = None  # None: no configuration file
    select: tuple[str, ...] = ()  # rule names
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (glob, rule names)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule name -> severity
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule name -> options
    fail_on: str | None = None
    api_type: str | None = None
    max_bytes: int | None = None
    allow_outside_refs: bool = False

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
            if rel.match(pattern) or fnmatch.fnmatch(str(rel), pattern) or (
                    "/" not in pattern and fnmatch.fnmatch(rel.name, pattern)):
                names.extend(rules)
        return tuple(names)


def find_config(start: Path) -> Path | None:
    """The nearest .apilint.toml, or pyproject.toml with a [tool.apilint] table, above `start`."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        dotfile = folder / ".apilint.toml"
        if dotfile.is_file():
            return dotfile
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    # A cheap look before parsing: most pyproject files have no [tool.apilint].
    return "tool.apilint" in text or "[tool]" in text and "apilint" in text


def load_config(path: Path) -> Config:
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read configuration {where}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{where}: configuration is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = raw.get("tool", {}).get("apilint", {})
        prefix = "tool.apilint."
    else:
        table, prefix = raw, ""
    if not isinstance(table, dict):
        raise UsageError(f"{where}: {prefix.rstrip('.') or 'the file'} must be a table")
    return parse_config(table, path, prefix)


def parse_config(table: dict[str, Any], path: Path, prefix: str = "") -> Config:
    where = str(path)

    def fail(key: str, problem: str) -> UsageError:
        return UsageError(f"{where}: {prefix}{key}: {problem}")

    for key in table:
        if key == "allow-remote-refs":
            raise fail(key, "is a command-line flag only (--allow-remote-refs): a configuration "
                            "file arrives with the pull request and must not make CI fetch URLs")
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(KEYS)})"
            raise fail(key, f"unknown key{hint}")
    rules = load_rules()

    def rule_list(key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "expected a list of rule codes or names")
        return tuple(_rule(v, rules, fail, key).name for v in value)

    config = Config(path=path)
    config.select = rule_list("select", table.get("select", []))
    config.extend_select = rule_list("extend-select", table.get("extend-select", []))
    config.ignore = rule_list("ignore", table.get("ignore", []))
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise fail("per-file-ignores", "expected a table of glob = [rules]")
    config.per_file_ignores = tuple(
        (glob, rule_list(f"per-file-ignores.{glob}", value)) for glob, value in per_file.items())
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise fail("severity", "expected a table of rule = \"error\" | \"warning\" | \"info\"")
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
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = (f"did you mean {close[0]!r}?" if close else
                        f"{rule.name} takes {', '.join(sorted(known)) or 'no options'}")
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
    outside = table.get("allow-outside-refs", False)
    if not isinstance(outside, bool):
        raise fail("allow-outside-refs", f"{outside!r} is not true or false")
    config.allow_outside_refs = outside
    return config


_UNITS = {"": 1, "b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}


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
