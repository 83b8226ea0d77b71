"""The one error a broken custom rule file raises: a usage error (exit 2) whose message starts
with the file (and line, when known), then the field, so that every command prints it whole."""

from __future__ import annotations

from pathlib import Path

from apilint.common.errors import UsageError


def rule_error(path: Path | str, message: str, line: int | None = None) -> UsageError:
    where = f"{path}:{line}" if line is not None else str(path)
    return UsageError(f"{where}: {message}")
