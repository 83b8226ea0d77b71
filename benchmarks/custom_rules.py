"""Twenty custom rules for the benchmark (`run.py --custom-rules 20`): the mix a platform team
writes, half gateway selectors, half JSONPaths (three of them `$..` walks of the whole
document), every core function at least once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

BODIES: list[dict[str, Any]] = [
    {"given": {"methods": {}}, "then": {"field": "operationId", "function": "truthy"}},
    {"given": {"methods": {}}, "then": {"field": "tags", "function": "truthy"}},
    {
        "given": {"methods": {}},
        "then": {
            "field": "operationId",
            "function": "casing",
            "functionOptions": {"type": "camel"},
        },
    },
    {
        "given": {"methods": {}},
        "then": {"field": "summary", "function": "length", "functionOptions": {"max": 120}},
    },
    {
        "given": {"methods": {"where": {"verb": {"not": "OPTIONS"}}}},
        "then": {
            "fact": "auth",
            "function": "enumeration",
            "functionOptions": {"values": ["cognito", "iam", "lambda", "jwt"]},
        },
    },
    {
        "given": {"integrations": {"where": {"type": ["http", "http_proxy"]}}},
        "then": {"fact": "uri", "function": "pattern", "functionOptions": {"notMatch": "^http://"}},
    },
    {
        "given": {"integrations": {"where": {"type": ["aws", "aws_proxy"]}}},
        "then": {
            "fact": "function-account",
            "function": "enumeration",
            "functionOptions": {"values": ["123456789012"]},
        },
    },
    {
        "given": {"parameters": {"where": {"in": "query"}}},
        "then": {"field": "name", "function": "casing", "functionOptions": {"type": "snake"}},
    },
    {
        "given": {"resources": {}},
        "then": {"fact": "path", "function": "pattern", "functionOptions": {"match": "^/[a-z]"}},
    },
    {
        "given": {"api": {}},
        "then": {"fact": "title", "function": "length", "functionOptions": {"min": 3}},
    },
    {"given": "$.info", "then": {"field": "contact", "function": "truthy"}},
    {
        "given": "$.info",
        "then": {
            "function": "schema",
            "functionOptions": {"schema": {"required": ["title", "version"]}},
        },
    },
    {"given": "$.paths[*][*]", "then": {"field": "responses", "function": "truthy"}},
    {"given": "$..parameters[*]", "then": {"field": "description", "function": "truthy"}},
    {
        "given": "$.paths.*~",
        "then": {
            "function": "casing",
            "functionOptions": {"type": "kebab", "separator": {"char": "/", "allowLeading": True}},
        },
    },
    {
        "given": "$.tags",
        "then": {"function": "alphabetical", "functionOptions": {"keyedBy": "name"}},
    },
    {"given": "$.components.schemas[*]", "then": {"field": "type", "function": "defined"}},
    {"given": "$..properties[*]", "then": {"field": "description", "function": "truthy"}},
    {
        "given": "$.paths[*][?(@.deprecated == true)]",
        "then": {"field": "x-sunset", "function": "defined"},
    },
    {
        "given": "$..[?(@.type == 'object')]",
        "then": {
            "function": "or",
            "functionOptions": {"properties": ["properties", "additionalProperties"]},
        },
    },
]


def write_rules(folder: Path, count: int) -> None:
    """`count` rule files (the first `count` bodies, repeated past twenty) in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        name = f"bench-rule-{i + 1:02d}"
        rule = {
            "code": f"bench/{name}",
            "name": name,
            "severity": "info",
            "category": "benchmark",
            "tags": ["benchmark"],
            "summary": f"Benchmark rule {i + 1} of {count}.",
            "rationale": "Measures what a platform team's custom rules cost on large documents.",
            "fix": "Nothing to fix: a benchmark rule.",
            "references": [{"title": "Writing rules", "url": "https://example.com/writing-rules"}],
            "examples": {"bad": "openapi: 3.0.1 # benchmark", "good": "openapi: 3.0.1 # benchmark"},
            **BODIES[i % len(BODIES)],
        }
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(rule, sort_keys=False))
