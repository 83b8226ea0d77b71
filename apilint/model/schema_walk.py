"""The schemas API Gateway turns into models, and one walk over their schema objects.

A REST API turns `definitions` / `components.schemas` and every request or response body schema
into JSON Schema draft 4 models. `roots` names them; `walk` visits each schema object under them
once, following `$ref`s, so a problem in a shared schema is reported once, where the schema is
written, in the words of the first model or body that reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apilint.common.records import NamedTuple
from apilint.document.model import Document
from apilint.document.pointer import Tokens, encode
from apilint.document.refs import At
from apilint.model.gateway import Api, Method
from apilint.model.requests import request_sites, response_sites, schemas_container
from apilint.model.values import per_api

_ONE = ("items", "additionalProperties", "not")  # a schema (items: or a list of schemas)
LISTS = ("allOf", "anyOf", "oneOf")
_MAPS = ("properties", "patternProperties")
_KEYS = frozenset(_ONE + LISTS + _MAPS)


# A named tuple, cheap to create at start-up (see common.findings); nothing compares or hashes
# roots (they were identity-compared dataclasses).
class Root(NamedTuple):
    """A schema at the root of a model, request or response body."""

    site: At  # where the schema is written or referenced (may hold a `$ref`)
    owner: str  # "model 'Pet'", "the 200 response of GET /pets", ...
    role: str  # "model" | "request" | "response"
    json: bool = True  # a model for application/json (the media type, or consumes/produces)
    media_type: str = ""  # the `content` key of an OAS 3 body; "" for models and Swagger 2.0


@per_api
def roots(api: Api) -> list[Root]:
    """The named models, then each method's request and response body schemas (cached per API)."""
    out = []
    container = schemas_container(api)
    for name in container.value if container is not None else ():
        site = container.child(name) if container is not None else None
        if site is not None:
            out.append(Root(site, f"model {name!r}", "model"))
    for method in api.methods:
        for media_type, site in request_sites(api, method):
            out.append(
                Root(site, f"the request body of {method.label}", "request", media_type=media_type)
            )
        produces_json = api.version != "2.0" or swagger2_json(api, method, "produces")
        for status, media_type, site in response_sites(api, method):
            out.append(
                Root(
                    site,
                    f"the {status} response of {method.label}",
                    "response",
                    is_json(media_type) if media_type else produces_json,
                    media_type,
                )
            )
    return out


def is_json(media_type: str) -> bool:
    return media_type.split(";")[0].strip().lower() == "application/json"


def swagger2_types(api: Api, method: Method, key: str) -> tuple[At, list[Any]] | None:
    """`consumes`/`produces` in force for a Swagger 2.0 operation, if declared and not empty."""
    holder = method.at if key in method.value else api.root
    types = holder.value.get(key)
    if not isinstance(types, list) or not types:
        return None  # absent: application/json
    return holder.child(key) or holder, types


def lists_json(types: list[Any]) -> bool:
    return any(isinstance(t, str) and is_json(t) for t in types)


def swagger2_json(api: Api, method: Method, key: str) -> bool:
    found = swagger2_types(api, method, key)
    return found is None or lists_json(found[1])


class SchemaNode(NamedTuple):
    """A schema object (after `$ref`s) that holds a keyword the walk was asked about."""

    doc: Document
    tokens: Tokens
    value: dict[str, Any]
    owner: str  # "model 'Pet'", "the 200 response of GET /pets", ...
    #: How many of `tokens` lead to the owner's root: the rest is the place inside the owner
    #: (a number rather than a tuple per node: a large API has tens of thousands of nodes).
    base: int

    @property
    def at(self) -> At:
        return At(self.doc, self.tokens, self.value)

    @property
    def rel(self) -> tuple[str, ...]:
        """The place inside the owner, () for its root."""
        return self.tokens[self.base :]

    @property
    def where(self) -> str:
        return "/".join(self.rel)

    @property
    def place(self) -> str:
        return f"{self.owner} (at {self.where})" if self.rel else self.owner


class SchemaIndex(NamedTuple):
    nodes: list[SchemaNode]  # the schema objects that hold any keyword asked about, walk order
    by_keyword: dict[str, list[int]]  # keyword -> positions in `nodes`, ascending

    def holding(self, keywords: Iterable[str]) -> list[SchemaNode]:
        """The nodes that hold any of `keywords` (of those asked about), in walk order."""
        found = [self.by_keyword.get(k, []) for k in keywords]
        chosen = found[0] if len(found) == 1 else sorted(set().union(*found))
        return [self.nodes[i] for i in chosen]


#: What the walk carries from a schema to its subschemas: (doc, tokens, value, owner, base).
_Entry = tuple[Document, Tokens, Any, str, int]


def walk(api: Api, starts: Iterable[Root], keywords: frozenset[str]) -> SchemaIndex:
    """Every schema object under `starts`, depth first in document order, each location once
    (the first to reach it names it), keeping only those that hold one of `keywords`: a large
    API has tens of thousands of schema objects and most hold none (so no object is made for
    them, and rules that need a keyword read the index rather than walk again)."""
    nodes: list[SchemaNode] = []
    by_keyword: dict[str, list[int]] = {}
    # Seen locations, by the schema object there (an int key hashes faster than the pointer):
    # one location per object, except where YAML aliases put one object in several places.
    first: dict[int, tuple[Document, Tokens]] = {}
    more: set[tuple[int, Tokens]] = set()
    for root in starts:
        site = root.site
        stack: list[_Entry] = [(site.doc, site.tokens, site.value, root.owner, len(site.tokens))]
        while stack:
            doc, tokens, value, owner, base = stack.pop()
            if not isinstance(value, dict):
                continue
            if isinstance(value.get("$ref"), str):
                end = api.ws.resolve(At(doc, tokens, value))
                if end is None or not isinstance(end.value, dict):
                    continue
                # A reference always leads elsewhere: what it reaches is named for itself.
                doc, tokens, value = end.doc, end.tokens, end.value
                owner, base = _owner(tokens), len(tokens)
            seen = first.get(id(value))
            if seen is None:
                first[id(value)] = (doc, tokens)
            elif (seen[0] is doc and seen[1] == tokens) or (id(doc), tokens) in more:
                continue
            else:
                more.add((id(doc), tokens))
            if not keywords.isdisjoint(value):
                for keyword in keywords.intersection(value):
                    by_keyword.setdefault(keyword, []).append(len(nodes))
                nodes.append(SchemaNode(doc, tokens, value, owner, base))
            if not _KEYS.isdisjoint(value):  # (C speed) most schemas have no subschema
                stack.extend(reversed(_children(doc, tokens, value, owner, base)))
    return SchemaIndex(nodes, by_keyword)


def _owner(tokens: Tokens) -> str:
    if (len(tokens) == 2 and tokens[0] == "definitions") or (
        len(tokens) == 3 and tokens[:2] == ("components", "schemas")
    ):
        return f"model {tokens[-1]!r}"
    return f"the schema at {encode(tokens) or '#'}"


def _children(
    doc: Document, tokens: Tokens, value: dict[str, Any], owner: str, base: int
) -> list[_Entry]:
    """The subschemas of a schema, in document order."""
    out: list[_Entry] = []
    for key in [k for k in value if k in _KEYS]:
        child = value[key]
        if isinstance(child, dict):
            if key in _MAPS:
                for name, sub in child.items():
                    if isinstance(sub, dict):
                        out.append((doc, tokens + (key, str(name)), sub, owner, base))
            else:
                out.append((doc, tokens + (key,), child, owner, base))
        elif isinstance(child, list) and (key in LISTS or key == "items"):  # tuple items too
            for i, sub in enumerate(child):
                if isinstance(sub, dict):
                    out.append((doc, tokens + (key, str(i)), sub, owner, base))
    return out
