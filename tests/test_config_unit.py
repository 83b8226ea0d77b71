"""apilint.engine.config as a unit: which files are found and in what order, how fail-on nests, what
per-file-ignores match, and the one-line message each malformed value gets. The end-to-end
behaviour (through the CLI) is in test_ci_gate, test_config_trust and test_rule_options."""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.catalog.registry import load_rules
from apilint.common.errors import UsageError
from apilint.document.loader import DEFAULT_MAX_BYTES
from apilint.engine.config import (
    Config,
    config_chain,
    find_configs,
    inherited_fail_on,
    load_config,
    parse_config,
    parse_size,
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """tmp/repo (a git root) / team / api, with no configuration yet."""
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "team" / "api").mkdir(parents=True)
    return tmp_path / "repo"


def found(start: Path, below: Path) -> list[str]:
    """The configuration files find_configs yields, relative to `below`."""
    return [p.relative_to(below).as_posix() for p in find_configs(start) if p.is_relative_to(below)]


# -- discovery ----------------------------------------------------------------------------------


def test_configs_are_found_walking_up_nearest_first(tree: Path) -> None:
    (tree / ".apilint.toml").write_text("")
    (tree / "team" / "pyproject.toml").write_text("[tool.apilint]\nignore = []\n")
    (tree / "team" / "api" / ".apilint.toml").write_text("")
    assert found(tree / "team" / "api", tree) == [
        "team/api/.apilint.toml",
        "team/pyproject.toml",
        ".apilint.toml",
    ]
    # A file as the start means its directory.
    (tree / "team" / "api" / "pets.yaml").write_text("")
    assert found(tree / "team" / "api" / "pets.yaml", tree) == found(tree / "team" / "api", tree)


def test_dotfile_beats_pyproject_in_the_same_directory(tree: Path) -> None:
    (tree / "team" / ".apilint.toml").write_text("")
    (tree / "team" / "pyproject.toml").write_text("[tool.apilint]\nfail-on = 'never'\n")
    assert found(tree / "team" / "api", tree) == ["team/.apilint.toml"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('[project]\nname = "x"\n[tool.ruff]\nline-length = 99\n', id="other-tools"),
        pytest.param('[project]\ndependencies = ["apilint"]\n', id="names-apilint-as-a-dependency"),
        pytest.param("", id="empty"),
    ],
)
def test_pyproject_without_tool_apilint_is_passed_over(tree: Path, text: str) -> None:
    (tree / ".apilint.toml").write_text("")
    (tree / "team" / "pyproject.toml").write_text(text)
    assert found(tree / "team" / "api", tree) == [".apilint.toml"]


def test_pyproject_tool_apilint_table_is_read_with_dotted_keys(tree: Path) -> None:
    path = tree / "pyproject.toml"
    path.write_text('[tool]\napilint = {fail-on = "warning", api-type = "auto"}\n')
    config = load_config(path)
    assert (config.path, config.fail_on, config.api_type) == (path, "warning", None)
    path.write_text("[tool]\napilint = 3\n")
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert caught.value.message == f"{path}: tool.apilint must be a table"


def test_chain_adds_a_default_for_the_repository_root_only_when_needed(tree: Path) -> None:
    nested = tree / "team" / ".apilint.toml"
    nested.write_text('fail-on = "never"\n')
    chain = config_chain(tree / "team" / "api", load_config)
    assert [c.path for c in chain] == [nested, None]  # None: the root's default stands in
    top = tree / ".apilint.toml"
    top.write_text('fail-on = "warning"\n')
    assert [c.path for c in config_chain(tree / "team" / "api", load_config)] == [nested, top]
    assert config_chain(tree / "team" / "api", load_config)[-1].fail_on == "warning"


@pytest.mark.parametrize(
    "values,expected",
    [
        pytest.param([None], "error", id="default"),
        pytest.param(["never"], "never", id="outermost-decides"),
        pytest.param(["never", None], "error", id="nested-never-under-root-default"),
        pytest.param(["info", "warning"], "info", id="nested-stricter"),
        pytest.param(["error", "warning"], "warning", id="nested-more-lenient-ignored"),
        pytest.param([None, "warning", "never"], "warning", id="middle-file-tightens"),
        pytest.param([None, None, "info"], "info", id="unset-inherits"),
    ],
)
def test_inherited_fail_on(values: list[str | None], expected: str) -> None:
    assert inherited_fail_on([Config(fail_on=v) for v in values]) == expected


# -- per-file-ignores ---------------------------------------------------------------------------


def ignoring(tmp_path: Path, *globs: str) -> Config:
    """A configuration in tmp_path whose per-file-ignores switch off a rule named after each glob."""
    return Config(
        path=tmp_path / ".apilint.toml",
        per_file_ignores=tuple((g, (f"rule-{i}",)) for i, g in enumerate(globs)),
    )


@pytest.mark.parametrize(
    "file,expected",
    [
        pytest.param("legacy/old.yaml", ("rule-0", "rule-1", "rule-3"), id="dir-glob-and-basename"),
        # `*` crosses directories (as ruff's globs do), `**/` may also stand for none.
        pytest.param("legacy/deep/old.yaml", ("rule-0", "rule-1", "rule-2", "rule-3"), id="nested"),
        pytest.param("api/old.yaml", ("rule-3",), id="basename-glob-anywhere"),
        pytest.param("top.yaml", ("rule-4",), id="double-star-at-the-top"),
        pytest.param("api/new.json", (), id="nothing"),
    ],
)
def test_per_file_ignores_are_relative_to_the_configuration(
    tmp_path: Path, file: str, expected: tuple[str, ...]
) -> None:
    config = ignoring(
        tmp_path,
        "legacy/*.yaml",
        "legacy/**/*.yaml",
        "legacy/**/deep/*.yaml",
        "old.yaml",
        "**/top.yaml",
    )
    assert config.ignored_for(str(tmp_path / file)) == expected


def test_a_relative_path_is_resolved_against_the_working_directory(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path.parent)
    config = ignoring(tmp_path, "legacy/*.yaml")
    assert config.ignored_for(f"{tmp_path.name}/legacy/old.yaml") == ("rule-0",)
    assert config.ignored_for(f"{tmp_path.name}/api/old.yaml") == ()


def test_a_file_outside_the_configurations_directory_is_matched_as_given(
    tmp_path: Path, monkeypatch
) -> None:
    # `--config ci/apilint.toml` for files in api/: the globs are read against the path as
    # given (right-anchored), so "api/*.yaml" still means the api folder.
    monkeypatch.chdir(tmp_path)
    config = ignoring(tmp_path / "ci", "api/*.yaml")
    assert config.ignored_for("api/pets.yaml") == ("rule-0",)
    assert config.ignored_for("specs/pets.yaml") == ()


def test_per_file_ignores_resolve_selectors_to_names(tmp_path: Path) -> None:
    config = parse_config(
        {"per-file-ignores": {"*.json": ["AGW30", "lambda-uri-invalid"]}},
        tmp_path / ".apilint.toml",
    )
    assert config.per_file_ignores == (
        (
            "*.json",
            (
                "method-unauthenticated",
                "root-security-ignored",
                "security-empty-requirement",
                "security-scheme-unsupported",
                "authorizer-extension-missing",
                "security-ref-undefined",
                "http-multiple-security",
                "authorizer-type-invalid",
                "authorizer-ttl-range",
                "lambda-uri-invalid",
            ),
        ),
    )


# -- values -------------------------------------------------------------------------------------

WHERE = Path("/repo/.apilint.toml")


def problem(table: dict, prefix: str = "") -> str:
    with pytest.raises(UsageError) as caught:
        parse_config(table, WHERE, prefix)
    return caught.value.message


@pytest.mark.parametrize(
    "table,message",
    [
        pytest.param(
            {"zzz": 1},
            "zzz: unknown key (known keys: select, extend-select, ignore, "
            "per-file-ignores, severity, options, fail-on, api-type, max-file-size, "
            "error-on-no-input, rules, extend, ruleset)",
            id="unknown-key-lists-the-keys",
        ),
        pytest.param(
            {"extend_select": []},
            "extend_select: unknown key (did you mean 'extend-select'?)",
            id="underscore-spelling",
        ),
        pytest.param(
            {"allow-remote-refs": True},
            "allow-remote-refs: is a command-line flag only "
            "(--allow-remote-refs): a configuration file arrives with the pull request and "
            "must not make CI fetch URLs",
            id="command-line-only",
        ),
        pytest.param(
            {"select": 3},
            "select: expected a list of rule selectors (codes, names, code "
            "prefixes such as AGW3, categories such as security, or ALL)",
            id="select-type",
        ),
        pytest.param(
            {"ignore": ["AGW301", 4]},
            "ignore: expected a list of rule selectors",
            id="ignore-item-type",
        ),
        pytest.param(
            {"extend-select": ["securty"]},
            "extend-select: unknown rule 'securty'; did you mean security, root-security-ignored?",
            id="selector",
        ),
        pytest.param(
            {"per-file-ignores": ["a"]},
            "per-file-ignores: expected a table of glob = [rules]",
            id="per-file-type",
        ),
        pytest.param(
            {"severity": "error"},
            'severity: expected a table of rule = "error" | "warning" | "info"',
            id="severity-type",
        ),
        pytest.param(
            {"severity": {"AGW301": 1}},
            "severity.AGW301: 1 is not error, warning or info",
            id="severity-value",
        ),
        pytest.param(
            {"severity": {"AGW30": "info"}},
            "severity: unknown rule 'AGW30'",
            id="severity-takes-one-rule-not-a-prefix",
        ),
        pytest.param(
            {"options": {"AGW301": 1}},
            "options.AGW301: expected a table of option = value",
            id="options-table",
        ),
        pytest.param(
            {"options": {"root-security-ignored": {"x": 1}}},
            "options.root-security-ignored.x: unknown option (root-security-ignored takes "
            "no options)",
            id="rule-without-options",
        ),
        pytest.param(
            {"fail-on": "warnings"},
            "fail-on: 'warnings' is not one of error, warning, info, never",
            id="fail-on",
        ),
        pytest.param(
            {"api-type": "websocket"},
            "api-type: 'websocket' is not rest, http or auto",
            id="api-type",
        ),
        pytest.param(
            {"max-file-size": "1.5MB"},
            "max-file-size: '1.5MB' is not a size such as 6MB, 512KB or 1048576",
            id="size-format",
        ),
        pytest.param(
            {"error-on-no-input": 1},
            "error-on-no-input: 1 is not true or false",
            id="no-input-type",
        ),
    ],
)
def test_a_bad_value_is_one_message_naming_file_and_key(table: dict, message: str) -> None:
    assert problem(table).startswith(f"{WHERE}: {message}")


def test_pyproject_messages_name_the_dotted_key() -> None:
    assert problem({"fail-on": "x"}, "tool.apilint.") == (
        f"{WHERE}: tool.apilint.fail-on: 'x' is not one of error, warning, info, never"
    )


def test_a_good_table_becomes_this_config() -> None:
    config = parse_config(
        {
            "select": "AGW4",
            "ignore": ["AGW401"],
            "fail-on": "never",
            "severity": {"method-unauthenticated": "error"},
            "options": {"AGW601": {"limit": 10}},
            "max-file-size": "1 MB",
            "error-on-no-input": True,
            "api-type": "http",
        },
        WHERE,
    )
    assert config.select == tuple(r.name for r in load_rules() if r.code.startswith("AGW4"))
    assert config.ignore == ("lambda-uri-invalid",)
    assert (config.fail_on, config.api_type, config.max_bytes, config.error_on_no_input) == (
        "never",
        "http",
        1024**2,
        True,
    )
    assert {k: str(v) for k, v in config.severity.items()} == {"method-unauthenticated": "error"}
    assert config.options == {"resource-quota-exceeded": {"limit": 10}}


@pytest.mark.parametrize(
    "value,expected",
    [
        (6291456, 6291456),
        ("6MB", 6 * 1024**2),
        ("512 KB", 512 * 1024),
        ("2k", 2048),
        ("1g", 1024**3),
        ("100", 100),
        (" 7b ", 7),
    ],
)
def test_parse_size(value: object, expected: int) -> None:
    assert parse_size(value) == expected


@pytest.mark.parametrize(
    "value,message",
    [
        (0, "0 must be more than 0 bytes"),
        ("0MB", "'0MB' must be more than 0 bytes"),
        (True, "True is not a size such as 6MB, 512KB or 1048576"),
        ("5TB", "'5TB' is not a size"),
        (-1, "-1 must be more than 0 bytes"),
    ],
)
def test_parse_size_refuses(value: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_size(value)
    assert str(caught.value).startswith(message)


def test_the_default_size_limit_itself_is_allowed() -> None:
    assert parse_config({"max-file-size": DEFAULT_MAX_BYTES}, WHERE).max_bytes == DEFAULT_MAX_BYTES
    assert "is over the default" in problem({"max-file-size": DEFAULT_MAX_BYTES + 1})


def test_a_config_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / ".apilint.toml"
    path.write_bytes(b'fail-on = "\xff"\n')
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert caught.value.message == f"{path}: configuration is not UTF-8 text"
