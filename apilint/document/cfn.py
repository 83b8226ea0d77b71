"""CloudFormation and SAM templates: find the API definitions they hold and read the intrinsic
functions in them as placeholders.

A definition sits in `Body` (`AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`) or
`DefinitionBody` (`AWS::Serverless::Api`, `AWS::Serverless::HttpApi`), written inline or pulled
in with `Fn::Transform: {Name: AWS::Include}`; SAM's `DefinitionUri` may name a local file.
CloudFormation resolves intrinsics (`Fn::Sub`, `Ref`, `Fn::GetAtt`, ...) in inline and included
definitions, so they are rendered here as `${...}` placeholders: unknown values, never errors.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from apilint.document.loader import Linker, detect_version
from apilint.document.model import Document
from apilint.document.pointer import Tokens

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
        return (("Resources", self.logical_id, "Properties", prop) if prop in self.own
                else ("Globals", _GLOBALS.get(self.type, ""), prop))


@dataclass(frozen=True)
class TemplateFile:
    """A CloudFormation/SAM template, for checks of the template itself."""

    doc: Document
    resources: dict[str, Any]  # logical id → resource
    parameters: frozenset[str]
    #: What the SAM transform made of it (apilint.document.sam.Translation), for a SAM template.
    sam: Any = None

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
            source = ("include" if _include_location(props.get(body_key)) is not None
                      else "inline" if body_key in props else "uri" if uri_key in props
                      else "none")
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


def is_template(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
        return False
    if "AWSTemplateFormatVersion" in data or "Transform" in data:
        return True
    return any(isinstance(r, dict) and isinstance(r.get("Type"), str) and "::" in r["Type"]
               for r in data["Resources"].values())


def scan(doc: Document, linker: Linker) -> tuple[TemplateFile, list[Document], list[str]]:
    """The template, the definitions it holds, and notes on those that cannot be read here."""
    params = doc.data.get("Parameters")
    template = TemplateFile(doc, doc.data["Resources"],
                            frozenset(params) if isinstance(params, dict) else frozenset())
    found: list[Document] = []
    notes: list[str] = []
    sam = _sam_translation(template)
    if sam is not None:  # SAM APIs as SAM generates them; the others below, as written
        template = dataclasses.replace(template, sam=sam)
        found.extend(sam.docs)
        notes.extend(sam.notes)
    for api in template.apis():
        if sam is not None and api.logical_id in sam.covered:
            continue
        body_key, uri_key, _ = API_RESOURCES[api.type]
        context = Template(template, api)
        where = f"{api.logical_id}.{body_key}"
        value = api.own.get(body_key)
        if api.source == "inline":
            body = render(value)
            version = detect_version(body) if isinstance(body, dict) else None
            tokens = ("Resources", api.logical_id, "Properties", body_key)
            if version:
                found.append(dataclasses.replace(
                    doc, data=body, version=version, base=tokens, iac=context,
                    kind_hint=api.kind, label=api.logical_id,
                    parse_issues=_issues_within(doc, tokens)))
            else:
                notes.append(f"{where} holds no 'openapi' or 'swagger' version; not linted")
        elif api.source == "include":
            included = _open(linker, _include_location(value), f"{where} AWS::Include", notes)
            if included is not None:  # CloudFormation resolves intrinsics in included files
                found.append(dataclasses.replace(included, data=render(included.data),
                                                 iac=context, kind_hint=api.kind,
                                                 label=api.logical_id))
        elif api.source == "uri":
            location = api.own.get(uri_key)
            if not isinstance(location, str):  # an S3 object {Bucket, Key}
                notes.append(f"{api.logical_id}.{uri_key} is an S3 object; lint the file you "
                             "upload")
                continue
            # The file is uploaded as it is: no intrinsics are resolved in it.
            linked = _open(linker, location, f"{api.logical_id}.{uri_key}", notes)
            if linked is not None:
                found.append(dataclasses.replace(linked, iac=context, kind_hint=api.kind,
                                                 label=api.logical_id))
    return template, found, notes


def _sam_translation(template: TemplateFile) -> Any:
    """apilint.document.sam's Translation of a SAM template, else None (imported only here:
    the translator is heavy)."""
    from apilint.document import sam

    return sam.translate(template.doc, template) if sam.is_sam(template.doc.data) else None


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
    return [i for i in template.parse_issues
            if (span.line, span.column) <= (i.span.line, i.span.column)
            <= (span.end_line, span.end_column)]


# -- intrinsic functions ---------------------------------------------------------------------

_NO_VALUE = object()
_SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


def render(value: Any) -> Any:
    """`value` with every intrinsic function replaced by what it stands for: a string with
    `${Name}` / `${Name.Attribute}` placeholders where CloudFormation fills a value in.
    Copies only what changes."""
    if isinstance(value, dict):
        if len(value) == 1:
            (key, arg), = value.items()
            if key == "Ref" or key.startswith("Fn::"):
                rendered = _intrinsic(key, arg)
                if rendered is not _UNHANDLED:
                    return rendered
        out: dict[str, Any] | None = None
        for k, v in value.items():
            r = render(v)
            if r is not v:
                if out is None:
                    out = dict(value)
                if r is _NO_VALUE:
                    del out[k]
                else:
                    out[k] = r
        return value if out is None else out
    if isinstance(value, list):
        items = [render(v) for v in value]
        if any(a is not b for a, b in zip(items, value)):
            return [v for v in items if v is not _NO_VALUE]
    return value


_UNHANDLED = object()


def _intrinsic(key: str, arg: Any) -> Any:
    if key == "Ref":
        if arg == "AWS::NoValue":
            return _NO_VALUE
        return f"${{{arg}}}" if isinstance(arg, str) else _UNHANDLED
    if key == "Fn::GetAtt":
        parts = arg.split(".", 1) if isinstance(arg, str) else arg
        if isinstance(parts, list) and parts and all(isinstance(p, str) for p in parts):
            return "${" + ".".join(parts) + "}"
        return _UNHANDLED
    if key == "Fn::Sub":
        return _sub(arg)
    if key == "Fn::Join":
        if (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)
                and isinstance(arg[1], list)):
            return arg[0].join(_text(render(p)) for p in arg[1])
        return _UNHANDLED
    if key == "Fn::If":
        if isinstance(arg, list) and len(arg) == 3:
            chosen = render(arg[1])
            # The branch that yields a value says more than one that drops the key.
            return render(arg[2]) if chosen is _NO_VALUE else chosen
        return _UNHANDLED
    if key == "Fn::Transform":
        return _UNHANDLED  # a nested AWS::Include: left as it is
    return f"${{{key}}}"  # Fn::ImportValue, Fn::FindInMap, Fn::Select, ...: unknown here


def _sub(arg: Any) -> Any:
    if isinstance(arg, str):
        return arg
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)
            and isinstance(arg[1], dict)):
        return _UNHANDLED
    variables = {k: _text(render(v)) for k, v in arg[1].items()}
    return _SUB_VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), arg[0])


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return "${?}"  # a list or object where text is needed: unknown
