"""apilint.engine.baseline as a unit: entries are keyed by rule, file (relative to the baseline) and
pointer, never by line or message; identical keys are counted; only files linted in this run
can make an entry stale. The CLI round trip is in test_ci_gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apilint.common.errors import LoadError, UsageError
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.engine import baseline


def finding(
    code: str,
    file: Path,
    pointer: str,
    line: int = 1,
    message: str = "m",
    operation: str | None = None,
) -> Finding:
    return Finding(
        code,
        code.lower(),
        Severity.WARNING,
        message,
        str(file),
        pointer,
        Span(line, 1, line, 2),
        operation,
    )


@pytest.fixture
def api(tmp_path: Path) -> Path:
    (tmp_path / "api").mkdir()
    return tmp_path / "api" / "pets.yaml"


def test_write_then_read_round_trips_without_lines(tmp_path: Path, api: Path) -> None:
    target = tmp_path / "ci" / "baseline.json"
    results = [
        FileResult(
            str(api),
            findings=[
                finding("AGW402", api, "/paths/~1pets/post", 12, "uses GET", "POST /pets"),
                finding("AGW301", api, "/paths/~1pets/get", 5, "open", "GET /pets"),
            ],
        )
    ]
    assert baseline.write(results, target) == 2
    payload = json.loads(target.read_text())
    assert payload == {
        "version": 1,
        "tool": "apilint",
        "findings": [
            {
                "code": "AGW301",
                "file": "../api/pets.yaml",
                "pointer": "/paths/~1pets/get",
                "operation": "GET /pets",
                "message": "open",
            },
            {
                "code": "AGW402",
                "file": "../api/pets.yaml",
                "pointer": "/paths/~1pets/post",
                "operation": "POST /pets",
                "message": "uses GET",
            },
        ],
    }
    assert [e.key for e in baseline.read(target)] == [
        ("AGW301", "../api/pets.yaml", "/paths/~1pets/get"),
        ("AGW402", "../api/pets.yaml", "/paths/~1pets/post"),
    ]


def test_a_moved_finding_with_a_new_message_still_matches(tmp_path: Path, api: Path) -> None:
    target = tmp_path / "baseline.json"
    baseline.write(
        [FileResult(str(api), findings=[finding("AGW301", api, "/paths/~1a/get", 5)])], target
    )
    moved = FileResult(
        str(api),
        findings=[
            finding("AGW301", api, "/paths/~1a/get", 40, "reworded"),
            finding("AGW301", api, "/paths/~1b/get", 5),
        ],
    )  # same line as the old one: new
    (kept,), stale = baseline.apply([moved], baseline.read(target), tmp_path)
    assert stale == []
    assert [(f.pointer, f.line) for f in kept.findings] == [("/paths/~1b/get", 5)]
    assert len(moved.findings) == 2  # a new result: the input is left as it was


def test_a_second_copy_of_an_accepted_finding_is_new(tmp_path: Path, api: Path) -> None:
    target = tmp_path / "baseline.json"
    one = finding("AGW103", api, "/paths")
    baseline.write([FileResult(str(api), findings=[one])], target)
    result = FileResult(str(api), findings=[one, finding("AGW103", api, "/paths", 9)])
    (kept,), stale = baseline.apply([result], baseline.read(target), tmp_path)
    assert stale == [] and [f.line for f in kept.findings] == [9]


def test_the_same_pointer_in_another_file_or_rule_is_new(tmp_path: Path, api: Path) -> None:
    target = tmp_path / "baseline.json"
    baseline.write(
        [FileResult(str(api), findings=[finding("AGW301", api, "/paths/~1a/get")])], target
    )
    other = api.with_name("store.yaml")
    results = [
        FileResult(str(api), findings=[finding("AGW302", api, "/paths/~1a/get")]),
        FileResult(str(other), findings=[finding("AGW301", other, "/paths/~1a/get")]),
    ]
    kept, stale = baseline.apply(results, baseline.read(target), tmp_path)
    assert [(f.code, Path(f.file).name) for r in kept for f in r.findings] == [
        ("AGW302", "pets.yaml"),
        ("AGW301", "store.yaml"),
    ]
    assert [e.key for e in stale] == [("AGW301", "api/pets.yaml", "/paths/~1a/get")]


def test_only_files_linted_cleanly_in_this_run_make_entries_stale(
    tmp_path: Path, api: Path
) -> None:
    entries = [
        baseline.Entry("AGW301", "api/pets.yaml", "/a", None, ""),
        baseline.Entry("AGW301", "api/store.yaml", "/a", None, ""),
        baseline.Entry("AGW301", "api/broken.yaml", "/a", None, ""),
        baseline.Entry("AGW301", "api/notes.yaml", "/a", None, ""),
    ]
    results = [
        FileResult(str(api)),  # linted, the finding is gone: stale
        FileResult(str(api.with_name("broken.yaml")), error=LoadError("bad", "x")),
        FileResult(str(api.with_name("notes.yaml")), skipped="not an API"),
    ]
    # store.yaml was not linted (pre-commit passes a few files): its entry says nothing.
    _, stale = baseline.apply(results, entries, tmp_path)
    assert [e.file for e in stale] == ["api/pets.yaml"]


def test_apply_works_from_another_working_directory(tmp_path: Path, api: Path, monkeypatch) -> None:
    target = tmp_path / "ci" / "baseline.json"
    baseline.write([FileResult(str(api), findings=[finding("AGW301", api, "/a")])], target)
    monkeypatch.chdir(tmp_path / "api")
    result = FileResult("pets.yaml", findings=[finding("AGW301", Path("pets.yaml"), "/a")])
    (kept,), stale = baseline.apply([result], baseline.read(target), target.parent)
    assert stale == [] and kept.findings == []


@pytest.mark.parametrize(
    "text,problem",
    [
        pytest.param(
            '{"version": 2, "findings": []}',
            "not an apilint baseline (expected version 1 "
            "and a findings list; make one with `apilint baseline`)",
            id="version",
        ),
        pytest.param("[]", "not an apilint baseline (expected version 1", id="not-an-object"),
        pytest.param(
            '{"version": 1, "findings": [{"code": "AGW301", "file": "a.yaml"}]}',
            "findings[0] needs code, file and pointer strings",
            id="no-pointer",
        ),
        pytest.param(
            '{"version": 1, "findings": [{"code": "AGW301", "file": "a", "pointer": "/"}, 7]}',
            "findings[1] needs code, file and pointer strings",
            id="not-a-mapping",
        ),
        pytest.param("{", "not a JSON baseline (", id="json"),
    ],
)
def test_a_broken_baseline_is_one_message(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(UsageError) as caught:
        baseline.read(path)
    assert caught.value.message.startswith(f"{path}: {problem}")


def test_a_missing_baseline_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        baseline.read(tmp_path / "none.json")
    assert caught.value.message == (
        f"cannot read baseline {tmp_path / 'none.json'}: No such file or directory"
    )
