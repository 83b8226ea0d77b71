"""`apilint rules` and `apilint explain`."""

from __future__ import annotations

import json
import sys

from apilint.catalog.explain import explain
from apilint.catalog.registry import load_rules


def list_rules(fmt: str) -> int:
    rules = load_rules()
    if fmt == "json":
        json.dump([r.as_dict(enabled=r.default_enabled) for r in rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if fmt != "table":
        sys.stderr.write(f"apilint: unknown format {fmt!r} (choose table or json)\n")
        return 2
    width = max(len(r.name) for r in rules)
    sys.stdout.write(f"{'CODE':<7} {'NAME':<{width}} {'SEVERITY':<8} {'API':<9} ENABLED  SUMMARY\n")
    for r in rules:
        sys.stdout.write(
            f"{r.code:<7} {r.name:<{width}} {str(r.severity):<8} "
            f"{'+'.join(r.api):<9} {'yes' if r.default_enabled else 'no':<8} {r.summary}\n"
        )
    return 0


def run_explain(ident: str) -> int:
    try:
        page = explain(ident)
    except KeyError as exc:
        sys.stderr.write(f"apilint: {exc.args[0]}\n")
        return 2
    sys.stdout.write(page)
    return 0
