"""Small or plain inputs that used to take minutes or gigabytes (issue 24): the benchmark keeps
their times in view. Each function returns the text of one input.

- 20,000 paths, pretty and minified JSON (finding positions were quadratic in the paths, and
  in the line length of minified JSON);
- a chain of 3,000 `$ref`s (every link re-walked the rest of the chain: cubic);
- a billion-laughs YAML file (refused in one line; under the old cap it took seconds and
  hundreds of MB).
"""

from __future__ import annotations

import json
from typing import Any

_INFO = {"title": "hostile", "version": "1"}
_MOCK = {"type": "mock"}


def many_paths(count: int = 20_000, indent: int | None = 2) -> str:
    paths = {
        f"/r{i % 100}/{{id}}/x{i}": {
            "get": {
                "responses": {"200": {"description": "ok"}},
                "x-amazon-apigateway-integration": _MOCK,
            }
        }
        for i in range(count)
    }
    return json.dumps({"openapi": "3.0.1", "info": _INFO, "paths": paths}, indent=indent)


def ref_chain(links: int = 3_000) -> str:
    schemas: dict[str, Any] = {
        f"s{i}": {"$ref": f"#/components/schemas/s{i + 1}"} for i in range(links - 1)
    }
    schemas[f"s{links - 1}"] = {"type": "string"}
    schema = {"$ref": "#/components/schemas/s0"}
    op = {
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {"schema": schema}}}
        },
        "x-amazon-apigateway-integration": _MOCK,
    }
    return json.dumps(
        {
            "openapi": "3.0.1",
            "info": _INFO,
            "paths": {"/a": {"get": op}},
            "components": {"schemas": schemas},
        }
    )


def alias_bomb(levels: int = 9, fan: int = 9) -> str:
    lines = [
        "openapi: 3.0.1",
        "info: {title: hostile, version: '1'}",
        "paths: {}",
        "x-laughs:",
        "  l0: &a0 [lol]",
    ]
    for i in range(1, levels + 1):
        lines.append(f"  l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


#: name -> text of each input
INPUTS = {
    "paths-20000.json": lambda: many_paths(),
    "paths-20000.min.json": lambda: many_paths(indent=None),
    "ref-chain-3000.json": ref_chain,
    "alias-bomb.yaml": alias_bomb,
}
