"""Custom rule files: an organisation's rules, with the metadata of a built-in rule and either a
declarative body (`given` + `then`, apilint.custom.declarative) or a Python check (`check:
module:function`, apilint.custom.python).

A custom rule's code is a namespace and a name (`acme/every-method-cognito`) or a code of the
user range: letters other than AGW and three or four digits (`ACME001`); `AGW` codes are
apilint's. Every problem with a rule file (bad YAML, a schema violation, an unknown function,
an invalid JSONPath, an option of the wrong type) is a usage error naming the file and the field
(exit 2), raised when the rules load, before any definition is linted.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from apilint.catalog.registry import Rule, RuleDefinitionError, _parse, rules_dir
from apilint.checks import Check
from apilint.common.errors import LoadError
from apilint.common.files import read_text_bounded
from apilint.custom import CUSTOM_PREFIX
from apilint.custom.errors import rule_error

#: A custom rule's code: a namespaced name, or letters other than AGW and 3-4 digits. The
#: namespaces of apilint's own checks and of Spectral rulesets' rules are taken.
CODE_PATTERN = (
    r"^((?!(contract|probe|spectral)/)[a-z][a-z0-9-]*/[a-z0-9]+(-[a-z0-9]+)*"
    r"|(?!AGW[0-9])[A-Z][A-Z0-9]{0,7}[0-9]{3,4})$"
)
ALL_APIS = ["rest", "http"]
ALL_VERSIONS = ["2.0", "3.0", "3.1"]

_THEN = {
    "type": "object",
    "additionalProperties": False,
    "required": ["function"],
    "properties": {
        "field": {"type": "string", "minLength": 1},
        "fact": {"type": "string", "minLength": 1},
        "function": {"type": "string", "minLength": 1},
        "functionOptions": {},
        "functionOptionsFrom": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "function option -> the rule option (options:) that sets it",
        },
        "message": {"type": "string", "minLength": 1},
    },
    "not": {"required": ["field", "fact"]},
}


@lru_cache(maxsize=1)
def custom_schema() -> dict[str, Any]:
    """The built-in rule schema, with what differs for an organisation's rule: its code, any
    category, api and versions optional (default: all), no AWS evidence required (the rule
    states the organisation's policy, not API Gateway's), and the rule's body."""
    schema: dict[str, Any] = copy.deepcopy(
        json.loads((rules_dir() / "rule.schema.json").read_text("utf-8"))
    )
    schema["title"] = "apilint custom rule definition"
    props = schema["properties"]
    props["code"] = {"type": "string", "pattern": CODE_PATTERN}
    props["category"] = {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"}
    props["check"] = {
        "type": "string",
        "pattern": r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
        "description": "a Python rule: module:function, the check (api, options) -> violations",
    }
    props["given"] = {
        "oneOf": [
            {"type": "string"},
            {"type": "array", "minItems": 1, "items": {"type": "string"}},
            {"type": "object", "minProperties": 1, "maxProperties": 1},
        ]
    }
    props["then"] = {"oneOf": [_THEN, {"type": "array", "minItems": 1, "items": _THEN}]}
    props["message"] = {"type": "string", "minLength": 1}
    schema["required"] = [k for k in schema["required"] if k not in ("api", "versions", "needs")]
    schema.pop("if", None)
    schema.pop("then", None)
    schema["allOf"] = [
        {"oneOf": [{"required": ["given", "then"]}, {"required": ["check"]}]},
        {"not": {"required": ["check", "given"]}},
    ]
    return schema


@dataclass(frozen=True)
class CustomRule:
    rule: Rule
    check: Check
    #: The file the rule was read from (error messages, `rules test`).
    source: Path
    #: `# expect:` fixtures of the rule (`rules test`): files in fixtures/<name>/ beside it.
    fixtures: tuple[Path, ...] = field(default=())


def check_key(code: str) -> str:
    """The name a custom rule's check is registered under."""
    return CUSTOM_PREFIX + code


def read_rule_data(path: Path) -> dict[str, Any]:
    """A rule file's data, validated against custom_schema (UsageError naming file and field)."""
    from apilint.common.validate import compile_schema, iter_narrowed
    from apilint.document.loader import parse_strict

    try:
        data = parse_strict(read_text_bounded(path), str(path))
    except OSError as exc:
        raise rule_error(path, f"cannot read rule file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise rule_error(path, "rule file is not UTF-8 text") from None
    except LoadError as exc:
        raise rule_error(path, exc.message, exc.line) from None
    if not isinstance(data, dict):
        raise rule_error(path, "a rule file holds one mapping (code, name, ...)")
    problems = list(iter_narrowed(compile_schema(custom_schema()), data))
    if problems:
        where = "/".join(problems[0].path) or "(top level)"
        message = problems[0].message
        if problems[0].path == ("code",):
            message = (
                f"{data['code']!r} is not a custom rule code: a namespace and a name "
                "(acme/every-method-cognito; not contract/, probe/ or spectral/, which are "
                "apilint's) or letters other than AGW and 3-4 digits (ACME001)"
            )
        raise rule_error(path, f"{where}: {message}")
    return data


def parse_rule(path: Path, data: dict[str, Any]) -> CustomRule:
    """A CustomRule from validated data: its body compiled (declarative) or imported (Python)."""
    from apilint.custom.declarative import compile_rule
    from apilint.custom.python import import_check

    meta = {
        **data,
        "api": data.get("api", ALL_APIS),
        "versions": data.get("versions", ALL_VERSIONS),
        "needs": data.get("needs", default_needs(data)),
        "check": "custom_rule",
    }
    rule = _parse(meta)
    rule = _with_check(rule, check_key(rule.code))
    check = import_check(data["check"], path) if "check" in data else compile_rule(data, path)
    fixtures_dir = path.parent / "fixtures" / rule.name
    fixtures = tuple(sorted(fixtures_dir.glob("*"))) if fixtures_dir.is_dir() else ()
    return CustomRule(rule, check, path, fixtures)


#: What a gateway selector reads of the model (a rule file may say `needs:` itself).
_SELECTOR_NEEDS = {
    "methods": ("routes", "auth"),
    "integrations": ("routes", "integrations"),
    "authorizers": ("auth",),
    "resources": ("routes",),
    "parameters": ("routes",),
    "gateway-responses": ("settings",),
    "api": ("settings",),
}


def default_needs(data: dict[str, Any]) -> list[str]:
    """A rule that does not say what it reads: a gateway selector reads its part of the model
    (so it runs on APIs built from CloudFormation or Terraform resources too); a JSONPath or a
    Python check may read anything of the OpenAPI document."""
    given = data.get("given")
    if isinstance(given, dict) and len(given) == 1:
        (selector,) = given
        if selector in _SELECTOR_NEEDS:
            return list(_SELECTOR_NEEDS[selector])
    return ["document"]


def _with_check(rule: Rule, key: str) -> Rule:
    from dataclasses import replace

    return replace(rule, check=key)


def load_rule_file(path: Path) -> CustomRule:
    return parse_rule(path, read_rule_data(path))


def rule_files(folder: Path) -> list[Path]:
    """The rule files of a folder: its *.yaml/*.yml (a pack's `rules/` folder when it has one)."""
    if (folder / "rules").is_dir():
        folder = folder / "rules"
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_custom_rules(paths: Iterable[Path], builtin: Iterable[Rule]) -> tuple[CustomRule, ...]:
    """The custom rules of rule files and folders; a code or name that another rule (built-in
    or custom) uses already is an error naming both."""
    seen: dict[str, str] = {}
    for rule in builtin:
        seen[rule.code.lower()] = seen[rule.name] = "a built-in rule"
    out = []
    for path in paths:
        files = rule_files(path) if path.is_dir() else [path]
        for file in files:
            custom = load_rule_file(file)
            for ident in (custom.rule.code.lower(), custom.rule.name):
                if ident in seen:
                    raise rule_error(file, f"{ident} is already used by {seen[ident]}")
                seen[ident] = str(file)
            out.append(custom)
    return tuple(out)


__all__ = ["CustomRule", "RuleDefinitionError", "load_custom_rules", "load_rule_file"]
