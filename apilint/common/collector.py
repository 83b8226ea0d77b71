"""The cyclic garbage collector while a file is linted, and a quick exit once output is out.

A parsed definition is a large, long-lived, acyclic tree of dicts and lists: every collection
the allocations of reading, building and checking it trigger walks that whole tree again and
finds nothing to free (on a 13 MB definition a sixth of the run; it made the run time grow
faster than the document). Refcounting frees all of it when the file is done, so the cyclic
collector is paused for the file and runs again afterwards.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


def paused(work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` with the cyclic collector paused (as it was, afterwards)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return work(*args, **kwargs)
    finally:
        if enabled:
            gc.enable()


#: The exit code of a run whose output's reader went away (`apilint lint ... | head`): what a
#: shell reports for a tool that SIGPIPE ended (128 + 13).
READER_GONE = 141


def reader_gone() -> int:
    """Stop writing, quietly, once the reader of standard output has closed it, as shell tools
    do: standard output goes to the null device, so that flushing what is left at exit raises
    nothing more (Python's own advice: docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
    return READER_GONE


def exit_now(code: int) -> NoReturn:
    """End the process with `code` without the interpreter's teardown (freeing every object
    and module one by one): for the command line's entry point only, once its output and
    report files are written; a caller in the same process (tests, main(argv)) must never get
    here. The standard streams are flushed and the exit functions (atexit, weakref finalizers:
    temporary directories) run first; when a stream cannot be flushed (a closed pipe) or
    another thread still runs, the ordinary exit does what it always did (reports the pipe,
    waits for the thread)."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        sys.exit(reader_gone())
    except (OSError, ValueError):
        sys.exit(code)
    threading = sys.modules.get("threading")  # never imported: no other thread was started
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    os._exit(code)
