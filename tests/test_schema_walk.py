"""The walk over model and body schemas (apilint/model/schema_walk.py): the same sites, owners
and order as the plain walk it replaced (one object per schema node, every location in a set),
on real definitions and on the cases that make a location hard to tell (YAML aliases, `$ref`s
into the middle of a model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, require_shared

from apilint.document.refs import At
from apilint.engine.run import load_api
from apilint.model.gateway import Api
from apilint.model.schema_walk import LISTS, roots, walk

KEYWORDS = frozenset(
    {"discriminator", "nullable", "readOnly", "exclusiveMinimum", "default", "example"}
    | {"examples", "format", "deprecated", *LISTS}
)
_MAPS = ("properties", "patternProperties")
_SCHEMA_KEYS = ("items", "additionalProperties", "not", *LISTS, *_MAPS)

Site = tuple[str, tuple[str, ...], str, int]  # (file, tokens, owner, base)


def _reference(api: Api) -> list[tuple[At, str, int]]:
    """Every schema node, as the old walk found them: a stack of At, a set of locations."""
    seen: set[tuple[int, tuple[str, ...]]] = set()
    out = []
    for root in roots(api):
        stack = [(root.site, root.owner, len(root.site.tokens))]
        while stack:
            at, owner, base = stack.pop()
            if not isinstance(at.value, dict):
                continue
            if isinstance(at.value.get("$ref"), str):
                end = api.ws.resolve(at)
                if end is None or not isinstance(end.value, dict):
                    continue
                t = end.tokens
                named = (
                    (len(t) == 2 and t[0] == "definitions")
                    or t[:2]
                    == (
                        "components",
                        "schemas",
                    )
                    and len(t) == 3
                )
                owner = f"model {t[-1]!r}" if named else f"the schema at {_pointer(t)}"
                at, base = end, len(t)
            if (id(at.doc), at.tokens) in seen:
                continue
            seen.add((id(at.doc), at.tokens))
            out.append((at, owner, base))
            stack.extend(reversed(_subschemas(at, owner, base)))
    return out


def _pointer(tokens: tuple[str, ...]) -> str:
    from apilint.document.pointer import encode

    return encode(tokens) or "#"


def _subschemas(at: At, owner: str, base: int) -> list[tuple[At, str, int]]:
    out = []
    for key in [k for k in at.value if k in _SCHEMA_KEYS]:
        child: Any = at.value[key]
        subs: list[tuple[tuple[str, ...], Any]]
        if isinstance(child, dict) and key in _MAPS:
            subs = [((key, str(name)), sub) for name, sub in child.items()]
        elif isinstance(child, dict):
            subs = [((key,), child)]
        elif isinstance(child, list) and (key in LISTS or key == "items"):
            subs = [((key, str(i)), sub) for i, sub in enumerate(child)]
        else:
            subs = []
        out += [(At(at.doc, at.tokens + t, s), owner, base) for t, s in subs if isinstance(s, dict)]
    return out


def _walked(path: Path) -> tuple[dict[str, list[Site]], dict[str, list[Site]]]:
    """Per keyword, the sites the walk keeps and the sites the reference walk finds."""
    api = load_api(str(path))
    index = walk(api, roots(api), KEYWORDS)
    reference = _reference(api)
    got, want = {}, {}
    for keyword in sorted(KEYWORDS):
        got[keyword] = [(n.doc.path, n.tokens, n.owner, n.base) for n in index.holding([keyword])]
        want[keyword] = [
            (at.doc.path, at.tokens, owner, base)
            for at, owner, base in reference
            if keyword in at.value
        ]
    # Several keywords at once: the nodes holding any of them, merged in walk order.
    got["*"] = [(n.doc.path, n.tokens, n.owner, n.base) for n in index.holding(KEYWORDS)]
    want["*"] = [
        (at.doc.path, at.tokens, owner, base)
        for at, owner, base in reference
        if not KEYWORDS.isdisjoint(at.value)
    ]
    return got, want


def _real_files() -> list[Any]:
    fixtures = sorted(
        p
        for rule in (
            "schema-keyword-unsupported",
            "schema-example-unsupported",
            "schema-int-decimal-format",
            "schema-composition-ref",
        )
        for p in (FIXTURES / "rules" / rule).glob("*.yaml")
        if "clean" not in p.name  # each of the others holds a keyword the walk is asked about
    )
    return [pytest.param(p, id=f"{p.parent.name}/{p.name}") for p in fixtures] + [
        pytest.param(name, id=name)
        for name in ("corpus/real", "perfcorpus/large-stripe.json", "perfcorpus/large-stripe.yaml")
    ]


@pytest.mark.parametrize("source", _real_files())
def test_walk_keeps_the_sites_of_the_plain_walk(source: Path | str) -> None:
    if isinstance(source, str):
        found = require_shared(*source.split("/"))
        paths = sorted(found.glob("*.*")) if found.is_dir() else [found]
    else:
        paths = [source]
    compared = 0
    for path in paths:
        got, want = _walked(path)
        assert got == want, path
        compared += sum(len(sites) for sites in want.values())
    assert compared > 0  # the walk was asked about keywords these files hold


ALIASED = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Pet/properties/owner"
components:
  schemas:
    Pet:
      type: object
      properties:
        owner: &owner
          type: object
          nullable: true
          properties:
            name: {type: string, example: x}
        keeper: *owner
    Vet:
      $ref: "#/components/schemas/Pet"
"""


def test_walk_tells_locations_apart_when_yaml_aliases_share_one_object(tmp_path: Path) -> None:
    # `keeper` is the very object `owner` is (a YAML alias): two places, each reported; the
    # response's $ref into Pet and Vet's $ref to Pet reach places already seen: no new site.
    path = tmp_path / "api.yaml"
    path.write_text(ALIASED)
    got, want = _walked(path)
    pet = ("components", "schemas", "Pet", "properties")
    assert got["nullable"] == [
        (str(path), pet + ("owner",), "model 'Pet'", 3),
        (str(path), pet + ("keeper",), "model 'Pet'", 3),
    ]
    assert got["example"] == [
        (str(path), pet + ("owner", "properties", "name"), "model 'Pet'", 3),
        (str(path), pet + ("keeper", "properties", "name"), "model 'Pet'", 3),
    ]
    assert got == want


NESTED = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      properties:
        b: {$ref: "#/components/schemas/B/properties/inner"}
    B:
      properties:
        inner: {type: object, nullable: true}
"""


def test_walk_names_a_place_for_the_first_root_that_reaches_it(tmp_path: Path) -> None:
    # Model A reaches the middle of model B through its $ref before B is walked: the place is
    # named for itself there, and B's own walk does not report it a second time.
    path = tmp_path / "api.yaml"
    path.write_text(NESTED)
    got, want = _walked(path)
    inner = ("components", "schemas", "B", "properties", "inner")
    assert got["nullable"] == [
        (str(path), inner, "the schema at /components/schemas/B/properties/inner", 5)
    ]
    assert got == want
