"""Errors that end the processing of one input with exit code 2 (never a traceback)."""

from __future__ import annotations

import sys

from apilint.common.escape import terminal_line


class ApilintError(Exception):
    """A problem the user must fix before apilint can do its job (exit code 2)."""

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Keep file and position when results cross a process boundary (parallel lint).
        return (type(self), (self.message, self.file, self.line, self.column))

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: error: {self.message}" if where else f"error: {self.message}"


class LoadError(ApilintError):
    """The input could not be read or parsed into a document."""


class ParseError(LoadError):
    """The text is not valid JSON or YAML."""


class UsageError(ApilintError):
    """The command line (or configuration) is wrong."""


def warn(line: str) -> None:
    """Print one line on stderr. It quotes file names and definition text, so it is escaped:
    controls shown, never a workflow command (apilint.common.escape.terminal_line)."""
    sys.stderr.write(terminal_line(line) + "\n")


def debugging() -> bool:
    """`--debug` or APILINT_DEBUG=1: print the traceback behind an internal error, so that a
    user can report it."""
    import os

    return os.environ.get("APILINT_DEBUG", "") not in ("", "0")
