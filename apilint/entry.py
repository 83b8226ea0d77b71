"""The `apilint` executable and `python -m apilint`: start-up as short as the command allows.

The common `lint` command lines run without importing typer (apilint.commands.quick); the
cyclic collector stays off while modules are imported (thousands of long-lived objects, none
to free) and what they made is frozen out of later collections; the process ends without the
interpreter's teardown once its output is written (apilint.common.collector.exit_now).

A command line that lints one file (a pre-commit hook's usual run) keeps the collector off to
the end: the file is linted with it paused anyway (apilint.common.collector.paused), and the
first allocation after that pause made it walk everything the lint had made (10,000 objects
for a 5 KB definition, 1.2 ms of a 70 ms run) only to free nothing before the process ends.
With more files, it runs between them (it frees what one file's lint left in cycles).
"""

from __future__ import annotations

import gc
import sys
from functools import partial


def run() -> None:
    gc.disable()
    args = sys.argv[1:]
    from apilint.commands.quick import lints_one_file, quick_lint

    work = quick_lint(args)
    if work is None:
        from apilint.cli import main

        work = partial(main, args)
    gc.freeze()
    if not lints_one_file(args):
        gc.enable()
    from apilint.common.collector import exit_now

    exit_now(work())
