"""API-level access control of REST APIs: API keys and their source, the resource policy
(`x-amazon-apigateway-policy`), private endpoints, and request validators."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, shown, violation
from apilint.document.placeholders import PLACEHOLDER, has_placeholder
from apilint.document.refs import At
from apilint.model.auth import API_KEY_SOURCE, allowed_by, key_source
from apilint.model.extensions import endpoint_configurations
from apilint.model.gateway import UNKNOWN_AUTH, VALIDATOR, VALIDATORS, Api, Method
from apilint.model.wording import say

POLICY = "x-amazon-apigateway-policy"
#: On import "execute-api:/" becomes arn:PARTITION:execute-api:REGION:ACCOUNT:API_ID/; the
#: shortest such prefix (arn:aws:, a 9-letter region, 12-digit account, 10-character id) adds 41.
_EXECUTE_API = "execute-api:/"
_EXECUTE_API_GROWTH = len("arn:aws:execute-api:us-east-1:123456789012:abcde12345/") - len(
    _EXECUTE_API
)
_VPC_CONDITION_KEYS = {"aws:sourcevpce", "aws:sourcevpc"}
_POLICY_VERSIONS = ("2012-10-17", "2008-10-17")


# -- API keys ---------------------------------------------------------------------------------


def _key_only(method: Method) -> bool:
    kinds = method.auth.kinds
    return (
        "api_key" in kinds
        and not method.auth.authenticated
        and not kinds & {"invalid-authorizer", UNKNOWN_AUTH}
    )


@check
def api_key_as_auth(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # One finding per API-key scheme, not per method: method-unauthenticated reports the methods
    # one by one when its `api-key-counts` option is false.
    allow = options["allow"]
    for name, scheme in api.schemes.items():
        if scheme.kind != "api_key":
            continue
        methods = [
            m
            for m in api.methods
            if m.verb != "OPTIONS"
            and name in m.auth.schemes
            and _key_only(m)
            and not allowed_by(m, allow)
        ]
        if methods:
            yield violation(
                scheme.at,
                f"an API key{say(api, 'api-key-scheme', name=name)} is the only protection "
                f"of {len(methods)} method(s) ({shown(methods)}); API keys "
                "identify callers for usage plans and throttling, they are "
                "not secrets and do not authenticate; "
                f"{say(api, 'add-authorization-beside-key')}",
            )


@check
def api_key_source_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    at, value = key_source(api)
    if at is not None and value not in ("HEADER", "AUTHORIZER"):
        yield violation(
            at,
            f"{API_KEY_SOURCE} is {at.value!r}; API Gateway knows only HEADER "
            "(the X-API-Key header) and AUTHORIZER (the usageIdentifierKey a "
            "Lambda authorizer returns); set one of them",
        )


@check
def api_key_source_authorizer_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    at, value = key_source(api)
    if at is None or value != "AUTHORIZER":
        return
    methods = [
        m
        for m in api.methods
        if m.verb != "OPTIONS" and "api_key" in m.auth.kinds and "lambda" not in m.auth.kinds
    ]
    if methods:
        yield violation(
            at,
            f"{API_KEY_SOURCE} is AUTHORIZER, so API keys come only from a "
            f"Lambda authorizer's usageIdentifierKey, but {len(methods)} "
            f"method(s) that require a key have no Lambda authorizer "
            f"({shown(methods)}); their calls carry no key and get 403 Forbidden; "
            "add a Lambda authorizer that returns the key, or use HEADER",
        )


# -- private endpoints ---------------------------------------------------------------------------


def _vpc_endpoint_ids(api: Api) -> At | None:
    for config in endpoint_configurations(api):
        ids = config.child("vpcEndpointIds")
        if ids is not None and ids.value not in (None, "", []):
            return ids
    return None


@check
def private_without_policy(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    ids = _vpc_endpoint_ids(api)
    if ids is not None and api.root.child(POLICY) is None:
        yield violation(
            ids,
            f"{say(api, 'vpc-endpoint-ids')} make this a private API, and a private API "
            "cannot be deployed without a resource policy (\"Private REST API doesn't "
            f'have a resource policy attached to it"); {say(api, "add-resource-policy")}',
        )


@check
def vpce_on_nonprivate(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    ids = _vpc_endpoint_ids(api)
    if ids is not None:
        yield violation(
            ids,
            "vpcEndpointIds apply only to private REST APIs; HTTP APIs have no "
            "private endpoint type, so the IDs are not used and the API stays "
            "public; remove them (a private REST API stays off the internet)",
        )


# -- the resource policy -------------------------------------------------------------------------


def _policy(api: Api) -> tuple[At | None, Any]:
    """The policy node (never $ref-resolved: a policy is literal data) and its parsed value."""
    at = api.root.child(POLICY)
    if at is None:
        return None, None
    value = at.value
    if isinstance(value, str) and not has_placeholder(value):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    return at, value


def _unknown(value: Any) -> bool:
    """A CloudFormation intrinsic (`{"Fn::Sub": ...}`, `{"Ref": ...}`) or a placeholder."""
    if isinstance(value, dict) and len(value) == 1:
        key = str(next(iter(value)))
        return key.startswith("Fn::") or key in ("Ref", "Condition")
    return has_placeholder(value)


def _statements(at: At, policy: Any) -> Iterator[tuple[At, dict[str, Any]]]:
    """Each statement object with where to report it (the policy itself for a JSON string)."""
    if not isinstance(policy, dict):
        return
    holder = at.child("Statement") if at.value is policy else None
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        yield holder or at, statements
    elif isinstance(statements, list):
        for i, statement in enumerate(statements):
            if isinstance(statement, dict):
                yield (holder.child(i) if holder else None) or at, statement


@check
def policy_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    at, policy = _policy(api)
    if at is None or _unknown(policy):
        return
    if not isinstance(policy, dict):
        yield violation(
            at,
            f"{say(api, 'resource-policy')} must be an IAM policy document (an object with Version and "
            "Statement); API Gateway rejects anything else",
        )
        return
    problems: list[str] = []
    version = policy.get("Version")
    if version is not None and not _unknown(version) and version not in _POLICY_VERSIONS:
        problems.append(f"Version {version!r} is not 2012-10-17")
    statements = policy.get("Statement")
    if statements is None:
        problems.append("it has no Statement")
    elif isinstance(statements, list):
        for i, statement in enumerate(statements):
            if isinstance(statement, dict) and not _unknown(statement):
                problems += [f"statement {i} {p}" for p in _statement_problems(statement)]
            elif not _unknown(statement):
                problems.append(f"statement {i} is not an object")
    elif isinstance(statements, dict) and not _unknown(statements):
        problems += [f"the statement {p}" for p in _statement_problems(statements)]
    elif not _unknown(statements):
        problems.append("Statement must be a list of statement objects")
    if problems:
        more = " …" if len(problems) > 4 else ""
        yield violation(
            at,
            f"{say(api, 'resource-policy')} is not a valid resource policy: "
            f'{"; ".join(problems[:4])}{more}; API Gateway rejects it ("Invalid '
            'policy document")',
        )


def _statement_problems(statement: dict[str, Any]) -> list[str]:
    if "Statement" in statement or "Version" in statement:
        return [
            "is itself a policy document (Version/Statement nested in Statement); list its "
            "statements directly"
        ]
    problems = []
    effect = statement.get("Effect")
    if effect is None:
        problems.append("has no Effect")
    elif isinstance(effect, str) and not _unknown(effect) and effect not in ("Allow", "Deny"):
        problems.append(f"has Effect {effect!r} (must be Allow or Deny, case-sensitive)")
    for one, other, why in (
        ("Action", "NotAction", ""),
        ("Resource", "NotResource", ""),
        ("Principal", "NotPrincipal", " (a resource policy names callers)"),
    ):
        if one not in statement and other not in statement:
            problems.append(f"has neither {one} nor {other}{why}")
    return problems


def _lower_bound_length(value: Any) -> int:
    """Characters of the compact JSON after import, counting placeholders and CloudFormation
    intrinsics as empty (they may render shorter than they are written)."""
    if _unknown(value) and not isinstance(value, str):
        return 2
    if isinstance(value, str):
        text = PLACEHOLDER.sub("", value)
        return len(json.dumps(text)) + text.count(_EXECUTE_API) * _EXECUTE_API_GROWTH
    if isinstance(value, dict):
        return (
            1
            + len(value)
            + sum(len(json.dumps(str(k))) + 1 + _lower_bound_length(v) for k, v in value.items())
        )
    if isinstance(value, list):
        return 1 + max(len(value), 1) + sum(_lower_bound_length(v) for v in value)
    return len(json.dumps(value, default=str))


@check
def policy_too_large(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    limit = options["max-chars"]
    at, policy = _policy(api)
    if at is None or not isinstance(policy, (dict, list)):
        return
    size = _lower_bound_length(policy)
    if size > limit:
        yield violation(
            at,
            f"{say(api, 'resource-policy')} takes at least {size} characters as stored (compact JSON, "
            f"each {_EXECUTE_API} expanded to the API's ARN), over the resource "
            f"policy quota of {limit}; merge statements, use wildcards in "
            "Resource, or have AWS raise the quota and set this rule's max-chars",
        )


def _public(principal: Any) -> bool:
    if principal == "*":
        return True
    return isinstance(principal, dict) and any(
        v == "*" or (isinstance(v, list) and "*" in v) for v in principal.values()
    )


def _invokes(action: Any) -> bool:
    actions = action if isinstance(action, list) else [action]
    return any(
        isinstance(a, str) and a.lower() in ("*", "execute-api:*", "execute-api:invoke")
        for a in actions
    )


def _condition_keys(condition: Any) -> set[str]:
    keys: set[str] = set()
    for operator in condition.values() if isinstance(condition, dict) else ():
        if isinstance(operator, dict):
            keys |= {str(k).lower() for k in operator}
    return keys


@check
def policy_public_allow(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    at, policy = _policy(api)
    if at is None:
        return
    statements = list(_statements(at, policy))
    # A Deny with a condition (the documented "allow all, deny unless from this VPC endpoint /
    # IP range" pattern) or with NotPrincipal narrows what the Allow opens.
    if any(
        s.get("Effect") == "Deny" and (s.get("Condition") or "NotPrincipal" in s)
        for _, s in statements
    ):
        return
    private = _vpc_endpoint_ids(api) is not None
    anyone = "any VPC endpoint of any account in the Region can reach this private API"
    for statement_at, statement in statements:
        if (
            statement.get("Effect") != "Allow"
            or not _public(statement.get("Principal"))
            or not _invokes(statement.get("Action"))
        ):
            continue
        condition = statement.get("Condition")
        if not condition:
            why = "with no Condition"
            who = (
                anyone
                if private
                else (
                    "the policy lets every caller through and only method authorization remains "
                    "(on a private API: from any VPC endpoint of any account in the Region)"
                )
            )
        elif private and not _condition_keys(condition) & _VPC_CONDITION_KEYS:
            why, who = "with no aws:SourceVpce or aws:SourceVpc condition", anyone
        else:
            continue
        yield violation(
            statement_at,
            f"{say(api, 'resource-policy')} allows execute-api:Invoke to every principal "
            f'(Principal "*") {why}, so {who}; add a Condition '
            "(aws:SourceVpce, aws:SourceVpc, aws:SourceIp, "
            "aws:PrincipalOrgID) or a Deny statement that narrows it",
        )


# -- request validators ---------------------------------------------------------------------------


@check
def request_validator_undefined(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    validators = api.ext(VALIDATORS)
    names = set(validators.value) if validators and isinstance(validators.value, dict) else set()
    known = (
        f"defined: {', '.join(map(repr, sorted(map(str, names))))}"
        if names
        else f"there is no {VALIDATORS} map"
    )
    sites: dict[tuple[str, ...], tuple[At, str | None]] = {}
    root = api.root.child(VALIDATOR)
    if root is not None:
        sites[root.tokens] = (root, None)
    for method in api.methods:
        at = method.at.child(VALIDATOR)
        if at is not None:
            sites.setdefault(at.tokens, (at, method.label))
    for at, label in sites.values():
        name = at.value
        if not isinstance(name, str) or has_placeholder(name) or name in names:
            continue
        yield violation(
            at,
            f"{label or 'the API (root level)'} selects request validator "
            f"{name!r}, which is not defined ({known}); API Gateway cannot attach "
            "a validator that does not exist, so these requests are not validated "
            f"as written; add it to {VALIDATORS} or fix the name",
            label,
        )
