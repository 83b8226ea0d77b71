"""What SAM changes in a definition before API Gateway sees it (Cors, Auth), for a SAM template
read as written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apilint.model.gateway import Api

if TYPE_CHECKING:
    from apilint.document.cfn import Template


def template_of(api: Api) -> Template | None:
    iac = api.doc.iac
    if iac is None:
        return None  # a definition file: the template front end is never imported for it
    from apilint.document.cfn import Template

    return iac if isinstance(iac, Template) else None


def sam_edits(api: Api, prop: str) -> bool:
    """Whether SAM rewrites this definition for `prop` (Cors adds OPTIONS methods, Auth a
    DefaultAuthorizer on every method without its own security) before API Gateway sees it:
    inline, or included (AWS::Include runs before the SAM transform).

    Only for a SAM template read as written: an included definition, or SAM's translator not
    installed, crashing or rejecting the template. Otherwise apilint.document.sam lints the body
    SAM generates (source "sam"), which already holds what SAM adds."""
    template = template_of(api)
    if (
        template is None
        or template.api.source not in ("inline", "include")
        or not template.api.type.startswith("AWS::Serverless::")
    ):
        return False
    value = template.api.properties.get(prop)
    if prop == "Auth":
        if not isinstance(value, dict):
            return False
        default = value.get("DefaultAuthorizer")
        return (isinstance(default, str) and default not in ("", "NONE")) or value.get(
            "ApiKeyRequired"
        ) is True
    return value is not None


#: The security requirement SAM writes for `Auth: {Authorizer: NONE}` and reads back as "no
#: authorization here" (samtranslator swagger.py set_path_default_authorizer: "NONE (marker for
#: ignoring default)"); it is no scheme of the definition.
SAM_NO_AUTH = "NONE"


def sam_no_auth(api: Api, name: object) -> bool:
    """`name` is SAM's no-authorization marker in a SAM API's definition."""
    template = template_of(api)
    return (
        name == SAM_NO_AUTH
        and template is not None
        and template.api.type.startswith("AWS::Serverless::")
    )
