"""Fuzzing in CI: a fixed-seed run of mutated definitions, templates, Terraform modules and
configuration files (tests/fuzzing.py); `scripts/fuzz.py --count 10000` is the long run."""

from __future__ import annotations

from pathlib import Path

import fuzzing
import pytest
from fuzzing import DEFINITIONS, KINDS, SEEDS, Case, make_case, run, source_data

#: Fixed so that CI lints the same inputs every time (a failure here reproduces with
#: `python scripts/fuzz.py --seed 20261207 --only INDEX`).
SEED = 20261207
COUNT = 400


def test_seeds_cover_both_versions_every_kind_and_format() -> None:
    versions = {
        str(source_data(p).get("swagger") or source_data(p).get("openapi"))[:1] for p in DEFINITIONS
    }
    assert versions == {"2", "3"}
    assert {s.kind for s in SEEDS} == {"definition", "template", "terraform"}
    suffixes = {Path(name).suffix for s in SEEDS for name in s.files}
    assert suffixes == {".yaml", ".json", ".tf", ".tpl"}
    kinds = {make_case(f"{SEED}:{i}").kind for i in range(40)}
    assert kinds == set(KINDS)


@pytest.mark.fuzz
def test_fixed_seed_run_finds_no_failure(tmp_path: Path) -> None:
    report = run(COUNT, SEED, tmp_path)
    assert [(f.index, f.kind, f.problem) for f in report.failures] == []
    assert set(report.documents) == set(KINDS) and min(report.documents.values()) >= 60
    # The generator's own failures are skipped, but they must stay rare or CI lints less.
    assert sum(report.generator_errors.values()) <= COUNT // 100


def test_a_generator_crash_is_counted_and_the_run_goes_on(tmp_path: Path) -> None:
    def make(seed: str) -> Case:
        if seed.endswith(":1"):
            raise RecursionError("maximum recursion depth exceeded")
        return make_case(seed)

    report = run(3, SEED, tmp_path, make=make)
    assert dict(report.generator_errors) == {"RecursionError": 1}
    assert sum(report.documents.values()) == 2 and report.failures == []


def test_apilint_failures_are_kept_with_their_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def survives(target: Path) -> None:
        if tmp_path / "1" in (target, *target.parents):
            raise AssertionError("internal error: boom")

    monkeypatch.setattr(fuzzing, "check_survives", survives)
    report = run(3, SEED, tmp_path)
    assert [(f.index, f.problem) for f in report.failures] == [
        (1, "AssertionError: internal error: boom")
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1"]  # passing inputs are removed
    case = report.failures[0].case
    assert all(
        (tmp_path / "1" / name).read_text(encoding="utf-8") == text
        for name, text in case.files.items()
    )


def test_a_hang_is_a_failure_not_a_stuck_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    def hang(target: Path) -> None:
        time.sleep(30)

    monkeypatch.setattr(fuzzing, "check_survives", hang)
    report = run(1, SEED, tmp_path, timeout=1)
    assert [f.problem for f in report.failures] == ["_Timeout: apilint did not finish in 1 s"]
