"""`--lambda-inventory`: the account's Lambda functions from saved AWS CLI output, for CI runs
without credentials.

Each file (or each `*.json` file of a folder) holds the JSON output of one of
`aws lambda list-functions`, `get-function`, `list-aliases`, `list-versions-by-function` or
`get-policy`, as the CLI prints it, or a list of such outputs. get-policy output names its
function in each statement's `Resource`. An empty list-aliases output names no function, so
once any list-aliases (or get-policy) output is given, a function without one counts as having
no aliases (or no resource policy): save them for every function, or for none.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from apilint.common.errors import UsageError
from apilint.common.files import read_text_bounded
from apilint.document.loader import DEFAULT_MAX_BYTES
from apilint.model.inventory import FunctionInfo, Inventory, policy_statements
from apilint.model.lambdas import FunctionRef, resolve_function

_SHAPES = ("Functions", "Configuration", "Aliases", "Versions", "Policy")


def read_inventory(paths: list[str], default_region: str | None = None) -> Inventory:
    outputs = [(str(file), item) for file in _files(paths) for item in _load(file)]
    source = "the Lambda inventory" + (f" {Path(paths[0]).name}" if len(paths) == 1 else "")
    return build_inventory(outputs, default_region, source)


def build_inventory(
    outputs: list[tuple[str, dict[str, Any]]], default_region: str | None, source: str
) -> Inventory:
    """An inventory from (file, CLI output) pairs."""
    inventory = Inventory(default_region=default_region, source=source)
    for file, item in outputs:  # functions first: aliases and policies attach to them
        for config in _configs(item):
            _add_function(inventory, config, file)
    for file, item in outputs:
        if "Aliases" in item or "Versions" in item:
            inventory.qualifiers_known = True
        for alias in item.get("Aliases") or ():
            _qualifier(inventory, _ref(alias, "AliasArn", file), file)
        for version in item.get("Versions") or ():
            _qualifier(inventory, _ref(version, "FunctionArn", file), file)
        if "Policy" in item:
            _add_policy(inventory, item["Policy"], file)
            inventory.policies_known = True
    return inventory


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(path.glob("*.json"))
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"--lambda-inventory {name}: no such file or folder")


def _load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(read_text_bounded(path, DEFAULT_MAX_BYTES, "utf-8-sig"))
    except OSError as exc:
        raise UsageError(f"--lambda-inventory {path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"--lambda-inventory {path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"--lambda-inventory {path}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}"
        ) from None
    items = data if isinstance(data, list) else [data]
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not any(k in item for k in _SHAPES):
            where = f" item {i}" if isinstance(data, list) else ""
            raise UsageError(
                f"--lambda-inventory {path}{where}: not the output of aws lambda "
                "list-functions, get-function, list-aliases, "
                "list-versions-by-function or get-policy"
            )
    return items


def _configs(item: dict[str, Any]) -> list[Any]:
    configs = list(item.get("Functions") or ())
    if item.get("Configuration") is not None:
        configs.append(item["Configuration"])
    return configs


def _ref(entry: Any, key: str, file: str) -> FunctionRef:
    """The function (region, account, name, qualifier) an entry's ARN names."""
    arn = entry.get(key) if isinstance(entry, dict) else None
    ref = resolve_function(arn, None) if isinstance(arn, str) else None
    if not isinstance(ref, FunctionRef) or ref.region is None:
        raise UsageError(
            f"--lambda-inventory {file}: an entry without a valid {key}: {json.dumps(entry)[:120]}"
        )
    return ref


def _add_function(inventory: Inventory, config: Any, file: str) -> None:
    ref = _ref(config, "FunctionArn", file)
    info = inventory.functions.setdefault(
        (str(ref.region), ref.name), FunctionInfo(ref.name, str(ref.region), ref.account)
    )
    version = config.get("Version")
    if isinstance(version, str) and version != "$LATEST":
        _known(info).add(version)


def _known(info: FunctionInfo) -> set[str]:
    if info.qualifiers is None:
        info.qualifiers = set()
    return info.qualifiers


def _qualifier(inventory: Inventory, ref: FunctionRef, file: str) -> None:
    known = _known(_listed(inventory, ref, file, f"the alias or version {ref.label!r}"))
    if ref.qualifier and ref.qualifier != "$LATEST":
        known.add(ref.qualifier)


def _listed(inventory: Inventory, ref: FunctionRef, file: str, what: str) -> FunctionInfo:
    info = inventory.functions.get((str(ref.region), ref.name))
    if info is None:
        raise UsageError(
            f"--lambda-inventory {file}: {what} belongs to function "
            f"{ref.name!r}, which no list-functions/get-function output lists"
        )
    return info


def _add_policy(inventory: Inventory, policy: Any, file: str) -> None:
    try:
        statements = policy_statements(policy)
    except (ValueError, AttributeError):
        raise UsageError(
            f"--lambda-inventory {file}: Policy is not a JSON policy document"
        ) from None
    by_target: dict[FunctionRef, list[dict[str, Any]]] = {}
    for st in statements:
        resource = st.get("Resource")
        ref = resolve_function(resource, None) if isinstance(resource, str) else None
        if isinstance(ref, FunctionRef) and ref.region is not None:
            by_target.setdefault(ref, []).append(st)
    if not by_target:
        raise UsageError(f"--lambda-inventory {file}: no statement names its function in Resource")
    for ref, group in by_target.items():
        info = _listed(inventory, ref, file, f"the policy of {ref.label!r}")
        info.policies[ref.qualifier] = info.policies.get(ref.qualifier, ()) + tuple(group)
