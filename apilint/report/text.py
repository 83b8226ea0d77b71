"""Findings for people: grouped by file, in position order, each with the source lines it
points at (a code frame) and where to read more. The first line of each finding is the
grep-able `path:line:col: CODE [severity] message` that `concise` prints alone.
Colour and wrapping only on a terminal."""

from __future__ import annotations

import functools
import os
import string
import textwrap
from collections.abc import Sequence
from typing import TextIO

from apilint.common.escape import terminal_line, visible
from apilint.common.files import TooLarge
from apilint.common.findings import FileResult, Finding, Severity
from apilint.common.regex import lazy
from apilint.document.loader import source_bytes
from apilint.report import Catalog, plural, relative_path, severity_counts

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
    # One string per finding, written together: four writes and a list of frame lines per
    # finding were a fifth of the report of 11,000 findings.
    out.write(
        "\n".join(
            f"{_wrapped(header(f, colour), width)}\n"
            f"{_frame(f, sources.line(f.file, f.span.line), colour)}"
            f"  = {_dim('explain:', colour)} {_explain(f.code, rulesets.get(f.file))}\n"
            for f in findings
        )
    )
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
    import shlex

    return visible(shlex.join(["apilint", "explain", code, "--ruleset", _shown(ruleset)]))


#: What shlex.quote leaves unquoted (its `[^\w@%+=:,./-]`, ASCII).
_SHELL_SAFE = frozenset(string.ascii_letters + string.digits + "_@%+=:,./-")


@functools.lru_cache(maxsize=256)
def _explain_plain(code: str) -> str:
    if code and _SHELL_SAFE.issuperset(code):  # a built-in rule's code: shlex would leave it
        return visible(f"apilint explain {code}")
    import shlex  # a custom rule's code that needs quoting (its import is a pre-commit run's)

    return visible(shlex.join(["apilint", "explain", code]))


def _shown(path: str) -> str:
    return relative_path(path, os.getcwd()) or path


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
    span = f.span  # once: Finding.line and .column are properties
    if colour:
        where = f"{_BOLD}{_file_prefix(f.file)}{span.line}:{span.column}:{_RESET}"
        code = f"{_COLOURS[f.severity]}{_label(f.code, f.severity)}{_RESET}"
        return f"{where} {code} {visible(f.message)}"
    return f"{_file_prefix(f.file)}{span.line}:{span.column}: {_label(f.code, f.severity)} {visible(f.message)}"


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


def _frame(f: Finding, line: str | None, colour: bool) -> str:
    """The finding's line under a gutter with its number, underlined from the finding's column:
    to the span's end when it ends on that line, else the key or word that opens it (a span
    over a whole object would underline everything). Three lines, each ending in a newline."""
    if line is None:
        return ""
    number = f.span.line
    text = visible(line.rstrip("\r\n").expandtabs(2))
    cut = text[:FRAME_WIDTH] + ("..." if len(text) > FRAME_WIDTH else "")
    start = min(max(f.span.column - 1, 0), len(cut))
    if f.span.end_line == number:
        end = min(max(f.span.end_column - 1, start + 1), len(cut))
    else:
        token = _TOKEN().match(cut, start)
        end = token.end() if token and token.end() > start else len(cut)
    marks = "^" * max(end - start, 1)
    if colour:
        marks = f"{_COLOURS[f.severity]}{marks}{_RESET}"
    gutter = " " * len(str(number))
    return f"{gutter} |\n{number} | {cut}\n{gutter} | {' ' * start}{marks}\n"


#: What opens a multi-line span: a quoted or plain key up to its colon, or a bracket.
_TOKEN = lazy(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|[^\s:,]+|[\[{]')


class _Sources:
    """Each file's lines, read once (None when it cannot be read back)."""

    def __init__(self) -> None:
        self._lines: dict[str, list[bytes] | None] = {}

    def line(self, path: str, number: int) -> str | None:
        """The start of line `number` (1-based) of the file that its frame shows (_shown),
        None when it has no such line or cannot be read back."""
        lines = self._lines.get(path, _UNREAD)
        if lines is _UNREAD:
            lines = self._lines[path] = _read_lines(path)
        if lines is None or not 1 <= number <= len(lines):
            return None
        return _shown_part(lines[number - 1])


def _shown_part(line: bytes) -> str:
    """The first FRAME_WIDTH + 1 characters of a line: all its frame shows, and whether more
    follows (each character shows as one or more). Decoding, expanding and escaping a minified
    file's one line of megabytes for each of its findings was quadratic. A character is at most
    4 bytes: the bytes kept hold more characters than that, decoded as in the whole line."""
    return line[: 4 * FRAME_WIDTH + 64].decode("utf-8", "replace")[: FRAME_WIDTH + 1]


#: A file whose lines were not read yet (by identity: None is a file that cannot be read).
_UNREAD: list[bytes] = []


def _read_lines(path: str) -> list[bytes] | None:
    """The file's lines as bytes: splitting the bytes and decoding only the lines shown costs a
    third of decoding and splitting the text (Stripe's 126,000 lines for 5,500 frames). Decoding
    a line alone reads it as decoding the whole file does: a line break is no part of any
    UTF-8 sequence."""
    try:
        blob = source_bytes(path, FRAME_MAX_BYTES)
    except (OSError, TooLarge):
        return None
    # Lines end at "\n", "\r\n" or "\r", as the locators count them (libyaml counts a lone
    # "\r"): str.splitlines() also ends one at U+2028, U+0085, \f..., which JSON strings may
    # hold, and the frame showed another line.
    if b"\r" in blob:
        blob = blob.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = blob.split(b"\n")
    if lines[-1] == b"":  # the text's last newline ends a line; it starts none
        lines.pop()
    return lines


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
