"""What the writers of CloudFormation APIs without a body (cfn_rest, cfn_http) share: the API
being written (Context), references between its resources, CDK construct paths.

Intrinsics in property values are read as placeholders (apilint.document.intrinsics.render,
the first branch of an Fn::If); references between the API's resources (`Ref`,
`Fn::GetAtt ... RootResourceId`) are followed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apilint.document.cfn import ApiResource, TemplateFile
from apilint.document.intrinsics import render
from apilint.document.pointer import Tokens
from apilint.document.resources import Writer

#: The security scheme written for AWS_IAM authorization.
IAM = "sigv4"
#: API types a front end here builds, with the property that links a child resource to it.
API_TYPES = {"AWS::ApiGateway::RestApi": "RestApiId", "AWS::ApiGatewayV2::Api": "ApiId"}


def target_id(value: Any) -> str | None:
    """The logical id `value` refers to: `{Ref: X}` or `{Fn::GetAtt: [X, ...]}` (or `X.Attr`)."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    ((key, arg),) = value.items()
    if key == "Ref":
        return arg if isinstance(arg, str) else None
    if key == "Fn::GetAtt":
        parts = arg.split(".", 1) if isinstance(arg, str) else arg
        return parts[0] if isinstance(parts, list) and parts and isinstance(parts[0], str) else None
    return None


def attribute(value: Any) -> str | None:
    """The attribute an `Fn::GetAtt` names (`RootResourceId`), else None."""
    if not isinstance(value, dict) or list(value) != ["Fn::GetAtt"]:
        return None
    arg = value["Fn::GetAtt"]
    parts = arg.split(".", 1) if isinstance(arg, str) else arg
    return parts[1] if isinstance(parts, list) and len(parts) == 2 else None


@dataclass
class Context:
    """One API of a template being written: the template, the API, the writer, notes."""

    template: TemplateFile
    api: ApiResource
    writer: Writer
    notes: list[str]

    @property
    def api_id(self) -> str:
        return self.api.logical_id

    def children(self, kind: str) -> list[str]:
        """Logical ids of the `kind` resources that belong to this API, in template order."""
        link = API_TYPES[self.api.type]
        return [
            logical_id
            for logical_id in self.template.resources
            if self.template.type_of(logical_id) == kind
            and target_id(self.template.properties(logical_id).get(link)) == self.api_id
        ]

    def props(self, logical_id: str) -> dict[str, Any]:
        return self.template.properties(logical_id)

    def value(self, logical_id: str, name: str) -> Any:
        """A property's value with intrinsics rendered as placeholders."""
        return render(self.props(logical_id).get(name))

    def copy(
        self, logical_id: str, fields: dict[str, str], at: Tokens, source: Tokens = ()
    ) -> None:
        """Write each property of `fields` (CloudFormation name → OpenAPI name) that the
        resource sets, below `at`, placed at the property; `source`: where the properties sit
        below the resource's Properties (an Integration)."""
        holder: Any = self.props(logical_id)
        for key in source:
            if isinstance(holder, list) and key.isdigit() and int(key) < len(holder):
                holder = holder[int(key)]
            else:
                holder = holder.get(key) if isinstance(holder, dict) else None
        if not isinstance(holder, dict):
            return
        for cfn_name, name in fields.items():
            if cfn_name in holder:
                self.writer.put(
                    at + (name,),
                    lower(render(holder[cfn_name]), name),
                    prop(logical_id, *source, cfn_name),
                    mirror=True,
                )

    def label(self, at: Tokens, logical_id: str) -> None:
        """Label the written node with the resource's CDK construct path, if it has one."""
        path = construct_path(self.template.resources.get(logical_id))
        if path is not None:
            self.writer.constructs.setdefault(at, path)

    def authorizer(
        self, logical_id: str, scheme: dict[str, Any], fields: dict[str, str]
    ) -> tuple[str, Tokens]:
        """Write an Authorizer resource as a security scheme (`scheme`) whose
        x-amazon-apigateway-authorizer holds its `fields`: the scheme's name and where that
        authorizer object is."""
        name = self.name_of(logical_id)
        at = ("components", "securitySchemes", name)
        self.writer.put(at, scheme, ("Resources", logical_id))
        self.label(at, logical_id)
        authorizer = at + ("x-amazon-apigateway-authorizer",)
        self.writer.put(authorizer, {}, ("Resources", logical_id, "Properties"))
        self.copy(logical_id, fields, authorizer)
        return name, authorizer

    def undecided_auth(self, logical_id: str, schemes: dict[str, str]) -> str | None:
        """A scheme standing for authorization the template decides only when it deploys (a
        parameter, a condition, an import): its kind is unknown, never "unauthenticated". None
        when the Method's or Route's AuthorizationType, ApiKeyRequired and AuthorizerId are
        all known."""
        props = self.props(logical_id)
        kind = props.get("AuthorizationType")
        key = props.get("ApiKeyRequired")
        ref = props.get("AuthorizerId")
        unknown = next(
            (
                name
                for name, known in (
                    (
                        "AuthorizationType",
                        "AuthorizationType" not in props or isinstance(kind, str),
                    ),
                    ("ApiKeyRequired", "ApiKeyRequired" not in props or _literal_bool(key)),
                    ("AuthorizerId", "AuthorizerId" not in props or target_id(ref) in schemes),
                )
                if not known
            ),
            None,
        )
        if unknown is None or (
            unknown == "AuthorizerId" and str(kind).upper() in ("NONE", "AWS_IAM")
        ):
            return None
        name = f"{logical_id}.{unknown}"
        self.writer.put(
            ("components", "securitySchemes", name),
            {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "${" + unknown + "}",
            },
            ("Resources", logical_id, "Properties", unknown),
        )
        return name

    def iam_scheme(self) -> str:
        """The security scheme of IAM authorization (written once), by name."""
        self.writer.put(
            ("components", "securitySchemes", IAM),
            {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "awsSigv4",
            },
            ("Resources", self.api_id),
        )
        return IAM

    def authorization(self, logical_id: str, schemes: dict[str, str]) -> tuple[str, str]:
        """(AuthorizationType in upper case, the scheme its AuthorizerId names) of a Method or
        Route: an Authorizer of the template by its scheme, else the rendered value (an
        unresolved reference is then an undefined scheme)."""
        props = self.props(logical_id)
        kind = props.get("AuthorizationType")
        ref = props.get("AuthorizerId")
        name = schemes.get(target_id(ref) or "") or str(render(ref))
        return (kind.upper() if isinstance(kind, str) else "NONE"), name

    def name_of(self, logical_id: str) -> str:
        """The resource's `Name`, when literal, else its logical id."""
        name = self.props(logical_id).get("Name")
        return name if isinstance(name, str) and name else logical_id


#: OpenAPI fields whose values API Gateway exports in lower case.
_LOWER = frozenset({"type", "passthroughBehavior"})


def lower(value: Any, name: str) -> Any:
    return value.lower() if name in _LOWER and isinstance(value, str) else value


def prop(logical_id: str, *names: str) -> Tokens:
    return ("Resources", logical_id, "Properties", *names)


def construct_path(resource: Any) -> str | None:
    """`MyStack/Api/Default/items/GET` from the `aws:cdk:path` metadata (`.../GET/Resource`)."""
    meta = resource.get("Metadata") if isinstance(resource, dict) else None
    path = meta.get("aws:cdk:path") if isinstance(meta, dict) else None
    if not isinstance(path, str) or not path:
        return None
    return path.removesuffix("/Resource")


def _literal_bool(value: Any) -> bool:
    """True/False as CloudFormation reads them (a boolean, or the strings "true"/"false")."""
    return isinstance(value, bool) or (
        isinstance(value, str) and value.lower() in ("true", "false")
    )
