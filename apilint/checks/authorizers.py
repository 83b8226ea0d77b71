"""Security schemes, security requirements and `x-amazon-apigateway-authorizer` objects.

What API Gateway does with them: the REST import reads only `apiKey` schemes (an authorizer
rides on one as an extension), an HTTP API route has one authorization, and the authorizer
fields follow the Authorizer resources of the REST (v1) and HTTP (v2) APIs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, check, first_visit, number, shown, violation
from apilint.common.regex import lazy
from apilint.common.text import close_matches
from apilint.document.edit import make_fix, set_value
from apilint.document.placeholders import UNKNOWN, has_placeholder, mask
from apilint.document.refs import At
from apilint.model import build
from apilint.model.arn import ACCOUNT, PARTITION_REGIONS, REGION_SHAPE
from apilint.model.auth import requirements
from apilint.model.gateway import Api, Method, SecurityScheme
from apilint.model.mapping import variable
from apilint.model.sam import sam_no_auth

AUTHORIZER = "x-amazon-apigateway-authorizer"
AUTHTYPE = "x-amazon-apigateway-authtype"
TTL = "authorizerResultTtlInSeconds"
#: Authorizer `type` values per API kind (REST Authorizer.type, HTTP authorizerType).
AUTHORIZER_TYPES = {"rest": ("token", "request", "cognito_user_pools"), "http": ("request", "jwt")}
TTL_MAX = 3600
HTTP_AUDIENCES_MAX = 50  # HTTP API quota "Audiences per authorizer", not adjustable
HTTP_SCOPES_MAX = 10  # HTTP API quota "Scopes per route", not adjustable

# Identity sources: REST mapping expressions vs HTTP selection expressions.
_REST_HEADER = lazy(r"^method\.request\.header\.[^\s,]+$")
_REST_REQUEST = lazy(
    r"^(method\.request\.(header|querystring|multivalueheader|multivaluequerystring)\.[^\s,]+"
    rf"|{variable('rest')})$"
)
_HTTP_LAMBDA = lazy(rf"^(\$request\.(header|querystring)\.[^\s,]+|{variable('http')})$")
_HTTP_JWT = lazy(r"^\$request\.(header|querystring)\.[^\s,]+$")
_USER_POOL_ARN = lazy(
    r"^arn:(?P<partition>[^:]*):cognito-idp:(?P<region>[^:]*):"
    r"(?P<account>[^:]*):userpool/(?P<pool>.*)$"
)
_POOL_ID = lazy(r"^(?P<region>[a-z]{2}(-[a-z]+)+-\d+)_[0-9A-Za-z]+$")

Site = tuple[str, tuple[str, ...]]


# -- shared helpers ------------------------------------------------------------------------


def users(api: Api, name: str) -> list[Method]:
    """Methods whose security in force names the scheme (REST: operation-level only)."""
    return [m for m in api.methods if name in m.auth.schemes]


def security_sites(api: Api) -> Iterator[tuple[At, list[Method]]]:
    """Each `security` list API Gateway reads, once, with the methods it applies to.

    REST APIs read only operation-level security (root-security-ignored covers the root); HTTP
    APIs also read the root list for operations without their own."""
    sites: dict[Site, tuple[At, list[Method]]] = {}
    for method in api.methods:
        own = api.ws.resolve(method.at.child("security"))
        if own is not None:
            sites.setdefault((own.doc.path, own.tokens), (own, []))[1].append(method)
    root = api.ws.resolve(api.root_security) if api.kind == "http" else None
    if root is not None:
        relying = [m for m in api.methods if "security" not in m.value]
        sites.setdefault((root.doc.path, root.tokens), (root, []))[1].extend(relying)
    return iter(sites.values())


def scheme_container(api: Api) -> tuple[At | None, str]:
    """Where the schemes are defined, read as the model reads them (an OpenAPI 3 file written
    with the Swagger 2 key imports; see model/build.py)."""
    if not isinstance(api.root.value, dict):
        return None, "securitySchemes"
    return build.scheme_container(api.ws, api.root, api.version)


def _authorizers(api: Api) -> Iterator[tuple[SecurityScheme, At, str | None]]:
    """(scheme, authorizer object, lower-case type) for every authorizer, each object once."""
    seen: set[Site] = set()
    for scheme in api.schemes.values():
        at = scheme.authorizer
        if at is None or not first_visit(seen, at):
            continue
        kind = at.value.get("type")
        yield scheme, at, kind.lower() if isinstance(kind, str) else None


def as_int(value: Any) -> tuple[bool, int | None]:
    """(known, integer); (True, None) is a literal that is not an integer, (False, None) an
    unknown value (placeholder, intrinsic)."""
    known = isinstance(value, (int, float, str)) and not has_placeholder(value)
    return known, number(value) if known else None


def _caching(authorizer: At) -> int | None:
    """The TTL when it is written and positive (caching on), else None."""
    known, ttl = as_int(authorizer.value.get(TTL))
    return ttl if known and ttl is not None and ttl > 0 else None


def _entries(value: Any) -> list[str] | None:
    """The identity-source entries: a comma-separated string or a list of strings."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str)]
    return None


def _names(names: Any) -> str:
    return ", ".join(map(repr, names))


# -- security requirements ----------------------------------------------------------------------


@check
def security_empty_requirement(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    # `security: []` alone is method-unauthenticated's finding; this is `{}` offered next to
    # real requirements, OpenAPI's "authentication is optional".
    for security, methods in security_sites(api):
        methods = [m for m in methods if m.verb != "OPTIONS"]
        reqs = [r for _, r in requirements(security)]
        schemes = sorted({n for r in reqs for n in r})
        if not methods or not schemes:
            continue
        for i, requirement in enumerate(reqs):
            if requirement:
                continue
            # On `security` itself: the locator cannot place an empty mapping `{}`.
            yield violation(
                security,
                f"the empty requirement {{}} (entry {i}) in the security of "
                f"{shown(methods)} makes {_names(schemes)} optional, which "
                "API Gateway cannot express: a method either requires its "
                "authorization or is open to anyone; remove the {} (or the "
                "other requirements) so the definition says what the "
                "gateway enforces",
                methods[0].label,
            )


@check
def security_ref_undefined(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    container, where = scheme_container(api)
    defined = set(api.schemes)
    if container is not None and isinstance(container.value, dict):
        defined |= {k for k in container.value if isinstance(k, str)}
    for security, methods in security_sites(api):
        who = shown(methods) if methods else "no operation (each has its own security)"
        for requirement_at, requirement in requirements(security):
            for name in requirement:
                if not isinstance(name, str) or name in defined or sam_no_auth(api, name):
                    continue
                close = close_matches(name, sorted(defined), n=1, cutoff=0.6)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"defined: {_names(sorted(defined))}"
                    if defined
                    else "none are defined"
                )
                yield violation(
                    requirement_at.child(name) or requirement_at,
                    f"security scheme {name!r} (used by {who}) is not defined in "
                    f"{where} ({hint}); API Gateway cannot apply a scheme it does "
                    "not know, so the method does not get this protection; fix the "
                    "name or define the scheme",
                    methods[0].label if methods else None,
                )


@check
def http_multiple_security(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for security, methods in security_sites(api):
        named = [r for _, r in requirements(security) if r]
        if not methods or not (len(named) > 1 or any(len(r) > 1 for r in named)):
            continue
        schemes = [n for r in named for n in r]
        yield violation(
            security,
            f"{shown(methods)} lists {len(schemes)} security schemes "
            f"({_names(schemes)}); an HTTP API route has exactly one "
            "authorization (IAM, one Lambda authorizer or one JWT "
            "authorizer) and import fails on several; keep one",
            methods[0].label,
        )


def _missing_authorizer(scheme: SecurityScheme) -> bool:
    authtype = scheme.at.value.get(AUTHTYPE)
    return (
        isinstance(authtype, str)
        and not has_placeholder(authtype)
        and not authtype.lower().startswith("aws")
        and AUTHORIZER not in scheme.at.value
    )


@check
def security_scheme_unsupported(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for name, scheme in api.schemes.items():
        kind = scheme.type
        if kind is None or kind == "apiKey" or has_placeholder(kind) or _missing_authorizer(scheme):
            continue  # (a scheme without its authorizer is authorizer-extension-missing's)
        methods = users(api, name)
        if not methods:
            continue  # defined but never required: harmless
        if scheme.authorizer is not None:
            what = (
                f"move its {AUTHORIZER} to a `type: apiKey` scheme (name: Authorization, "
                "in: header)"
            )
        elif scheme.kind == "iam":
            what = (
                "declare IAM authorization as `type: apiKey, name: Authorization, in: header, "
                f"{AUTHTYPE}: awsSigv4`"
            )
        else:
            what = (
                f"API Gateway does not enforce it, so {shown(methods)} get no authorization "
                f"from it; use a Lambda authorizer ({AUTHORIZER} on an apiKey scheme), a "
                "Cognito authorizer or IAM"
            )
        yield violation(
            scheme.at.child("type") or scheme.at,
            f"security scheme {name!r} has type {kind!r}, but REST API imports "
            f"support only `apiKey` security schemes; {what}",
        )


@check
def authorizer_extension_missing(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for name, scheme in api.schemes.items():
        if not _missing_authorizer(scheme):
            continue
        methods = users(api, name)
        effect = (
            f"the import skips every method that uses it ({shown(methods)})"
            if methods
            else "the import warns and creates no authorizer"
        )
        yield violation(
            scheme.at.child(AUTHTYPE) or scheme.at,
            f"security scheme {name!r} declares {AUTHTYPE} "
            f"{scheme.at.value[AUTHTYPE]!r} but has no {AUTHORIZER}, so {effect}; add "
            f"the authorizer object, or remove {AUTHTYPE} (awsSigv4 means IAM)",
        )


# -- authorizer objects ---------------------------------------------------------------------------


@check
def authorizer_type_invalid(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    allowed = AUTHORIZER_TYPES[api.kind]
    family = api.kind.upper()
    for scheme, at, kind in _authorizers(api):
        raw = at.value.get("type")
        if raw is None:
            yield violation(
                at,
                f"the {AUTHORIZER} of scheme {scheme.name!r} has no type; "
                f"{family} APIs need one of {', '.join(allowed)}",
            )
            continue
        if not isinstance(raw, str) or has_placeholder(raw) or kind in allowed:
            continue
        other = next((k for k, v in AUTHORIZER_TYPES.items() if k != api.kind and kind in v), None)
        hint = (
            f" ({raw!r} exists only for {other.upper()} APIs; apilint reads this file as "
            f"{family} because {api.kind_reason}, --api-type overrides that)"
            if other
            else ""
        )
        yield violation(
            at.child("type") or at,
            f"authorizer type {raw!r} of scheme {scheme.name!r} is not one of "
            f"{', '.join(allowed)}{hint}; {family} APIs cannot create it, so methods "
            "using it are not protected as intended; use a valid type",
        )


@check
def authorizer_ttl_range(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for scheme, at, kind in _authorizers(api):
        if TTL not in at.value or (api.kind == "http" and kind == "jwt"):
            continue  # HTTP JWT authorizers have no result cache
        value = at.value[TTL]
        known, number = as_int(value)
        if not known or (number is not None and 0 <= number <= TTL_MAX):
            continue
        problem = (
            f"{value!r} is not a whole number of seconds"
            if number is None
            else f"{number} is outside 0-{TTL_MAX}"
        )
        site = at.child(TTL) or at
        clamped = None if number is None else min(max(number, 0), TTL_MAX)
        yield violation(
            site,
            f"{TTL} of the authorizer of scheme {scheme.name!r}: {problem}; API "
            f"Gateway rejects the authorizer; use 0 (no caching) to {TTL_MAX} seconds",
            # Unsafe: how long an authorization decision is cached changes.
            fix=None
            if clamped is None
            else make_fix(
                f"Clamp {TTL} to {clamped}", "unsafe", set_value(site.doc, site.tokens, clamped)
            ),
        )


@check
def authorizer_identity_source(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for scheme, at, kind in _authorizers(api):
        if api.kind == "rest":
            yield from _rest_identity(scheme, at, kind)
        elif kind in ("request", "jwt"):
            yield from _http_identity(scheme, at, kind)


def _bad(entries: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [e for e in entries if UNKNOWN not in mask(e) and not pattern.match(e)]


def _syntax_hint(entries: list[str], api_kind: str) -> str:
    if api_kind == "rest" and any(e.startswith("$request.") for e in entries):
        return " ($request.… is HTTP API syntax)"
    if api_kind == "http" and any(e.startswith("method.request.") for e in entries):
        return " (method.request.… is REST API syntax)"
    return ""


def _rest_identity(scheme: SecurityScheme, at: At, kind: str | None) -> Iterator[Violation]:
    where = scheme.at.value.get("in")
    source = at.value.get("identitySource")
    entries = _entries(source)
    source_at = at.child("identitySource") or at
    if kind in ("token", "cognito_user_pools"):
        if isinstance(where, str) and where != "header":
            yield violation(
                scheme.at.child("in") or scheme.at,
                f"scheme {scheme.name!r} has `in: {where}`, but a {kind} authorizer "
                "reads its token from the header named by `name`; set `in: header`",
            )
        if entries is not None and (len(entries) != 1 or _bad(entries, _REST_HEADER())):
            yield violation(
                source_at,
                f"identitySource {source!r} of {kind} authorizer "
                f"{scheme.name!r} must be exactly one header mapping "
                "expression such as method.request.header.Authorization"
                f"{_syntax_hint(entries, 'rest')}",
            )
    elif kind == "request":
        if isinstance(where, str) and where not in ("header", "query"):
            yield violation(
                scheme.at.child("in") or scheme.at,
                f"scheme {scheme.name!r} has `in: {where}`; a REST request authorizer "
                "scheme takes `in: header` or `in: query`",
            )
        bad = _bad(entries, _REST_REQUEST()) if entries is not None else []
        name = scheme.at.value.get("name")
        nameless = not isinstance(name, str) or name.lower() in ("", "unused")
        if bad:
            yield violation(
                source_at,
                f"identitySource of request authorizer {scheme.name!r} "
                f"has {_names(bad)}; each comma-separated entry must be "
                "method.request.header.X, method.request.querystring.X, "
                f"stageVariables.X or context.X{_syntax_hint(bad, 'rest')}",
            )
        elif not any(entries or []) and nameless and (ttl := _caching(at)):
            yield violation(
                at,
                f"request authorizer {scheme.name!r} caches results for "
                f"{ttl} s but has no identitySource (and its scheme names "
                "no header or query parameter); API Gateway requires identity "
                f"sources when caching is on; add identitySource or set {TTL}: 0",
            )


def _http_identity(scheme: SecurityScheme, at: At, kind: str) -> Iterator[Violation]:
    source = at.value.get("identitySource")
    entries = _entries(source)
    source_at = at.child("identitySource") or at
    if kind == "jwt":
        if entries is not None and (len(entries) != 1 or _bad(entries, _HTTP_JWT())):
            yield violation(
                source_at,
                f"identitySource {source!r} of JWT authorizer "
                f"{scheme.name!r} must be a single $request.header.X or "
                "$request.querystring.X, e.g. $request.header.Authorization"
                f"{_syntax_hint(entries, 'http')}",
            )
        return
    bad = _bad(entries, _HTTP_LAMBDA()) if entries is not None else []
    if bad:
        yield violation(
            source_at,
            f"identitySource of Lambda authorizer {scheme.name!r} has "
            f"{_names(bad)}; HTTP APIs take $request.header.X, "
            "$request.querystring.X, $context.X or $stageVariables.X"
            f"{_syntax_hint(bad, 'http')}",
        )
    elif not any(entries or []) and (ttl := _caching(at)):
        yield violation(
            at,
            f"Lambda authorizer {scheme.name!r} caches results for "
            f"{ttl} s but has no identitySource; API Gateway rejects "
            'it ("Identity source must be set if authorizer caching is '
            f'enabled"); add identitySource or set {TTL}: 0',
        )


@check
def identity_validation_on_request(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    key = "identityValidationExpression"
    for scheme, at, kind in _authorizers(api):
        # REST token and Cognito authorizers use it; unknown types have their own rule.
        if key not in at.value or kind not in (
            ("request",) if api.kind == "rest" else ("request", "jwt")
        ):
            continue
        what = "a REST request authorizer" if api.kind == "rest" else "an HTTP API authorizer"
        yield violation(
            at.child(key) or at,
            f"{key} on {what} ({scheme.name!r}) is ignored: API Gateway applies it "
            "only to REST token (and Cognito) authorizers; validate the identity in "
            "the authorizer function instead, and remove the field",
        )


@check
def cognito_provider_arn(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    for scheme, at, kind in _authorizers(api):
        if kind != "cognito_user_pools":
            continue
        arns_at = at.child("providerARNs")
        if arns_at is None or arns_at.value in (None, []):
            yield violation(
                arns_at or at,
                f"Cognito authorizer {scheme.name!r} has no "
                "providerARNs; list the user pool ARN(s) "
                "(arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)",
            )
            continue
        if not isinstance(arns_at.value, list):
            continue
        for i, arn in enumerate(arns_at.value):
            problems = _user_pool_arn_problems(arn) if isinstance(arn, str) else []
            if problems:  # (non-strings are CloudFormation intrinsics such as Fn::GetAtt)
                yield violation(
                    arns_at.child(i) or arns_at,
                    f"provider ARN {arn!r} of Cognito authorizer {scheme.name!r}: "
                    f"{'; '.join(problems)}",
                )


def _user_pool_arn_problems(arn: str) -> list[str]:
    masked = mask(arn)
    m = _USER_POOL_ARN().match(masked)
    if not m:
        if UNKNOWN in masked:
            return []  # a placeholder may stand for several ARN parts
        return ["not a user pool ARN (arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)"]
    partition, region, account, pool = m.group("partition", "region", "account", "pool")
    problems: list[str] = []
    literal_region = UNKNOWN not in region
    if UNKNOWN in partition:
        pass
    elif partition not in PARTITION_REGIONS:
        problems.append(f"partition {partition!r} is not an AWS partition")
    elif literal_region and not REGION_SHAPE().match(region):
        problems.append(f"region {region!r} is not a region name like 'us-east-1'")
    elif literal_region and not PARTITION_REGIONS[partition]().match(region):
        problems.append(f"partition {partition!r} does not contain region {region!r}")
    if UNKNOWN not in account and not ACCOUNT().match(account):
        problems.append(f"account id {account!r} must be exactly 12 digits")
    pm = _POOL_ID().match(pool)
    if UNKNOWN in pool:
        pass
    elif not pm:
        problems.append(f"user pool id {pool!r} must look like REGION_ID (us-east-1_AbC123)")
    elif literal_region and pm.group("region") != region:
        problems.append(f"user pool id {pool!r} belongs to {pm.group('region')}, not {region}")
    return problems


@check
def jwt_config(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    jwt_schemes = set()
    for scheme, at, kind in _authorizers(api):
        if kind == "jwt":
            jwt_schemes.add(scheme.name)
            yield from _jwt_configuration(scheme, at)
    for security, methods in security_sites(api) if jwt_schemes else ():
        for requirement_at, requirement in requirements(security):
            for name, scopes in requirement.items():
                if (
                    not methods
                    or name not in jwt_schemes
                    or not isinstance(scopes, list)
                    or len(scopes) <= HTTP_SCOPES_MAX
                ):
                    continue
                yield violation(
                    requirement_at.child(name) or requirement_at,
                    f"{shown(methods)} requires {len(scopes)} scopes of JWT "
                    f"authorizer {name!r}; HTTP APIs allow at most "
                    f"{HTTP_SCOPES_MAX} scopes per route (a fixed quota); require "
                    "fewer, broader scopes",
                    methods[0].label,
                )


def _jwt_configuration(scheme: SecurityScheme, at: At) -> Iterator[Violation]:
    config = at.child("jwtConfiguration")
    if config is None:
        yield violation(
            at,
            f"JWT authorizer {scheme.name!r} has no jwtConfiguration; set its issuer and audience",
        )
        return
    if not isinstance(config.value, dict):
        return
    oidc = scheme.type == "openIdConnect" and scheme.at.value.get("openIdConnectUrl")
    if "issuer" not in config.value and not oidc:
        yield violation(
            config,
            f"JWT authorizer {scheme.name!r} has no issuer (and no "
            "openIdConnectUrl on an openIdConnect scheme to discover it); set "
            "jwtConfiguration.issuer, e.g. "
            "https://cognito-idp.REGION.amazonaws.com/POOL_ID",
        )
    audience = config.child("audience")
    if audience is None or audience.value in (None, []):
        yield violation(
            audience or config,
            f"JWT authorizer {scheme.name!r} has no audience; API Gateway accepts only "
            "tokens whose aud (or client_id) matches an entry, so list the app client "
            "id(s)",
        )
    elif isinstance(audience.value, list) and len(audience.value) > HTTP_AUDIENCES_MAX:
        yield violation(
            audience,
            f"JWT authorizer {scheme.name!r} lists {len(audience.value)} "
            f"audiences; HTTP APIs allow at most {HTTP_AUDIENCES_MAX} per "
            "authorizer (a fixed quota); split the clients over several "
            "authorizers",
        )
