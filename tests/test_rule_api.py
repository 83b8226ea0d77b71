"""What a rule file must hold and how it finds its check: `check:` defaults to the rule's name,
engine-made rules have none, check modules are discovered, kinds and scopes are typed, and the
option bundles of the commands are keyword-only."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import get_args

import pytest
import yaml
from helpers import PITFALLS, ROOT, run

from apilint.catalog.registry import (
    ApiKind,
    Rule,
    RuleDefinitionError,
    Scope,
    Version,
    default_check,
    find_rule,
    load_rules,
)
from apilint.checks import CHECKS, all_checks, checks_for

CHECKS_DIR = ROOT / "apilint" / "checks"


@pytest.fixture
def rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the rule files to edit, with a private catalog cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", copy, ignore=shutil.ignore_patterns("catalog.json"))
    return copy


def _rule_files() -> list[tuple[Path, dict]]:
    return [
        (p, yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted((ROOT / "rules").glob("*.yaml"))
    ]


def test_check_defaults_to_the_rule_name_and_check_names_another(rules: Path) -> None:
    assert find_rule("method-unauthenticated").check == "method_unauthenticated"
    source = rules / "method-unauthenticated.yaml"
    source.write_text(
        source.read_text().replace("category: ", "check: other_function\ncategory: ", 1)
    )
    assert find_rule("AGW301", load_rules(rules)).check == "other_function"


def test_no_rule_file_spells_out_the_default_check() -> None:
    # `check:` is for a check named otherwise; repeating the default is noise a scaffold copies.
    repeated = [
        p.name for p, data in _rule_files() if data.get("check") == default_check(data["name"])
    ]
    assert repeated == []


def test_engine_made_rules_have_no_check_function() -> None:
    engine = {r.code: r.check for r in load_rules() if r.scope == "engine"}
    assert engine == {"AGW901": "", "AGW902": ""}
    assert not {"unused_suppression", "invalid_suppression"} & set(all_checks())
    # ... and every other rule has one (the engine refuses the rules otherwise).
    assert checks_for(load_rules()) is all_checks()


def test_the_schema_refuses_a_check_on_an_engine_rule(rules: Path) -> None:
    source = rules / "unused-suppression.yaml"
    source.write_text(
        source.read_text().replace("scope: engine\n", "scope: engine\ncheck: unused_suppression\n")
    )
    with pytest.raises(RuleDefinitionError, match=r"^unused-suppression\.yaml: "):
        load_rules(rules)


def test_every_check_module_is_discovered() -> None:
    # No list to forget: a new module in apilint/checks registers its checks by being there.
    modules = {p.stem for p in CHECKS_DIR.glob("*.py")} - {"__init__"}
    assert {fn.__module__.rsplit(".", 1)[1] for fn in all_checks().values()} == modules


def test_a_rule_whose_check_is_missing_fails_at_load_naming_the_rule(rules: Path) -> None:
    source = rules / "lambda-uri-invalid.yaml"
    source.write_text(
        source.read_text().replace("category: ", "check: no_such_check\ncategory: ", 1)
    )
    with pytest.raises(RuleDefinitionError) as raised:
        checks_for(load_rules(rules))
    assert str(raised.value).startswith(
        "lambda-uri-invalid.yaml: rule AGW401 (lambda-uri-invalid) runs the check "
        "'no_such_check', which no module in apilint/checks defines"
    )


def test_a_missing_check_stops_lint_with_one_line(capsys, monkeypatch) -> None:
    monkeypatch.delitem(CHECKS, "lambda_uri_invalid")
    monkeypatch.delenv("APILINT_DEBUG", raising=False)
    code, _, err = run(capsys, "lint", str(PITFALLS), "-q")
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith(
        "apilint: internal error (RuleDefinitionError: lambda-uri-invalid.yaml: "
    )
    assert (
        "rule AGW401 (lambda-uri-invalid) runs the check 'lambda_uri_invalid', which no "
        "module in apilint/checks defines" in lines[0]
    )


def test_kinds_versions_and_scopes_are_the_schema_enums() -> None:
    # The Literal types are what the schema lets a rule file say: one list to extend.
    schema = json.loads((ROOT / "rules" / "rule.schema.json").read_text())["properties"]
    assert list(get_args(ApiKind)) == schema["api"]["items"]["enum"]
    assert list(get_args(Version)) == schema["versions"]["items"]["enum"]
    assert list(get_args(Scope)) == schema["scope"]["enum"]
    assert {r.scope for r in load_rules()} == {
        "definition",
        "template",
        "account",
        "drift",
        "engine",
    }


def _option_classes() -> list[type]:
    from apilint.commands.account import AccountOptions
    from apilint.commands.lint import Options
    from apilint.commands.serve import ServeOptions
    from apilint.commands.test import TestOptions

    return [AccountOptions, Options, ServeOptions, TestOptions]


@pytest.mark.parametrize("cls", _option_classes(), ids=lambda c: c.__name__)
def test_option_bundles_are_keyword_only_and_frozen(cls: type) -> None:
    fields = dataclasses.fields(cls)
    assert fields and all(f.kw_only for f in fields)
    required = {
        f.name: "x"
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    with pytest.raises(TypeError):
        cls(*required.values(), None)  # one positional argument too many for any field
    made = cls(**required)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[-1].name, None)


def test_test_command_builds_its_options_by_name(capsys, monkeypatch) -> None:
    # Each flag lands in its own field (positional construction swapped neighbours silently).
    import apilint.commands.test as command

    seen = []
    monkeypatch.setattr(command, "run_test", lambda options: seen.append(options) or 0)
    code, _, err = run(
        capsys,
        "test",
        "api.yaml",
        "--base-url",
        "https://example.com/prod",
        "--api-key",
        "k",
        "--bearer",
        "b",
        "--header",
        "X-A: 1",
        "--sigv4",
        "--region",
        "eu-west-1",
        "--seed",
        "7",
        "--max-examples",
        "3",
        "--max-time",
        "9",
        "--request-timeout",
        "4",
        "--rate-limit",
        "5/s",
        "--mode",
        "negative",
        "--no-fuzz",
        "--lint",
        "--fail-on",
        "error",
        "--api-type",
        "http",
        "-q",
        "--select",
        "probe/",
        "--ignore",
        "fuzz/x",
    )
    assert code == 0, err
    [got] = seen
    assert {f.name: getattr(got, f.name) for f in dataclasses.fields(got)} == {
        "spec": "api.yaml",
        "base_url": "https://example.com/prod",
        "formats": ["text"],
        "api_key": "k",
        "bearer": "b",
        "headers": ("X-A: 1",),
        "sigv4": True,
        "region": "eu-west-1",
        "seed": 7,
        "max_examples": 3,
        "max_time": 9.0,
        "request_timeout": 4.0,
        "rate_limit": "5/s",
        "mode": "negative",
        "fuzz": False,
        "probes": True,
        "lint": True,
        "fail_on": "error",
        "api_type": "http",
        "quiet": True,
        "colour": False,
        "serve": False,
        "serve_handlers": None,
        "stage": None,
        "stage_vars": (),
        "api_id": None,
        "select": ("probe/",),
        "ignore": ("fuzz/x",),
    }


def test_a_suppression_of_an_engine_rule_is_judged_like_any_other(tmp_path: Path, capsys) -> None:
    # Engine rules run no check, yet they ran: an entry naming one that silences nothing is idle.
    api = tmp_path / "api.yaml"
    api.write_text(
        'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n'
        "      x-apilint-ignore: [AGW902]\n"
        '      responses: {"200": {description: ok}}\n'
    )
    code, out, _ = run(
        capsys, "lint", str(api), "--select", "AGW901,AGW902", "-f", "json", "--fail-on", "warning"
    )
    assert code == 1
    assert {
        (r["code"], r["line"], r["message"].split(";")[0]) for r in json.loads(out)["results"]
    } == {
        (
            "AGW901",
            6,
            "x-apilint-ignore names AGW902 (invalid-suppression) but it silences nothing here",
        )
    }


def test_files_of_the_checks_folder_that_are_no_modules_are_not_imported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An editor's lock file (`.#models.py`) or macOS metadata (`._paths.py`) beside the checks
    # made every lint an internal error ("No module named 'apilint.checks.'").
    import os

    import apilint.checks as checks

    listed = os.listdir

    def with_strays(path: str) -> list[str]:
        return [*listed(path), ".#models.py", "._paths.py", "notes.txt"]

    monkeypatch.setattr(os, "listdir", with_strays)
    assert checks._imported.__wrapped__(frozenset()) is CHECKS


def test_each_scoped_rules_check_lives_in_its_scopes_module() -> None:
    # A run without an account or a stage's export never imports those modules, nor checks
    # their rules: a check of theirs defined elsewhere (or one of theirs missing) would only
    # show in such a run.
    from apilint.checks import SCOPE_MODULES

    checks = all_checks()
    where = {
        r.code: (checks[r.check].__module__, f"apilint.checks.{SCOPE_MODULES[r.scope]}")
        for r in load_rules()
        if r.scope in SCOPE_MODULES
    }
    assert where and all(module == wanted for module, wanted in where.values()), where
    definition = {checks[r.check].__module__ for r in load_rules() if r.scope == "definition"}
    assert not definition & {f"apilint.checks.{m}" for m in SCOPE_MODULES.values()}


def test_each_catalog_rule_is_made_as_its_init_would_make_it() -> None:
    # registry._parse makes rules with Rule.made_of (no keywords passed): every field, in order.
    names = [f.name for f in dataclasses.fields(Rule)]
    for rule in load_rules():
        assert list(vars(rule)) == names
        again = Rule(**vars(rule))
        assert vars(again) == vars(rule) and again == rule
