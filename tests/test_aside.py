"""The positions process (apilint.document.aside): a large file linted alone has its findings
located by a forked process, with the same results as in this process; any trouble with the
process costs only time; it starts only where the run allows it and ends with the run."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import FIXTURES, require_shared, run

from apilint.common.findings import Finding
from apilint.document import aside, loader
from apilint.document.loader import read_document
from apilint.document.model import Document
from apilint.engine import run as engine
from apilint.engine.run import Settings, lint_tasks

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the positions process needs fork")


def _definition(paths: int) -> dict[str, object]:
    """A Swagger definition with `paths` operations, each with findings on the operation, its
    parameter and its response (no auth, no integration, an unsupported schema keyword)."""
    return {
        "swagger": "2.0",
        "info": {"title": "big", "version": "1"},
        "paths": {
            f"/items{i}/{{id}}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "type": "string"}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok \u00e9t\u00e9",  # not ASCII: columns count characters
                            "schema": {"type": "object", "oneOf": [{"type": "string"}]},
                        }
                    },
                }
            }
            for i in range(paths)
        },
    }


def _yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@pytest.fixture
def big_json(tmp_path: Path) -> Path:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(_definition(4000), indent=2, ensure_ascii=False))
    assert path.stat().st_size >= aside.ASIDE_MIN_BYTES
    return path


@pytest.fixture
def big_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "big.yaml"
    path.write_text(_yaml(_definition(4000)))
    assert path.stat().st_size >= aside.ASIDE_MIN_BYTES
    return path


class _Spy:
    """What the positions processes of a run did: started, asked, answered."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started: list[aside.Aside] = []
        self.answers: list[int | None] = []
        start, spans = aside.Aside.__init__, aside.Aside.spans

        def spying_init(s: aside.Aside, *args: object) -> None:
            start(s, *args)  # type: ignore[arg-type]
            self.started.append(s)

        def spying_spans(s: aside.Aside, pointers: object) -> object:
            found = spans(s, pointers)  # type: ignore[arg-type]
            self.answers.append(None if found is None else len(found))
            return found

        monkeypatch.setattr(aside.Aside, "__init__", spying_init)
        monkeypatch.setattr(aside.Aside, "spans", spying_spans)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Spy]:
    yield _Spy(monkeypatch)


def _findings(path: Path, jobs: int | None = None) -> list[Finding]:
    [results] = lint_tasks([(str(path), Settings())], jobs=jobs)
    return [f for r in results for f in r.findings]


def _located_here(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """The findings with no process started (the name the loader calls), all in this one."""
    with monkeypatch.context() as m:
        m.setattr(loader, "start", lambda raw, as_json: None)
        return _findings(path)


def _exact(findings: list[Finding]) -> list[tuple[str, str, tuple[int, int, int, int]]]:
    return [(f.code, f.pointer, tuple(f.span)) for f in findings]


@pytest.mark.parametrize("name", ["big_json", "big_yaml"])
def test_large_file_is_located_aside_with_the_same_findings(
    name: str, request: pytest.FixtureRequest, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    path: Path = request.getfixturevalue(name)
    aside_found = _findings(path)
    assert len(spy.started) == 1
    assert spy.answers == [len(aside_found)]  # one question, every span answered
    here = _located_here(path, monkeypatch)
    assert _exact(aside_found) == _exact(here)
    assert {f.code for f in here} >= {"AGW301", "AGW403"}
    assert len(here) > 8000


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-stripe.json", "large-stripe.yaml", "xl-github.json"])
def test_real_large_definitions_are_located_aside_alike(
    name: str, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = require_shared("perfcorpus", name)
    aside_found = _findings(path)
    assert len(spy.started) == 1 and spy.answers == [len(aside_found)]
    assert _exact(aside_found) == _exact(_located_here(path, monkeypatch))


def test_the_process_ends_with_the_run(big_json: Path, spy: _Spy) -> None:
    _findings(big_json)
    [process] = spy.started
    assert process.pid == 0  # reaped: no zombie left behind
    assert process._send is None and process._receive is None


def test_a_process_that_died_costs_only_time(
    big_json: Path, monkeypatch: pytest.MonkeyPatch, spy: _Spy
) -> None:
    """Killed before it answers: the findings are located here, the same."""
    ahead = aside.Aside.ahead

    def kill_then_send(s: aside.Aside, pointers: object) -> None:
        if s.pid:
            os.kill(s.pid, signal.SIGKILL)
            os.waitpid(s.pid, 0)
            s.pid = 0
        ahead(s, pointers)  # type: ignore[arg-type]

    monkeypatch.setattr(aside.Aside, "ahead", kill_then_send)
    found = _findings(big_json)
    assert spy.answers and set(spy.answers) == {None}
    assert _exact(found) == _exact(_located_here(big_json, monkeypatch))


def test_a_process_without_a_tree_answers_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: _Spy
) -> None:
    """A JSON file that spells a surrogate as an escape has no rapidyaml tree: the process says
    so and the walk of the JSON text locates the findings here."""
    data = _definition(4000)
    data["info"] = {"title": "\\ud83d\\ude00 big", "version": "1"}
    path = tmp_path / "escaped.json"
    path.write_text(json.dumps(data, indent=2).replace("\\\\ud83d\\\\ude00", "\\ud83d\\ude00"))
    assert b"\\ud83d" in path.read_bytes()
    found = _findings(path)
    assert spy.answers == [None]
    assert _exact(found) == _exact(_located_here(path, monkeypatch))


def test_one_job_small_files_and_other_readers_start_none(
    big_json: Path, tmp_path: Path, spy: _Spy
) -> None:
    _findings(big_json, jobs=1)  # --jobs 1: one core
    small = tmp_path / "small.json"
    small.write_text(json.dumps(_definition(3)))
    _findings(small)
    doc = read_document(big_json, str(big_json), 100_000_000, aside=True)  # outside a lint run
    assert isinstance(doc, Document) and doc.aside is None
    with aside.offloading(True):  # a file a lint reads besides its own ($ref, an includer)
        doc = read_document(big_json, str(big_json), 100_000_000)
        assert isinstance(doc, Document) and doc.aside is None
    assert spy.started == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param('{"swagger": "2.0", "x-a": NaN, "paths": {}}', id="json-orjson-refuses"),
        pytest.param("swagger: '2.0'\nx: &a {b: 1}\ny: *a\npaths: {}\n", id="yaml-alias"),
    ],
)
def test_files_read_otherwise_are_located_here(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spy: _Spy
) -> None:
    """JSON that orjson refuses (the stdlib reads NaN) and YAML the fast path declines have
    locators of their own: the process (started before the parse could tell) is ended,
    unused."""
    monkeypatch.setattr(aside, "ASIDE_MIN_BYTES", 0)
    path = tmp_path / ("api.json" if text.startswith("{") else "api.yaml")
    path.write_text(text)
    with aside.offloading(True):
        doc = read_document(path, str(path), 100_000, aside=True)
        assert isinstance(doc, Document) and doc.aside is None
        [process] = spy.started
        assert process.pid == 0


@pytest.mark.slow
def test_every_rule_fixture_is_located_alike(
    monkeypatch: pytest.MonkeyPatch, spy: _Spy, capfd: pytest.CaptureFixture[str]
) -> None:
    """Every file among the fixtures and examples, definitions and templates (whose APIs are
    documents with other locators: the process must not answer for them), each with its own
    process (the size floor lowered): the same findings and positions as located here, and
    not a byte from the processes on the terminal."""
    monkeypatch.setattr(aside, "ASIDE_MIN_BYTES", 0)
    files = sorted(
        p
        for folder in (FIXTURES, FIXTURES.parent / "examples")
        for p in folder.rglob("*")
        if p.suffix in (".yaml", ".yml", ".json")
    )
    checked = 0
    for path in files:
        started = len(spy.started)
        found = _findings(path)
        if len(spy.started) == started or not found:
            continue  # a template, or no finding to place
        assert _exact(found) == _exact(_located_here(path, monkeypatch)), path
        checked += 1
    assert checked > 300
    assert spy.answers and None not in spy.answers
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_the_command_line_locates_aside(
    big_yaml: Path, spy: _Spy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "lint", "-f", "json", "--fail-on", "never", str(big_yaml))
    assert code == 0 and len(spy.started) == 1
    first = [(r["code"], r["line"], r["column"]) for r in json.loads(out)["results"][:3]]
    assert first == [("AGW601", 5, 1), ("AGW301", 7, 5), ("AGW403", 7, 5)]


def test_positions_from_a_prepared_index_are_the_same(big_json: Path) -> None:
    """The process builds the line table before the first question (LineIndex.prepare):
    positions read from it are those of the one pass over the text."""
    from apilint.document.lines import LineIndex

    raw = big_json.read_bytes()
    offsets = list(range(0, len(raw), 997)) + [len(raw)]
    fresh, prepared = LineIndex(raw), LineIndex(raw)
    prepared.prepare()
    assert prepared.positions(offsets) == fresh.positions(offsets)
    assert not fresh.text.isascii()


def test_spans_of_uses_the_documents_process(big_json: Path, spy: _Spy) -> None:
    """engine.spans_of asks each document once, through its process when it has one."""
    with aside.offloading(True):
        doc = read_document(big_json, str(big_json), 100_000_000, aside=True)
        assert isinstance(doc, Document) and doc.aside is not None
        pointers = [("paths", "/items1/{id}", "get"), ("info",), ("paths", "missing")]
        doc.ahead(pointers[:1])
        found = engine.spans_of([(doc, t) for t in pointers])
        assert spy.answers == [3]
        assert found[1].line == 3 and found[2] == found[2]._make(doc.locator.span(("paths",)))


def test_the_process_guesses_operations_and_models_until_pointers_come(big_yaml: Path) -> None:
    """Before the first pointers arrive it locates every operation and named model (most
    findings point at them); once pointers wait in the pipe, it stops guessing."""
    locator = aside.yaml_tree(big_yaml.read_bytes())
    assert locator is not None
    assert locator.keys(("paths", "/items7/{id}")) == ["get"]
    assert locator.keys(("swagger",)) == [] and locator.keys(("absent",)) == []
    read, write = os.pipe()
    with open(read, "rb") as inbox, open(write, "wb") as parent:
        aside._guess(locator, inbox)
        assert set(locator._spans) == {("paths", f"/items{i}/{{id}}", "get") for i in range(4000)}
        waiting = aside.yaml_tree(big_yaml.read_bytes())
        parent.write(b"x")
        parent.flush()
        aside._guess(waiting, inbox)
        assert waiting._spans == {}


def _big_json_with(tmp_path: Path, extra: str) -> Path:
    """big.json with `extra` spliced into its info object (written as text: json.dumps could
    not write a repeated key)."""
    text = json.dumps(_definition(4000), indent=2)
    path = tmp_path / "tricky.json"
    path.write_text(text.replace('"title": "big",', '"title": "big", ' + extra + ",", 1))
    assert path.stat().st_size >= aside.ASIDE_MIN_BYTES
    return path


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param('"version": "0", "x-a": 1, "x-a": 2', id="repeated-key"),
        pytest.param('"x-big": 18446744073709551616', id="integer-past-64-bits"),
    ],
)
def test_json_taken_before_its_checks_is_read_again_when_they_fail(
    extra: str, tmp_path: Path, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON fast path's checks run in the positions process; when they refuse the file
    (orjson's reading differs from the stdlib's), the file is linted again, as one process
    lints it: a repeated key is reported, a long integer stays an integer."""
    path = _big_json_with(tmp_path, extra)
    read = []
    original = engine.lint_path

    def counted(*args: object, **kwargs: object) -> object:
        read.append(args[0])
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "lint_path", counted)
    found = _findings(path)
    assert read == [str(path), str(path)] and len(spy.started) == 1
    assert spy.started[0].verdict is False
    monkeypatch.setattr(engine, "lint_path", original)
    assert _exact(found) == _exact(_findings(path, jobs=1))
    if "x-a" in extra:
        assert any(f.pointer == "/info/x-a" for f in found)


def test_json_whose_checks_pass_is_linted_once(
    big_json: Path, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = []
    original = engine.lint_path
    monkeypatch.setattr(engine, "lint_path", lambda *a, **k: read.append(a[0]) or original(*a, **k))
    _findings(big_json)
    assert read == [str(big_json)] and spy.started[0].verdict is True


def test_a_process_that_cannot_give_its_verdict_has_the_file_read_again(
    tmp_path: Path, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big_json_with(tmp_path, '"x-a": 1, "x-a": 2')
    confirmed = aside.Aside.confirmed

    def killed_first(s: aside.Aside) -> bool:
        os.kill(s.pid, signal.SIGKILL)
        return confirmed(s)

    monkeypatch.setattr(aside.Aside, "confirmed", killed_first)
    found = _findings(path)
    assert spy.started[0].verdict is False
    assert any(f.pointer == "/info/x-a" for f in found)


def test_a_process_that_never_answers_costs_only_a_wait(
    big_json: Path, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process stuck in a bug of ours: the run waits ANSWER_SECONDS, then reads and locates
    the file itself, and the process is ended. Its pipe fills long before (one page: the
    findings' pointers are 300 KB), and the rules do not wait on it for ever either."""
    import time

    def stuck(*_: object) -> None:
        time.sleep(3600)

    monkeypatch.setattr(aside, "_serve", stuck)
    monkeypatch.setattr(aside, "ANSWER_SECONDS", 0.2)
    monkeypatch.setattr(aside, "_PIPE_BYTES", 4096)
    found = _findings(big_json)
    assert spy.started[0].verdict is False and spy.started[0].pid == 0
    assert _exact(found) == _exact(_findings(big_json, jobs=1))
