"""JSON definitions: orjson on the bytes as read, when it reads them as the stdlib json module
does; else the stdlib parser on the text, with a pairs hook that sees duplicate keys.

On GitHub's 13 MB the stdlib way costs 140 ms (decoding to a str of 4-byte characters, since
the text holds emoji: 43 ms and 52 MB; the pairs hook: 95 ms), orjson on the bytes and the
checks below 75 ms. orjson reads what it accepts as the stdlib does, except in two ways the
checks catch: it keeps one value of a repeated key without a word, and it reads an integer
past 64 bits as a float. Everything else it differs on (NaN, Infinity, 1e400, lone
surrogates, invalid UTF-8, a BOM) it refuses, and the stdlib path decides as before.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import orjson

from apilint.document.members import same_members
from apilint.document.model import KeyIssue
from apilint.document.pointer import Tokens
from apilint.document.source import JsonLocator

#: An integer past 64 bits comes back a float of at least 2**63, which orjson writes with a
#: positive exponent (`1.8446744073709552e+19`): the text path keeps the integer. (Searched from
#: its literal `e+`, 4 ms on 13 MB; a digit before it would make the search 6 times slower,
#: and text such as `e+1` in a string only sends the file the stdlib way.)
_BIG_FLOAT = re.compile(rb"e\+[0-9]")


def load_json_bytes(raw: bytes, checked: bool = True) -> tuple[Any, JsonLocator] | None:
    """(data, locator) of UTF-8 JSON without a BOM, read exactly as load_json reads its text
    and without duplicate keys; None when load_json must decide. `checked=False` leaves out
    the checks that orjson's reading stands (a repeated key, an integer past 64 bits): for a
    reader that has them run elsewhere and asks for the verdict (apilint.document.aside)."""
    try:
        data = orjson.loads(raw)
        if not checked:
            return data, JsonLocator(raw, duplicate_keys=False)
        written = orjson.dumps(data)
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        return None
    if _BIG_FLOAT.search(written) or not same_members(raw, written):
        return None
    return data, JsonLocator(raw, duplicate_keys=False)


def load_json(text: str) -> tuple[Any, JsonLocator, list[KeyIssue]]:
    """JSON with its duplicate keys: JSON parsers disagree on which value wins (most keep the
    last, some the first, some reject the file). The stdlib parser with a pairs hook is the
    one that can see them."""
    duplicated: list[tuple[dict[str, Any], list[str]]] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        mapping = dict(pairs)
        if len(mapping) != len(pairs):
            counts = Counter(k for k, _ in pairs)
            duplicated.append((mapping, [k for k, n in counts.items() for _ in range(n - 1)]))
        return mapping

    parse_int = None
    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError:
        raise
    except ValueError:  # an integer past Python's int-from-text limit (4,300 digits)
        duplicated.clear()
        parse_int = _int_or_text
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_int=parse_int)
    locator = JsonLocator(text, parse_int, duplicate_keys=bool(duplicated))
    return data, locator, _duplicate_issues(data, duplicated, locator) if duplicated else []


def _int_or_text(digits: str) -> int | str:
    """Only called when a number is too long: the YAML loaders keep its text too (PyYAML's
    int() fails the same way), so both formats lint it the same."""
    try:
        return int(digits)
    except ValueError:
        return digits


def _duplicate_issues(
    data: Any, duplicated: list[tuple[dict[str, Any], list[str]]], locator: JsonLocator
) -> list[KeyIssue]:
    where: dict[int, Tokens] = {}
    wanted = {id(m) for m, _ in duplicated}
    stack: list[tuple[Tokens, Any]] = [((), data)]
    while stack and len(where) < len(wanted):
        tokens, node = stack.pop()
        if isinstance(node, dict):
            if id(node) in wanted:
                where[id(node)] = tokens
            stack.extend((tokens + (k,), v) for k, v in node.items() if isinstance(v, (dict, list)))
        elif isinstance(node, list):
            stack.extend(
                (tokens + (str(i),), v) for i, v in enumerate(node) if isinstance(v, (dict, list))
            )
    issues = []
    for mapping, keys in duplicated:
        tokens = where.get(id(mapping), ())
        for key in keys:
            issues.append(
                KeyIssue("duplicate-key", key, locator.span(tokens + (key,)), tokens + (key,))
            )
    return issues
