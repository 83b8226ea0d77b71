"""The floor for linting one file: what any Python linter built on these parts must spend.

Python's start, importing orjson, jsonschema-rs and rapidyaml, reading the file, parsing it
(orjson for JSON; rapidyaml, its JSON emitter and orjson for YAML) and one rapidyaml tree of it
for finding positions; no rule, no model, no report. benchmarks/run.py times it beside apilint.
Usage: python benchmarks/floor.py FILE
"""

from __future__ import annotations

import sys

import jsonschema_rs  # noqa: F401 - its import is part of the floor
import orjson
import ryml


def floor(path: str) -> None:
    with open(path, "rb") as f:
        raw = f.read()
    buffer = bytearray(raw)  # the tree points into it: it must outlive the tree
    tree = ryml.parse_in_place(buffer)  # positions
    if path.endswith(".json"):
        orjson.loads(raw)
    else:
        root = tree.root_id()
        if tree.is_stream(root):
            root = tree.first_child(root)
        orjson.loads(ryml.emit_json_malloc(tree, root))


if __name__ == "__main__":
    floor(sys.argv[1])
