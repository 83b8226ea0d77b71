"""What the user calls the things a finding asks them to change: the OpenAPI key of a
definition, the CloudFormation resource type and property of an API built from
`AWS::ApiGateway::*` / `AWS::ApiGatewayV2::*` resources (CDK output included), the Terraform
resource and argument of one built from `aws_api_gateway_*` / `aws_apigatewayv2_*` resources.

Every API is linted as the OpenAPI document API Gateway would export for it
(apilint.document.resources), so checks read one model; only the words of a message depend on
what the API was built from (`Document.built_from`). A check asks `say(api, TERM, ...)` for the
part of its message that names a place or a change, and gets the user's own words.

The terms and their phrases are apilint.model.terms; the check supplies the values a phrase
names (`{name}`, `{status}`, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from apilint.document.model import CLOUDFORMATION, TERRAFORM
from apilint.model.terms import TERMS

if TYPE_CHECKING:
    from apilint.document.model import Document
    from apilint.model.gateway import Api

#: The front ends, by what their documents were built from (None: an OpenAPI definition).
FRONT_ENDS: dict[str | None, str] = {
    None: "openapi",
    CLOUDFORMATION: "cloudformation",
    TERRAFORM: "terraform",
}
KINDS = ("rest", "http")


def front_end(doc: Document) -> str:
    """`openapi`, `cloudformation` or `terraform`: what the API was written in."""
    return FRONT_ENDS.get(doc.built_from, "openapi")


def phrase(term: str, front: str, kind: str) -> str:
    """The template of `term` for a front end and API kind (the kind's own, else the front
    end's)."""
    phrases = TERMS[term]
    for key in (f"{front}-{kind}", front):
        if key in phrases:
            return phrases[key]
    raise KeyError(f"the term {term!r} has no wording for {front} {kind} APIs")


def say(api: Api, term: str, **values: object) -> str:
    """`term` in the words of what `api` was built from, with `values` filled in."""
    return phrase(term, front_end(api.doc), api.kind).format(**values)


def cors_key(api: Api, key: str) -> str:
    """An x-amazon-apigateway-cors key with its container (`x-amazon-apigateway-cors maxAge`,
    `CorsConfiguration MaxAge`, `cors_configuration max_age`)."""
    return f"{say(api, 'http-cors')} {say(api, 'cors:' + key)}"


def cors_setting(api: Api, key: str, value: str) -> str:
    """An x-amazon-apigateway-cors key set to `value` (`allow_credentials = true`)."""
    return say(api, "assign", name=say(api, "cors:" + key), value=value)
