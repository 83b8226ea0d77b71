"""Findings for people: grouped by file, in position order, each with the source lines it
points at (a code frame) and where to read more. The first line of each finding is the
grep-able `path:line:col: CODE [severity] message` that `concise` prints alone.
Colour and wrapping only on a terminal."""

from __future__ import annotations

import functools
import os
import shlex
import textwrap
from collections.abc import Sequence
from typing import TextIO

from apilint.common.escape import terminal_line, visible
from apilint.common.files import TooLarge
from apilint.common.findings import FileResult, Finding, Severity
from apilint.common.regex import lazy
from apilint.document.loader import source_bytes
from apilint.report import Catalog, plural, severity_counts

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
#: A code frame's line is cut to this width.
FRAME_WIDTH = 120
#: Source files are read again for frames; past this size the frame is left out.
FRAME_MAX_BYTES = 8 * 1024 * 1024


def render(
    results: Sequence[FileResult], out: TextIO, colour: bool, rules: Catalog | None = None
) -> None:
    findings = ordered(results)
    rulesets = {f.file: r.ruleset for r in results if r.ruleset is not None for f in r.findings}
    width = _terminal_width() if _is_terminal(out) else 0
    sources = _Sources()
    previous: str | None = None
    for f in findings:
        if previous is not None:
            out.write("\n")
        previous = f.file
        out.write(_wrapped(header(f, colour), width) + "\n")
        for line in _frame(f, sources.lines(f.file), colour):
            out.write(line + "\n")
        out.write(f"  = {_dim('explain:', colour)} {_explain(f.code, rulesets.get(f.file))}\n")
    if findings:
        out.write("\n")
    footer(findings, out)


def _explain(code: str, ruleset: str | None) -> str:
    """The command that explains the finding's rule: a rule of a `--ruleset` needs its ruleset
    named (`explain` reads only the configuration's)."""
    if ruleset is None or not code.startswith("spectral/"):
        return _explain_plain(code)
    # A Spectral rule's name is the ruleset's text: quoted like the path, so that the line
    # pasted into a shell runs only apilint.
    return visible(shlex.join(["apilint", "explain", code, "--ruleset", _shown(ruleset)]))


@functools.lru_cache(maxsize=256)
def _explain_plain(code: str) -> str:
    return visible(shlex.join(["apilint", "explain", code]))


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def ordered(results: Sequence[FileResult]) -> list[Finding]:
    """Every finding, grouped by file in the order the files came, by position within each."""
    order: dict[str, int] = {}
    for r in results:
        for f in r.findings:
            order.setdefault(f.file, len(order))
    return sorted(
        (f for r in results for f in r.findings),
        key=lambda f: (order[f.file], f.line, f.column, f.code, f.message),
    )


def header(f: Finding, colour: bool) -> str:
    where = f"{_file_prefix(f.file)}{f.line}:{f.column}:"
    code = _label(f.code, f.severity)
    if colour:
        where = f"{_BOLD}{where}{_RESET}"
        code = f"{_COLOURS[f.severity]}{code}{_RESET}"
    return f"{where} {code} {visible(f.message)}"


@functools.lru_cache(maxsize=256)
def _file_prefix(file: str) -> str:
    """`file:` as terminal_line shows it at the start of `file:line:col:`, once per file: the
    digits and colons after it neither need an escape nor complete `##[` or a leading `::`."""
    return terminal_line(f"{file}:")


@functools.lru_cache(maxsize=256)
def _label(code: str, severity: Severity) -> str:
    return visible(f"{code} [{severity}]")


def footer(findings: Sequence[Finding], out: TextIO) -> None:
    if findings:
        files = len({f.file for f in findings})
        out.write(
            f"Found {plural(len(findings), 'problem')} ({severity_counts(findings)}) "
            f"in {plural(files, 'file')}.\n"
        )


def _frame(f: Finding, lines: list[str] | None, colour: bool) -> list[str]:
    """The finding's line under a gutter with its number, underlined from the finding's column:
    to the span's end when it ends on that line, else the key or word that opens it (a span
    over a whole object would underline everything)."""
    if not lines or not 1 <= f.line <= len(lines):
        return []
    text = visible(lines[f.line - 1].rstrip("\r\n").expandtabs(2))
    cut = text[:FRAME_WIDTH] + ("..." if len(text) > FRAME_WIDTH else "")
    start = min(max(f.column - 1, 0), len(cut))
    if f.span.end_line == f.line:
        end = min(max(f.span.end_column - 1, start + 1), len(cut))
    else:
        token = _TOKEN().match(cut, start)
        end = token.end() if token and token.end() > start else len(cut)
    marks = "^" * max(end - start, 1)
    if colour:
        marks = f"{_COLOURS[f.severity]}{marks}{_RESET}"
    gutter = " " * len(str(f.line))
    return [f"{gutter} |", f"{f.line} | {cut}", f"{gutter} | {' ' * start}{marks}"]


#: What opens a multi-line span: a quoted or plain key up to its colon, or a bracket.
_TOKEN = lazy(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^\s:,]+|[\[{]')


class _Sources:
    """Each file's lines, read once (None when it cannot be read back)."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            try:
                blob = source_bytes(path, FRAME_MAX_BYTES)
                # Lines end at "\n", "\r\n" or "\r", as the locators count them (libyaml
                # counts a lone "\r"): str.splitlines() also ends one at U+2028, U+0085, \f...,
                # which JSON strings may hold, and the frame showed another line.
                text = blob.decode("utf-8", "replace")
                if "\r" in text:
                    text = text.replace("\r\n", "\n").replace("\r", "\n")
                lines = text.split("\n")
                if lines[-1] == "":  # the text's last newline ends a line; it starts none
                    lines.pop()
                self._lines[path] = lines
            except (OSError, TooLarge):
                self._lines[path] = None
        return self._lines[path]


def _wrapped(line: str, width: int) -> str:
    if width <= 0 or len(line) <= width:
        return line
    return "\n".join(
        textwrap.wrap(
            line, width, subsequent_indent="    ", break_long_words=False, break_on_hyphens=False
        )
    )


def _terminal_width() -> int:
    import shutil  # a terminal only: with bz2 and lzma, shutil is 2 ms of a pre-commit run

    return shutil.get_terminal_size((100, 24)).columns


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty()
    except (AttributeError, ValueError):
        return False


def _dim(text: str, colour: bool) -> str:
    return f"{_DIM}{text}{_RESET}" if colour else text
