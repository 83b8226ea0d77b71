"""What `lint --fix` / `--diff` do with the fixed texts: write them, or print a unified diff
that `git apply` and `patch -p1` take; and the summary line."""

from __future__ import annotations

import difflib
import os
import sys
from typing import TextIO

from apilint.common.errors import warn
from apilint.common.escape import visible
from apilint.common.files import write_atomic
from apilint.common.findings import FileResult
from apilint.engine.fix import FixedFile, FixRun, remaining_fixable


def unified_diff(fixed: FixedFile) -> str:
    """The change of one file as a unified diff with `a/` and `b/` paths relative to the working
    directory (so `-p1` strips them); line endings are kept, a last line without a newline is
    marked as diff marks it."""
    name = _diff_path(fixed.path)
    out = []
    for line in difflib.unified_diff(
        fixed.before.splitlines(keepends=True),
        fixed.after.splitlines(keepends=True),
        _header("a/" + name),
        _header("b/" + name),
    ):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _header(name: str) -> str:
    """A file name in a `---`/`+++` line: as is, or C-quoted as git writes one with controls or
    quotes (a newline in a directory name must not start a header line of its own)."""
    if visible(name) == name and '"' not in name and "\\" not in name:
        return name
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + visible(quoted) + '"'


def _diff_path(path: str) -> str:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return (relative if not relative.startswith("..") else absolute.lstrip("/")).replace(
        os.sep, "/"
    )


def print_diff(run: FixRun, stream: TextIO | None = None) -> None:
    """Every change as a diff on standard output. Where a person or a CI log reads it (a
    terminal, GitHub Actions), each line's content is shown escaped: text from the definition
    must not repaint the terminal or issue workflow commands (such a diff is for reading only)."""
    stream = stream or sys.stdout
    shown = stream.isatty() or os.environ.get("GITHUB_ACTIONS") == "true"
    for fixed in run.changed():
        diff = unified_diff(fixed)
        if shown:
            diff = "".join(visible(line.rstrip("\n")) + "\n" for line in diff.splitlines(True))
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            stream.flush()
            buffer.write(diff.encode("utf-8"))
            buffer.flush()
        else:
            stream.write(diff)


def write_fixed(run: FixRun) -> bool:
    """Write each changed file atomically; False (with a message) when one cannot be written."""
    ok = True
    for fixed in run.changed():
        try:
            write_atomic(fixed.path, fixed.after.encode("utf-8"))
        except OSError as exc:
            warn(f"apilint: cannot write {fixed.path}: {exc.strerror or exc}")
            ok = False
    return ok


def summary(run: FixRun, results: list[FileResult], unsafe: bool, diff: bool) -> str:
    """`apilint: fixed 3 findings in 1 file; 2 remain (1 fixable with --unsafe-fixes)`."""
    files = len(run.changed())
    verb = "would fix" if diff else "fixed"
    remain = sum(len(r.findings) for r in results)
    safe, unsafe_left = remaining_fixable(results)
    notes = []
    if unsafe_left and not unsafe:
        notes.append(f"{unsafe_left} fixable with --unsafe-fixes")
    if run.refused:
        notes.append(f"{run.refused} fix(es) overlapping others were not applied")
    elif safe and not diff:
        notes.append(f"{safe} still fixable: run again")
    extra = f" ({'; '.join(notes)})" if notes else ""
    return (
        f"apilint: {verb} {_count(run.applied, 'finding')} in {_count(files, 'file')}; "
        f"{remain} remain{extra}"
    )


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"
