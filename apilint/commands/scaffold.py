"""`apilint new-rule`: the three files a new rule starts from (CONTRIBUTING.md, "Adding a rule").

It writes `rules/NAME.yaml`, appends a check stub to the category's module in
`apilint/checks/` and writes `fixtures/rules/NAME/oas3-<api>.yaml`. Everything it writes is
valid and passes the rule-fixture and examples tests as it stands: the stub reports an
`x-todo-NAME` key, which the bad example and the fixture carry. The author then replaces the
stub, the examples, the fixture and every TODO text with the real thing.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

#: The module of apilint/checks/ that receives the stub, per category. Each is imported by
#: `apilint.checks.all_checks` (so the registry finds the stub) and already imports every name
#: the stub uses (Any, Iterator, Violation, check, Api).
MODULES = {
    "document": "document",
    "extensions": "extensions",
    "paths": "paths",
    "parameters": "parameters",
    "models": "models",
    "security": "security",
    "integrations": "integrations",
    "cors": "cors",
    "quotas": "quotas",
    "templates": "templates",
}
SEVERITIES = ("error", "warning", "info")
APIS = ("rest", "http")
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_CODE = re.compile(r"AGW[0-9]{3}")
_RULE_CODE = re.compile(r"^code:\s*['\"]?(AGW[0-9]{3})", re.MULTILINE)


class ScaffoldError(Exception):
    """A request the scaffold refuses (one line, exit code 2)."""


@dataclass(frozen=True)
class NewRule:
    name: str
    code: str
    category: str
    severity: str
    api: tuple[str, ...]

    @property
    def function(self) -> str:
        return self.name.replace("-", "_")

    @property
    def todo_key(self) -> str:
        return f"x-todo-{self.name}"


def default_root() -> Path:
    """The source checkout this apilint runs from (an installed wheel has no rules/ to add to)."""
    return Path(__file__).resolve().parent.parent.parent


def validate(rule: NewRule, root: Path) -> None:
    """Refuse malformed values and a name, code or check function that already exists."""
    if not _NAME.fullmatch(rule.name):
        raise ScaffoldError(f"rule name {rule.name!r} must be lower-case words joined by '-'")
    if not _CODE.fullmatch(rule.code):
        raise ScaffoldError(f"rule code {rule.code!r} must be AGW followed by three digits")
    if rule.category not in MODULES:
        raise ScaffoldError(f"unknown category {rule.category!r} (choose {', '.join(MODULES)})")
    if rule.severity not in SEVERITIES:
        raise ScaffoldError(f"unknown severity {rule.severity!r} (choose {', '.join(SEVERITIES)})")
    if not rule.api or any(a not in APIS for a in rule.api):
        raise ScaffoldError(f"--api {','.join(rule.api)!r} must name rest, http or both")
    rules = root / "rules"
    if not (rules / "rule.schema.json").is_file():
        raise ScaffoldError(f"{root} is not an apilint source checkout (no rules/rule.schema.json)")
    if (rules / f"{rule.name}.yaml").exists():
        raise ScaffoldError(f"rule name {rule.name!r} exists already (rules/{rule.name}.yaml)")
    for path in sorted(rules.glob("*.yaml")):
        m = _RULE_CODE.search(path.read_text(encoding="utf-8"))
        if m and m.group(1) == rule.code:
            raise ScaffoldError(f"rule code {rule.code} exists already (rules/{path.name})")
    if (root / "fixtures" / "rules" / rule.name).exists():
        raise ScaffoldError(f"fixtures/rules/{rule.name}/ exists already")
    definition = re.compile(rf"^def {rule.function}\(", re.MULTILINE)
    for path in sorted((root / "apilint" / "checks").glob("*.py")):
        if definition.search(path.read_text(encoding="utf-8")):
            raise ScaffoldError(
                f"check function {rule.function} exists already (apilint/checks/{path.name})"
            )


def _definition(rule: NewRule, todo: bool, indent: str) -> str:
    """A minimal OpenAPI 3.0 definition of the rule's first API type, with the stub's key."""
    lines = ["openapi: 3.0.1", 'info: {title: todo, version: "1"}']
    if rule.api[0] == "http":  # a root key only HTTP APIs have makes the API an HTTP API
        lines.append('x-amazon-apigateway-cors: {allowOrigins: ["https://example.com"]}')
    if todo:
        lines.append(
            f"{rule.todo_key}: replace this example with a definition that has the problem"
        )
    lines.append("paths: {}")
    return "".join(f"{indent}{line}\n" for line in lines)


def rule_yaml(rule: NewRule) -> str:
    evidence = ""
    if rule.severity == "error":
        evidence = (
            "evidence:\n"
            '  - quote: "TODO: the AWS error message or documentation sentence that shows API '
            'Gateway rejects this, verbatim"\n'
            '    source: {title: "TODO: where the quote comes from", '
            "url: https://docs.aws.amazon.com/apigateway/latest/developerguide/}\n"
        )
    return (
        f"code: {rule.code}\n"
        f"name: {rule.name}\n"
        f"severity: {rule.severity}\n"
        f"category: {rule.category}\n"
        f"api: [{', '.join(rule.api)}]\n"
        'versions: ["2.0", "3.0", "3.1"]\n'
        "# TODO: what the check reads (rule.schema.json); without `document` it also runs on APIs\n"
        "# built from CloudFormation/Terraform resources\n"
        "needs: [document]\n"
        "tags: [todo]\n"
        'summary: "TODO: one line: what is wrong and what API Gateway does with it."\n'
        "rationale: >\n"
        "  TODO: why it matters on API Gateway (the AWS message or documentation sentence), and\n"
        "  exactly what the rule reports. Replace the stub check, the examples and the fixture\n"
        f"  that `apilint new-rule` wrote (they only carry the {rule.todo_key} key).\n"
        "fix: >\n"
        "  TODO: what to change in the definition, with a short example.\n"
        "references:\n"
        '  - title: "TODO: the AWS documentation page or issue thread"\n'
        "    url: https://docs.aws.amazon.com/apigateway/latest/developerguide/\n"
        f"{evidence}"
        "examples:\n"
        "  bad: |\n"
        f"{_definition(rule, True, '    ')}"
        "  good: |\n"
        f"{_definition(rule, False, '    ')}"
    )


def check_stub(rule: NewRule) -> str:
    return (
        "\n\n@check\n"
        f"def {rule.function}(api: Api, options: dict[str, Any]) -> Iterator[Violation]:\n"
        f'    """TODO({rule.name}): the real check. This stub from `apilint new-rule` reports the\n'
        f'    `{rule.todo_key}` key that the scaffolded examples and fixture carry."""\n'
        f'    at = api.root.child("{rule.todo_key}")\n'
        "    if at is not None:\n"
        f'        yield Violation(at.doc, at.tokens, "TODO({rule.name}): name the offending "\n'
        '                                           "value and the place, then the fix")\n'
    )


def fixture(rule: NewRule) -> str:
    text = _definition(rule, True, "")
    key_line = f"{rule.todo_key}:"
    return (
        f"# TODO({rule.name}): replace with real cases, an expect comment on the line above\n"
        "# each expected finding (CONTRIBUTING.md, Fixtures).\n"
        + text.replace(key_line, f"# expect: {rule.code}\n{key_line}", 1)
    )


def scaffold(rule: NewRule, root: Path) -> list[Path]:
    """Write the rule's files under `root`; returns them in the order written."""
    validate(rule, root)
    rule_file = root / "rules" / f"{rule.name}.yaml"
    module = root / "apilint" / "checks" / f"{MODULES[rule.category]}.py"
    fixture_dir = root / "fixtures" / "rules" / rule.name
    fixture_file = fixture_dir / f"oas3-{rule.api[0]}.yaml"
    rule_file.write_text(rule_yaml(rule), encoding="utf-8")
    source = module.read_text(encoding="utf-8")
    module.write_text(source.rstrip("\n") + "\n" + check_stub(rule), encoding="utf-8")
    fixture_dir.mkdir(parents=True)
    fixture_file.write_text(fixture(rule), encoding="utf-8")
    return [rule_file, module, fixture_file]


def run_new_rule(rule: NewRule, root: Path | None) -> int:
    base = root if root is not None else default_root()
    try:
        written = scaffold(rule, base)
    except ScaffoldError as exc:
        sys.stderr.write(f"apilint: new-rule: {exc}\n")
        return 2
    for path in written:
        sys.stdout.write(f"wrote {path.relative_to(base)}\n")
    sys.stdout.write(
        "next: replace every TODO and the x-todo key (CONTRIBUTING.md, "
        "'Adding a rule'), then run `python -m apilint.catalog.docs`\n"
    )
    return 0
