"""`$ref` resolution across the root document and the local files it points to.

Local refs always resolve; relative file refs are followed inside the root document's directory
tree; URLs are never fetched. Nothing is inlined: consumers dereference lazily, so recursive
schemas are fine and only a pure reference loop (A → B → A) is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

from apilint.common.errors import LoadError
from apilint.common.records import NamedTuple
from apilint.common.regex import lazy
from apilint.document.loader import (
    DEFAULT_MAX_BYTES,
    is_remote,
    load_fragment,
    parse,
    real_path,
    shown_for,
)
from apilint.document.model import Document
from apilint.document.pointer import Tokens, decode, encode, get
from apilint.document.scan import source_of

#: The string after each `"$ref":` of JSON text (its pattern unrolled, `[^"\\]*(?:\\.[^"\\]*)*`:
#: twice as fast on a 13 MB file as an alternation tried at every character).
_JSON_REF_PATTERN = r'"\$ref"\s*:\s*("[^"\\]*(?:\\.[^"\\]*)*")'
_JSON_REF = lazy(_JSON_REF_PATTERN)
#: The same in the bytes of a JSON file (the loader keeps them undecoded).
_JSON_REF_BYTES = lazy(_JSON_REF_PATTERN.encode())
#: An escape spelling a letter of `$ref` (`"$r\u0065f"` is a `$ref` key the pattern does not see).
_REF_LETTER_ESCAPE_PATTERN = r"\\u00(?:24|72|65|66)"
_REF_LETTER_ESCAPE = lazy(_REF_LETTER_ESCAPE_PATTERN, re.IGNORECASE)
_REF_LETTER_ESCAPE_BYTES = lazy(_REF_LETTER_ESCAPE_PATTERN.encode(), re.IGNORECASE)
#: Keys whose values are literal data, where a `$ref` (or any other key) means nothing...
_LITERAL_KEYS = frozenset(
    {"example", "enum", "default", "const", "x-example", "x-amazon-apigateway-policy"}
)
#: ...unless they are names in a map: the `default` response, a property called `example`.
_NAME_MAPS = frozenset(
    {
        "responses",
        "properties",
        "definitions",
        "schemas",
        "parameters",
        "examples",
        "headers",
        "paths",
        "securitySchemes",
        "securityDefinitions",
    }
)


def is_literal(tokens: Tokens, key: str) -> bool:
    """Whether `key` of the object at `tokens` holds literal data rather than structure."""
    return key in _LITERAL_KEYS and not (tokens and tokens[-1] in _NAME_MAPS)


class At(NamedTuple):
    """A value and where it lives. (A named tuple rather than a frozen dataclass: as immutable
    and as small, and made in less time; a large definition makes tens of thousands.)"""

    doc: Document
    tokens: Tokens
    value: Any

    def child(self, key: str | int) -> At | None:
        v = self.value
        if isinstance(v, dict) and isinstance(key, str) and key in v:
            return At(self.doc, self.tokens + (key,), v[key])
        if isinstance(v, list) and isinstance(key, int) and 0 <= key < len(v):
            return At(self.doc, self.tokens + (str(key),), v[key])
        return None


class RefIssue(NamedTuple):
    """A `$ref` that cannot be followed, and why."""

    kind: str  # "remote" | "unresolved" | "outside"
    ref: str
    detail: str
    doc: Document
    tokens: Tokens  # where the `$ref` key stands


class RefError(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


class Workspace:
    def __init__(
        self,
        root: Document,
        allow_outside: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_remote: bool = False,
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.allow_remote = allow_remote
        self.base = root.abspath.parent
        self.allow_outside = allow_outside
        self.docs: dict[Path, Document] = {root.abspath: root}
        self.issues: list[RefIssue] = []
        self._scanned: set[Path] = set()
        self._failed: dict[Path, RefError] = {}  # remote documents that could not be had
        #: Where a `$ref` chain through a location ends, or why it cannot (see deref).
        self._ends: dict[tuple[Path, Tokens], At | RefError] = {}
        self._targets: dict[tuple[Path, str], tuple[Document, Tokens]] = {}
        self._by_ref: dict[tuple[Path, str], At | RefError] = {}

    # -- targets -------------------------------------------------------------------------------
    def _file(self, doc: Document, name: str) -> Document:
        try:
            target = real_path(doc.abspath.parent / unquote(name), name)
        except LoadError as exc:
            raise RefError("unresolved", f"cannot load {name!r}: {exc.message}") from None
        if not self.allow_outside and not target.is_relative_to(self.base):
            raise RefError(
                "outside",
                f"{name!r} is outside the definition's directory "
                f"({self.base}); such files are not read",
            )
        cached = self.docs.get(target)
        if cached is None:
            shown = shown_for(doc.path, target)
            try:
                cached = load_fragment(target, shown, self.max_bytes)
            except LoadError as exc:
                raise RefError("unresolved", f"cannot load {name!r}: {exc.message}") from None
            self.docs[target] = cached
        return cached

    def _remote(self, url: str) -> Document:
        from apilint.document.remote import fetch, stand_in_path

        key = stand_in_path(url)
        cached = self.docs.get(key)
        if cached is None:
            failed = self._failed.get(key)
            if failed is not None:  # fetched once, failures too: not again for each reference
                raise failed
            try:
                got = fetch(url, self.max_bytes)
                data, locator, issues, fmt = parse(
                    got.text, got.url, got.url.lower().endswith(".json")
                )
            except LoadError as exc:
                self._failed[key] = RefError("unresolved", f"cannot load {url!r}: {exc.message}")
                raise self._failed[key] from None
            # Named by where it came from: its relative refs resolve against that URL.
            cached = Document(
                path=got.url,
                abspath=key,
                data=data,
                locator=locator,
                fmt=fmt,
                version="",
                parse_issues=issues,
                placeholders=False,
                suppressions=False,
            )
            self.docs[key] = cached
        return cached

    def target(self, doc: Document, ref: str) -> tuple[Document, Tokens]:
        """The document and pointer `ref`, written in `doc`, names (each distinct `ref` of a
        document is parsed once: a large definition repeats a few thousand refs many times)."""
        key = (doc.abspath, ref)
        found = self._targets.get(key)
        if found is None:
            found = self._targets[key] = self._target(doc, ref)
        return found

    def _target(self, doc: Document, ref: str) -> tuple[Document, Tokens]:
        file_part, _, fragment = ref.partition("#")
        from_remote = is_remote(doc.path)
        if is_remote(ref) or (from_remote and file_part):
            if not self.allow_remote:
                raise RefError(
                    "remote",
                    f"{ref!r} is a remote reference; apilint fetches URLs "
                    "only with --allow-remote-refs, and API Gateway cannot "
                    "import it either",
                )
            target_doc = self._remote(urljoin(doc.path, file_part) if from_remote else file_part)
        else:
            target_doc = self._file(doc, file_part) if file_part else doc
        try:
            return target_doc, decode("#" + fragment)
        except ValueError as exc:
            raise RefError("unresolved", str(exc)) from None

    def deref(self, at: At) -> At:
        """Follow `$ref` chains from `at`; raise RefError for a target that cannot be had.

        Linear in the chain: every location the chain passes through is remembered with where
        it ends (or why it fails), so a later chain stops as soon as it joins a known one
        (s0 -> s1 -> ... -> s2999 used to re-walk the rest of the chain from every link)."""
        value = at.value
        if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
            return at  # most values the model and the rules read are no reference
        # A `$ref` means the same wherever its document writes it: where it ends is remembered
        # by (document, ref), so the thousands of sites of a popular schema follow it once.
        ref_key = (at.doc.abspath, value["$ref"])
        end = self._by_ref.get(ref_key)
        if end is None:
            try:
                end = self._follow(at)
            except RefError as exc:
                end = exc
            self._by_ref[ref_key] = end
        if isinstance(end, RefError):
            raise RefError(end.kind, end.detail)
        return end

    def _follow(self, at: At) -> At:
        chain: list[tuple[Path, Tokens]] = []
        seen: set[tuple[Path, Tokens]] = set()
        try:
            while isinstance(at.value, dict) and isinstance(at.value.get("$ref"), str):
                key = (at.doc.abspath, at.tokens)
                if chain:  # `at` itself may be a stand-in (scan); what it points at is real
                    known = self._ends.get(key)
                    if isinstance(known, RefError):
                        raise RefError(known.kind, known.detail)
                    if known is not None:
                        at = known
                        break
                if key in seen:
                    names = " -> ".join(encode(t) or "#" for _, t in chain + [key])
                    span = at.doc.span(at.tokens + ("$ref",))
                    raise LoadError(f"$ref cycle: {names}", at.doc.path, span.line, span.column)
                seen.add(key)
                chain.append(key)
                at = self._hop(at)
        except RefError as exc:
            self._ends.update((key, exc) for key in chain[1:])
            raise
        self._ends.update((key, at) for key in chain[1:])
        return at

    def _hop(self, at: At) -> At:
        ref = at.value["$ref"]
        doc, tokens = self.target(at.doc, ref)
        try:
            value = get(doc.data, tokens)
        except KeyError as exc:
            raise RefError(
                "unresolved",
                f"{ref!r} points to nothing ({exc.args[0]} does not exist in {doc.path})",
            ) from None
        return At(doc, tokens, value)

    def resolve(self, at: At | None) -> At | None:
        """Like deref, but an unresolvable reference yields None (scan() reported it)."""
        if at is None:
            return None
        try:
            return self.deref(at)
        except RefError:
            return None

    # -- the whole-document scan ---------------------------------------------------------------
    def scan(self) -> None:
        """Check every `$ref` once: records issues, raises LoadError on a reference cycle."""
        pending = [self.root]
        while pending:
            doc = pending.pop()
            if doc.abspath in self._scanned:
                continue
            self._scanned.add(doc.abspath)
            if not self._all_targets_fine(doc):
                for tokens, ref in iter_refs(doc.data):
                    try:
                        self.deref(At(doc, tokens, {"$ref": ref}))
                    except RefError as exc:
                        self.issues.append(
                            RefIssue(exc.kind, ref, exc.detail, doc, tokens + ("$ref",))
                        )
            # Files the refs reached are scanned too, however this one was checked.
            pending.extend(d for d in self.docs.values() if d.abspath not in self._scanned)

    def _all_targets_fine(self, doc: Document) -> bool:
        """For JSON text, read the distinct `$ref` targets with a regex (C speed) and check each
        once; only when one fails do we walk the data to find where it is used."""
        source: str | bytes | None
        if doc.iac is not None:
            return False  # read through a template: intrinsics make the data differ from the text
        if doc.fmt == "json":
            source = source_of(doc)  # a JSON locator's text or bytes
        elif not doc.placeholders:  # (substituted `${...}`s would make the data differ from it)
            # YAML that rapidyaml read: the JSON it emitted (walking the data instead made the
            # model of a YAML definition cost twice that of the same definition in JSON).
            take = getattr(doc.locator, "take_json", None)
            source = take() if take is not None else None
        else:
            return False
        if not isinstance(source, (str, bytes)):
            return False
        import json

        # the same searches in the text or in its bytes
        refs: re.Pattern[Any]
        escapes: re.Pattern[Any]
        key: Any
        if isinstance(source, str):
            refs, escapes, key = _JSON_REF(), _REF_LETTER_ESCAPE(), '"$ref"'
        else:
            refs, escapes, key = _JSON_REF_BYTES(), _REF_LETTER_ESCAPE_BYTES(), b'"$ref"'
        searched: Any = source
        spellings = refs.findall(searched)
        unread = searched.count(key) != len(spellings) or escapes.search(searched) is not None
        if unread:
            return False  # a `$ref` that is no string, or a key spelt with escapes: walk the data
        targets = set()
        for quoted in set(spellings):  # decoded once per distinct spelling
            try:
                targets.add(json.loads(quoted))
            except ValueError:
                return False
        for ref in targets:
            if not ref.startswith("#"):
                # Another file or a URL: the search also reads `$ref`s in literal data (an
                # example), and loading what they name would lint (or fetch) it; the walk
                # skips literal data.
                return False
            try:
                self.deref(At(doc, ("(scan)",), {"$ref": ref}))
            except (RefError, LoadError):
                return False  # walk the data for the sites (and the exact cycle position)
        return True


def iter_objects(data: Any) -> Iterator[tuple[Tokens, dict[str, Any]]]:
    """Every mapping outside literal data, in document order, with its pointer."""
    stack: list[tuple[Tokens, Any]] = [((), data)]
    while stack:
        tokens, node = stack.pop()
        if isinstance(node, dict):
            yield tokens, node
            # Pushed in reverse so that objects come out in document order.
            for key, value in reversed(node.items()):
                if isinstance(value, (dict, list)) and not is_literal(tokens, key):
                    stack.append((tokens + (key,), value))
        elif isinstance(node, list):
            for i in range(len(node) - 1, -1, -1):
                if isinstance(node[i], (dict, list)):
                    stack.append((tokens + (str(i),), node[i]))


def iter_refs(data: Any) -> Iterator[tuple[Tokens, str]]:
    """Every `$ref` string in `data` with the pointer of the object that holds it."""
    for tokens, node in iter_objects(data):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield tokens, ref
