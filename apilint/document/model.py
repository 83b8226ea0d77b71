"""The loaded document: data plus a map from JSON Pointer to file position."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from apilint.common.findings import Span
from apilint.common.records import FACTORY, NamedTuple, record
from apilint.document.pointer import Tokens, encode

if TYPE_CHECKING:
    # Types only: cfn and terraform build documents, so they import this module at run time.
    from apilint.document.aside import Aside
    from apilint.document.cfn import Template, TemplateFile
    from apilint.document.terraform import TerraformModule


class Locator(Protocol):
    def span(self, tokens: Tokens) -> Span: ...


#: What a rule may need from an API (`needs:` in its rule file, rules/rule.schema.json):
#: `document` is the OpenAPI text itself (its schema, `$ref`s, keys, extension placement, JSON
#: Schema keywords); the others are gateway facts any front end can fill in: `routes` (paths,
#: methods, parameters, method responses), `auth` (method authorization and authorizers),
#: `integrations`, `models`, `settings` (API-wide: gateway responses, validators, policy,
#: binary media types, CORS configuration, endpoint).
FACTS = ("document", "routes", "auth", "integrations", "models", "settings")
ALL_FACTS = frozenset(FACTS)
#: What the documents of the resource front ends are built from (`Document.built_from`): here,
#: not with the front ends, so that reading the label loads none of them.
CLOUDFORMATION = "CloudFormation resources"
TERRAFORM = "Terraform resources"


class KeyIssue(NamedTuple):
    """A structural oddity noticed while parsing (e.g. a duplicate mapping key)."""

    kind: str
    detail: str
    span: Span
    tokens: Tokens | None = None  # where it is, when the parser knows (JSON)


# Its __init__ is written: @dataclass would compile it at import (apilint.common.records).
@dataclass(init=False, eq=False, repr=False)
class Document:
    """One parsed file (or definition embedded in a template), with what locates its nodes."""

    path: str  # as the user named it: this is what reports print
    abspath: Path
    data: Any
    locator: Locator
    fmt: str  # "yaml" | "json"
    version: str  # "2.0", "3.0", "3.1" or the raw unsupported value
    parse_issues: list[KeyIssue] = field(default_factory=list)
    placeholders: bool = False  # held `${...}` template placeholders
    suppressions: bool = False  # mentions x-apilint-ignore (worth walking for suppressions)
    #: Where the definition sits in its file: () for a definition file, the pointer of the
    #: `Body`/`DefinitionBody`/`body` for one embedded in a template. The data and every
    #: Tokens handed around are relative to it; positions and reported pointers are not.
    base: Tokens = ()
    #: The template (CloudFormation/SAM or Terraform) that holds or includes the definition.
    iac: Template | TerraformModule | None = None
    #: "rest" or "http" when the holder says which (the template's resource type).
    kind_hint: str | None = None
    #: Which API of its file this is (a template's logical id or Terraform address).
    label: str | None = None
    #: The same definition read with the second branch of each Fn::If (either may deploy): it
    #: is linted too, and its findings join those of the reading before it.
    alternative: bool = False
    #: The text of the file it was read from (None when built otherwise): fixes edit it. A
    #: JSON file keeps its UTF-8 bytes as read (no BOM) until source_text() decodes them.
    text: str | bytes | None = None
    #: None for an OpenAPI document; else what the API was built from ("CloudFormation
    #: resources", "Terraform resources"): the data is then the OpenAPI document API Gateway
    #: would export for it (apilint.document.resources), and its locator a ResourceLocator.
    built_from: str | None = None
    #: The facts the document carries (rules declare what they `needs`): every fact for an
    #: OpenAPI document; a resource front end names those it fills in.
    provides: frozenset[str] = ALL_FACTS
    #: The process that locates the file's findings on another core (apilint.document.aside),
    #: when the run started one for it.
    aside: Aside | None = None

    def __init__(
        self,
        path: str,
        abspath: Path,
        data: Any,
        locator: Locator,
        fmt: str,
        version: str,
        parse_issues: list[KeyIssue] = FACTORY,
        placeholders: bool = False,
        suppressions: bool = False,
        base: Tokens = (),
        iac: Template | TerraformModule | None = None,
        kind_hint: str | None = None,
        label: str | None = None,
        alternative: bool = False,
        text: str | bytes | None = None,
        built_from: str | None = None,
        provides: frozenset[str] = ALL_FACTS,
        aside: Aside | None = None,
    ) -> None:
        self.path = path
        self.abspath = abspath
        self.data = data
        self.locator = locator
        self.fmt = fmt
        self.version = version
        self.parse_issues = [] if parse_issues is FACTORY else parse_issues
        self.placeholders = placeholders
        self.suppressions = suppressions
        self.base = base
        self.iac = iac
        self.kind_hint = kind_hint
        self.label = label
        self.alternative = alternative
        self.text = text
        self.built_from = built_from
        self.provides = provides
        self.aside = aside

    def source_text(self) -> str | None:
        """The text of the file (decoded once, on the first call: fixes are rare, and decoding
        GitHub's 13 MB builds a 52 MB str)."""
        if isinstance(self.text, bytes):
            self.text = self.text.decode("utf-8")
        return self.text

    def _process(self) -> Aside | None:
        """The positions process, when it answers for this document's locator: a document made
        from another (dataclasses.replace with a ReadingLocator, a ResourceLocator...) keeps
        the field, and its pointers mean other places."""
        process = self.aside
        return process if process is not None and process.locator is self.locator else None

    def span(self, tokens: Tokens) -> Span:
        full = self.base + tokens if self.base else tokens
        process = self._process()
        if process is not None:
            found = process.spans([full])
            if found is not None:
                return found[0]
        return self.locator.span(full)

    def ahead(self, pointers: Sequence[Tokens]) -> None:
        """Pointers whose spans will be asked for: the positions process, when the file has one,
        locates them while the rules run on."""
        process = self._process()
        if process is not None:
            process.ahead([self.base + t for t in pointers] if self.base else pointers)

    def spans(self, pointers: Sequence[Tokens]) -> list[Span]:
        """span() of each pointer; a locator that can locate many together does."""
        full = [self.base + t for t in pointers] if self.base else pointers
        process = self._process()
        if process is not None:
            answered = process.spans(full)
            if answered is not None:
                return answered
        many = getattr(self.locator, "spans", None)
        if many is not None:
            found: list[Span] = many(full)
            return found
        return [self.locator.span(t) for t in full]

    def pointer(self, tokens: Tokens) -> str:
        """The JSON Pointer of `tokens` in the file (what findings and suppressions report)."""
        if self.built_from is not None:  # the resource property the node was made from
            source = getattr(self.locator, "source")  # noqa: B009 - a ResourceLocator's
            return encode(source(tokens))
        return encode(self.base + tokens if self.base else tokens)

    def construct(self, tokens: Tokens) -> str | None:
        """The CDK construct path of the resource the node at `tokens` was made from."""
        find = getattr(self.locator, "construct", None)
        return find(tokens) if find is not None else None

    def made_by(self, tokens: Tokens) -> str | None:
        """The SAM property that generated the node at `tokens` (the locator of a body SAM
        generates knows each node's origin: apilint.document.sam_origins), or None: written by
        the user, or no SAM template."""
        origin = getattr(self.locator, "origin", None)
        return origin(tokens).made_by if origin is not None else None


@record()  # the methods @dataclass would compile at import (apilint.common.records)
class Sources:
    """What one input file holds: its API definitions (itself, or those a template embeds or
    includes) and, for a CloudFormation/SAM template, the template for template-wide checks."""

    path: str
    docs: list[Document]
    template: TemplateFile | None = None
    notes: list[str] = field(default_factory=list)  # parts that could not be linted, and why
    what: str = "definition"  # the kind of file, for messages

    def __init__(
        self,
        path: str,
        docs: list[Document],
        template: TemplateFile | None = None,
        notes: list[str] = FACTORY,
        what: str = "definition",
    ) -> None:
        self.path = path
        self.docs = docs
        self.template = template
        self.notes = [] if notes is FACTORY else notes
        self.what = what

    def skip_reason(self) -> str:
        why = "; ".join(self.notes) if self.notes else "it defines no API with a definition"
        return f"a {self.what} without a definition to lint: {why}"


#: How the reason for skipping a file that is no API definition at all begins.
NOT_AN_API = "not an OpenAPI/Swagger document"


class NotAnApi(NamedTuple):
    """A readable YAML/JSON file that holds no OpenAPI/Swagger document (skipped, not an error)."""

    path: str
    reason: str
