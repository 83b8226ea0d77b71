"""`apilint rules test DIR`: the safety net of built-in rules for an organisation's rules. Each
custom rule of DIR (a folder of rule files, or a pack) must raise on its bad example and stay
silent on its good one, and each fixture in `fixtures/<rule-name>/` beside the rule files must
yield exactly the (code, line) pairs its `# expect:` comments declare, as
tests/test_rule_fixtures.py holds the built-in rules to.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from apilint.common.errors import UsageError, warn
from apilint.common.escape import terminal_line
from apilint.custom.fixtures import SUFFIXES, expectations, fixture_options
from apilint.custom.loader import CustomRule
from apilint.engine.ruleset import rule_set
from apilint.engine.run import Settings, lint_path


@dataclass
class Outcome:
    rule: CustomRule
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _found(path: Path, settings: Settings) -> tuple[set[tuple[str, int]], str | None]:
    """(code, line) of the findings in `path`, or why it could not be linted."""
    results = lint_path(str(path), settings)
    for r in results:
        if r.error is not None:
            return set(), str(r.error)
        if r.skipped is not None:
            return set(), f"skipped: {r.skipped}"
        if r.crashes:
            return set(), r.crashes[0].error
    return {(f.code, f.line) for r in results for f in r.findings if f.file == str(path)}, None


def _examples(custom: CustomRule, settings: Settings, out: Outcome) -> None:
    rule = custom.rule
    with tempfile.TemporaryDirectory(prefix="apilint-rules-test-") as tmp:
        for kind, text in (("bad", rule.bad_example), ("good", rule.good_example)):
            path = Path(tmp) / f"{kind}-example.yaml"
            path.write_text(text, encoding="utf-8")
            found, problem = _found(path, settings)
            codes = {code for code, _ in found}
            if problem is not None:
                out.failed.append(f"{kind} example: {problem}")
            elif kind == "bad" and rule.code not in codes:
                out.failed.append("bad example: the rule reports nothing on it")
            elif kind == "good" and codes:
                lines = ", ".join(str(line) for _, line in sorted(found))
                out.failed.append(f"good example: the rule reports it (line {lines})")
            else:
                out.passed.append(f"{kind} example")


def _fixtures(custom: CustomRule, settings: Settings, out: Outcome) -> None:
    for path in custom.fixtures:
        if path.suffix not in SUFFIXES:
            continue
        name = f"fixtures/{custom.rule.name}/{path.name}"
        expected = expectations(path)
        if not expected and "clean" not in path.stem:
            out.failed.append(f"{name}: declares no `# expect:` (name a clean case *clean*)")
            continue
        options = {custom.rule.name: fixture_options(path)}
        found, problem = _found(path, _with(settings, options))
        if problem is not None:
            out.failed.append(f"{name}: {problem}")
        elif found != expected:
            missing = ", ".join(f"{c} at line {n}" for c, n in sorted(expected - found))
            extra = ", ".join(f"{c} at line {n}" for c, n in sorted(found - expected))
            parts = [
                f"missing {missing}" if missing else "",
                f"unexpected {extra}" if extra else "",
            ]
            out.failed.append(f"{name}: {'; '.join(p for p in parts if p)}")
        else:
            out.passed.append(name)


def _with(settings: Settings, options: dict[str, dict[str, object]]) -> Settings:
    from dataclasses import replace

    return replace(settings, options=options)


def check_rules(folder: Path) -> list[Outcome]:
    """The outcome of each custom rule of `folder` (UsageError for a malformed rule file)."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: not a folder of rule files")
    source = (str(folder.resolve()),)
    ruleset = rule_set(source)
    if not ruleset.custom:
        raise UsageError(f"{folder}: holds no rule files (*.yaml)")
    outcomes = []
    for custom in ruleset.custom:
        name = custom.rule.name
        settings = Settings(
            select=(name,), options={name: custom.rule.example_options}, custom=source
        )
        out = Outcome(custom)
        _examples(custom, settings, out)
        _fixtures(custom, settings, out)
        outcomes.append(out)
    return outcomes


def run_rule_tests(folder: str) -> int:
    """Print each rule's result; 0 when all pass, 1 when one fails, 2 for a broken rule file."""
    try:
        outcomes = check_rules(Path(folder))
    except UsageError as exc:
        warn(f"apilint: {exc.message}")
        return 2
    for out in outcomes:
        rule = out.rule.rule
        status = "FAIL" if out.failed else "ok  "
        sys.stdout.write(
            terminal_line(f"{status} {rule.code} ({rule.name}): {len(out.passed)} passed") + "\n"
        )
        for failure in out.failed:
            sys.stdout.write(terminal_line(f"     - {failure}") + "\n")
    failed = sum(1 for o in outcomes if o.failed)
    checks = sum(len(o.passed) + len(o.failed) for o in outcomes)
    sys.stdout.write(
        f"{len(outcomes)} rule(s), {checks} case(s): "
        + (f"{failed} rule(s) failed\n" if failed else "all passed\n")
    )
    return 1 if failed else 0
