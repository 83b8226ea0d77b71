"""x-apilint-ignore as a unit: what an entry covers (the object and everything under it, by code
or name, never a sibling whose pointer merely starts the same), the entry forms, and the
findings an idle or malformed entry becomes (AGW901, AGW902) with their positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.catalog.registry import load_rules
from apilint.document import load_document
from apilint.engine.run import Settings, run_rules
from apilint.engine.suppress import collect

#: Three open operations (AGW301 at lines 5, 7 and 10); /pets2 shares /pets's pointer prefix.
API = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
    post:
      responses: {"200": {description: ok}}
  /pets2:
    get:
      responses: {"200": {description: ok}}
"""
SELECT = ("AGW301", "AGW901", "AGW902")


def lint(tmp_path: Path, text: str, select: tuple[str, ...] = SELECT) -> set[tuple[str, int, int]]:
    path = tmp_path / "api.yaml"
    path.write_text(text)
    result = run_rules(load_document(path), Settings(select=select))
    assert result.error is None and not result.crashes
    return {(f.code, f.line, f.column) for f in result.findings}


def messages(tmp_path: Path, text: str) -> dict[tuple[str, int], str]:
    path = tmp_path / "api.yaml"
    path.write_text(text)
    return {
        (f.code, f.line): f.message
        for f in run_rules(load_document(path), Settings(select=SELECT)).findings
    }


def test_without_suppressions(tmp_path: Path) -> None:
    assert lint(tmp_path, API) == {("AGW301", 5, 5), ("AGW301", 7, 5), ("AGW301", 10, 5)}


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param("AGW301", id="code"),
        pytest.param("agw301", id="lowercase-code"),
        pytest.param("method-unauthenticated", id="name"),
        pytest.param("[AGW301]", id="list"),
        pytest.param("[{rule: AGW301, reason: public catalogue}]", id="with-reason"),
        pytest.param("{rule: method-unauthenticated}", id="mapping-without-reason"),
    ],
)
def test_an_entry_on_a_path_item_covers_its_operations_not_the_sibling(
    tmp_path: Path, entry: str
) -> None:
    text = API.replace("  /pets:\n", f"  /pets:\n    x-apilint-ignore: {entry}\n")
    # /pets2 is not under /pets, though "/paths/~1pets2" starts with "/paths/~1pets".
    assert lint(tmp_path, text) == {("AGW301", 11, 5)}


def test_an_entry_at_the_root_covers_the_whole_file(tmp_path: Path) -> None:
    assert lint(tmp_path, "x-apilint-ignore: AGW301\n" + API) == set()


def test_an_entry_on_an_operation_covers_that_operation_only(tmp_path: Path) -> None:
    text = API.replace("    post:\n", "    post:\n      x-apilint-ignore: AGW301\n")
    assert lint(tmp_path, text) == {("AGW301", 5, 5), ("AGW301", 11, 5)}


def test_an_entry_for_another_rule_silences_nothing_and_is_reported(tmp_path: Path) -> None:
    text = API.replace("    post:\n", "    post:\n      x-apilint-ignore: [AGW301, AGW403]\n")
    # AGW403 did not run (not selected): its entry proves nothing either way.
    assert lint(tmp_path, text) == {("AGW301", 5, 5), ("AGW301", 11, 5)}
    # Selected, AGW403 finds every operation without an integration; the one under the
    # entry is silenced, so the entry is used.
    assert lint(tmp_path, text, SELECT + ("AGW403",)) == {
        ("AGW301", 5, 5),
        ("AGW403", 5, 5),
        ("AGW301", 11, 5),
        ("AGW403", 11, 5),
    }


def test_an_idle_entry_is_an_unused_suppression_at_the_entry(tmp_path: Path) -> None:
    text = (
        API.replace(
            "  /pets2:\n    get:\n",
            "  /pets2:\n    get:\n      security: [{key: []}]\n      x-apilint-ignore: [AGW301]\n",
        )
        + "components:\n  securitySchemes:\n    key: {type: apiKey, name: k, in: header}\n"
    )
    found = messages(tmp_path, text)
    assert set(found) == {("AGW301", 5), ("AGW301", 7), ("AGW901", 12)}
    assert found[("AGW901", 12)] == (
        "x-apilint-ignore names AGW301 (method-unauthenticated) but "
        "it silences nothing here; remove the entry"
    )


@pytest.mark.parametrize(
    "entry,column,message",
    [
        pytest.param("[AGW999]", 26, "x-apilint-ignore: unknown rule 'AGW999'", id="unknown-code"),
        pytest.param(
            "[3]",
            26,
            "x-apilint-ignore entry 3 is not a rule code or name, nor {rule: CODE, reason: TEXT}",
            id="number",
        ),
        pytest.param(
            "[{rule: AGW301, why: x}]",
            26,
            "x-apilint-ignore entry {'rule': 'AGW301', "
            "'why': 'x'} is not a rule code or name, nor {rule: CODE, reason: TEXT}",
            id="unknown-field",
        ),
        pytest.param(
            "''",
            7,
            "x-apilint-ignore entry '' is not a rule code or name, nor {rule: CODE, reason: TEXT}",
            id="empty",
        ),
    ],
)
def test_an_invalid_entry_is_an_invalid_suppression(
    tmp_path: Path, entry: str, column: int, message: str
) -> None:
    # A list item is reported where it stands; a lone scalar at its key.
    text = API.replace("    post:\n", f"    post:\n      x-apilint-ignore: {entry}\n")
    path = tmp_path / "api.yaml"
    path.write_text(text)
    found = run_rules(load_document(path), Settings(select=SELECT)).findings
    invalid = [(f.line, f.column, f.message) for f in found if f.code == "AGW902"]
    assert len(invalid) == 1 and invalid[0][:2] == (8, column)
    assert invalid[0][2].startswith(message)
    # The invalid entry silences nothing: all three operations are still reported.
    assert {(f.code, f.line) for f in found if f.code == "AGW301"} == {
        ("AGW301", 5),
        ("AGW301", 7),
        ("AGW301", 11),
    }


def test_unused_and_invalid_are_not_reported_unless_selected(tmp_path: Path) -> None:
    text = API.replace("    post:\n", "    post:\n      x-apilint-ignore: [AGW999, AGW302]\n")
    assert lint(tmp_path, text, ("AGW301", "AGW302")) == {
        ("AGW301", 5, 5),
        ("AGW301", 7, 5),
        ("AGW301", 11, 5),
    }


def test_collect_reports_scope_rule_and_reason(tmp_path: Path) -> None:
    text = API.replace(
        "  /pets:\n",
        "  /pets:\n    x-apilint-ignore:\n"
        "      - {rule: AGW301, reason: public}\n      - cors-preflight-missing\n",
    )
    path = tmp_path / "api.yaml"
    path.write_text(text)
    found, problems = collect([load_document(path)], load_rules())
    assert problems == []
    assert [(s.scope, s.entry, s.rule.code, s.reason) for s in found] == [
        ("/paths/~1pets", ("paths", "/pets", "x-apilint-ignore", "0"), "AGW301", "public"),
        ("/paths/~1pets", ("paths", "/pets", "x-apilint-ignore", "1"), "AGW501", None),
    ]
    covers = found[0].covers
    assert covers(str(path), "/paths/~1pets", "AGW301")
    assert covers(str(path), "/paths/~1pets/get/responses", "AGW301")
    assert not covers(str(path), "/paths/~1pets2/get", "AGW301")
    assert not covers(str(path), "/paths/~1pets/get", "AGW302")
    assert not covers(str(tmp_path / "other.yaml"), "/paths/~1pets/get", "AGW301")
