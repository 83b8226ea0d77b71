"""Fixes are proven (issue 21, section 4): each fixable rule's fix example is fixed exactly as
its rule page shows, lints clean of the rule and gains no finding; fixing twice changes nothing;
every fix over every rule fixture and the shared corpus keeps the text around its edits and
adds no finding."""

from __future__ import annotations

from collections import Counter
from functools import partial
from pathlib import Path

import pytest
from helpers import FIXTURES, PITFALLS, corpus_params, fixture_options, require_shared

from apilint.catalog.registry import Rule, find_rule, load_rules
from apilint.common.findings import FileResult
from apilint.common.fixes import Edit, Fix, apply_edits
from apilint.engine.fix import FixRun, choose, fix_task
from apilint.engine.run import Settings, lint_path

FIXABLE = [r for r in load_rules() if r.fixable is not None]
CASES = sorted(p for p in (FIXTURES / "rules").glob("*/*") if p.suffix in (".yaml", ".json", ".tf"))


def fixed(path: Path, settings: Settings, unsafe: bool) -> tuple[FixRun, list[FileResult]]:
    """Every fix applied to `path` (in memory) until nothing changes; the results after."""
    run = FixRun()
    relint = partial(lint_path, str(path), settings)
    return run, fix_task(relint, relint(), unsafe, run)


def codes(results: list[FileResult]) -> Counter[str]:
    return Counter(f.code for r in results for f in r.findings)


def settings_for(rule: Rule, options: dict[str, object]) -> Settings:
    """Every rule enabled by default, and this one (some are off by default)."""
    return Settings(extend_select=(rule.name,), options={rule.name: options}, fixes=True)


@pytest.mark.parametrize("rule", FIXABLE, ids=[r.name for r in FIXABLE])
def test_fix_example_is_fixed_as_the_rule_page_shows(rule: Rule, tmp_path: Path) -> None:
    path = tmp_path / "example.yaml"
    path.write_text(rule.fix_before)
    settings = settings_for(rule, rule.example_options)
    before = codes(lint_path(str(path), settings))
    assert before[rule.code] >= 1
    if rule.fixable == "unsafe":  # --fix alone leaves it
        run, _ = fixed(path, settings, unsafe=False)
        assert run.changed() == []
    run, after = fixed(path, settings, unsafe=True)
    assert run.files[str(path)].after == rule.fix_after
    assert after[0].error is None
    assert codes(after)[rule.code] == 0
    assert not codes(after) - before, "the fix added findings"
    path.write_text(rule.fix_after)
    again, _ = fixed(path, settings, unsafe=True)
    assert again.changed() == [] and again.applied == 0


def test_at_least_eleven_rules_are_fixable_and_say_how() -> None:
    assert len(FIXABLE) >= 11
    assert {r.name for r in FIXABLE} >= {
        "lambda-http-method-not-post",
        "cors-preflight-requires-auth",
        "root-security-ignored",
        "static-mapping-unquoted",
        "http-payload-format-version",
        "timeout-out-of-range",
        "passthrough-invalid",
        "content-handling-invalid",
    }
    assert find_rule("root-security-ignored").fixable == "unsafe"
    assert find_rule("timeout-out-of-range").fixable == "unsafe"


def kept_around_edits(run: FixRun) -> None:
    """Each round's output is its input with each edit's span replaced by the edit's text, and
    nothing else changed: rebuilt here piece by piece from the texts and the edits, not by
    applying the edits again (that would compare apply_edits with itself)."""
    for file in run.files.values():
        outputs = [text for text, _ in file.rounds[1:]] + [file.after]
        for (text, edits), out in zip(file.rounds, outputs, strict=True):
            # offsets count from after a byte-order mark (the loader reads past it) and the
            # mark is kept
            assert out.startswith("\ufeff") == text.startswith("\ufeff")
            text, out = text.removeprefix("\ufeff"), out.removeprefix("\ufeff")
            replaced: dict[tuple[int, int], str] = {}
            for e in edits:  # the same edit may come with two findings: it is applied once
                assert replaced.setdefault((e.start, e.end), e.text) == e.text, (
                    f"{file.path}: two fixes write different text over {e.start}..{e.end}"
                )
            pieces, at = [], 0
            for start, end in sorted(replaced):
                assert at <= start, f"overlapping edits applied in {file.path}"
                pieces += [text[at:start], replaced[(start, end)]]
                at = end
            pieces.append(text[at:])
            assert out == "".join(pieces), f"{file.path}: a round changed more than its edits"


def check_every_fix(path: Path, settings: Settings) -> int:
    """Apply every fix (safe and unsafe) to the file; return how many were applied."""
    before_results = lint_path(str(path), settings)
    if any(r.error or r.skipped for r in before_results):
        return 0
    undeclared = {
        f.code
        for r in before_results
        for f in r.findings
        if f.fix and not find_rule(f.code).fixable
    }
    assert not undeclared, f"rules attach fixes but say nothing (fixable:) {undeclared}"
    run, after = fixed(path, settings, unsafe=True)
    assert all(r.error is None for r in after), [str(r.error) for r in after if r.error]
    added = codes(after) - codes(before_results)
    assert not added, f"fixing {path} added findings: {added}"
    kept_around_edits(run)
    return run.applied


@pytest.mark.slow
@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_every_fix_of_every_fixture_is_clean(path: Path) -> None:
    rule = find_rule(path.parent.name)  # account rules do not run without --aws: the rest do
    check_every_fix(path, settings_for(rule, fixture_options(path)))


@pytest.mark.slow
@pytest.mark.parametrize("path", corpus_params("real") + corpus_params("embedded"))
def test_every_fix_of_the_corpus_is_clean(path: Path | None) -> None:
    if path is None:
        require_shared("corpus")
        return
    check_every_fix(path, Settings(fixes=True))


def test_overlapping_fixes_wait_for_the_next_round() -> None:
    a = Fix(title="a", applicability="safe", edits=(Edit(start=0, end=5, text="x"),))
    b = Fix(title="b", applicability="safe", edits=(Edit(start=3, end=8, text="y"),))
    same = Fix(title="a again", applicability="safe", edits=a.edits)
    touching = Fix(title="c", applicability="safe", edits=(Edit(start=5, end=5, text="z"),))
    taken, refused = choose([b, a, same, touching])
    assert taken == [a, touching] and refused == 1
    assert apply_edits("0123456789", [e for f in taken for e in f.edits]) == "xz56789"


def test_plain_lint_computes_no_fixes() -> None:
    # A fix costs a second parse of the file: only --fix, --diff and SARIF output ask for them.
    plain = [f for r in lint_path(str(PITFALLS), Settings()) for f in r.findings]
    assert plain and all(f.fix is None for f in plain)
    asked = [f for r in lint_path(str(PITFALLS), Settings(fixes=True)) for f in r.findings]
    assert [(f.code, f.line) for f in asked if f.fix] == [
        ("AGW507", 2),
        ("AGW501", 7),
        ("AGW402", 21),
    ]


def test_the_kept_text_check_sees_a_lost_byte(tmp_path: Path) -> None:
    """The check itself: a fix that also changed a byte outside its edit is caught, and so
    is one whose output differs in length; a file with a byte-order mark keeps it."""
    rule = find_rule("lambda-http-method-not-post")
    path = tmp_path / "api.yaml"
    path.write_text("\ufeff" + rule.fix_before)
    run, _ = fixed(path, settings_for(rule, rule.example_options), unsafe=True)
    (file,) = run.files.values()
    assert file.rounds and file.after.startswith("\ufeff")
    kept_around_edits(run)
    text, edits = file.rounds[0]
    end = max(e.end for e in edits)
    broken = file.after[:-1] + ("x" if file.after[-1] != "x" else "y")
    for after in (broken, file.after + "\n"):
        file.after = after
        file.rounds[1:] = []
        with pytest.raises(AssertionError):
            kept_around_edits(run)
    assert end < len(text) - 1  # the changed byte lies after the last edit
