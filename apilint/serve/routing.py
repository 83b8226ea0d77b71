"""Which method a request reaches, as API Gateway chooses it.

REST: the most specific resource wins (literal segments over `{param}` over greedy `{proxy+}`);
then the method: the verb itself, else ANY; a resource without it answers 403 Missing
Authentication Token ("including the cases when the client attempts to invoke an unsupported API
method or resource", supported-gateway-response-types). An explicit OPTIONS beats ANY.
HTTP: "API Gateway selects the route with the most-specific match" on route *and* method, then
the `$default` route, else 404 (http-api-develop-routes.html).
"""

from __future__ import annotations

from dataclasses import dataclass

from apilint.model.gateway import Api, Method

DEFAULT_ROUTE = "/$default"


@dataclass(frozen=True)
class Match:
    method: Method
    resource: str  # the path template: "/pets/{petId}"
    params: dict[str, str]  # path parameters, decoded

    @property
    def route_key(self) -> str:
        """The HTTP API routeKey: "GET /pets/{id}" or "$default"."""
        if self.resource == DEFAULT_ROUTE:
            return "$default"
        return f"{self.method.verb} {self.resource}"


#: Kinds of template segment, in the order API Gateway prefers them.
LITERAL, PARAM, GREEDY = 0, 1, 2
Template = tuple[tuple[int, str], ...]  # (kind, literal text or variable name) per segment


def _template(path: str) -> Template:
    """The path's segments, classified once when the API loads."""
    out = []
    for part in (s for s in path.split("/") if s):
        if part.startswith("{") and part.endswith("+}"):
            out.append((GREEDY, part[1:-2]))
        elif part.startswith("{") and part.endswith("}"):
            out.append((PARAM, part[1:-1]))
        else:
            out.append((LITERAL, part))
    return tuple(out)


def _bind(template: Template, segments: list[str]) -> dict[str, str] | None:
    params: dict[str, str] = {}
    for i, (kind, text) in enumerate(template):
        if i >= len(segments):  # a greedy variable takes at least one segment too
            return None
        if kind == GREEDY:
            params[text] = "/".join(segments[i:])
            return params
        if kind == PARAM:
            params[text] = segments[i]
        elif text != segments[i]:
            return None
    return params if len(template) == len(segments) else None


def _rank(template: Template) -> tuple[int, ...]:
    """Sorts more specific templates first: per segment literal, then {param}, then {greedy+}."""
    return tuple(kind for kind, _ in template)


class Router:
    def __init__(self, api: Api) -> None:
        self.rest = api.kind == "rest"
        self.resources = sorted(
            (
                (_template(path), path, res.methods)
                for path, res in api.resources.items()
                if res.declared and path != DEFAULT_ROUTE
            ),
            key=lambda item: _rank(item[0]),
        )
        default = api.resources.get(DEFAULT_ROUTE)
        self.default = default.methods.get("ANY") if default is not None else None

    def route(self, verb: str, segments: list[str]) -> Match | None:
        return self._rest(verb, segments) if self.rest else self._http(verb, segments)

    def _rest(self, verb: str, segments: list[str]) -> Match | None:
        for template, path, methods in self.resources:
            params = _bind(template, segments)
            if params is not None:
                method = methods.get(verb) or methods.get("ANY")
                return Match(method, path, params) if method else None
        return None

    def _http(self, verb: str, segments: list[str]) -> Match | None:
        for template, path, methods in self.resources:
            method = methods.get(verb) or methods.get("ANY")
            if method is not None:
                params = _bind(template, segments)
                if params is not None:
                    return Match(method, path, params)
        if self.default is not None:
            return Match(self.default, DEFAULT_ROUTE, {})
        return None
