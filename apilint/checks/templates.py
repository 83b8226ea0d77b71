"""Checks that need the CloudFormation/SAM template around a definition: what its intrinsic
references point to, and template settings that cannot work with how the definition is given."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from apilint.checks import Violation, check, per_api, violation
from apilint.common.regex import lazy
from apilint.document.pointer import Tokens
from apilint.document.refs import iter_objects
from apilint.document.scan import may_contain
from apilint.model.gateway import Api
from apilint.model.lambdas import LambdaTarget, lambda_targets
from apilint.model.operations import operation_labels, operation_of
from apilint.model.sam import template_of

if TYPE_CHECKING:  # imported when a template or Terraform file is read: a definition file never is
    from apilint.document.cfn import ApiResource, Template, TemplateFile
    from apilint.document.terraform import TerraformModule

#: `${Name}` or `${Name.Attribute}` as Fn::Sub writes them (`${!x}` is a literal).
_REFERENCE = lazy(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}")
_FUNCTION_ARN = lazy(r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)")


def _lambda_uris(api: Api) -> Iterator[LambdaTarget]:
    return (t for t in lambda_targets(api) if isinstance(t.uri, str))


@check
def lambda_reference_dangling(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    iac = api.doc.iac
    if iac is None:
        return
    from apilint.document.cfn import Template

    if isinstance(iac, Template):
        problems = partial(_cloudformation_problems, iac)
    else:  # the only other front end: a TerraformModule
        problems = partial(_terraform_problems, iac)
    for target in _lambda_uris(api):
        for ref, problem in problems(target.uri):
            yield violation(
                target.where, f"{target.what} refers to {ref}, {problem}", target.operation
            )


_MISSING = (
    "CloudFormation rejects the template ('Unresolved resource dependencies') or the "
    "gateway answers 500. Point it at a function the template defines"
)
_NOT_A_FUNCTION = (
    "API Gateway cannot invoke it and answers 500 ('Invalid permissions on Lambda "
    "function' or a malformed URI). Point it at a Lambda function, or one of its "
    "aliases or versions"
)


def _cloudformation_problems(template: Template, uri: str) -> Iterator[tuple[str, str]]:
    from apilint.document.cfn import FUNCTION_VARIANTS, FUNCTIONS

    for m in _REFERENCE().finditer(uri):
        name = m.group(1)
        if name in template.file.parameters or name == "stageVariables":
            continue  # a parameter or stage variable: its value is decided elsewhere
        kind = template.file.type_of(name)
        if kind is None:
            yield (
                m.group(0),
                (f"but the template defines no resource or parameter {name!r}; " + _MISSING),
            )
        elif kind not in FUNCTIONS | FUNCTION_VARIANTS:
            yield m.group(0), f"an {kind}, not a Lambda function; " + _NOT_A_FUNCTION


#: `${aws_x.name.attr}` / `${data.aws_x.name.attr}` in Terraform interpolations.
_TF_REFERENCE = lazy(
    r"\$\{\s*((?:data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*))"
    r"(?:\[[^\]]*\])?\.[A-Za-z_]"
)
_TF_FUNCTIONS = frozenset({"aws_lambda_function", "aws_lambda_alias"})


def _terraform_problems(module: TerraformModule, uri: str) -> Iterator[tuple[str, str]]:
    for m in _TF_REFERENCE().finditer(uri):
        address, kind = m.group(1), m.group(2)
        if address not in module.declared:
            yield (
                address,
                (
                    "but no .tf file of the module declares it; `terraform plan` fails "
                    "('Reference to undeclared resource'). Point it at a function the "
                    "module defines"
                ),
            )
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
        for m in _FUNCTION_ARN().finditer(target.uri):
            logical_id = names.get(m.group(1))
            if logical_id is not None:
                yield violation(
                    target.where,
                    f"{target.what} hard-codes the ARN of {m.group(1)!r}, which this "
                    f"template defines as {logical_id}; the copy drifts when the "
                    "stack's region, account or function name changes. Write "
                    f"${{{logical_id}.Arn}} in an Fn::Sub instead",
                    target.operation,
                )


#: Resources that attach to a REST API by RestApiId and that a Body import overwrites.
_SEPARATE = (
    "AWS::ApiGateway::Resource",
    "AWS::ApiGateway::Method",
    "AWS::ApiGateway::Model",
    "AWS::ApiGateway::Authorizer",
    "AWS::ApiGateway::GatewayResponse",
    "AWS::ApiGateway::RequestValidator",
)


@check
def template_body_mixed_with_resources(
    template: TemplateFile, options: dict[str, Any]
) -> Iterator[Violation]:
    with_body = {
        api.logical_id: api
        for api in template.apis()
        if api.kind == "rest" and api.source != "none"
    }
    for logical_id in template.resources:
        kind = template.type_of(logical_id)
        if kind not in _SEPARATE:
            continue
        target = template.properties(logical_id).get("RestApiId")
        ref = target.get("Ref") if isinstance(target, dict) and len(target) == 1 else None
        if not isinstance(ref, str) or ref not in with_body:  # `Ref: [..]` names no API
            continue
        yield Violation(
            template.doc,
            ("Resources", logical_id, "Properties", "RestApiId"),
            f"{logical_id} ({kind}) is attached to {ref}, whose definition comes "
            "from its OpenAPI body; every update imports the body in overwrite "
            "mode, which removes what this resource created (drift and orphaned "
            f"resources). Define it in {ref}'s OpenAPI definition instead",
        )


#: SAM properties that work by editing the OpenAPI definition, per SAM resource type.
_SAM_EDITS = {
    "AWS::Serverless::Api": ("Cors", "Auth", "GatewayResponses"),
    "AWS::Serverless::HttpApi": ("CorsConfiguration", "Auth"),
}


def _uneditable(template: TemplateFile) -> Iterator[tuple[ApiResource, str]]:
    """(API, property) for each SAM property that edits a definition SAM cannot edit. Only
    DefinitionUri: CloudFormation evaluates macros from the most deeply nested outward (User
    Guide, "Create a CloudFormation macro definition"), so an AWS::Include in DefinitionBody is
    expanded before the SAM transform edits it (aws/aws-sam-cli#7440)."""
    for api in template.apis():
        if api.source == "uri":
            for prop in _SAM_EDITS.get(api.type, ()):
                if prop in api.properties:
                    yield api, prop


@check
def sam_inline_definition_required(
    template: TemplateFile, options: dict[str, Any]
) -> Iterator[Violation]:
    for api, prop in _uneditable(template):
        yield Violation(
            template.doc,
            api.tokens(prop),
            f"{api.logical_id} sets {prop}, which SAM applies by editing the "
            "OpenAPI definition, but the definition comes from DefinitionUri, "
            f"which SAM uploads as it is: the transform fails ('{prop} works "
            "only with inline Swagger specified in DefinitionBody'). Put the "
            "definition in DefinitionBody (inline or with AWS::Include), or "
            f"write what {prop} would add into the definition itself and "
            "remove the property",
        )


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
        yield Violation(
            template.doc,
            failure.tokens,
            "the SAM transform rejects the template, so the stack cannot deploy "
            "(CloudFormation: 'Transform AWS::Serverless-2016-10-31 failed with: "
            "Invalid Serverless Application Specification document. Number of "
            f"errors found: {translation.total}. {failure.message}'); fix what SAM "
            "names",
        )


# -- intrinsic functions in a definition file ------------------------------------------------

#: `Ref:` / `"Ref":` as a key; with "Fn::" this decides whether the walk is needed at all.
_INTRINSIC_HINT = r"Ref[\"']?\s*:"
#: Names an intrinsic takes from the template: `${Name}` in Fn::Sub (pseudo parameters such as
#: AWS::Region and `${!literal}` excluded).
_SUB_NAME = lazy(r"\$\{(?!AWS::|!)([A-Za-z0-9_]+)[^}]*\}")


@per_api
def _intrinsics(api: Api) -> list[tuple[Tokens, str, Any]]:
    """(where, function, argument) of each outermost intrinsic function in the definition
    (cached per API: two rules read it, and even its quick look at the text costs 12 ms on a
    13 MB definition)."""
    if not may_contain(api.doc, ("Fn::",), _INTRINSIC_HINT):
        return []
    found: list[tuple[Tokens, str, Any]] = []
    inside: Tokens | None = None
    for tokens, node in iter_objects(api.doc.data):
        if inside is not None and tokens[: len(inside)] == inside:
            continue  # the arguments of an intrinsic already found
        if len(node) == 1:
            ((key, value),) = node.items()
            if key.startswith("Fn::") or (key == "Ref" and isinstance(value, str)):
                found.append((tokens + (key,), key, value))
                inside = tokens
    return found


def template_names(key: str, arg: Any) -> set[str]:
    """The resources, parameters, conditions, mappings (and other stacks' exports) that an
    intrinsic function names: only a template can resolve it."""
    names: set[str] = set()
    if key == "Ref" and isinstance(arg, str) and not arg.startswith("AWS::"):
        names.add(arg)
    elif key == "Fn::GetAtt":
        first = (
            arg.split(".", 1)[0]
            if isinstance(arg, str)
            else arg[0]
            if isinstance(arg, list) and arg
            else None
        )
        if isinstance(first, str):
            names.add(first)
    elif key == "Fn::Sub":
        text, local = (
            (arg, {})
            if isinstance(arg, str)
            else (arg[0], arg[1])
            if isinstance(arg, list) and len(arg) == 2
            else ("", {})
        )
        if isinstance(text, str):
            names |= {
                n
                for n in _SUB_NAME().findall(text)
                if not isinstance(local, dict) or n not in local
            }
    elif (
        key in ("Fn::If", "Fn::FindInMap")
        and isinstance(arg, list)
        and arg
        and isinstance(arg[0], str)
    ):
        names.add(arg[0])  # a condition, a mapping
    elif key == "Fn::ImportValue" and isinstance(arg, str):
        names.add(arg)  # another stack's export: only a stack can import it
    for value in arg.values() if isinstance(arg, dict) else arg if isinstance(arg, list) else ():
        key_ = next(iter(value)) if isinstance(value, dict) and len(value) == 1 else ""
        if key_ == "Ref" or key_.startswith("Fn::"):
            names |= template_names(key_, value[key_])
        elif isinstance(value, (dict, list)):
            names |= template_names("", value)
    return names


def _lines(api: Api, found: list[tuple[Tokens, str, Any]]) -> str:
    lines = sorted({api.doc.span(t).line for t, _, _ in found[1:]})
    if not lines:
        return ""
    shown_ = ", ".join(str(n) for n in lines[:8]) + (", ..." if len(lines) > 8 else "")
    return f" and {len(found) - 1} more (lines {shown_})"


def _fragment_names(found: list[tuple[Tokens, str, Any]]) -> list[str]:
    return sorted(set().union(*(template_names(k, v) for _, k, v in found)))


def _shown(name: str) -> str:
    """A name from the input, quoted when it holds what a terminal would interpret."""
    return name if name.isprintable() else repr(name)


@check
def cfn_intrinsic_in_definition(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # One finding per document: a file meant for direct import needs them all replaced either
    # way. CloudFormation resolves them in an inline or included definition; a file that names
    # a template's resources is a fragment for one (cfn_include_fragment_alone).
    template = template_of(api)
    if template is not None and template.api.source != "uri":
        return
    found = _intrinsics(api)
    if not found or (template is None and _fragment_names(found)):
        return
    first, name, _ = found[0]
    names = sorted({_shown(k) for _, k, _ in found})
    what = (
        f"{_shown(name)} here{_lines(api, found)} {'is a' if len(found) == 1 else 'are'} "
        f"CloudFormation intrinsic function{'s' if len(found) > 1 else ''} "
        f"({', '.join(names)})"
    )
    if template is not None:
        message = (
            f"{what}, but {_shown(template.api.logical_id)} names this file in "
            "DefinitionUri, "
            "which SAM uploads as it is: CloudFormation resolves no intrinsic in it and "
            "API Gateway gets an object where a string belongs ('Unable to parse API "
            "definition'). Pull the file in with DefinitionBody: {Fn::Transform: {Name: "
            "AWS::Include, Parameters: {Location: ...}}} instead"
        )
    else:
        message = (
            f"{what}; imported directly, API Gateway gets an object where a string "
            "belongs ('Unable to parse API definition'). Write the values (the import "
            "fills in ${AWS::Region}, ${AWS::AccountId} and ${AWS::Partition}), or "
            "insert the file into a template with AWS::Include"
        )
    yield Violation(api.doc, first, message, operation_of(operation_labels(api), first))


@check
def cfn_include_fragment_alone(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    if api.doc.iac is not None:
        return
    found = _intrinsics(api)
    names = _fragment_names(found)
    if not names:
        return
    first = found[0][0]
    listed = ", ".join(_shown(n) for n in names[:5]) + (", ..." if len(names) > 5 else "")
    yield Violation(
        api.doc,
        first,
        f"this file reads like a fragment that a CloudFormation/SAM template pulls "
        f"in with AWS::Include: its intrinsic functions name {listed}, which only a "
        "template defines. No template in its repository (or, outside one, its "
        "directory) includes it, so it was linted alone: its intrinsics are unknown "
        "values here and the checks that need the template did not run. Lint the "
        "template that includes it; imported directly, the import fails ('Unable "
        "to parse API definition')",
        operation_of(operation_labels(api), first),
    )
