"""The `apilint` executable and `python -m apilint`: start-up as short as the command allows.

The common `lint` command lines run without importing typer (apilint.commands.quick); the
cyclic collector stays off while modules are imported (thousands of long-lived objects, none
to free) and what they made is frozen out of later collections; the process ends without the
interpreter's teardown once its output is written (apilint.common.collector.exit_now).
"""

from __future__ import annotations

import gc
import sys
from functools import partial


def run() -> None:
    gc.disable()
    args = sys.argv[1:]
    from apilint.commands.quick import quick_lint

    work = quick_lint(args)
    if work is None:
        from apilint.cli import main

        work = partial(main, args)
    gc.freeze()
    gc.enable()
    from apilint.common.collector import exit_now

    exit_now(work())
