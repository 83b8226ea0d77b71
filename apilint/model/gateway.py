"""Data classes of the gateway view. Built once per document; checks only read them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from apilint.common.records import FACTORY, NamedTuple
from apilint.document.model import Document
from apilint.document.refs import At, Workspace

ANY_METHOD = "x-amazon-apigateway-any-method"
GATEWAY_RESPONSES = "x-amazon-apigateway-gateway-responses"
VALIDATOR = "x-amazon-apigateway-request-validator"
VALIDATORS = "x-amazon-apigateway-request-validators"
#: Integration types that pass the request through; the only ones HTTP APIs support.
PROXY_TYPES = ("aws_proxy", "http_proxy")
INTEGRATION = "x-amazon-apigateway-integration"
#: The verbs API Gateway creates methods for (plus ANY); `trace` is not one of them.
VERBS = ("get", "put", "post", "delete", "options", "head", "patch")

#: The only reason build.detect_kind gives for "http" that is a guess (findings that depend on
#: it say so).
WEAK_HTTP_EVIDENCE = "integrations carry payloadFormatVersion"

#: The kind of a scheme whose type is a template placeholder: it may authenticate or not, so
#: no rule may call the method open (nor say it needs credentials).
UNKNOWN_AUTH = "unknown"
#: Auth kinds that authenticate a caller.
AUTHENTICATING = frozenset({"lambda", "cognito", "jwt", "iam"})


# SecurityScheme, Integration and Parameter are named tuples, cheap to create at start-up (see
# common.findings); a tuple compares its fields, document values included: nothing compares or
# hashes them (they were identity-compared dataclasses).
class SecurityScheme(NamedTuple):
    """A security scheme of the definition, as API Gateway reads it."""

    name: str
    at: At
    type: str | None  # the OpenAPI `type`
    kind: str  # lambda | cognito | jwt | iam | api_key | unsupported | invalid-authorizer | unknown
    authorizer: At | None  # x-amazon-apigateway-authorizer, dereferenced
    location: str | None  # `in` of an apiKey scheme
    header: str | None  # `name` of an apiKey scheme


class Auth(NamedTuple):
    """Effective authorization of one method, as API Gateway would configure it."""

    kinds: frozenset[str]  # scheme kinds in force (see SecurityScheme.kind) plus "undefined"
    schemes: tuple[str, ...]  # scheme names named by the security requirements in force
    source: str  # "operation" | "root" | "none"
    at: At | None  # where the security that is in force is written

    def requires(self, *kinds: str) -> bool:
        return any(k in self.kinds for k in kinds)

    @property
    def authenticated(self) -> bool:
        return bool(self.kinds & AUTHENTICATING)


class Integration(NamedTuple):
    """An operation's x-amazon-apigateway-integration, as API Gateway reads it."""

    at: At
    type: str | None  # lower case
    uri: Any
    http_method: Any

    @property
    def value(self) -> dict[str, Any]:
        return self.at.value if isinstance(self.at.value, dict) else {}

    @property
    def is_proxy(self) -> bool:
        return self.type in PROXY_TYPES


class Parameter(NamedTuple):
    """A request parameter an operation declares (its own or its path's)."""

    name: str
    location: str  # `in`
    at: At  # the parameter object (after $ref)
    site: At  # where the operation (or path item) lists it
    via_ref: bool

    @property
    def value(self) -> dict[str, Any]:
        value: dict[str, Any] = self.at.value  # built only over a mapping
        return value

    @property
    def path_level(self) -> bool:
        """Listed on the path item (shared by its operations), not on one operation."""
        return self.site.tokens[:1] == ("paths",) and len(self.site.tokens) == 4


# Its __init__ is written: @dataclass would compile it at import (apilint.common.records).
@dataclass(init=False, eq=False, repr=False)
class Method:
    """One method of a resource: an operation of the definition."""

    verb: str  # upper case, "ANY" for x-amazon-apigateway-any-method
    path: str
    at: At
    auth: Auth
    integration: Integration | None
    parameters: list[Parameter]
    responses: At | None
    request_media_types: tuple[str, ...]

    def __init__(
        self,
        verb: str,
        path: str,
        at: At,
        auth: Auth,
        integration: Integration | None,
        parameters: list[Parameter],
        responses: At | None,
        request_media_types: tuple[str, ...],
    ) -> None:
        self.verb = verb
        self.path = path
        self.at = at
        self.auth = auth
        self.integration = integration
        self.parameters = parameters
        self.responses = responses
        self.request_media_types = request_media_types

    @property
    def label(self) -> str:
        return f"{self.verb} {self.path}"

    @property
    def value(self) -> dict[str, Any]:
        return self.at.value if isinstance(self.at.value, dict) else {}


# Its __init__ is written: @dataclass would compile it at import (apilint.common.records).
@dataclass(init=False, eq=False, repr=False)
class Resource:
    """A resource path of the API and its methods."""

    path: str
    at: At | None  # None for an intermediate prefix that is not itself a key of `paths`
    methods: dict[str, Method] = field(default_factory=dict)

    def __init__(self, path: str, at: At | None, methods: dict[str, Method] = FACTORY) -> None:
        self.path = path
        self.at = at
        self.methods = {} if methods is FACTORY else methods

    @property
    def declared(self) -> bool:
        return self.at is not None


# Its __init__ is written: @dataclass would compile it at import (apilint.common.records).
@dataclass(init=False, eq=False, repr=False)
class Api:
    """The gateway's view of one definition: what the rules read."""

    doc: Document
    ws: Workspace
    kind: str  # "rest" | "http"
    kind_reason: str
    version: str  # "2.0" | "3.0" | "3.1" | raw unsupported value
    resources: dict[str, Resource]
    methods: list[Method]
    schemes: dict[str, SecurityScheme]
    root_security: At | None

    _integrations: list[tuple[Integration, list[Method]]] | None = field(default=None, init=False)

    def __init__(
        self,
        doc: Document,
        ws: Workspace,
        kind: str,
        kind_reason: str,
        version: str,
        resources: dict[str, Resource],
        methods: list[Method],
        schemes: dict[str, SecurityScheme],
        root_security: At | None,
    ) -> None:
        self.doc = doc
        self.ws = ws
        self.kind = kind
        self.kind_reason = kind_reason
        self.version = version
        self.resources = resources
        self.methods = methods
        self.schemes = schemes
        self.root_security = root_security

    @property
    def root(self) -> At:
        return At(self.doc, (), self.doc.data)

    def integrations(self) -> list[tuple[Integration, list[Method]]]:
        """Each integration object once (HTTP APIs share them through `$ref`), with the methods
        that use it, in document order."""
        if self._integrations is None:
            users: dict[tuple[str, tuple[str, ...]], tuple[Integration, list[Method]]] = {}
            for method in self.methods:
                integ = method.integration
                if integ is not None and isinstance(integ.at.value, dict):
                    key = (str(integ.at.doc.abspath), integ.at.tokens)
                    users.setdefault(key, (integ, []))[1].append(method)
            self._integrations = list(users.values())
        return self._integrations

    @property
    def kind_guessed(self) -> bool:
        """The API kind rests on weak evidence only (a stray payloadFormatVersion)."""
        return self.kind_reason == WEAK_HTTP_EVIDENCE

    def ext(self, name: str) -> At | None:
        return self.ws.resolve(self.root.child(name))

    def dict_child(self, at: At | None, key: str) -> At | None:
        """`at[key]` with `$ref`s followed, if it is a mapping; None otherwise."""
        child = self.ws.resolve(at.child(key)) if at is not None else None
        return child if child is not None and isinstance(child.value, dict) else None

    def integration_responses(self, integ: Integration) -> Iterator[tuple[str, At]]:
        """(selection pattern, response object) of an integration's `responses`."""
        responses = self.dict_child(integ.at, "responses")
        for pattern in responses.value if responses else ():
            response = self.dict_child(responses, pattern)
            if response is not None:
                yield pattern, response

    def request_validation(self, method: Method) -> tuple[bool, bool]:
        """(validateRequestParameters, validateRequestBody) of the request validator in force
        on a method: its own x-amazon-apigateway-request-validator, else the API's. Only REST
        APIs validate requests."""
        if self.kind != "rest":
            return False, False
        table = self.dict_child(self.root, VALIDATORS)
        default = self.ext(VALIDATOR)
        name = method.value.get(VALIDATOR, default.value if default is not None else None)
        chosen = table.value.get(name) if table is not None and isinstance(name, str) else None
        if not isinstance(chosen, dict):
            return False, False
        return (
            chosen.get("validateRequestParameters") is True,
            chosen.get("validateRequestBody") is True,
        )

    def gateway_responses(self) -> Iterator[tuple[str, At, At]]:
        """(response type, position of its key, the response object) of each gateway response
        (`x-amazon-apigateway-gateway-responses`), with `$ref`s followed."""
        container = self.dict_child(self.root, GATEWAY_RESPONSES)
        if container is None:
            return
        for key in container.value:
            site = container.child(key)
            response = self.dict_child(container, key)
            if site is not None and response is not None:
                yield str(key), site, response
