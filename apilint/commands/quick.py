"""`apilint lint` without typer for the command lines hooks and CI write most: paths and the
common options. Importing typer and click is a quarter of a pre-commit run's start-up; every
other command line (another command or option, --help, a bad or missing value) goes to the
typer app, which explains and checks it. The values and helpers the app shares with this path
live here, so the two cannot drift."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from apilint.common.errors import debugging, warn
from apilint.common.findings import FAIL_ON

if TYPE_CHECKING:
    from apilint.catalog.registry import ApiKind


#: The choices of --fail-on (FAIL_ON), --min-severity and --api-type. The typer app makes
#: its Enums of these (apilint.cli): creating three Enum classes was 0.2 ms of every quick run.
MIN_SEVERITY = ("info", "warning", "error")
API_TYPES = ("auto", "rest", "http")


def api_kind(api_type: str) -> ApiKind | None:
    """The --api-type as the rules' kind; None ("auto"): detect it from the definition."""
    return None if api_type == "auto" else cast("ApiKind", api_type)


def split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())


def colour(stream: object) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


#: The options this path reads (as `lint` declares them in apilint.cli): name -> the value's
#: key, its choices (None: any text) and whether it repeats.
_VALUES: dict[str, tuple[str, tuple[str, ...] | None, bool]] = {
    "--format": ("format", None, True),
    "-f": ("format", None, True),
    "--fail-on": ("fail_on", FAIL_ON, False),
    "--min-severity": ("min_severity", MIN_SEVERITY, False),
    "--api-type": ("api_type", API_TYPES, False),
    "--select": ("select", None, True),
    "--ignore": ("ignore", None, True),
    "--config": ("config", None, False),
}
_FLAGS = {"-q": "quiet", "--quiet": "quiet", "--error-on-no-input": "error_on_no_input"}

Parsed = dict[str, list[str]]


def parse(args: list[str]) -> Parsed | None:
    """`lint`'s paths and options, or None for a command line this path leaves to typer."""
    if not args or args[0] != "lint":
        return None
    got: Parsed = {"paths": []}
    rest = iter(args[1:])
    for arg in rest:
        if arg == "-" or not arg.startswith("-"):
            got["paths"].append(arg)
            continue
        # `--name=value` (long options only: click reads `-f=json` as the value `=json`)
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if name in _FLAGS and not eq:
            got[_FLAGS[name]] = ["yes"]
            continue
        if name not in _VALUES:
            return None
        key, choices, repeats = _VALUES[name]
        if not eq:
            value = next(rest, "-")
            if value.startswith("-"):  # missing, or an option where click would take it
                return None
        if choices is not None and value not in choices:
            return None
        got[key] = [*got.get(key, []), value] if repeats else [value]
    return got if got["paths"] else None


def lints_one_file(args: list[str]) -> bool:
    """Whether `args` are a lint run the quick path reads (parse), of one file or of standard
    input."""
    got = parse(args)
    if got is None or len(got["paths"]) != 1:
        return False
    path = got["paths"][0]
    return path == "-" or os.path.isfile(path)


def quick_lint(args: list[str]) -> Callable[[], int] | None:
    """The lint run `args` ask for, ready to call, or None: the typer app must read them."""
    got = parse(args)
    if got is None:
        return None
    from apilint.commands.lint import Options, run_lint

    def one(key: str) -> str | None:
        return got[key][-1] if key in got else None

    options = Options(
        paths=tuple(got["paths"]),
        fail_on=one("fail_on"),
        api_type=api_kind(one("api_type") or "auto"),
        select=split(got.get("select")),
        ignore=split(got.get("ignore")),
        config=one("config"),
        error_on_no_input="error_on_no_input" in got,
    )
    lint = partial(
        run_lint,
        options,
        got.get("format", ["text"]),
        "quiet" in got,
        colour(sys.stdout),
        min_severity=one("min_severity") or "info",
    )
    return partial(contained, lint)


def contained(work: Callable[[], int]) -> int:
    """`work()`'s exit code; an interrupt or a bug of ours is one line on stderr, never a
    traceback (unless --debug)."""
    try:
        return work()
    except KeyboardInterrupt:
        sys.stderr.write("apilint: interrupted\n")
        return 130
    except BrokenPipeError:  # the reader of the output went away: nothing is wrong
        from apilint.common.collector import reader_gone

        return reader_gone()
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not end in a traceback
        warn(
            f"apilint: internal error ({type(exc).__name__}: {exc}); please report it with the "
            "command that triggers it (--debug shows the traceback)"
        )
        if debugging():  # the values in its messages come from the input too
            import traceback

            for line in traceback.format_exc().splitlines():
                warn(line)
        return 2
