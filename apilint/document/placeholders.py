"""Template placeholders: `${name}` (Terraform templatefile, CloudFormation Fn::Sub, stage
variables). A placeholder is an unknown value — never a malformed one."""

from __future__ import annotations

import re

from apilint.common.regex import lazy

PLACEHOLDER = re.compile(r"\$\{[^{}]*\}")
#: A character no real ARN or URL holds, standing in for "any text".
UNKNOWN = "\ue000"


def has_placeholder(value: object) -> bool:
    return isinstance(value, str) and "${" in value and PLACEHOLDER.search(value) is not None


def is_placeholder(value: object) -> bool:
    return isinstance(value, str) and PLACEHOLDER.fullmatch(value.strip()) is not None


def mask(value: str) -> str:
    """Replace every placeholder with UNKNOWN so grammars can treat it as a wildcard."""
    return PLACEHOLDER.sub(UNKNOWN, value)


_JSON_TOKEN = lazy(r'"(?:[^"\\]|\\.)*"|(\$\{[^{}"]*\})', re.S)


def quote_bare_json_placeholders(text: str) -> str:
    """`"timeout": ${t}` is not JSON until rendered; quote bare placeholders so it parses.

    Only lines holding a bare placeholder shift (by two columns); line numbers never change.
    """

    def repl(m: re.Match[str]) -> str:
        return f'"{m.group(1)}"' if m.group(1) else m.group(0)

    return _JSON_TOKEN().sub(repl, text)
