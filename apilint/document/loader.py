"""Read one file into a Document: size and encoding checks, JSON or YAML, version detection."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from apilint.common.errors import LoadError, ParseError
from apilint.common.files import NOT_REGULAR, NotRegularFile, TooLarge, read_bounded
from apilint.common.regex import lazy
from apilint.document.model import NOT_AN_API, Document, KeyIssue, NotAnApi
from apilint.document.placeholders import quote_bare_json_placeholders
from apilint.document.pointer import Tokens
from apilint.document.source import JsonLocator
from apilint.document.yaml_loader import load_yaml

#: Refuse larger inputs (API Gateway itself takes at most 6 MB; exports of huge APIs stay well below).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_JSON_SUFFIXES = (".json",)
#: Sections the gateway model stands on: a wrong type here is an error (exit 2); elsewhere it is
#: a schema-invalid finding.
_SECTIONS_THAT_ARE_MAPPINGS = ("info", "paths", "components", "definitions", "securityDefinitions")


def real_path(path: Path, shown: str) -> Path:
    """`path.resolve()`, with a symbolic link loop as a LoadError rather than RuntimeError."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        raise LoadError("symbolic link loop (the link points back to itself)", shown) from None


#: Text read from standard input (`apilint lint - --stdin-filename api.yaml`), by the resolved
#: path it stands for: read instead of that file, so the name places the text (its relative
#: `$ref`s resolve beside it, the configuration above it applies) whether or not it exists.
PROVIDED: dict[Path, bytes] = {}


@contextmanager
def providing(texts: Mapping[Path, bytes]) -> Iterator[None]:
    """`texts` stand for their files (by path) while the block runs; what stood before is
    restored after (standard input, fixed texts, editor buffers nest)."""
    saved = dict(PROVIDED)
    PROVIDED.update({path.resolve(): data for path, data in texts.items()})
    try:
        yield
    finally:
        PROVIDED.clear()
        PROVIDED.update(saved)


def _provided(path: Path, max_bytes: int) -> bytes | None:
    if not PROVIDED:
        return None
    try:
        data = PROVIDED.get(path.resolve())
    except (OSError, RuntimeError):  # a link loop: reading the file reports it
        return None
    if data is not None and len(data) > max_bytes:  # configuration may lower the limit
        raise TooLarge(max_bytes, len(data))
    return data


def source_bytes(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The bytes linted as `path`: standard input's text when it stands for that path, else
    the file (reports quote source lines through this, never a file the text replaced)."""
    raw = _provided(Path(path), max_bytes)
    return raw if raw is not None else read_bounded(path, max_bytes)


def read_text(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    try:
        raw = _provided(path, max_bytes)
        if raw is None:
            raw = read_bounded(path, max_bytes)
    except TooLarge as exc:
        raise LoadError(f"{exc.strerror} (--max-file-size raises it)", shown) from None
    except FileNotFoundError:
        raise LoadError("no such file", shown) from None
    except PermissionError:
        raise LoadError("permission denied", shown) from None
    except (IsADirectoryError, NotRegularFile) as exc:
        raise LoadError(exc.strerror or NOT_REGULAR, shown) from None
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}", shown) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", shown, line, column
        ) from None


def parse(text: str, shown: str, as_json: bool) -> tuple[Any, Any, list[Any], str]:
    """Return (data, locator, parse issues, format)."""
    if not text.strip():
        raise LoadError("file is empty", shown, 1, 1)
    if as_json or text.lstrip()[:1] in ("{", "["):
        try:
            return _load_json(text, shown)
        except json.JSONDecodeError as exc:
            if "${" in text:
                try:
                    return _load_json(quote_bare_json_placeholders(text), shown)
                except json.JSONDecodeError:
                    pass
            if as_json:
                raise ParseError(f"invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno) from None
            # Not JSON after all (YAML flow style starts with '{' too): let YAML decide.
    data, locator, issues = load_yaml(text, shown)
    return data, locator, issues, "yaml"


def parse_strict(text: str, shown: str, as_json: bool = False) -> Any:
    """The data of a file apilint reads for itself (a custom rule, a Spectral ruleset): parsed
    as definitions are (YAML 1.1, bounded aliases), and a repeated key refused. A parser keeps
    one of the two values without a word, so the rule would run with the value its author did
    not read last."""
    data, _, issues, _ = parse(text, shown, as_json)
    for issue in issues:
        if issue.kind == "duplicate-key":
            raise ParseError(
                f"duplicate key {issue.detail!r}", shown, issue.span.line, issue.span.column
            )
    return data


def _load_json(text: str, shown: str) -> tuple[Any, Any, list[Any], str]:
    """JSON with its duplicate keys: JSON parsers disagree on which value wins (most keep the
    last, some the first, some reject the file). The stdlib parser with a pairs hook costs
    about what orjson does on large files and is the one that can see them."""
    duplicated: list[tuple[dict[str, Any], list[str]]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping = dict(pairs)
        if len(mapping) != len(pairs):
            counts = Counter(k for k, _ in pairs)
            duplicated.append((mapping, [k for k, n in counts.items() for _ in range(n - 1)]))
        return mapping

    parse_int = None
    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer past Python's int-from-text limit (4,300 digits)
        duplicated.clear()
        parse_int = _int_or_text
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_int=parse_int)
    locator = JsonLocator(text, parse_int, duplicate_keys=bool(duplicated))
    return data, locator, _duplicate_issues(data, duplicated, locator) if duplicated else [], "json"


def _int_or_text(digits: str) -> int | str:
    """Only called when a number is too long: the YAML loaders keep its text too (PyYAML's
    int() fails the same way), so both formats lint it the same."""
    try:
        return int(digits)
    except ValueError:
        return digits


def _duplicate_issues(
    data: Any, duplicated: list[tuple[dict[str, Any], list[str]]], locator: JsonLocator
) -> list[KeyIssue]:
    where: dict[int, Tokens] = {}
    wanted = {id(m) for m, _ in duplicated}
    stack: list[tuple[Tokens, Any]] = [((), data)]
    while stack and len(where) < len(wanted):
        tokens, node = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                where[id(node)] = tokens
            stack.extend((tokens + (k,), v) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(
                (tokens + (str(i),), v) for i, v in enumerate(node) if isinstance(v, (dict, list))
            )
    issues = []
    for mapping, keys in duplicated:
        tokens = where.get(id(mapping), ())
        for key in keys:
            issues.append(
                KeyIssue("duplicate-key", key, locator.span(tokens + (key,)), tokens + (key,))
            )
    return issues


def detect_version(data: dict[str, Any]) -> str | None:
    """ "2.0", "3.0", "3.1", another raw value, or None when this is no OpenAPI/Swagger document."""
    if "swagger" in data:
        raw = data["swagger"]
        # `swagger: 2.0` unquoted is a YAML float; real exports have it.
        return "2.0" if raw in ("2.0", 2.0) else str(raw)
    if "openapi" in data:
        raw = data["openapi"]
        text = "3.0" if raw == 3.0 and not isinstance(raw, bool) else str(raw)
        for family in ("3.0", "3.1"):
            if text == family or text.startswith(family + "."):
                return family
        return text
    return None


def is_template(data: Any) -> bool:
    """Whether `data` is a CloudFormation/SAM template (here, not in apilint.document.cfn: a
    definition file is told apart without importing the template front end)."""
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return False
    if "AWSTemplateFormatVersion" in data or "Transform" in data:
        return True
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and "::" in r["Type"]
        for r in data["Resources"].values()
    )


def check_sections(doc: Document) -> None:
    """The sections everything else stands on must have the right type, or nothing can be built."""
    data = doc.data
    for key in _SECTIONS_THAT_ARE_MAPPINGS:
        if key in data and data[key] is not None and not isinstance(data[key], dict):
            got = type(data[key]).__name__
            got = {
                "str": "a string",
                "int": "a number",
                "float": "a number",
                "bool": "a boolean",
                "list": "a list",
                "dict": "a mapping",
            }.get(got, got)
            span = doc.span((key,))
            raise LoadError(
                f"'{key}' must be a mapping, found {got}", doc.path, span.line, span.column
            )


#: Vendor extension that switches rules off for the object holding it (see apilint.engine.suppress).
SUPPRESSION_KEY = "x-apilint-ignore"


NO_VERSION = f"{NOT_AN_API} (no top-level 'openapi' or 'swagger')"


def load_document(
    path: str | os.PathLike[str], shown: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document | NotAnApi:
    """One OpenAPI/Swagger definition file (templates: see load_definitions)."""
    p = Path(path)
    shown = shown if shown is not None else str(path)
    loaded = read_document(p, shown, max_bytes)
    if isinstance(loaded, Document) and not loaded.version:
        return NotAnApi(shown, NO_VERSION)
    return loaded


@dataclass(frozen=True)
class Linker:
    """Reads the definition files a template names (AWS::Include, DefinitionUri, Terraform
    templatefile/file): local files inside the linted file's directory unless allowed."""

    base: Path  # the linted file's directory
    shown: str  # the linted file as the user named it
    allow_outside: bool
    max_bytes: int

    def open(self, location: str, what: str, holder: str, notes: list[str]) -> Document | None:
        """The definition at `location` (relative to `base`), or None with a note saying why
        it is not read; a file that cannot be loaded is an error naming `what`."""
        if is_remote(location):
            notes.append(f"{what} is {location}, not a local file; lint the file you upload")
            return None
        target = real_path(self.base / location, location)
        if not self.allow_outside and not target.is_relative_to(self.base):
            notes.append(
                f"{what} {location!r} is outside the {holder}'s directory; not read "
                "(--allow-outside-refs reads it)"
            )
            return None
        shown = shown_for(self.shown, target)
        try:
            loaded = read_document(target, shown, self.max_bytes)
            if isinstance(loaded, NotAnApi) or not loaded.version:
                raise LoadError(NOT_AN_API, shown)
        except LoadError as exc:
            raise LoadError(
                f"{what} {location!r}: {exc.message}", exc.file, exc.line, exc.column
            ) from None
        return loaded


def shown_for(referrer: str, target: Path) -> str:
    """How to print a file reached from `referrer`: absolute if the user named that one so,
    else relative to the working directory."""
    return str(target) if Path(referrer).is_absolute() else os.path.relpath(target)


_URL = lazy(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_remote(ref: str) -> bool:
    """A reference to a URL (any scheme), as opposed to a file or a local pointer."""
    return _URL().match(ref) is not None


def read_document(p: Path, shown: str, max_bytes: int) -> Document | NotAnApi:
    """The file as a Document (version "" when it has none), or NotAnApi when the top level is
    not a mapping."""
    doc = load_fragment(p, shown, max_bytes)
    if not isinstance(doc.data, dict):
        return NotAnApi(shown, f"{NOT_AN_API} (the top level is not a mapping)")
    doc.version = detect_version(doc.data) or ""
    if doc.version:
        check_sections(doc)
    return doc


def load_fragment(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """A file reached through `$ref`: any YAML/JSON value, no version of its own."""
    text = read_text(path, shown, max_bytes)
    data, locator, issues, fmt = parse(text, shown, path.suffix.lower() in _JSON_SUFFIXES)
    return Document(
        path=shown,
        abspath=real_path(path, shown),
        data=data,
        locator=locator,
        fmt=fmt,
        version="",
        parse_issues=issues,
        placeholders="${" in text,
        suppressions=SUPPRESSION_KEY in text,
        text=text,
    )
