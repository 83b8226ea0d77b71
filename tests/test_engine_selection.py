"""Which rules run: engine._selected over a small, known set of rules (one of them off by
default, which the shipped catalog has none of today), and how the command line and the
configuration combine into Settings (commands.lint.settings_for)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from apilint.catalog.registry import find_rule
from apilint.commands.lint import Options, settings_for
from apilint.common.errors import UsageError
from apilint.engine.config import Config
from apilint.engine.run import Settings, _selected

#: AGW303 is made default-disabled here, so what "off by default" means can be pinned.
RULES = (
    find_rule("AGW301"),
    find_rule("AGW302"),
    dataclasses.replace(find_rule("AGW303"), default_enabled=False),
    find_rule("AGW310"),
    find_rule("AGW401"),
    find_rule("AGW402"),
    find_rule("AGW901"),
)


def chosen(**settings: tuple[str, ...]) -> list[str]:
    return [r.code for r in _selected(RULES, Settings(**settings))]


@pytest.mark.parametrize(
    "settings,expected",
    [
        pytest.param(
            {},
            ["AGW301", "AGW302", "AGW310", "AGW401", "AGW402", "AGW901"],
            id="default-leaves-out-the-disabled-rule",
        ),
        pytest.param(
            {"select": ("AGW3",)},
            ["AGW301", "AGW302", "AGW303", "AGW310"],
            id="select-prefix-names-the-disabled-rule-too",
        ),
        pytest.param(
            {"select": ("AGW30",)}, ["AGW301", "AGW302", "AGW303"], id="select-tens-prefix"
        ),
        pytest.param({"select": ("ALL",)}, [r.code for r in RULES], id="select-all"),
        pytest.param({"select": ("integrations",)}, ["AGW401", "AGW402"], id="select-category"),
        pytest.param(
            {"select": ("lambda-uri-invalid", "agw301")},
            ["AGW301", "AGW401"],
            id="select-name-and-lowercase-code",
        ),
        pytest.param(
            {"extend_select": ("AGW303",)},
            ["AGW301", "AGW302", "AGW303", "AGW310", "AGW401", "AGW402", "AGW901"],
            id="extend-select-adds-to-the-defaults",
        ),
        pytest.param(
            {"select": ("AGW401",), "extend_select": ("AGW303",)},
            ["AGW303", "AGW401"],
            id="extend-select-adds-to-a-selection",
        ),
        pytest.param(
            {"ignore": ("security",)}, ["AGW401", "AGW402", "AGW901"], id="ignore-category"
        ),
        pytest.param(
            {"select": ("ALL",), "ignore": ("AGW30",)},
            ["AGW310", "AGW401", "AGW402", "AGW901"],
            id="ignore-prefix-beats-all",
        ),
        pytest.param(
            {"select": ("AGW303",), "extend_select": ("AGW303",), "ignore": ("AGW303",)},
            [],
            id="ignore-beats-select-and-extend-select",
        ),
        pytest.param({"ignore": ("ALL",), "extend_select": ("AGW402",)}, [], id="ignore-all"),
    ],
)
def test_selection(settings: dict[str, tuple[str, ...]], expected: list[str]) -> None:
    assert chosen(**settings) == expected


def test_a_selector_matching_nothing_in_the_given_rules_is_a_usage_error() -> None:
    # AGW5 names rules in the catalog but none in RULES: the engine judges against what it runs.
    with pytest.raises(UsageError) as caught:
        chosen(select=("AGW5",))
    assert caught.value.message.startswith("unknown rule 'AGW5'")
    with pytest.raises(UsageError) as caught:
        chosen(ignore=("method-unauthenticatd",))
    assert caught.value.message == (
        "unknown rule 'method-unauthenticatd'; did you mean method-unauthenticated?"
    )


def test_the_order_is_the_given_rules_order_not_the_selectors() -> None:
    assert chosen(select=("AGW402", "AGW301", "AGW401")) == ["AGW301", "AGW401", "AGW402"]


# -- command line over configuration ------------------------------------------------------------

CONFIG = Config(
    path=Path("/repo/.apilint.toml"),
    select=("method-unauthenticated",),
    extend_select=("root-security-ignored",),
    ignore=("lambda-uri-invalid",),
    per_file_ignores=(("legacy/*.yaml", ("cors-preflight-missing",)),),
)


def test_without_flags_the_configuration_decides() -> None:
    s = settings_for(CONFIG, Options(paths=()), "/repo/api.yaml")
    assert (s.select, s.extend_select, s.ignore) == (
        ("method-unauthenticated",),
        ("root-security-ignored",),
        ("lambda-uri-invalid",),
    )


def test_select_flag_replaces_the_selection_and_drops_extend_select() -> None:
    s = settings_for(CONFIG, Options(paths=(), select=("AGW402",)), "/repo/api.yaml")
    assert (s.select, s.extend_select) == (("AGW402",), ())


def test_ignore_flag_adds_to_configured_and_per_file_ignores() -> None:
    s = settings_for(CONFIG, Options(paths=(), ignore=("AGW310",)), "/repo/legacy/old.yaml")
    assert s.ignore == ("lambda-uri-invalid", "cors-preflight-missing", "AGW310")
    assert settings_for(CONFIG, Options(paths=()), "/repo/api.yaml").ignore == (
        "lambda-uri-invalid",
    )
