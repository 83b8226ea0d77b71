"""Whether a JSON parser that keeps one value of a repeated key (orjson; the stdlib without a
pairs hook) lost a member to one: checked on the parsed data, written back by orjson, at C
speed (a pairs hook builds each map in Python; a walk of the data costs as much again)."""

from __future__ import annotations

import re
from typing import Any

import orjson

#: A comma spelt as an escape: orjson's output holds it as a comma (see same_members).
_ESCAPED_COMMA = re.compile(rb"\\u002[cC]")
_ESCAPED_COMMA_TEXT = re.compile(_ESCAPED_COMMA.pattern.decode())


def no_key_repeated(text: str, data: Any) -> bool:
    """Whether `data`, parsed from the JSON `text` by a parser that keeps one value of a
    repeated key without a word, lost no member to one (see same_members). False also when
    orjson cannot write the data back (an integer past 64 bits): the caller cannot tell."""
    try:
        written = orjson.dumps(data)
    except orjson.JSONEncodeError:
        return False
    return same_members(text, written)


def same_members(raw: str | bytes, written: bytes) -> bool:
    """Whether no member was lost to a repeated key. Written back, the data holds the same
    strings (raw commas in them stay commas) and one comma fewer for each member dropped, and
    fewer still for the commas inside the dropped values; an escaped comma becomes a raw one
    and could hide a drop, so it sends the text to the stdlib path too."""
    if isinstance(raw, str):
        return raw.count(",") == written.count(b",") and not _ESCAPED_COMMA_TEXT.search(raw)
    return raw.count(b",") == written.count(b",") and not _ESCAPED_COMMA.search(raw)
