"""SAM templates as SAM deploys them: the AWS::Serverless-2016-10-31 transform, run offline.

SAM builds most APIs itself: from function `Events` (`Type: Api` / `HttpApi`), `Globals`, `Cors`,
`Auth` and `GatewayResponses`, and it edits an inline `DefinitionBody` the same way. Modelling
that by hand misses what SAM really does (it puts the DefaultAuthorizer and the API key on the
OPTIONS preflight it generates, unless `AddDefaultAuthorizerToCorsPreflight` /
`AddApiKeyRequiredToCorsPreflight` say otherwise), so AWS's own translator (aws-sam-translator,
the `sam` extra) makes the bodies that are linted here. Each generated node is located in the
template the user edits (apilint.document.sam_origins), and says which SAM property made it.

samtranslator and boto3 are imported only on this path: linting an OpenAPI file never pays for
them. `DefinitionUri` files and `AWS::Include` bodies are not translated (SAM cannot edit them;
apilint.document.cfn reads them as they are).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from apilint.document.cfn import ApiResource, Template, TemplateFile, _issues_within, render
from apilint.document.loader import detect_version
from apilint.document.model import Document
from apilint.document.pointer import Tokens
from apilint.document.sam_origins import SAM_APIS, Origins, SamLocator, events

TRANSFORM = "AWS::Serverless-2016-10-31"
#: Pseudo parameters SAM would otherwise ask boto3 for (their values never reach a finding:
#: the bodies keep `${AWS::Region}` where the template writes it).
PARAMETERS = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
#: `sam package` uploads local code to S3; the translator accepts only S3 locations.
STAND_IN_CODE = "s3://bucket/key"
STAND_IN_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/function:latest"


def is_sam(data: Any) -> bool:
    transform = data.get("Transform") if isinstance(data, dict) else None
    names = transform if isinstance(transform, list) else [transform]
    return TRANSFORM in names


@dataclass(frozen=True)
class Failure:
    """One cause SAM gives for refusing the template, and where it points."""

    tokens: Tokens
    message: str


@dataclass
class Translation:
    """What the transform made of a template: the bodies to lint, or why there are none."""

    docs: list[Document] = field(default_factory=list)
    #: SAM API logical ids whose generated bodies are in `docs` (definitions.scan_template skips their source).
    covered: set[str] = field(default_factory=set)
    failures: list[Failure] = field(default_factory=list)  # SAM rejects the template
    notes: list[str] = field(default_factory=list)
    total: int = 0  # causes SAM counts in its message


def translate(doc: Document, template: TemplateFile) -> Translation:
    """The SAM APIs of `doc` as SAM generates them; SAM's own errors as failures; a crash of
    the translator as a note (definitions.scan_template then reads the template as it is)."""
    try:
        output = transform(doc.data)
    except _Rejected as exc:
        earlier = _transforms_before(doc.data)
        if earlier:  # SAM gets their output, not this template: its verdict here proves nothing
            return Translation(
                notes=[
                    f"SAM rejects the template as written, but {earlier} runs "
                    "before SAM; SAM APIs read as written"
                ]
            )
        return Translation(failures=exc.failures, total=exc.total)
    except ImportError:
        return Translation(
            notes=[
                "SAM APIs read as written, not as SAM generates them: the SAM "
                "translator is not installed (pip install 'apilint[sam]')"
            ]
        )
    except Exception as exc:  # noqa: BLE001 - a translator bug must not cost the lint
        return Translation(
            notes=[
                f"the SAM translator failed ({type(exc).__name__}: "
                f"{str(exc)[:200]}); SAM APIs read as written, not as SAM "
                "generates them"
            ]
        )
    resources = output.get("Resources", {})
    out = Translation()
    generated = TemplateFile(doc, resources, template.parameters)
    for api in _sam_apis(doc.data, template):
        resource = resources.get(api.logical_id)
        body = resource.get("Properties", {}).get("Body") if isinstance(resource, dict) else None
        if not isinstance(body, dict):
            continue
        made = _document(doc, generated, api, render(body))
        if made is not None:
            out.covered.add(api.logical_id)
            out.docs.append(made)
    return out


def _transforms_before(data: dict[str, Any]) -> str:
    """The transforms CloudFormation runs before SAM's (AWS::LanguageExtensions, macros)."""
    transform = data.get("Transform")
    if not isinstance(transform, list) or TRANSFORM not in transform:
        return ""
    return ", ".join(str(t) for t in transform[: transform.index(TRANSFORM)])


class _Rejected(Exception):
    def __init__(self, failures: list[Failure], total: int) -> None:
        super().__init__()
        self.failures, self.total = failures, total


def transform(data: dict[str, Any]) -> dict[str, Any]:
    """samtranslator's transform(), offline: a boto3 session with a region (transform() passes
    none and SAM then wants one from the environment; a session makes no AWS call), pseudo
    parameters, a managed-policy map that asks IAM nothing, S3 stand-ins for local code."""
    import boto3
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import (
        to_py27_compatible_template,
        undo_mark_unicode_str_in_template,
    )

    template = copy.deepcopy(data)  # the translator edits its input
    _stand_in_code(template)
    _stand_in_includes(template)
    parameters = dict(PARAMETERS)
    logger = logging.getLogger("samtranslator")
    level = logger.level
    # It warns about metrics and feature toggles it was not given; neither changes the output.
    logger.setLevel(logging.ERROR)
    # The translator's metrics warn when garbage-collected unpublished, long after this returns.
    logging.getLogger("samtranslator.metrics.metrics").setLevel(logging.ERROR)
    try:
        to_py27_compatible_template(template, parameters)
        session = boto3.session.Session(region_name=PARAMETERS["AWS::Region"])
        translator = Translator(None, Parser(), boto_session=session)
        out = translator.translate(
            template, parameter_values=parameters, get_managed_policy_map=dict
        )
    except InvalidDocumentException as exc:
        raise _Rejected([_failure(data, c) for c in exc.causes], len(exc.causes)) from None
    finally:
        logger.setLevel(level)
    return dict(undo_mark_unicode_str_in_template(out))


def _failure(data: dict[str, Any], cause: Any) -> Failure:
    message = str(getattr(cause, "message", cause))
    ids = getattr(cause, "_logical_id", None)
    logical_id = ids[0] if isinstance(ids, list) and ids else ids
    resource = data.get("Resources", {}).get(logical_id) if isinstance(logical_id, str) else None
    if not isinstance(resource, dict):
        return Failure(("Transform",), message)
    return Failure(("Resources", str(logical_id)) + _named(resource, message), message)


_EVENT = re.compile(r"Event with id \[([^\]]+)\]")


def _named(resource: dict[str, Any], message: str) -> Tokens:
    """The part of `resource` SAM's message names: an event (`Event with id [X]`) or the first
    property it mentions (`Cors configuration` names CorsConfiguration too); else nothing."""
    props = resource.get("Properties")
    if not isinstance(props, dict):
        return ()
    event = _EVENT.search(message)
    events = props.get("Events")
    if event and isinstance(events, dict) and event.group(1) in events:
        return ("Properties", "Events", event.group(1))
    for key in map(str, props):
        stem = key.removesuffix("Configuration")
        if re.search(rf"\b({re.escape(key)}|{re.escape(stem)})\b", message):
            return ("Properties", key)
    return ()


_CODE = ("CodeUri", "InlineCode", "ImageUri")
#: Properties that `sam package` uploads when they name a local path, per SAM resource type,
#: and an S3 location of the kind it writes back (the translator accepts nothing else).
_PACKAGED = {
    "AWS::Serverless::Function": ("CodeUri",),
    "AWS::Serverless::Api": ("DefinitionUri",),
    "AWS::Serverless::HttpApi": ("DefinitionUri",),
    "AWS::Serverless::StateMachine": ("DefinitionUri",),
    "AWS::Serverless::LayerVersion": ("ContentUri",),
    "AWS::Serverless::GraphQLApi": ("SchemaUri",),
    "AWS::Serverless::Application": ("Location",),
}
STAND_IN_TEMPLATE = "https://bucket.s3.amazonaws.com/template.yaml"


def _stand_in_code(template: dict[str, Any]) -> None:
    """What `sam package` does before the transform: local paths become S3 locations (in
    Globals too); a function without code gets one, since SAM CLI builds and packages it from
    the template's directory (its default CodeUri is ".")."""
    globals_ = template.get("Globals")
    function = globals_.get("Function") if isinstance(globals_, dict) else None
    if isinstance(function, dict):
        _stand_in(function, ("CodeUri",))
    inherited = isinstance(function, dict) and any(k in function for k in _CODE)
    for resource in template.get("Resources", {}).values():
        if not isinstance(resource, dict) or resource.get("Type") not in _PACKAGED:
            continue
        props = resource.get("Properties")
        if not isinstance(props, dict):
            props = resource["Properties"] = {}
        _stand_in(props, _PACKAGED[resource["Type"]])
        if (
            resource["Type"] == "AWS::Serverless::Function"
            and not inherited
            and not any(k in props for k in _CODE)
        ):
            image = props.get("PackageType") == "Image"
            props["ImageUri" if image else "CodeUri"] = STAND_IN_IMAGE if image else STAND_IN_CODE


def _stand_in(props: dict[str, Any], keys: tuple[str, ...]) -> None:
    for key in keys:
        value = props.get(key)
        if isinstance(value, str) and not value.startswith(("s3://", "https://", "http://")):
            props[key] = STAND_IN_TEMPLATE if key == "Location" else STAND_IN_CODE


#: What an AWS::Include body stands for while SAM translates offline, per SAM API type.
_INCLUDED = {
    "AWS::Serverless::Api": {
        "swagger": "2.0",
        "info": {"title": "included", "version": "1"},
        "paths": {},
    },
    "AWS::Serverless::HttpApi": {
        "openapi": "3.0.1",
        "info": {"title": "included", "version": "1"},
        "paths": {},
    },
}


def _stand_in_includes(template: dict[str, Any]) -> None:
    """CloudFormation expands an AWS::Include in DefinitionBody before SAM edits it; offline,
    SAM would see the unexpanded Fn::Transform and refuse Cors/Auth on it. A stub takes its
    place: that API is linted from the included file as written (apilint.document.cfn), the
    rest of the template as SAM generates it."""
    for resource in template.get("Resources", {}).values():
        if not isinstance(resource, dict) or resource.get("Type") not in _INCLUDED:
            continue
        props = resource.get("Properties")
        if not isinstance(props, dict):
            continue
        body = props.get("DefinitionBody")
        if isinstance(body, dict) and "Fn::Transform" in body:
            props["DefinitionBody"] = copy.deepcopy(_INCLUDED[resource["Type"]])


# -- which generated APIs come from SAM APIs --------------------------------------------------


def _sam_apis(data: dict[str, Any], template: TemplateFile) -> Iterator[ApiResource]:
    """The SAM APIs SAM builds a body for: explicit ones with an inline (not included)
    DefinitionBody or none at all, and the implicit ones events create."""
    explicit = {api.logical_id for api in template.apis()}
    for api in template.apis():
        if api.type in SAM_APIS and api.source in ("inline", "none"):
            yield api
    for kind, (_, implicit, section, _) in SAM_APIS.items():
        if implicit not in explicit and events(data, implicit, kind):
            props = _section(data, section)
            yield ApiResource(implicit, kind, {}, props, "none")


def _section(data: dict[str, Any], section: str) -> dict[str, Any]:
    globals_ = data.get("Globals")
    value = globals_.get(section) if isinstance(globals_, dict) else None
    return value if isinstance(value, dict) else {}


def _document(
    doc: Document, generated: TemplateFile, api: ApiResource, body: Any
) -> Document | None:
    version = detect_version(body) if isinstance(body, dict) else None
    if not version:
        return None
    own = api.source == "inline"
    base: Tokens = ("Resources", api.logical_id, "Properties", "DefinitionBody" if own else "Body")
    locator = SamLocator(
        doc, base, Origins(doc.data, api, events(doc.data, api.logical_id, api.type))
    )
    sam_api = dataclasses.replace(api, source="sam")
    return dataclasses.replace(
        doc,
        data=body,
        version=version,
        base=base,
        locator=locator,
        iac=Template(generated, sam_api),
        kind_hint="rest" if api.type == "AWS::Serverless::Api" else "http",
        label=api.logical_id,
        parse_issues=_issues_within(doc, base) if own else [],
    )
