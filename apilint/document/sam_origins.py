"""Where each node of a body SAM generates comes from in the template the user edits, and
which SAM property made it (apilint.document.sam builds the bodies).

A node copied from DefinitionBody keeps its place there; a path or method made from a function
event points at the event's Path/Method; the OPTIONS preflight SAM adds for Cors at Cors; the
security SAM adds at Auth.DefaultAuthorizer / Auth.ApiKeyRequired (or the event's Auth);
security schemes at Auth.Authorizers.<name>; gateway responses at GatewayResponses; the HTTP API
CORS object at CorsConfiguration; anything else at the API resource (an implicit API: the first
event that creates it). Light on purpose: the engine asks it about every finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apilint.common.findings import Span
from apilint.document.cfn import ApiResource
from apilint.document.model import Document
from apilint.document.pointer import Tokens

#: SAM resource type → (generated type, implicit API logical id, Globals section, event type).
SAM_APIS = {
    "AWS::Serverless::Api": ("AWS::ApiGateway::RestApi", "ServerlessRestApi", "Api", "Api"),
    "AWS::Serverless::HttpApi": (
        "AWS::ApiGatewayV2::Api",
        "ServerlessHttpApi",
        "HttpApi",
        "HttpApi",
    ),
}
ID_KEY = {"Api": "RestApiId", "HttpApi": "ApiId"}
_ANY = "x-amazon-apigateway-any-method"


@dataclass(frozen=True)
class Event:
    """A SAM function event that adds a route to an API."""

    tokens: Tokens  # the event: ("Resources", function, "Properties", "Events", name)
    path: str
    method: str  # as SAM writes it in paths: lower case, or x-amazon-apigateway-any-method
    auth: bool  # the event sets its own Auth


def events(data: dict[str, Any], logical_id: str, kind: str) -> list[Event]:
    """The function events that add routes to the API `logical_id`, in template order."""
    _, implicit, _, event_type = SAM_APIS[kind]
    out = []
    for name, resource in data.get("Resources", {}).items():
        if not (isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Function"):
            continue
        props = resource.get("Properties")
        events = props.get("Events") if isinstance(props, dict) else None
        for event_name, event in events.items() if isinstance(events, dict) else ():
            if not (isinstance(event, dict) and event.get("Type") == event_type):
                continue
            eprops = event.get("Properties")
            eprops = eprops if isinstance(eprops, dict) else {}
            target = eprops.get(ID_KEY[event_type])
            ref = target.get("Ref") if isinstance(target, dict) else target
            if (ref or implicit) != logical_id:
                continue
            method = str(eprops.get("Method", "any")).lower()
            path = eprops.get("Path", "$default")
            out.append(
                Event(
                    ("Resources", name, "Properties", "Events", event_name),
                    path if isinstance(path, str) else "",
                    _ANY if method == "any" else method,
                    "Auth" in eprops,
                )
            )
    return out


@dataclass(frozen=True)
class Origin:
    """Where a generated node comes from: template tokens, and the SAM property that made it
    (None: the user wrote it in DefinitionBody)."""

    tokens: Tokens
    made_by: str | None


class Origins:
    def __init__(self, data: dict[str, Any], api: ApiResource, events: list[Event]) -> None:
        self.data = data
        self.api = api
        self.events = events
        self.resource: Tokens = ("Resources", api.logical_id)
        if api.logical_id not in data.get("Resources", {}) and events:
            self.resource = events[0].tokens  # implicit API: the first event that creates it
        self.definition: Tokens | None = (
            self.resource + ("Properties", "DefinitionBody") if api.source == "inline" else None
        )

    def prop(self, name: str) -> tuple[Tokens, str] | None:
        """Where SAM property `name` of this API is written (resource or Globals), and its name."""
        if name in self.api.own:
            return ("Resources", self.api.logical_id, "Properties", name), name
        if name in self.api.properties:
            section = SAM_APIS[self.api.type][2]
            return ("Globals", section, name), f"Globals.{section}.{name}"
        return None

    def of(self, rel: Tokens) -> Origin:
        if self.definition is not None and _exists(self.data, self.definition + rel):
            return Origin(self.definition + rel, None)
        found = self._generated(rel)
        return (
            found
            if found is not None
            else Origin(self.resource, f"the {self.api.logical_id} resource")
        )

    def _generated(self, rel: Tokens) -> Origin | None:
        head = rel[0] if rel else ""
        if head == "paths" and len(rel) >= 2:
            return self._route(rel)
        if head == "securityDefinitions" or rel[:2] == ("components", "securitySchemes"):
            name = rel[1] if head == "securityDefinitions" else rel[2] if len(rel) > 2 else ""
            return self._auth(("Authorizers", name) if name else ())
        if head == "x-amazon-apigateway-gateway-responses":
            return self._from("GatewayResponses", rel[1:2])
        if head == "x-amazon-apigateway-cors":
            return self._from("CorsConfiguration")
        return None

    def _route(self, rel: Tokens) -> Origin | None:
        path, method = rel[1], rel[2] if len(rel) > 2 else None
        event = next(
            (e for e in self.events if e.path == path and (method is None or e.method == method)),
            None,
        )
        if len(rel) > 3 and rel[3] == "security":
            if event is not None and event.auth:
                return Origin(
                    event.tokens + ("Properties", "Auth"), "the Auth of event " + _event_name(event)
                )
            return self._security(rel)
        if method == "options" and event is None:
            cors = self._from("Cors")
            if cors is not None:
                return cors
        if event is None:
            return None
        where = "Path" if method is None else "Method"
        return Origin(event.tokens + ("Properties", where), "event " + _event_name(event))

    def _security(self, rel: Tokens) -> Origin | None:
        key = rel[5] if len(rel) > 5 else None
        if key == "api_key":
            return self._auth(("ApiKeyRequired",))
        return self._auth(("DefaultAuthorizer",))

    def _auth(self, sub: Tokens) -> Origin | None:
        return self._from("Auth", sub)

    def _from(self, name: str, sub: Tokens = ()) -> Origin | None:
        found = self.prop(name)
        if found is None:
            return None
        tokens, shown = found
        if sub and _exists(self.data, tokens + sub):
            return Origin(tokens + sub, ".".join((shown, *sub)))
        return Origin(tokens, shown)


def _event_name(event: Event) -> str:
    return f"{event.tokens[1]}.Events.{event.tokens[4]}"


def _exists(data: Any, tokens: Tokens) -> bool:
    node = data
    for token in tokens:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


class SamLocator:
    """Positions of a generated body's nodes in the template the user edits."""

    def __init__(self, template: Document, base: Tokens, origins: Origins) -> None:
        self.template = template
        self.base = base
        self.origins = origins

    @property
    def root(self) -> Any:
        """The template's YAML node tree (duplicate-key checks walk it)."""
        return getattr(self.template.locator, "root", None)

    def origin(self, tokens: Tokens) -> Origin:
        """`tokens` relative to the body."""
        return self.origins.of(tokens)

    def span(self, tokens: Tokens) -> Span:
        n = len(self.base)
        rel = tokens[n:] if tokens[:n] == self.base else tokens
        return self.template.locator.span(self.origin(rel).tokens)


#: Rules whose findings on generated nodes are about the form of SAM's output, not the user's
#: API: SAM writes parameters without `schema`, oauth2 schemes without `flows`, `schema` in
#: OpenAPI 3 headers (AGW011), and REST paths without their `in: path` parameters (AGW105).
#: The user cannot change them short of writing the whole DefinitionBody.
OUTPUT_FORM = frozenset({"AGW011", "AGW105"})
