"""CloudFormation and SAM templates: find the API definitions they hold and read the intrinsic
functions in them as placeholders.

A definition sits in `Body` (`AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`) or
`DefinitionBody` (`AWS::Serverless::Api`, `AWS::Serverless::HttpApi`), written inline or pulled
in with `Fn::Transform: {Name: AWS::Include}`; SAM's `DefinitionUri` may name a local file.
CloudFormation resolves intrinsics (`Fn::Sub`, `Ref`, `Fn::GetAtt`, ...) in inline and included
definitions, so they are rendered as `${...}` placeholders (apilint.document.intrinsics).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from apilint.document.intrinsics import ReadingLocator, readings
from apilint.document.intrinsics import render as render  # re-exported: callers render here
from apilint.document.loader import Linker, detect_version
from apilint.document.model import Document
from apilint.document.pointer import Tokens

if TYPE_CHECKING:
    from apilint.document.sam import Translation  # sam builds on this module

#: Resource type → (inline key, location key, REST or HTTP).
API_RESOURCES = {
    "AWS::ApiGateway::RestApi": ("Body", "BodyS3Location", "rest"),
    "AWS::ApiGatewayV2::Api": ("Body", "BodyS3Location", "http"),
    "AWS::Serverless::Api": ("DefinitionBody", "DefinitionUri", "rest"),
    "AWS::Serverless::HttpApi": ("DefinitionBody", "DefinitionUri", "http"),
}
#: SAM Globals section that applies to each SAM API type.
_GLOBALS = {"AWS::Serverless::Api": "Api", "AWS::Serverless::HttpApi": "HttpApi"}
FUNCTIONS = frozenset({"AWS::Lambda::Function", "AWS::Serverless::Function"})
#: Resources that stand for a function when invoked: its versions and aliases.
FUNCTION_VARIANTS = frozenset({"AWS::Lambda::Alias", "AWS::Lambda::Version"})
_INCLUDE = "AWS::Include"


@dataclass(frozen=True)
class ApiResource:
    """An API resource of the template and how its definition is given."""

    logical_id: str
    type: str
    own: dict[str, Any]  # the resource's Properties
    properties: dict[str, Any]  # the same with SAM Globals merged in (own ones win)
    #: "inline", "include" (AWS::Include), "uri" (a DefinitionUri/BodyS3Location file or S3
    #: object) or "none" (SAM generates the definition from function events).
    source: str

    @property
    def kind(self) -> str:
        return API_RESOURCES[self.type][2]

    def tokens(self, prop: str) -> tuple[str, ...]:
        """Where `prop` is written: on the resource, or in the SAM Globals it inherits."""
        return (
            ("Resources", self.logical_id, "Properties", prop)
            if prop in self.own
            else ("Globals", _GLOBALS.get(self.type, ""), prop)
        )


@dataclass(frozen=True)
class TemplateFile:
    """A CloudFormation/SAM template, for checks of the template itself."""

    doc: Document
    resources: dict[str, Any]  # logical id → resource
    parameters: frozenset[str]
    #: What the SAM transform made of it, for a SAM template.
    sam: Translation | None = None

    def type_of(self, logical_id: str) -> str | None:
        resource = self.resources.get(logical_id)
        kind = resource.get("Type") if isinstance(resource, dict) else None
        return kind if isinstance(kind, str) else None

    def properties(self, logical_id: str) -> dict[str, Any]:
        resource = self.resources.get(logical_id)
        props = resource.get("Properties") if isinstance(resource, dict) else None
        return props if isinstance(props, dict) else {}

    def apis(self) -> list[ApiResource]:
        out = []
        for logical_id in self.resources:
            kind = self.type_of(logical_id)
            if kind not in API_RESOURCES:
                continue
            props = self.properties(logical_id)
            body_key, uri_key, _ = API_RESOURCES[kind]
            source = (
                "include"
                if _include_location(props.get(body_key)) is not None
                else "inline"
                if body_key in props
                else "uri"
                if uri_key in props
                else "none"
            )
            merged = {**_globals(self.doc.data, kind), **props}
            out.append(ApiResource(logical_id, kind, props, merged, source))
        return out

    def function_names(self) -> dict[str, str]:
        """Literal `FunctionName` → logical id, for the functions this template defines."""
        out = {}
        for logical_id in self.resources:
            if self.type_of(logical_id) in FUNCTIONS:
                name = self.properties(logical_id).get("FunctionName")
                if isinstance(name, str) and "${" not in name:
                    out[name] = logical_id
        return out


@dataclass(frozen=True)
class Template:
    """The template around one definition: the file and the API resource that holds it."""

    file: TemplateFile
    api: ApiResource


def template_file(doc: Document) -> TemplateFile:
    params = doc.data.get("Parameters")
    return TemplateFile(
        doc, doc.data["Resources"], frozenset(params) if isinstance(params, dict) else frozenset()
    )


def definitions(
    template: TemplateFile, api: ApiResource, linker: Linker, notes: list[str]
) -> list[Document]:
    """The definition of one API resource: a document per reading of its intrinsics (two when
    an Fn::If has two different branches), or none with a note saying why."""
    doc = template.doc
    body_key, uri_key, _ = API_RESOURCES[api.type]
    context = Template(template, api)
    where = f"{api.logical_id}.{body_key}"
    value = api.own.get(body_key)
    if api.source == "inline":
        tokens = ("Resources", api.logical_id, "Properties", body_key)
        out: list[Document] = []
        for reading in readings(value):
            version = detect_version(reading.data) if isinstance(reading.data, dict) else None
            if version:
                out.append(
                    dataclasses.replace(
                        doc,
                        data=reading.data,
                        version=version,
                        base=tokens,
                        iac=context,
                        kind_hint=api.kind,
                        label=api.logical_id,
                        alternative=bool(out),
                        locator=_locator(doc.locator, tokens, reading.moves),
                        parse_issues=_issues_within(doc, tokens),
                    )
                )
        if not out:
            notes.append(f"{where} holds no 'openapi' or 'swagger' version; not linted")
        return out
    if api.source == "include":
        included = _open(linker, _include_location(value), f"{where} AWS::Include", notes)
        if included is None:
            return []
        # CloudFormation resolves intrinsics in included files
        return [
            dataclasses.replace(
                included,
                data=reading.data,
                iac=context,
                kind_hint=api.kind,
                label=api.logical_id,
                alternative=n > 0,
                locator=_locator(included.locator, (), reading.moves),
            )
            for n, reading in enumerate(readings(included.data))
        ]
    if api.source == "uri":
        location = api.own.get(uri_key)
        if not isinstance(location, str):  # an S3 object {Bucket, Key}
            notes.append(f"{api.logical_id}.{uri_key} is an S3 object; lint the file you upload")
            return []
        # The file is uploaded as it is: no intrinsics are resolved in it (aws/aws-sam-cli#691).
        linked = _open(linker, location, f"{api.logical_id}.{uri_key}", notes)
        if linked is not None:
            return [
                dataclasses.replace(linked, iac=context, kind_hint=api.kind, label=api.logical_id)
            ]
    return []


def location_of(api: ApiResource) -> str | None:
    """The local path an API resource names for its definition (AWS::Include or DefinitionUri)."""
    body_key, uri_key, _ = API_RESOURCES[api.type]
    location = (
        _include_location(api.own.get(body_key))
        if api.source == "include"
        else api.own.get(uri_key)
        if api.source == "uri"
        else None
    )
    return location if isinstance(location, str) and location else None


def _locator(inner: Any, base: Tokens, moves: dict[Tokens, Tokens]) -> Any:
    return ReadingLocator(inner, base, moves) if moves else inner


def _globals(data: dict[str, Any], kind: str) -> dict[str, Any]:
    section = _GLOBALS.get(kind)
    globals_ = data.get("Globals")
    defaults = globals_.get(section) if section and isinstance(globals_, dict) else None
    return defaults if isinstance(defaults, dict) else {}


def _include_location(value: Any) -> Any:
    """The Location of `{"Fn::Transform": {"Name": "AWS::Include", ...}}`, else None."""
    if not (isinstance(value, dict) and len(value) == 1 and "Fn::Transform" in value):
        return None
    transform = value["Fn::Transform"]
    if not isinstance(transform, dict) or transform.get("Name") != _INCLUDE:
        return None
    params = transform.get("Parameters")
    location = params.get("Location") if isinstance(params, dict) else None
    return location if location is not None else ""


def _open(linker: Linker, location: Any, what: str, notes: list[str]) -> Document | None:
    if not isinstance(location, str) or not location:
        notes.append(f"{what} location is not a plain path; not linted")
        return None
    return linker.open(location, what, "template", notes)


def _issues_within(template: Document, tokens: Tokens) -> list[Any]:
    if not template.parse_issues:
        return []
    span = template.span(tokens)
    return [
        i
        for i in template.parse_issues
        if (span.line, span.column)
        <= (i.span.line, i.span.column)
        <= (span.end_line, span.end_column)
    ]
