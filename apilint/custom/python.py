"""Python rules: a rule file whose `check: module:function` names a check written in Python,
with the signature of a built-in check: `(api, options) -> Iterable[Violation]`.

The module is imported by name, from the environment apilint runs in: an installed package (a
rule pack registered under the entry point group `apilint.rules`) or a module on PYTHONPATH.
A rule file never names a path to execute: configuration arrives with the pull request that CI
lints, and must not make CI run code from it. For the same reason the working directory (which
`python -m apilint` puts on sys.path) is not searched unless PYTHONPATH names it: a module the
pull request adds beside its configuration is never imported.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from apilint.checks import Check
from apilint.custom.errors import rule_error


def import_check(spec: str, path: Path) -> Check:
    """The function `module:function` names (UsageError naming the rule file and `check`)."""
    module_name, _, function = spec.partition(":")
    try:
        with _working_directory_unsearched():
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


@contextmanager
def _working_directory_unsearched() -> Iterator[None]:
    """sys.path without the working directory ("" or its path) while the block runs, unless
    PYTHONPATH names that directory (the environment is trusted; the checkout is not)."""
    cwd = os.path.realpath(os.getcwd())
    trusted = {os.path.realpath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    saved = list(sys.path)
    sys.path[:] = [
        p
        for p in saved
        if os.path.realpath(p or os.curdir) != cwd or os.path.realpath(p) in trusted
    ]
    try:
        yield
    finally:
        sys.path[:] = saved
