"""The loaded document: data plus a map from JSON Pointer to file position."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from apilint.document.pointer import Tokens
from apilint.findings import Span


class Locator(Protocol):
    def span(self, tokens: Tokens) -> Span: ...


@dataclass(frozen=True)
class KeyIssue:
    """A structural oddity noticed while parsing (e.g. a duplicate mapping key)."""

    kind: str
    detail: str
    span: Span


@dataclass(eq=False, repr=False)
class Document:
    path: str  # as the user named it: this is what reports print
    abspath: Path
    data: Any
    locator: Locator
    fmt: str  # "yaml" | "json"
    version: str  # "2.0", "3.0", "3.1" or the raw unsupported value
    parse_issues: list[KeyIssue] = field(default_factory=list)
    placeholders: bool = False  # held `${...}` template placeholders
    suppressions: bool = False  # mentions x-apilint-ignore (worth walking for suppressions)

    def span(self, tokens: Tokens) -> Span:
        return self.locator.span(tokens)


@dataclass(frozen=True)
class NotAnApi:
    """A readable YAML/JSON file that holds no OpenAPI/Swagger document (skipped, not an error)."""

    path: str
    reason: str
