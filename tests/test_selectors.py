"""Rule selectors as ruff users write them: codes, names, code prefixes, categories and ALL, on
the command line and in configuration (select, extend-select, ignore, per-file-ignores)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import PITFALL_ALL, PITFALLS, run

from apilint.catalog.registry import find_rules_or_error, load_rules, select_rules


def codes(selector: str) -> set[str]:
    return {r.code for r in select_rules(selector)}


def every(predicate) -> set[str]:
    return {r.code for r in load_rules() if predicate(r)}


@pytest.mark.parametrize(
    "selector,expected",
    [
        pytest.param("AGW301", {"AGW301"}, id="code"),
        pytest.param("agw301", {"AGW301"}, id="code-lowercase"),
        pytest.param("method-unauthenticated", {"AGW301"}, id="name"),
        pytest.param("AGW3", every(lambda r: r.code.startswith("AGW3")), id="hundreds-prefix"),
        pytest.param("AGW30", every(lambda r: r.code.startswith("AGW30")), id="tens-prefix"),
        pytest.param("security", every(lambda r: r.category == "security"), id="category"),
        pytest.param("ALL", every(lambda r: True), id="all"),
        pytest.param("AGW", every(lambda r: True), id="bare-prefix"),
    ],
)
def test_a_selector_names_these_rules(selector: str, expected: set[str]) -> None:
    assert codes(selector) == expected


def test_prefixes_are_code_ranges_not_substrings() -> None:
    tens = codes("AGW30")
    assert tens and all("AGW300" <= c <= "AGW309" for c in tens)
    assert "AGW310" not in tens and "AGW310" in codes("AGW3")
    assert codes("AGW3") < every(lambda r: True)


@pytest.mark.parametrize(
    "selector,message",
    [
        pytest.param(
            "secruity", "unknown rule 'secruity'; did you mean security", id="category-typo"
        ),
        pytest.param("AGW88", "unknown rule 'AGW88'", id="prefix-without-rules"),
        pytest.param("AGW3011", "unknown rule 'AGW3011'", id="too-long"),
        pytest.param(
            "zzzz",
            "a selector is a code (AGW301), a name, a code prefix (AGW3)",
            id="nothing-close",
        ),
    ],
)
def test_unknown_selector_says_what_selectors_are(selector: str, message: str) -> None:
    with pytest.raises(KeyError) as caught:
        select_rules(selector)
    assert message in caught.value.args[0]


def test_selectors_combine_without_duplicates() -> None:
    found = find_rules_or_error(("AGW30", "AGW301", "method-unauthenticated"))
    assert [r.code for r in found] == sorted(codes("AGW30"))


def lint_codes(capsys, *args: str) -> tuple[int, set[tuple[str, int]], str]:
    code, out, err = run(capsys, "lint", "-f", "json", *args)
    payload = json.loads(out) if out else {"results": []}
    return code, {(f["code"], f["line"]) for f in payload["results"]}, err


def test_cli_select_by_prefix_and_category(capsys) -> None:
    expected = {(c, line) for c, line in PITFALL_ALL if c.startswith("AGW3")}
    assert lint_codes(capsys, str(PITFALLS), "--select", "AGW3")[1] == expected
    assert lint_codes(capsys, str(PITFALLS), "--select", "security")[1] == {
        (c, line) for c, line in PITFALL_ALL if c in codes("security")
    }
    assert lint_codes(capsys, str(PITFALLS), "--select", "ALL")[1] == PITFALL_ALL


def test_cli_ignore_by_prefix_wins_over_select(capsys) -> None:
    _, found, _ = lint_codes(capsys, str(PITFALLS), "--select", "ALL", "--ignore", "AGW3,cors")
    assert found == {
        (c, line) for c, line in PITFALL_ALL if not c.startswith("AGW3") and c not in codes("cors")
    }
    assert found == {("AGW201", 10), ("AGW402", 21), ("AGW401", 22)}


def test_cli_unknown_selector_is_a_usage_error(capsys) -> None:
    code, out, err = run(capsys, "lint", str(PITFALLS), "--select", "securty")
    assert (code, out) == (2, "")
    assert (
        err.startswith("apilint: unknown rule 'securty'; did you mean security")
        and err.count("\n") == 1
    )


def test_configuration_takes_selectors(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "legacy").mkdir()
    for name in ("api.yaml", "legacy/old.yaml"):
        (tmp_path / name).write_text(PITFALLS.read_text())
    (tmp_path / ".apilint.toml").write_text(
        'select = ["AGW3"]\nextend-select = ["AGW40"]\nignore = ["AGW302"]\n'
        '[per-file-ignores]\n"legacy/*.yaml" = ["integrations"]\n'
    )
    code, out, _ = run(capsys, "lint", "-f", "json", "api.yaml", "legacy/old.yaml")
    found = {(f["file"], f["code"], f["line"]) for f in json.loads(out)["results"]}
    assert found == {
        ("api.yaml", "AGW301", 8),
        ("api.yaml", "AGW402", 21),
        ("api.yaml", "AGW401", 22),
        ("legacy/old.yaml", "AGW301", 8),
    }


def test_configuration_unknown_selector_names_file_and_key(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(PITFALLS.read_text())
    (tmp_path / ".apilint.toml").write_text('[per-file-ignores]\n"*.yaml" = ["AGW88"]\n')
    code, _, err = run(capsys, "lint", "api.yaml")
    assert code == 2
    assert err.startswith(
        f"apilint: {tmp_path / '.apilint.toml'}: per-file-ignores.*.yaml: unknown rule 'AGW88'"
    )
