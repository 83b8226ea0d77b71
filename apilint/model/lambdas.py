"""The Lambda functions an API invokes: integrations and authorizers, the function each URI
names, and the `execute-api` source ARNs API Gateway presents when it invokes one.

Sources: API Gateway developer guide (Lambda integration URIs, stage variables in place of a
function name or alias, arn-format-reference for execute-api ARNs); Lambda AddPermission
("If you use a qualifier, the invoker must use the full ARN of that version or alias").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from apilint.common.records import NamedTuple
from apilint.common.regex import lazy
from apilint.document.placeholders import PLACEHOLDER, mask
from apilint.document.refs import At
from apilint.model.gateway import Api, Integration, Method

#: Stands for a part of a source ARN that only the deployment knows (API id, stage, authorizer
#: id); a policy may fill it with any value.
HOLE = "\0"
#: The verbs an ANY method answers; API Gateway puts the request's own verb in the source ARN.
ANY_VERBS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

_INVOKE = lazy(r"^arn:[^:]*:apigateway:[^:]*:lambda:path/[^/]*/functions/(?P<fn>.+)/[^/]+$")
STAGE_VARIABLE = lazy(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
#: Import-time variables API Gateway fills in itself (and CloudFormation pseudo parameters),
#: and the ARN field each may stand for; replaced by markers without ':' before parsing.
_IMPLICIT = {
    "${AWS::Partition}": ("partition", "\ue010"),
    "${AWS::Region}": ("region", "\ue011"),
    "${AWS::AccountId}": ("account", "\ue012"),
}


def is_lambda(api: Api, integration: Integration) -> bool:
    uri = integration.uri
    if isinstance(uri, str):
        masked = mask(uri)
        if ":apigateway:" in masked and ":lambda:path/" in masked:
            return True
        if masked.startswith("arn:") and ":lambda:" in masked and ":function:" in masked:
            return True
    if integration.type == "aws_proxy":
        # REST AWS_PROXY is Lambda proxy only; HTTP AWS_PROXY is Lambda unless it names an
        # integrationSubtype (SQS-SendMessage, ...).
        return api.kind == "rest" or "integrationSubtype" not in integration.value
    return False


def lambda_integrations(api: Api) -> Iterator[tuple[Integration, list[Method]]]:
    """Each Lambda integration once, with every method that uses it."""
    for integ, methods in api.integrations():
        if is_lambda(api, integ):
            yield integ, methods


class LambdaTarget(NamedTuple):
    """A Lambda integration or Lambda authorizer, and the URI it invokes."""

    holder: At  # the integration or authorizer object
    uri: Any
    operation: str | None  # the first method using an integration; None for an authorizer
    what: str  # how messages name it
    methods: tuple[Method, ...] = ()  # every method using the integration
    authorizer: str | None = None  # the security scheme name of an authorizer

    @property
    def where(self) -> At:
        return self.holder.child("uri") or self.holder.child("authorizerUri") or self.holder

    @property
    def credentials(self) -> Any:
        """The role API Gateway assumes to invoke the function, instead of its resource policy."""
        value = self.holder.value
        key = "authorizerCredentials" if self.authorizer is not None else "credentials"
        return value.get(key) if isinstance(value, dict) else None


def lambda_targets(api: Api) -> Iterator[LambdaTarget]:
    """Every Lambda integration (once), then every Lambda authorizer."""
    for integ, methods in lambda_integrations(api):
        yield LambdaTarget(
            integ.at,
            integ.uri,
            methods[0].label,
            f"the Lambda integration of {methods[0].label}",
            tuple(methods),
        )
    for scheme in api.schemes.values():
        if scheme.kind == "lambda" and scheme.authorizer is not None:
            yield LambdaTarget(
                scheme.authorizer,
                scheme.authorizer.value.get("authorizerUri"),
                None,
                f"the Lambda authorizer {scheme.name!r}",
                authorizer=scheme.name,
            )


class FunctionRef(NamedTuple):
    """A function as API Gateway would invoke it; None parts are left to the account."""

    name: str
    qualifier: str | None = None
    region: str | None = None
    account: str | None = None
    partition: str | None = None

    @property
    def label(self) -> str:
        return f"{self.name}:{self.qualifier}" if self.qualifier else self.name

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.region, self.name, self.qualifier)


class Unresolved(NamedTuple):
    """A function reference that only a stage (or a deployment) decides."""

    reason: str


def function_part(uri: str) -> str | None:
    """The function ARN (or name) inside an invocation URI, or a bare function ARN."""
    m = _INVOKE().match(uri.strip())
    if m:
        return m["fn"]
    if uri.strip().startswith("arn:") and ":lambda:" in uri and ":apigateway:" not in uri:
        return uri.strip()
    return None


def resolve_function(
    uri: Any, stage_vars: Mapping[str, str] | None, stage: str | None = None
) -> FunctionRef | Unresolved | None:
    """The function a Lambda URI names, with stage variables filled in from `stage_vars`.

    None when the URI is not literal enough to name a function (a template's `${Fn.Arn}`, a
    Terraform `${aws_lambda_function.x.arn}`): the deployment decides those, not the account.
    """
    if not isinstance(uri, str):
        return None
    for variable, (_, marker) in _IMPLICIT.items():
        uri = uri.replace(variable, marker)
    fn = function_part(uri)
    if fn is None:
        return None
    names = set(STAGE_VARIABLE().findall(fn))
    if names:
        if stage_vars is None:
            return Unresolved(
                f"it names its function through stage variable(s) "
                f"{', '.join(sorted(names))}; pass --stage (or --stage-var) to "
                "check the function each stage uses"
            )
        missing = sorted(n for n in names if n not in stage_vars)
        if missing:
            where = f"stage {stage!r}" if stage else "the given stage variables"
            return Unresolved(f"{where} does not set stage variable(s) {', '.join(missing)}")
        fn = STAGE_VARIABLE().sub(lambda m: stage_vars[m.group(1)], fn)
    parts = fn.split(":")
    implicit: dict[str, str | None] = {"partition": None, "region": None, "account": None}
    if len(parts) >= 7 and parts[0] == "arn" and parts[5] == "function":
        fields = {"partition": parts[1], "region": parts[3], "account": parts[4]}
        markers = {marker: name for name, marker in _IMPLICIT.values()}
        for field_name, value in fields.items():
            if value in markers:
                if markers[value] != field_name:
                    return None
            elif PLACEHOLDER.search(value):
                return None
            else:
                implicit[field_name] = value
        name, qualifier = parts[6], (parts[7] if len(parts) > 7 else None)
    elif len(parts) <= 2:  # a bare name, as a stage variable may hold it: fn or fn:alias
        name, qualifier = parts[0], (parts[1] if len(parts) == 2 else None)
    else:
        return None
    if any(
        PLACEHOLDER.search(p) or any(m in p for _, m in _IMPLICIT.values())
        for p in (name, qualifier or "")
    ):
        return None
    return FunctionRef(
        name, qualifier, implicit["region"], implicit["account"], implicit["partition"]
    )


def source_arns(target: LambdaTarget, api: Api) -> Iterator[tuple[str, str]]:
    """(label, resource part of the execute-api source ARN after `{api-id}/`) of each invocation
    the function's resource policy has to allow: `{stage}/{VERB}/{path}` per method and verb,
    `authorizers/{id}` for an authorizer. `{stage}` and `{id}` stay open as HOLEs."""
    if target.authorizer is not None:
        yield f"authorizer {target.authorizer!r}", f"authorizers/{HOLE}"
        return
    for method in target.methods:
        if api.kind == "http" and method.path == "/$default":
            yield "the $default route", f"{HOLE}/$default"
            continue
        for verb in ANY_VERBS if method.verb == "ANY" else (method.verb,):
            yield f"{verb} {method.path}", f"{HOLE}/{verb}/{method.path.lstrip('/')}"
