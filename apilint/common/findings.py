"""The values that flow from checks to reports: findings, and the result of linting one API."""

from __future__ import annotations

from dataclasses import field
from enum import IntEnum
from typing import TYPE_CHECKING

from apilint.common.records import FACTORY, NamedTuple, record

if TYPE_CHECKING:
    from apilint.common.errors import ApilintError
    from apilint.common.fixes import Fix


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


#: The values of `fail-on` (configuration and --fail-on): a severity, or never.
FAIL_ON = ("error", "warning", "info", "never")


# Span and Finding are named tuples, not frozen dataclasses: Python 3.11 exec-compiles each
# method a dataclass generates on every start (a frozen one: six), and a frozen dataclass sets
# each field through object.__setattr__ when made (GitHub's definition makes 11,262 of each).
class Span(NamedTuple):
    """1-based line/column of the start and end of a node in its file."""

    line: int
    column: int
    end_line: int
    end_column: int


class Finding(NamedTuple):
    """One problem a rule found in a file, where it is, and the fix that removes it (if any).
    Two findings that differ only in their fix are not equal (a tuple compares every field)."""

    code: str
    name: str
    severity: Severity
    message: str
    file: str
    pointer: str
    span: Span
    operation: str | None = None
    #: Edits that remove the finding, when the check knows them (`lint --fix`, SARIF `fixes`).
    fix: Fix | None = None

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.span.line, self.span.column, self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "file": self.file,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "pointer": self.pointer,
            "operation": self.operation,
        }


class Crash(NamedTuple):
    """A check that raised: which rule, what it raised, and the traceback for --debug."""

    code: str
    name: str
    error: str
    trace: str
    #: A custom rule's check crashed: the bug is in the rule pack, not in apilint.
    custom: bool = False

    def describe(self, path: str) -> str:
        whose = (
            "the custom rule's check, not a finding in the file: tell its authors"
            if self.custom
            else "apilint, not a finding in the file: please report it with the file"
        )
        return (
            f"apilint: internal error: rule {self.code} ({self.name}) crashed on {path} "
            f"({self.error}); this is a bug in {whose} (run with --debug for the traceback); "
            "the other rules ran"
        )


@record()  # the methods @dataclass would compile at import (apilint.common.records)
class FileResult:
    """What linting one file (or one API of a template) gave: its findings, or why it was
    skipped or could not be read."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    skipped: str | None = None  # why the file was skipped (not an API)
    error: ApilintError | None = None
    api_kind: str | None = None
    #: The API's resource tree for reports: (resource path, method verbs), in path order.
    outline: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    #: Which API of the file this is (a template's logical id, a Terraform address).
    label: str | None = None
    #: The template that includes this definition from another file (the linted input).
    via: str | None = None
    #: Rules that raised on this file: apilint's bugs, reported as internal errors (exit 2).
    crashes: list[Crash] = field(default_factory=list)
    #: The custom rule sources it was linted with (Settings.custom): reports describe its
    #: findings from that rule set (apilint.engine.ruleset.run_catalog).
    rule_sources: tuple[str, ...] = ()
    #: The Spectral ruleset whose rules ran (Settings.ruleset): its rules are in the catalog.
    ruleset: str | None = None
    #: Parts of the file that were not linted, and why (a value known only at apply time).
    notes: list[str] = field(default_factory=list)

    def __init__(
        self,
        path: str,
        findings: list[Finding] = FACTORY,
        skipped: str | None = None,
        error: ApilintError | None = None,
        api_kind: str | None = None,
        outline: list[tuple[str, tuple[str, ...]]] = FACTORY,
        label: str | None = None,
        via: str | None = None,
        crashes: list[Crash] = FACTORY,
        rule_sources: tuple[str, ...] = (),
        ruleset: str | None = None,
        notes: list[str] = FACTORY,
    ) -> None:
        self.path = path
        self.findings = [] if findings is FACTORY else findings
        self.skipped = skipped
        self.error = error
        self.api_kind = api_kind
        self.outline = [] if outline is FACTORY else outline
        self.label = label
        self.via = via
        self.crashes = [] if crashes is FACTORY else crashes
        self.rule_sources = rule_sources
        self.ruleset = ruleset
        self.notes = [] if notes is FACTORY else notes

    @property
    def title(self) -> str:
        return f"{self.path} ({self.label})" if self.label else self.path
