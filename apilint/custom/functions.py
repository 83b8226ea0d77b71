"""The assertion functions of custom rules, with Spectral's names, options and semantics
(@stoplight/spectral-functions 1.11): `truthy`, `falsy`, `defined`, `undefined`, `pattern`,
`enumeration`, `length`, `casing`, `alphabetical`, `schema`, `xor`, `or`.

Each is `(value, options, context) -> list[Problem]`; a Problem's path is relative to the value
(empty: the value itself). As in Spectral, a function whose input is of a type it does not take
(`pattern` on a number, `casing` on an empty string) reports nothing, and truthiness is
JavaScript's (`{}` and `[]` are truthy; `0`, `""`, `null` and a missing value are not).
Options are checked against each function's JSON Schema when a rule loads (`options_problem`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

#: A missing value (Spectral's `undefined`): a `field` the given node does not have.
MISSING: Any = type("Missing", (), {"__repr__": lambda self: "undefined"})()

PathPart = str | int

#: Spectral's placeholders in function messages: the property's name and a space (nothing
#: when the value has no name), and the value as printValue prints it.
PROPERTY = '#{{print("property")}}'
VALUE = '#{{print("value")}}'


@dataclass(frozen=True)
class Problem:
    message: str
    path: tuple[PathPart, ...] = ()


@dataclass(frozen=True)
class Context:
    """What a function may need besides the value: the whole document and the value's place."""

    root: Any = None
    path: tuple[PathPart, ...] = ()


Function = Callable[[Any, Any, Context], list[Problem]]


@dataclass(frozen=True)
class Spec:
    run: Function
    #: JSON Schema of the options; None: the function takes none (Spectral's `null`).
    options: dict[str, Any] | None = None
    #: The input types it reads (JSON Schema type names); None: any value, even a missing one.
    takes: tuple[str, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def js_truthy(value: Any) -> bool:
    """JavaScript's truthiness: only false, 0, NaN, "", null and undefined are falsy."""
    if value is MISSING or value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0  # NaN != NaN
    return bool(value != "")


def json_type(value: Any) -> str:
    if value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "unknown"


def print_value(value: Any) -> str:
    """Spectral's printValue: strings quoted, the rest as JSON."""
    if isinstance(value, str):
        return json.dumps(value)
    if value is MISSING:
        return "undefined"
    try:
        return json.dumps(value)
    except (TypeError, ValueError):
        return str(value)


def _truthy(value: Any, _options: Any, _ctx: Context) -> list[Problem]:
    return [] if js_truthy(value) else [Problem(PROPERTY + "must be truthy")]


def _falsy(value: Any, _options: Any, _ctx: Context) -> list[Problem]:
    return [Problem(PROPERTY + "must be falsy")] if js_truthy(value) else []


def _defined(value: Any, _options: Any, _ctx: Context) -> list[Problem]:
    return [Problem(PROPERTY + "must be defined")] if value is MISSING else []


def _undefined(value: Any, _options: Any, _ctx: Context) -> list[Problem]:
    return [] if value is MISSING else [Problem(PROPERTY + "must be undefined")]


_JS_REGEX = re.compile(r"^/(.+)/([a-z]*)$", re.DOTALL)
_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "u": 0, "g": 0, "y": 0}


@lru_cache(maxsize=512)
def js_regex(pattern: str) -> re.Pattern[str]:
    """A Spectral pattern (`^x-` or `/^x-/i`) as a Python regex; ValueError when Python cannot
    read it (a JavaScript-only construct)."""
    source, flags = pattern, 0
    m = _JS_REGEX.match(pattern)
    if m is not None:
        source = m.group(1)
        for flag in m.group(2):
            if flag not in _FLAGS:
                raise ValueError(f"unknown regular expression flag {flag!r}")
            flags |= _FLAGS[flag]
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None


def _pattern(value: str, options: dict[str, str], _ctx: Context) -> list[Problem]:
    out = []
    if "match" in options and not js_regex(options["match"]).search(value):
        out.append(Problem(VALUE + f" must match the pattern {print_value(options['match'])}"))
    if "notMatch" in options and js_regex(options["notMatch"]).search(value):
        out.append(
            Problem(VALUE + f" must not match the pattern {print_value(options['notMatch'])}")
        )
    return out


def _same(a: Any, b: Any) -> bool:
    """JavaScript's ===, for primitives: true is not 1."""
    return json_type(a) == json_type(b) and a == b


def _enumeration(value: Any, options: dict[str, Any], _ctx: Context) -> list[Problem]:
    values = options["values"]
    if any(_same(value, v) for v in values):
        return []
    allowed = ", ".join(print_value(v) for v in values)
    return [Problem(VALUE + f" must be equal to one of the allowed values: {allowed}")]


def _length(value: Any, options: dict[str, Any], _ctx: Context) -> list[Problem]:
    size = value if json_type(value) == "number" else len(value)
    out = []
    if "min" in options and size < options["min"]:
        out.append(Problem(PROPERTY + f"must be longer than {print_value(options['min'])}"))
    if "max" in options and size > options["max"]:
        out.append(Problem(PROPERTY + f"must be shorter than {print_value(options['max'])}"))
    return out


CASES = {
    "flat": "[a-z][a-z{D}]*",
    "camel": "[a-z][a-z{D}]*(?:[A-Z{D}](?:[a-z{D}]+|$))*",
    "pascal": "[A-Z][a-z{D}]*(?:[A-Z{D}](?:[a-z{D}]+|$))*",
    "kebab": "[a-z][a-z{D}]*(?:-[a-z{D}]+)*",
    "cobol": "[A-Z][A-Z{D}]*(?:-[A-Z{D}]+)*",
    "snake": "[a-z][a-z{D}]*(?:_[a-z{D}]+)*",
    "macro": "[A-Z][A-Z{D}]*(?:_[A-Z{D}]+)*",
}


@lru_cache(maxsize=64)
def _casing_regex(kind: str, no_digits: bool, sep: str | None, leading: bool) -> re.Pattern[str]:
    # `$` inside the groups is JavaScript's end of input: Python's \Z.
    base = CASES[kind].replace("{D}", "" if no_digits else "0-9").replace("$", r"\Z")
    if sep is None:
        return re.compile(rf"^{base}\Z")
    part = f"[{re.escape(sep)}]"
    return re.compile(rf"^{part + '?' if leading else ''}{base}(?:{part}{base})*\Z")


def _casing(value: str, options: dict[str, Any], _ctx: Context) -> list[Problem]:
    sep = options.get("separator")
    char, leading = (sep["char"], sep.get("allowLeading") is True) if sep else (None, False)
    if len(value) == 1 and leading and value == char:
        return []
    regex = _casing_regex(options["type"], options.get("disallowDigits") is True, char, leading)
    return [] if regex.match(value) else [Problem(f"must be {options['type']} case")]


def _js_number(value: Any) -> float | None:
    """JavaScript's Number(value), None for NaN."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return 0.0
        try:
            return float(text)
        except ValueError:
            return None
    return None


def _locale_key(text: str) -> tuple[str, str]:
    # localeCompare's root collation, near enough: letters before case, lower case first.
    return (text.casefold(), text.swapcase())


def _compare(a: Any, b: Any) -> int:
    """Spectral's alphabetical comparison, condition for condition (numbers by value, strings
    by locale)."""
    na, nb = _js_number(a), _js_number(b)
    if (json_type(a) == "number" or na is None) and (json_type(b) == "number" or nb is not None):
        if na is None or nb is None:
            return 0  # NaN - x: JavaScript's comparison yields NaN, never >= 1
        return max(-1, min(1, int(na - nb) if na - nb == int(na - nb) else (1 if na > nb else -1)))
    if not isinstance(a, str) or not isinstance(b, str):
        return 0
    ka, kb = _locale_key(a), _locale_key(b)
    return (ka > kb) - (ka < kb)


def _alphabetical(value: Any, options: dict[str, Any] | None, _ctx: Context) -> list[Problem]:
    items = list(value) if isinstance(value, list) else list(value.keys())
    if len(items) < 2:
        return []
    keyed_by = (options or {}).get("keyedBy")
    if keyed_by is not None:
        if not all(isinstance(i, dict) for i in items):
            return [Problem(PROPERTY + "must be an object")]
        items = [i.get(keyed_by, MISSING) for i in items]
    if not all(json_type(i) in ("string", "number") for i in items):
        return [Problem(PROPERTY + "must be one of the allowed types: number, string")]
    for i in range(len(items) - 1):
        if _compare(items[i], items[i + 1]) >= 1:
            if keyed_by is not None:
                return [Problem("properties must follow the alphabetical order")]
            where: PathPart = i if isinstance(value, list) else items[i]
            return [
                Problem(
                    f"{print_value(items[i])} must be placed after {print_value(items[i + 1])}",
                    (where,),
                )
            ]
    return []


DIALECTS = {
    "draft4": "http://json-schema.org/draft-04/schema#",
    "draft6": "http://json-schema.org/draft-06/schema#",
    "draft7": "http://json-schema.org/draft-07/schema#",
    "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def _schema(value: Any, options: dict[str, Any], _ctx: Context) -> list[Problem]:
    from apilint.common.validate import narrow

    if value is MISSING:
        return [Problem(PROPERTY + "must exist")]
    errors = _validator_of(options).errors(value)
    if not options.get("allErrors"):
        errors = errors[:1]
    return [Problem(narrow(e).message, tuple(narrow(e).path)) for e in errors]


#: The validator of each rule's options, by the options' identity: a rule calls `schema` on
#: every node it selects, and its options (one dict per rule) outlive the run; serialising them
#: for the cache key below cost more than validating a small node.
_BY_OPTIONS: dict[int, tuple[dict[str, Any], Any]] = {}


def _validator_of(options: dict[str, Any]) -> Any:
    known = _BY_OPTIONS.get(id(options))
    if known is not None and known[0] is options:
        return known[1]
    validator = _validator(json.dumps(options["schema"]), options.get("dialect", "auto"))
    if len(_BY_OPTIONS) >= 256:  # rules re-read by a long-running server
        _BY_OPTIONS.clear()
    _BY_OPTIONS[id(options)] = (options, validator)
    return validator


@lru_cache(maxsize=128)
def _validator(schema_json: str, dialect: str) -> Any:
    from apilint.common.validate import compile_schema

    schema = json.loads(schema_json)
    if dialect in DIALECTS and isinstance(schema, dict):
        schema = {**schema, "$schema": DIALECTS[dialect]}
    elif isinstance(schema, dict) and "$schema" not in schema:
        schema = {**schema, "$schema": DIALECTS["draft7"]}  # Spectral's default dialect
    return compile_schema(schema)


def _some_of(properties: list[str]) -> str:
    if len(properties) > 4:
        more = f"{len(properties) - 3} other properties must be defined"
        return 'At least one of "' + '" or "'.join(properties[:3]) + '" or ' + more
    return 'At least one of "' + '" or "'.join(properties) + '" must be defined'


def _or(value: dict[str, Any], options: dict[str, Any], _ctx: Context) -> list[Problem]:
    wanted = options["properties"]
    if len(wanted) < 2:
        return []
    present = [k for k in value if k in wanted]
    return [] if present else [Problem(_some_of(wanted))]


def _xor(value: dict[str, Any], options: dict[str, Any], _ctx: Context) -> list[Problem]:
    wanted = options["properties"]
    if len(wanted) < 2:
        return []
    present = [k for k in value if k in wanted]
    if not present:
        return [Problem(_some_of(wanted))]
    if len(present) > 1:
        return [Problem('Just one of "' + '" and "'.join(present) + '" must be defined')]
    return []


def _object(properties: dict[str, Any], required: tuple[str, ...] = (), **more: Any) -> Any:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        **more,
    }


_REGEX = {"type": "string", "x-regex": True}
_PROPERTIES = {"type": "array", "items": {"type": "string"}, "minItems": 2}

FUNCTIONS: dict[str, Spec] = {
    "truthy": Spec(_truthy),
    "falsy": Spec(_falsy),
    "defined": Spec(_defined),
    "undefined": Spec(_undefined),
    "pattern": Spec(
        _pattern, _object({"match": _REGEX, "notMatch": _REGEX}, minProperties=1), ("string",)
    ),
    "enumeration": Spec(
        _enumeration,
        _object(
            {
                "values": {
                    "type": "array",
                    "items": {"type": ["string", "number", "null", "boolean"]},
                }
            },
            ("values",),
        ),
        ("string", "number", "null", "boolean"),
    ),
    "length": Spec(
        _length,
        _object({"min": {"type": "number"}, "max": {"type": "number"}}, minProperties=1),
        ("array", "object", "string", "number"),
    ),
    "casing": Spec(
        _casing,
        _object(
            {
                "type": {"enum": list(CASES)},
                "disallowDigits": {"type": "boolean"},
                "separator": _object(
                    {
                        "char": {"type": "string", "maxLength": 1},
                        "allowLeading": {"type": "boolean"},
                    },
                    ("char",),
                ),
            },
            ("type",),
        ),
        ("string",),
    ),
    "alphabetical": Spec(
        _alphabetical,
        {
            "type": ["object", "null"],
            "properties": {"keyedBy": {"type": "string"}},
            "additionalProperties": False,
        },
        ("object", "array"),
    ),
    "schema": Spec(
        _schema,
        _object(
            {
                "schema": {"type": "object"},
                "dialect": {"enum": ["auto", *DIALECTS]},
                "allErrors": {"type": "boolean"},
            },
            ("schema",),
        ),
    ),
    "xor": Spec(_xor, _object({"properties": _PROPERTIES}, ("properties",)), ("object",)),
    "or": Spec(_or, _object({"properties": _PROPERTIES}, ("properties",)), ("object",)),
}


def options_problem(name: str, options: Any) -> str | None:
    """Why `options` do not suit the function `name` (unknown function, wrong type, a pattern
    Python cannot read), or None when they do."""
    from apilint.common.validate import compile_schema, narrow

    spec = FUNCTIONS.get(name)
    if spec is None:
        return f"unknown function {name!r} (known: {', '.join(sorted(FUNCTIONS))})"
    if spec.options is None:
        return None if options is None else f"{name} takes no functionOptions"
    errors = compile_schema(spec.options).errors(options)
    if errors:
        error = narrow(errors[0])
        where = "/".join(error.path)
        return f"{where + ': ' if where else ''}{error.message}"
    for key in ("match", "notMatch"):
        if name == "pattern" and key in options:
            try:
                js_regex(options[key])
            except ValueError as exc:
                return f"{key}: {exc}"
    if name == "schema":
        try:
            _validator(json.dumps(options["schema"]), options.get("dialect", "auto"))
        except Exception as exc:  # noqa: BLE001 - any schema the validator refuses
            return f"schema: not a valid JSON Schema ({exc})"
    return None


def apply(name: str, value: Any, options: Any, context: Context) -> list[Problem]:
    """Run a function on a value; a value of a type the function does not take passes, as in
    Spectral (createRulesetFunction's input schema)."""
    spec = FUNCTIONS[name]
    if spec.takes is not None:
        if json_type(value) not in spec.takes:
            return []
        if name == "casing" and value == "":
            return []
    return spec.run(value, options if options is not None else {}, context)
