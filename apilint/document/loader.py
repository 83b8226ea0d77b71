"""Read one file into a Document: size and encoding checks, JSON or YAML, version detection."""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from apilint.common.errors import LoadError, ParseError
from apilint.common.files import NOT_REGULAR, NotRegularFile, TooLarge, read_bounded
from apilint.common.records import NamedTuple
from apilint.common.regex import lazy
from apilint.document.aside import start
from apilint.document.json_loader import load_json, load_json_bytes
from apilint.document.model import NOT_AN_API, Document, KeyIssue, NotAnApi
from apilint.document.placeholders import quote_bare_json_placeholders

#: Refuse larger inputs (API Gateway itself takes at most 6 MB; exports of huge APIs stay well below).
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_JSON_SUFFIXES = (".json",)
#: Text that may be JSON whatever the file's name (parse decides the same on the text; what
#: else it strips, other Unicode blanks, orjson refuses, so parse decides those).
_JSON_START = re.compile(rb"[ \t\r\n]*[{\[]")
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
    return decode(read_bytes(path, shown, max_bytes), shown)


def read_bytes(path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file's bytes (standard input's when it stands for `path`), its problems LoadErrors."""
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
    return raw


def decode(raw: bytes, shown: str) -> str:
    """UTF-8 text (a BOM dropped); anything else is a LoadError at the first bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", shown, line, column
        ) from None


def parse(
    text: str, shown: str, as_json: bool, raw: bytes | None = None
) -> tuple[Any, Any, list[Any], str]:
    """Return (data, locator, parse issues, format). `raw`: the text's UTF-8 bytes, when the
    caller read them (rapidyaml parses them without encoding the text back)."""
    if not text or text.isspace():  # what strip() would leave empty, without its copy
        raise LoadError("file is empty", shown, 1, 1)
    if as_json or text.lstrip()[:1] in ("{", "["):
        try:
            return (*load_json(text), "json")
        except json.JSONDecodeError as exc:
            if "${" in text:
                try:
                    return (*load_json(quote_bare_json_placeholders(text)), "json")
                except json.JSONDecodeError:
                    pass
            if as_json:
                raise ParseError(f"invalid JSON: {exc.msg}", shown, exc.lineno, exc.colno) from None
            # Not JSON after all (YAML flow style starts with '{' too): let YAML decide.
    from apilint.document.yaml_loader import load_yaml  # a JSON file never needs it

    data, locator, issues = load_yaml(text, shown, raw)
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


class Linker(NamedTuple):
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


def read_document(p: Path, shown: str, max_bytes: int, aside: bool = False) -> Document | NotAnApi:
    """The file as a Document (version "" when it has none), or NotAnApi when the top level is
    not a mapping. `aside`: the file a lint run was given (see load_fragment)."""
    doc = load_fragment(p, shown, max_bytes, aside)
    if not isinstance(doc.data, dict):
        return NotAnApi(shown, f"{NOT_AN_API} (the top level is not a mapping)")
    doc.version = detect_version(doc.data) or ""
    if doc.version:
        check_sections(doc)
    return doc


def _fast_yaml(fmt: str, locator: Any) -> bool:
    from apilint.document.ryml_loader import RymlLocator  # loaded: load_yaml tried it first

    return fmt == "yaml" and isinstance(locator, RymlLocator)


def load_fragment(
    path: Path, shown: str, max_bytes: int = DEFAULT_MAX_BYTES, aside: bool = False
) -> Document:
    """A file reached through `$ref`: any YAML/JSON value, no version of its own. `aside`: the
    file a lint run was given, which may have its positions process (apilint.document.aside);
    the files it refers to, and the templates that may include it, never take the run's one."""
    raw = read_bytes(path, shown, max_bytes)
    as_json = path.suffix.lower() in _JSON_SUFFIXES
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    maybe_json = bool(as_json or _JSON_START.match(body))
    # Before the parse, so that both parse at once (and the fork copies a small process).
    process = start(body, maybe_json) if aside else None
    # With a process of its own, JSON is taken on that process's checks (the engine asks for
    # its verdict before the results are used: aside.unconfirmed), which then cost no time here.
    fast = load_json_bytes(body, checked=process is None) if maybe_json else None
    if fast is not None and process is not None:
        process.checks = True
    text: str | bytes = body  # the common case: decoded only if a fix asks for the text
    issues: list[KeyIssue] = []
    if fast is not None:
        (data, locator), fmt = fast, "json"
    else:
        text = decode(raw, shown)
        try:
            data, locator, issues, fmt = parse(text, shown, as_json, body)
        except BaseException:
            if process is not None:
                process.close()
            raise
        if process is not None and not _fast_yaml(fmt, locator):
            process.close()  # it locates as the fast paths do; the others have their own ways
            process = None
    if process is not None:
        process.locator = locator  # it answers for this locator only (Document.span)
    # Searched in the bytes: the same answer as in the text (UTF-8 never spells an ASCII
    # character inside another), without decoding it.
    return Document(
        path=shown,
        abspath=real_path(path, shown),
        data=data,
        locator=locator,
        fmt=fmt,
        version="",
        parse_issues=issues,
        placeholders=b"${" in body,
        suppressions=SUPPRESSION_KEY.encode() in body,
        text=text,
        aside=process,
    )
