"""Python rules: a rule file whose `check: module:function` names a check written in Python,
with the signature of a built-in check: `(api, options) -> Iterable[Violation]`.

The module is imported by name, from the environment apilint runs in: an installed package (a
rule pack registered under the entry point group `apilint.rules`) or a module on PYTHONPATH.
A rule file never names a path to execute: configuration arrives with the pull request that CI
lints, and must not make CI run code from it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import cast

from apilint.checks import Check
from apilint.custom.errors import rule_error


def import_check(spec: str, path: Path) -> Check:
    """The function `module:function` names (UsageError naming the rule file and `check`)."""
    module_name, _, function = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise rule_error(
            path,
            f"check: cannot import {module_name!r} ({exc}); install the package that ships it "
            "or put it on PYTHONPATH",
        ) from None
    fn = getattr(module, function, None)
    if not callable(fn):
        raise rule_error(path, f"check: {module_name} has no function {function!r}")
    return cast(Check, fn)
