"""Checks that need the CloudFormation/SAM template around a definition: what its intrinsic
references point to, and template settings that cannot work with how the definition is given."""

from __future__ import annotations

import re
from typing import Any, Iterator

from apilint.checks import Violation, check, violation
from apilint.document.cfn import (FUNCTION_VARIANTS, FUNCTIONS, ApiResource, Template,
                                  TemplateFile)
from apilint.document.terraform import TerraformModule
from apilint.model.gateway import Api
from apilint.model.lambdas import LambdaTarget, lambda_targets

#: `${Name}` or `${Name.Attribute}` as Fn::Sub writes them (`${!x}` is a literal).
_REFERENCE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")
_FUNCTION_ARN = re.compile(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)")


def template_of(api: Api) -> Template | None:
    iac = api.doc.iac
    return iac if isinstance(iac, Template) else None


def sam_edits(api: Api, prop: str) -> bool:
    """Whether SAM rewrites this inline definition for `prop` (Cors adds OPTIONS methods, Auth
    a DefaultAuthorizer on every method without its own security) before API Gateway sees it.

    Only for a SAM template read as written: when SAM's translator is not installed, crashes or
    rejects the template. Otherwise apilint.document.sam lints the body SAM generates (source
    "sam"), which already holds what SAM adds."""
    template = template_of(api)
    if template is None or template.api.source != "inline" or \
            not template.api.type.startswith("AWS::Serverless::"):
        return False
    value = template.api.properties.get(prop)
    if prop == "Auth":
        if not isinstance(value, dict):
            return False
        default = value.get("DefaultAuthorizer")
        return (isinstance(default, str) and default not in ("", "NONE")) or \
            value.get("ApiKeyRequired") is True
    return value is not None


def _lambda_uris(api: Api) -> Iterator[LambdaTarget]:
    return (t for t in lambda_targets(api) if isinstance(t.uri, str))


@check
def lambda_reference_dangling(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    iac = api.doc.iac
    if isinstance(iac, Template):
        problems = _cloudformation_problems
    elif isinstance(iac, TerraformModule):
        problems = _terraform_problems
    else:
        return
    for target in _lambda_uris(api):
        for ref, problem in problems(iac, target.uri):
            yield violation(target.where, f"{target.what} refers to {ref}, {problem}",
                            target.operation)


_MISSING = ("CloudFormation rejects the template ('Unresolved resource dependencies') or the "
            "gateway answers 500. Point it at a function the template defines")
_NOT_A_FUNCTION = ("API Gateway cannot invoke it and answers 500 ('Invalid permissions on Lambda "
                   "function' or a malformed URI). Point it at a Lambda function, or one of its "
                   "aliases or versions")


def _cloudformation_problems(template: Template, uri: str) -> Iterator[tuple[str, str]]:
    for m in _REFERENCE.finditer(uri):
        name = m.group(1)
        if name in template.file.parameters or name == "stageVariables":
            continue  # a parameter or stage variable: its value is decided elsewhere
        kind = template.file.type_of(name)
        if kind is None:
            yield m.group(0), (f"but the template defines no resource or parameter {name!r}; "
                               + _MISSING)
        elif kind not in FUNCTIONS | FUNCTION_VARIANTS:
            yield m.group(0), f"an {kind}, not a Lambda function; " + _NOT_A_FUNCTION


#: `${aws_x.name.attr}` / `${data.aws_x.name.attr}` in Terraform interpolations.
_TF_REFERENCE = re.compile(r"\$\{\s*((?:data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*))"
                           r"(?:\[[^\]]*\])?\.[A-Za-z_]")
_TF_FUNCTIONS = frozenset({"aws_lambda_function", "aws_lambda_alias"})


def _terraform_problems(module: TerraformModule, uri: str) -> Iterator[tuple[str, str]]:
    for m in _TF_REFERENCE.finditer(uri):
        address, kind = m.group(1), m.group(2)
        if address not in module.declared:
            yield address, ("but no .tf file of the module declares it; `terraform plan` fails "
                            "('Reference to undeclared resource'). Point it at a function the "
                            "module defines")
        elif kind not in _TF_FUNCTIONS:
            yield address, f"an {kind} resource, not a Lambda function; " + _NOT_A_FUNCTION


@check
def lambda_arn_hardcoded(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    template = template_of(api)
    if template is None:
        return
    names = template.file.function_names()
    if not names:
        return
    for target in _lambda_uris(api):
        for m in _FUNCTION_ARN.finditer(target.uri):
            logical_id = names.get(m.group(1))
            if logical_id is not None:
                yield violation(target.where,
                                f"{target.what} hard-codes the ARN of {m.group(1)!r}, which this "
                                f"template defines as {logical_id}; the copy drifts when the "
                                "stack's region, account or function name changes. Write "
                                f"${{{logical_id}.Arn}} in an Fn::Sub instead", target.operation)


#: Resources that attach to a REST API by RestApiId and that a Body import overwrites.
_SEPARATE = ("AWS::ApiGateway::Resource", "AWS::ApiGateway::Method", "AWS::ApiGateway::Model",
             "AWS::ApiGateway::Authorizer", "AWS::ApiGateway::GatewayResponse",
             "AWS::ApiGateway::RequestValidator")


@check
def template_body_mixed_with_resources(template: TemplateFile, options: dict[str, Any]
                                       ) -> Iterator[Violation]:
    with_body = {api.logical_id: api for api in template.apis()
                 if api.kind == "rest" and api.source != "none"}
    for logical_id in template.resources:
        kind = template.type_of(logical_id)
        if kind not in _SEPARATE:
            continue
        target = template.properties(logical_id).get("RestApiId")
        ref = target.get("Ref") if isinstance(target, dict) and len(target) == 1 else None
        if ref not in with_body:
            continue
        yield Violation(template.doc, ("Resources", logical_id, "Properties", "RestApiId"),
                        f"{logical_id} ({kind}) is attached to {ref}, whose definition comes "
                        "from its OpenAPI body; every update imports the body in overwrite "
                        "mode, which removes what this resource created (drift and orphaned "
                        f"resources). Define it in {ref}'s OpenAPI definition instead")


#: SAM properties that work by editing the OpenAPI definition, per SAM resource type.
_SAM_EDITS = {"AWS::Serverless::Api": ("Cors", "Auth", "GatewayResponses"),
              "AWS::Serverless::HttpApi": ("CorsConfiguration", "Auth")}


def _uneditable(template: TemplateFile) -> Iterator[tuple[ApiResource, str]]:
    """(API, property) for each SAM property that edits a definition SAM cannot edit."""
    for api in template.apis():
        if api.source in ("uri", "include"):
            for prop in _SAM_EDITS.get(api.type, ()):
                if prop in api.properties:
                    yield api, prop


@check
def sam_inline_definition_required(template: TemplateFile, options: dict[str, Any]
                                   ) -> Iterator[Violation]:
    for api, prop in _uneditable(template):
        how = "DefinitionUri" if api.source == "uri" else "an AWS::Include DefinitionBody"
        yield Violation(template.doc, api.tokens(prop),
                        f"{api.logical_id} sets {prop}, which SAM applies by editing the "
                        f"OpenAPI definition, but the definition comes from {how}, which "
                        f"SAM cannot edit: the transform fails ('{prop} works only with "
                        "inline Swagger specified in DefinitionBody' / 'Unable to add "
                        f"{prop} configuration'). Put the definition inline in "
                        f"DefinitionBody, or write what {prop} would add into the "
                        "definition itself and remove the property")


@check
def sam_transform_failed(template: TemplateFile, options: dict[str, Any]) -> Iterator[Violation]:
    translation = template.sam
    if translation is None or not translation.failures:
        return
    # sam-inline-definition-required says the same about these, with the fix.
    told = {("Resources", api.logical_id) for api, _ in _uneditable(template)}
    for failure in translation.failures:
        if failure.tokens[:2] in told:
            continue
        yield Violation(template.doc, failure.tokens,
                        "the SAM transform rejects the template, so the stack cannot deploy "
                        "(CloudFormation: 'Transform AWS::Serverless-2016-10-31 failed with: "
                        "Invalid Serverless Application Specification document. Number of "
                        f"errors found: {translation.total}. {failure.message}'); fix what SAM "
                        "names")
