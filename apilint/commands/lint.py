"""`apilint lint` and `apilint baseline`: configure, check and report many files; decide the
exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from apilint.engine.config import Config, config_chain, inherited_fail_on, load_config

if TYPE_CHECKING:
    from apilint.catalog.registry import ApiKind
    from apilint.commands.account import AccountOptions
    from apilint.custom.spectral_ruleset import Note
    from apilint.engine.baseline import Entry
    from apilint.engine.fix import FixRun
from apilint.catalog.registry import find_rules_or_error
from apilint.common.errors import ParseError, UsageError, debugging, warn
from apilint.common.files import read_at_most
from apilint.common.findings import FileResult, Severity
from apilint.common.records import record
from apilint.document import loader
from apilint.document.discover import Target, expand, may_hold_api
from apilint.document.loader import DEFAULT_MAX_BYTES
from apilint.document.model import NOT_AN_API
from apilint.engine.ruleset import run_catalog
from apilint.engine.run import Prebuilt, Settings, drop_repeats, lint_path, lint_tasks
from apilint.report import FORMATS, Renderer, catalog_of, renderer


# Made by @record: the methods @dataclass would compile at import (apilint.common.records).
@record(frozen=True, kw_only=True)
class Options:
    """What the command line asked for; None/empty means "as configured"."""

    paths: tuple[str, ...]
    fail_on: str | None = None
    api_type: ApiKind | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    config: str | None = None
    jobs: int | None = None
    allow_outside_refs: bool = False
    max_bytes: int | None = None
    #: --aws / --lambda-inventory; None without them (the account's code then never loads).
    account: AccountOptions | None = None
    allow_remote_refs: bool = False
    import_fails_on_warnings: bool = False
    #: The name standard input (the path `-`) is linted as: JSON or YAML by its suffix, $refs
    #: relative to its folder, the configuration above it (default STDIN_NAME).
    stdin_filename: str | None = None
    #: Exit 2 when the paths hold no API definition (also the configuration key).
    error_on_no_input: bool = False
    #: Apply the findings' safe fixes (--fix), unsafe ones too (--unsafe-fixes), or print
    #: them as a diff instead of writing (--diff).
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    #: Findings carry their fixes (SARIF output shows them) without applying any.
    collect_fixes: bool = False

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff

    #: A Spectral ruleset whose rules run too (beats the configuration key `ruleset`).
    ruleset: str | None = None

    def __init__(
        self,
        *,
        paths: tuple[str, ...],
        fail_on: str | None = None,
        api_type: ApiKind | None = None,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        config: str | None = None,
        jobs: int | None = None,
        allow_outside_refs: bool = False,
        max_bytes: int | None = None,
        account: AccountOptions | None = None,
        allow_remote_refs: bool = False,
        import_fails_on_warnings: bool = False,
        stdin_filename: str | None = None,
        error_on_no_input: bool = False,
        fix: bool = False,
        unsafe_fixes: bool = False,
        diff: bool = False,
        collect_fixes: bool = False,
        ruleset: str | None = None,
    ) -> None:
        vars(self).update(
            paths=paths,
            fail_on=fail_on,
            api_type=api_type,
            select=select,
            ignore=ignore,
            config=config,
            jobs=jobs,
            allow_outside_refs=allow_outside_refs,
            max_bytes=max_bytes,
            account=account,
            allow_remote_refs=allow_remote_refs,
            import_fails_on_warnings=import_fails_on_warnings,
            stdin_filename=stdin_filename,
            error_on_no_input=error_on_no_input,
            fix=fix,
            unsafe_fixes=unsafe_fixes,
            diff=diff,
            collect_fixes=collect_fixes,
            ruleset=ruleset,
        )


#: What `-` is linted as without --stdin-filename: YAML (a superset of JSON) in the working
#: directory, a name every report format can carry.
STDIN_NAME = "stdin.yaml"


def outputs_of(formats: Sequence[str]) -> list[tuple[str, str | None]]:
    outputs = []
    for spec in formats:
        name, _, target = spec.partition("=")
        if name not in FORMATS:
            raise UsageError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
        outputs.append((name, target or None))
    to_stdout = [name for name, target in outputs if target is None]
    if len(to_stdout) > 1:
        both = " and ".join(f"--format {name}" for name in to_stdout)
        raise UsageError(
            f"{both} would all write to standard output, mixed into one invalid "
            f"stream; send all but one to a file (--format {to_stdout[-1]}=FILE)"
        )
    return outputs


def _configs(files: list[str], explicit: str | None) -> dict[str, Config]:
    """Each file's configuration: the one given (and no other), or the nearest above the file
    with the fail-on that the files above it allow (config.inherited_fail_on)."""
    if explicit is not None:
        if not Path(explicit).is_file():
            raise UsageError(f"--config {explicit}: no such file")
        config = load_config(Path(explicit))
        return dict.fromkeys(files, config)
    load = functools.cache(load_config)
    by_dir: dict[Path, Config] = {}
    out = {}
    for f in files:
        folder = Path(f).parent
        if folder not in by_dir:
            chain = config_chain(folder, load)
            by_dir[folder] = (
                replace(chain[0], fail_on=inherited_fail_on(chain)) if chain else Config()
            )
        out[f] = by_dir[folder]
    return out


def config_for(path: str, explicit: str | None) -> Config:
    """The configuration of one file (as `_configs` finds it)."""
    return _configs([path], explicit)[path]


def settings_for(config: Config, options: Options, file: str) -> Settings:
    """The settings `file` is linted with: its configuration, with the command line over it."""
    # Command-line flags beat the file: --select replaces the configured selection, --ignore
    # adds to the configured ignores.
    return Settings(
        api_type=options.api_type or config.api_type,
        options=config.options,
        select=options.select or config.select,
        extend_select=() if options.select else config.extend_select,
        ignore=config.ignore + config.ignored_for(file) + options.ignore,
        severity=config.severity,
        allow_outside_refs=options.allow_outside_refs,
        allow_remote_refs=options.allow_remote_refs,
        import_fails_on_warnings=options.import_fails_on_warnings,
        max_bytes=options.max_bytes or config.max_bytes or DEFAULT_MAX_BYTES,
        fixes=options.fixing or options.collect_fixes,
        custom=config.custom,
        ruleset=os.path.abspath(options.ruleset) if options.ruleset else config.ruleset,
    )


def threshold_for(config: Config, options: Options) -> str:
    return options.fail_on or config.fail_on or "error"


def exit_code(results: Sequence[FileResult], thresholds: Sequence[str]) -> int:
    if any(r.error or r.crashes for r in results):
        return 2
    for result, fail_on in zip(results, thresholds):
        if fail_on == "never":
            continue
        level = Severity.parse(fail_on)
        if any(f.severity >= level for f in result.findings):
            return 1
    return 0


#: Adds to each task's settings before linting; models it builds go in the Prebuilt it gets.
Prepare = Callable[[list[tuple[str, Settings]], Prebuilt], list[tuple[str, Settings]]]


def lint(options: Options, prepare: Prepare | None = None) -> tuple[list[FileResult], list[str]]:
    """Lint with configuration applied: results and each one's fail-on threshold. `prepare`
    may add to each file's settings (the account's answers, by `apilint audit`)."""
    results, thresholds, _, _ = _lint(options, prepare)
    return results, thresholds


def _lint(
    options: Options, prepare: Prepare | None = None, fixes: FixRun | None = None
) -> tuple[list[FileResult], list[str], int, list[Note]]:
    """lint(), how many files were looked at, and the notes of the Spectral rulesets used; with
    `fixes`, the results after fixing (the fixed texts are in `fixes`, nothing is written)."""
    passed_over: list[str] = []
    targets = expand(options.paths, passed_over)
    files = [t.path for t in targets]
    configs = _configs(files, options.config)
    rulesets = (
        {os.path.abspath(options.ruleset)}
        if options.ruleset
        else {c.ruleset for c in configs.values() if c.ruleset}
    )
    notes = ruleset_notes(rulesets)  # a broken ruleset fails the run before any file is linted
    # --select and --ignore may name the custom rules of any configuration or ruleset in use.
    known = tuple(run_catalog({c.custom for c in configs.values()}, rulesets).values())
    options = replace(
        options,
        select=tuple(r.name for r in find_rules_or_error(options.select, known)),
        ignore=tuple(r.name for r in find_rules_or_error(options.ignore, known)),
    )
    tasks = [(f, settings_for(configs[f], options, f)) for f in files]
    prebuilt = Prebuilt()
    if prepare is not None:
        tasks = prepare(tasks, prebuilt)
    elif options.account is not None and options.account.wanted:
        from apilint.commands.account import with_account

        tasks = with_account(tasks, options.account, prebuilt)
    linted = lint_tasks(tasks, options.jobs, prebuilt)
    if fixes is not None:
        from apilint.engine.fix import fix_task  # --fix and --diff only

        linted = [
            fix_task(
                partial(lint_path, path, settings),
                results,
                options.unsafe_fixes,
                fixes,
                settings.max_bytes,
            )
            for (path, settings), results in zip(tasks, linted)
        ]
    found = [
        (target, _unparsed_non_api(target, result))
        for target, results in zip(targets, linted)
        for result in results
    ]
    # A file that a template includes is linted through the template, with its variables and
    # context; found again in the same tree, it would repeat those findings without them.
    # Named with its template (or found beside it), it is read through the template twice:
    # each finding is reported once.
    included = {os.path.abspath(r.path) for _, r in found if r.via is not None}
    seen: set[tuple[str, str, str | None]] = set()
    kept = []
    for t, r in found:
        if r.via is not None:
            key = (os.path.abspath(r.path), os.path.abspath(r.via), r.label)
            if key in seen:
                continue
            seen.add(key)
        elif not t.explicit and (
            os.path.abspath(r.path) in included
            or (r.skipped is not None and r.skipped.startswith(NOT_AN_API))
        ):
            continue
        kept.append((t, r))
    return (
        drop_repeats([r for _, r in kept]),
        [threshold_for(configs[t.path], options) for t, _ in kept],
        len(targets) + len(passed_over),
        notes,
    )


def ruleset_notes(paths: Iterable[str | None]) -> list[Note]:
    """Read each Spectral ruleset named (UsageError when one is malformed): what of them is
    not run, once per ruleset and rule."""
    named = sorted({p for p in paths if p is not None})
    if not named:
        return []
    from apilint.custom.spectral import load

    return [note for path in named for note in load(path).notes]


def _unparsed_non_api(target: Target, result: FileResult) -> FileResult:
    """A named file that is not JSON/YAML as we read it and holds no API (tsconfig.json with
    comments, a Helm template that pre-commit tags as YAML) is skipped, as `apilint lint DIR`
    skips it; a broken file that looks like a definition still fails with its position."""
    if not isinstance(result.error, ParseError) or may_hold_api(target.path):
        return result
    error = result.error
    where = f" at {error.line}:{error.column}" if error.line and error.column else ""
    return FileResult(result.path, skipped=f"{NOT_AN_API} ({error.message}{where})")


def run_lint(
    options: Options,
    formats: Sequence[str],
    quiet: bool,
    colour: bool,
    baseline: str | None = None,
    diff_base: str | None = None,
    min_severity: str = "info",
) -> int:
    try:
        outputs = outputs_of(formats)
        fixes = _fix_run(options)
        if any(name == "sarif" for name, _ in outputs):
            options = replace(options, collect_fixes=True)
        with _stdin(options) as named:
            results, thresholds, looked_at, ruleset = _lint(named, fixes=fixes)
            if fixes is not None:
                if not _finish_fixes(fixes, results, options, quiet):
                    return 2
                if options.diff:  # standard output carries the diff alone
                    outputs = [(name, target) for name, target in outputs if target is not None]
            results, stale = _filter(results, baseline, diff_base)
            floor = Severity.parse(min_severity)
            results = [
                replace(r, findings=[f for f in r.findings if f.severity >= floor]) for r in results
            ]
            no_input = not any(r.skipped is None for r in results)
            fail_on_no_input = no_input and _error_on_no_input(named)
            notes = [str(note) for note in ruleset] + [
                f"{entry.file}: note: baseline entry no longer found: {entry.code} at "
                f"{entry.pointer or '/'}"
                f"{f' ({entry.operation})' if entry.operation else ''}; "
                "refresh the baseline with `apilint baseline`"
                for entry in stale
            ]
            if no_input and (fail_on_no_input or not quiet):
                notes.append(
                    f"apilint: no API definitions found in {', '.join(options.paths)}; "
                    f"{looked_at} file{'' if looked_at == 1 else 's'} skipped"
                )
            # Reported while standard input's text stands for its name: code frames quote it.
            code = report(results, thresholds, outputs, quiet, colour, notes, ruleset)
    except UsageError as exc:
        warn(f"apilint: {exc.message}")
        return 2
    return 2 if fail_on_no_input else code


def _fix_run(options: Options) -> FixRun | None:
    if options.unsafe_fixes and not options.fixing:
        raise UsageError("--unsafe-fixes applies with --fix or --diff")
    if options.fix and not options.diff and "-" in options.paths:
        raise UsageError("--fix cannot write standard input back; --diff shows the fixes")
    if not options.fixing:
        return None
    from apilint.engine.fix import FixRun

    return FixRun()


def _finish_fixes(fixes: FixRun, results: list[FileResult], options: Options, quiet: bool) -> bool:
    """Print the diff or write the fixed files, then the summary; False when a file could
    not be written."""
    from apilint.commands.fixing import print_diff, summary, write_fixed

    if options.diff:
        print_diff(fixes)
        written = True
    else:
        written = write_fixed(fixes)
    if not quiet or fixes.applied:  # a hook run (--quiet) still says what it changed
        warn(summary(fixes, results, options.unsafe_fixes, options.diff))
    return written


@contextmanager
def _stdin(options: Options) -> Iterator[Options]:
    """`options` with the path `-` replaced by the name standard input is linted as, its text
    given to the loader (read up to --max-file-size) while the block runs."""
    dashes = options.paths.count("-")
    if dashes == 0:
        if options.stdin_filename is not None:
            raise UsageError(
                "--stdin-filename names what is read from standard input: pass - as the path"
            )
        yield options
        return
    if dashes > 1:
        raise UsageError("- (standard input) can be given once")
    name = options.stdin_filename or STDIN_NAME
    limit = options.max_bytes or DEFAULT_MAX_BYTES
    stream = getattr(sys.stdin, "buffer", None)
    data = read_at_most(stream, limit + 1) if stream is not None else b""
    if len(data) > limit:
        raise UsageError(
            f"standard input ({name}) is over the {limit:,}-byte limit (--max-file-size raises it)"
        )
    with loader.providing({Path(name): data}):
        yield replace(options, paths=tuple(name if p == "-" else p for p in options.paths))


def _error_on_no_input(options: Options) -> bool:
    """--error-on-no-input, or `error-on-no-input = true` in the configuration that applies to
    a path given (or one above it: a nested file cannot switch it off)."""
    if options.error_on_no_input:
        return True
    if options.config is not None:
        return load_config(Path(options.config)).error_on_no_input
    starts = {Path(p) if os.path.isdir(p) else Path(p).parent for p in options.paths}
    load = functools.cache(load_config)
    return any(c.error_on_no_input for start in starts for c in config_chain(start, load))


def report(
    results: list[FileResult],
    thresholds: Sequence[str],
    outputs: list[tuple[str, str | None]],
    quiet: bool,
    colour: bool,
    notes: Sequence[str] = (),
    ruleset: Sequence[Note] = (),
) -> int:
    """Print errors and notes, render every requested format (the JSON report also lists the
    Spectral rules not run, `ruleset`); the exit code."""
    for result in results:
        if result.error is not None:
            warn(str(result.error))
        elif result.skipped and not quiet:
            warn(f"{result.path}: note: skipped: {result.skipped}")
        for note in result.notes if not quiet else ():
            warn(f"{result.path}: note: {note}")
        for crash in result.crashes:
            warn(crash.describe(result.title))
            if debugging():  # the values in its messages come from the input too
                for line in crash.trace.splitlines():
                    warn(line)
    for note in notes:
        warn(note)
    catalog = catalog_of(results) if outputs else {}
    for name, target in outputs:
        render = _renderer(name, ruleset)
        if target is None:
            render(results, sys.stdout, colour and name == "text", catalog)
            continue
        try:
            with open(target, "w", encoding="utf-8") as out:
                render(results, out, False, catalog)
        except OSError as exc:
            warn(f"apilint: cannot write {target}: {exc.strerror or exc}")
            return 2
    return exit_code(results, thresholds)


def _renderer(name: str, ruleset: Sequence[Note]) -> Renderer:
    """The format's renderer; the JSON report also lists the Spectral rules not run."""
    if name == "json" and ruleset:
        from apilint.report.json import render

        return functools.partial(render, notes=ruleset)
    return renderer(name)


def _filter(
    results: list[FileResult], baseline: str | None, diff_base: str | None
) -> tuple[list[FileResult], list[Entry]]:
    """The results --baseline and --diff-base leave, and the stale baseline entries."""
    stale: list[Entry] = []
    if baseline is not None:
        from apilint.engine import baseline as baselines

        path = Path(baseline)
        results, stale = baselines.apply(results, baselines.read(path), path.parent)
    if diff_base is not None:
        from apilint.engine.diffbase import keep_changed

        results = keep_changed(results, diff_base)
    return results, stale


def run_baseline(options: Options, output: str) -> int:
    try:
        results, _ = lint(options)
    except UsageError as exc:
        warn(f"apilint: {exc.message}")
        return 2
    failed = [r for r in results if r.error is not None]
    for result in failed:
        warn(str(result.error))
    if failed:
        warn("apilint: baseline not written: fix the files that cannot be read")
        return 2
    from apilint.engine import baseline as baselines

    try:
        count = baselines.write(results, Path(output))
    except OSError as exc:
        warn(f"apilint: cannot write {output}: {exc.strerror or exc}")
        return 2
    files = sum(1 for r in results if r.findings)
    warn(f"apilint: wrote {count} finding(s) from {files} file(s) to {output}")
    return 0
