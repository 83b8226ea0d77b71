"""Custom rule sources of a configuration: `rules` (folders or files of rule files) and `extend`
(rule packs: a local folder, or an installed package registered under the entry point group
`apilint.rules`).

A pack is a folder with a `rules/` folder of rule files and, optionally, an `apilint.toml` that
sets selection, severities and options for its rules (keys PACK_KEYS); the configuration that
extends it overrides what it sets (merge).

A configuration arrives with the pull request that CI lints: a local folder it names must lie
inside the repository (or the configuration's folder outside one), never /etc or a home folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from apilint.common.errors import UsageError
from apilint.common.files import read_text_bounded, repository_root

#: apilint.engine.config.Config (which imports this module).
C = TypeVar("C")

ENTRY_POINT_GROUP = "apilint.rules"
PACK_CONFIG = "apilint.toml"
#: What a pack's apilint.toml may set.
PACK_KEYS = (
    "select",
    "extend-select",
    "ignore",
    "severity",
    "options",
    "rules",
    "extend",
    "ruleset",
)


def local_sources(value: Any, config_path: Path, key: str) -> list[Path]:
    """The rule files and folders `rules = [...]` names, relative to the configuration."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{config_path}: {key}: expected a list of rule folders or files")
    folder = config_path.resolve().parent
    root = repository_root(folder) or folder
    out = []
    for entry in value:
        path = (config_path.parent / entry).resolve()
        if not path.is_relative_to(root):
            raise UsageError(
                f"{config_path}: {key}: {entry!r} lies outside {root}: a configuration arrives "
                "with the pull request and must not make CI read files outside the repository"
            )
        if not path.exists():
            raise UsageError(f"{config_path}: {key}: {entry!r}: no such file or folder")
        out.append(path)
    return out


def pack_folder(entry: str, config_path: Path) -> Path:
    """Where the pack `entry` lives: a local folder (a path: it has a / or starts with .) or the
    folder of the installed package whose `apilint.rules` entry point (or distribution) has
    that name."""
    if "/" in entry or entry.startswith(".") or "\\" in entry:
        (path,) = local_sources([entry], config_path, "extend")
        if not path.is_dir():
            raise UsageError(f"{config_path}: extend: {entry!r} is not a folder")
        return path
    import importlib
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep.dist, "name", None)
        if entry in (ep.name, dist):
            try:
                module = importlib.import_module(ep.module)
            except ImportError as exc:
                raise UsageError(
                    f"{config_path}: extend: cannot import pack {entry!r} ({exc})"
                ) from None
            if module.__file__ is None:
                raise UsageError(f"{config_path}: extend: pack {entry!r} has no folder")
            return Path(module.__file__).resolve().parent
    raise UsageError(
        f"{config_path}: extend: no rule pack {entry!r}: not a folder (write ./{entry}) and no "
        f"installed package registers it under the entry point group {ENTRY_POINT_GROUP!r}"
    )


def read_table(path: Path) -> dict[str, Any]:
    """A TOML file's top-level table (UsageError naming the file when it cannot be read)."""
    # Imported here: most lint runs read no configuration file (tests/test_startup.py).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    where = str(path)
    try:
        table: dict[str, Any] = tomllib.loads(read_text_bounded(path))
        return table
    except OSError as exc:
        raise UsageError(f"cannot read configuration {where}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"{where}: configuration is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{where}: invalid TOML: {exc}") from None


def load_pack(folder: Path, parse: Callable[[dict[str, Any], Path], C]) -> C:
    """A pack's configuration (its apilint.toml, or none), its `rules/` folder the default `rules`."""
    config_path = folder / PACK_CONFIG
    rules = folder / "rules"
    if config_path.is_file():
        table = read_table(config_path)
        for key in table:
            if key not in PACK_KEYS:
                raise UsageError(
                    f"{config_path}: {key}: a rule pack sets {', '.join(PACK_KEYS)} only"
                )
    else:
        table = {}
    if "rules" not in table and rules.is_dir():
        table = {**table, "rules": ["rules"]}  # before its settings, which name its rules
    return parse(table, config_path)


def merge(base: Any, top: C) -> C:
    """`top` (the configuration that extends) over `base` (a pack): top's selection replaces the
    pack's when it has one, ignores and extra selections add up, severities and options of top
    win rule by rule."""
    options = {name: dict(values) for name, values in base.options.items()}
    over: Any = top
    for name, values in over.options.items():
        options[name] = {**options.get(name, {}), **values}
    merged: C = replace(
        over,
        select=over.select or base.select,
        extend_select=base.extend_select + over.extend_select,
        ignore=base.ignore + over.ignore,
        per_file_ignores=base.per_file_ignores + over.per_file_ignores,
        severity={**base.severity, **over.severity},
        options=options,
        custom=tuple(dict.fromkeys(base.custom + over.custom)),
        ruleset=over.ruleset or base.ruleset,  # a pack may ship a Spectral ruleset
    )
    return merged
