"""`functionOptionsFrom`: a declarative rule's function options taken from the rule's own
`options`, as configured (the rule's default, a pack's value, the repository's), so that a pack's
rule takes each repository's values without a copy of the rule.

The rule is compiled once for each set of option values a run uses; the defaults are compiled
when the rule loads, so a reference to an undeclared option or a default the function refuses is
a broken rule file (exit 2) like any other.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from apilint.checks import Check, Violation
from apilint.common.errors import UsageError
from apilint.custom.errors import rule_error

Compile = Callable[[dict[str, Any], Path], Check]


def option_check(data: dict[str, Any], path: Path, compile_rule: Compile) -> Check:
    defaults = {name: spec["default"] for name, spec in (data.get("options") or {}).items()}
    listed = isinstance(data["then"], list)
    for i, then in enumerate(data["then"] if listed else [data["then"]]):
        where = f"then[{i}]" if listed else "then"
        for key, name in (then.get("functionOptionsFrom") or {}).items():
            if name not in defaults:
                raise rule_error(
                    path, f"{where}.functionOptionsFrom.{key}: the rule declares no option {name!r}"
                )
    compiled: dict[str, Check] = {}

    def compiled_for(values: dict[str, Any]) -> Check:
        key = json.dumps(values, sort_keys=True, default=str)
        if key not in compiled:
            compiled[key] = compile_rule(_substituted(data, values), path)
        return compiled[key]

    compiled_for(defaults)

    def check(api: Any, options: dict[str, Any]) -> Iterable[Violation]:
        values = {name: options.get(name, default) for name, default in defaults.items()}
        try:
            rule = compiled_for(values)
        except UsageError as exc:  # a configured value the option's schema let through
            raise ValueError(
                f"the rule's options do not suit its functions: {exc.message}"
            ) from None
        return rule(api, options)

    return check


def _substituted(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """The rule with each `functionOptionsFrom` written into its `functionOptions`."""
    out = copy.deepcopy(data)
    for then in out["then"] if isinstance(out["then"], list) else [out["then"]]:
        taken = then.pop("functionOptionsFrom", None) or {}
        then["functionOptions"] = {
            **(then.get("functionOptions") or {}),
            **{key: values[name] for key, name in taken.items()},
        }
    return out
