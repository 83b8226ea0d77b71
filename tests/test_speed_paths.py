"""The fast paths of a lint run give the same answers as the slow ones: positions from the
rapidyaml tree, the collector paused per file, the command line's exit without teardown, the
YAML pre-scan's searches."""

from __future__ import annotations

import gc
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from apilint.common.findings import Span
from apilint.document import ryml_loader
from apilint.document.ryml_loader import json_locator
from apilint.document.source import JsonLocator
from apilint.engine import run as engine
from apilint.engine.run import FileResult, Settings, lint_tasks

PITFALLS = str(FIXTURES / "examples" / "pitfalls.yaml")

# `a` twice: JSON parsers keep the later one, so findings about it must point there.
DUPLICATED = '{\n  "a": {"x": 1},\n  "b": [10, 20, 30],\n  "a": {"y": 2}\n}\n'


@pytest.mark.parametrize("walked", [0, 100], ids=["tree", "walk"])
def test_a_duplicated_json_key_is_located_at_the_copy_the_parser_keeps(walked: int) -> None:
    locator = JsonLocator(DUPLICATED)
    locator.BULK_AFTER = walked  # 0: the rapidyaml tree from the first lookup; 100: the walk
    assert locator.span(("a",)) == Span(4, 3, 4, 16)
    assert locator.span(("a", "y")) == Span(4, 9, 4, 15)
    assert locator.span(("b", "2")) == Span(3, 17, 3, 19)
    assert locator.span(("b", "3")) == Span(3, 3, 3, 20)  # past the end: the sequence


def test_the_tree_locates_every_entry_of_a_long_sequence_and_map() -> None:
    items = {f"k{i}": [i, {"v": i}] for i in range(3000)}
    text = json.dumps({"m": items, "s": list(range(3000))}, indent=1)
    tree = json_locator(text)
    assert tree is not None
    walk = JsonLocator(text)
    walk.BULK_AFTER = 10**6
    wanted = [("m", f"k{i}", "1", "v") for i in range(0, 3000, 7)]
    wanted += [("s", str(i)) for i in range(0, 3000, 11)] + [("s", "3000"), ("m", "nope")]
    assert [tree.span(t) for t in wanted] == [walk.span(t) for t in wanted]


JSON_FILES = sorted(FIXTURES.rglob("*.json"))


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_tree_and_the_walk_locate_every_json_node_alike(path: Path) -> None:
    # Every object and array of the file, and a key past the end of each: what findings point at.
    text = path.read_text(encoding="utf-8")
    repeats: list[bool] = []

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        repeats.append(len({k for k, _ in items}) < len(items))
        return dict(items)

    data = json.loads(text, object_pairs_hook=pairs)
    wanted: list[tuple[str, ...]] = []
    stack: list[tuple[tuple[str, ...], object]] = [((), data)]
    while stack:
        tokens, node = stack.pop()
        wanted += [tokens, (*tokens, "absent")]
        items = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else []
        )
        stack += [((*tokens, str(k)), v) for k, v in items]
    # With no key repeated, the tree looks up a node's first key with rapidyaml's own search.
    tree, walk = JsonLocator(text, duplicate_keys=any(repeats)), JsonLocator(text)
    walk.BULK_AFTER = 10**9
    assert [tree.span(t) for t in wanted] == [walk.span(t) for t in wanted]
    assert [tree.span(t) for t in wanted] == [walk.span(t) for t in wanted]  # from the tables


def test_each_file_is_linted_with_the_collector_paused_and_it_runs_again_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[bool] = []

    def lint_path(path: str, settings: Settings, prebuilt: object = None) -> list[FileResult]:
        seen.append(gc.isenabled())
        return [FileResult(path)]

    monkeypatch.setattr(engine, "lint_path", lint_path)
    assert gc.isenabled()
    results = lint_tasks([("a.yaml", Settings()), ("b.yaml", Settings())], jobs=1)
    assert [[r.path for r in rs] for rs in results] == [["a.yaml"], ["b.yaml"]]
    assert (seen, gc.isenabled()) == ([False, False], True)


def test_the_command_line_exits_with_its_code_and_all_output_written(tmp_path: Path) -> None:
    # The entry point skips the interpreter's teardown: what it printed and the report files it
    # wrote are all there, and its exit functions ran.
    sarif = tmp_path / "out.sarif"
    marker = tmp_path / "atexit-ran"
    code = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'yes')\n"
        "from apilint.cli import run\n"
        f"sys.argv = ['apilint', 'lint', {PITFALLS!r}, '--format', 'text', "
        f"'--format', 'sarif={sarif}']\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("Found ")
    assert json.loads(sarif.read_text())["runs"][0]["results"]
    assert marker.read_text() == "yes"


def test_a_thread_still_running_is_waited_for_as_the_ordinary_exit_does(tmp_path: Path) -> None:
    done_file = tmp_path / "thread-done"
    code = (
        "import pathlib, threading, time\n"
        "from apilint.common.collector import exit_now\n"
        "def late():\n"
        "    time.sleep(0.3)\n"
        f"    pathlib.Path({str(done_file)!r}).write_text('done')\n"
        "threading.Thread(target=late).start()\n"
        "print('out', end='')\n"
        "exit_now(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (3, "out", "")
    assert done_file.read_text() == "done"


# -- the YAML pre-scan: its faster searches find exactly what the plain ones found -------------

#: Pieces of YAML lines: indicators, blanks, risky and safe scalars, comments, markers.
_PIECES = [
    *(":", "-", "?", "[", "{", ",", "]", "}", " ", "  ", "\t", "\n", "\r\n", "#c", "'", '"'),
    *("yes", "No", "on", "y", "~", "Null", "0x1F", "017", "1_000", "12:30", "1e3", ".inf"),
    *("-.NaN", "+5", "string", "object", "2.5", "10", "&a", "!t", "!!str", "*a", "---", "..."),
    *("%YAML", "key", "<<"),
]
_YAML_ISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_YAML_ISH)
def test_searching_only_the_lines_with_a_needle_finds_every_match(text: str) -> None:
    for needles, pattern in (
        (("!",), ryml_loader._TAG()),
        (("&",), ryml_loader._ANCHOR()),
        (("?",), ryml_loader._COMPLEX_KEY()),
        (("---", "..."), ryml_loader._DOC_MARKER()),
    ):
        quick = [m.span() for m in ryml_loader._on_lines_with(needles, pattern, text)]
        assert quick == [m.span() for m in pattern.finditer(text)], pattern.pattern


# -- the benchmark's own parts ------------------------------------------------------------------

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def test_the_flat_scale_definition_has_one_finding_per_resource(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    from generate_export import generate_flat

    path = tmp_path / "flat.yaml"
    path.write_text(generate_flat(3))
    findings = engine.lint_file(str(path), Settings()).findings
    assert {(f.code, f.span.line) for f in findings} == {
        ("AGW301", 5),
        ("AGW301", 12),
        ("AGW301", 19),
    }


def test_the_phase_split_times_every_phase_of_a_run() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "phases.py"), PITFALLS], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    spent = json.loads(done.stdout)
    for phase in ("imports", "read+parse", "model build", "rules", "positions", "report"):
        assert spent[phase] > 0, phase
    assert spent["total"] >= spent["imports"] + spent["read+parse"] + spent["positions"]


# -- the source-text look before a walk ---------------------------------------------------------

_HINTS = ("apigateway-", "Apigateway-", "ApiGateway-", "APIGATEWAY-")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
@pytest.mark.parametrize(
    "value,expected",
    [
        ("x-amazon-apigateway-integration", True),
        ("X-APIGATEWAY-Thing", True),
        ("my-gateway-name", False),  # a shared tail alone
        ("GATEWAY-", False),
        ("none here", False),
    ],
)
def test_may_contain_is_false_only_when_no_needle_is_there(
    suffix: str, value: str, expected: bool, tmp_path: Path
) -> None:
    from apilint.document.loader import load_document
    from apilint.document.scan import may_contain

    path = tmp_path / f"api{suffix}"
    api = {"openapi": "3.0.1", "info": {"title": value}, "paths": {}}
    path.write_text(json.dumps(api) if suffix == ".json" else yaml.safe_dump(api))
    doc = load_document(path)
    assert type(doc.locator).__name__ == ("JsonLocator" if suffix == ".json" else "RymlLocator")
    assert may_contain(doc, _HINTS) is expected
    assert may_contain(doc, ("absent",), r"open\w+") is True


@pytest.mark.skipif(
    sys.platform != "linux", reason="fork, and ru_maxrss in KiB, as on the benchmark's Linux"
)
def test_the_benchmark_measures_a_run_not_itself() -> None:
    """A child counts the memory of the process it was forked from: the benchmark, holding a
    generated 7 MB definition, made a 5 KB lint look 70 MB. Its launcher keeps them apart."""
    # by its path: a bare `import measure` could find another module of that name
    spec = importlib.util.spec_from_file_location(
        "apilint_bench_measure", BENCHMARKS / "measure.py"
    )
    assert spec is not None and spec.loader is not None
    measure = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = measure  # its dataclass looks its module up there
    spec.loader.exec_module(measure)
    Timing, once = measure.Timing, measure.once

    held = bytearray(300 * 1024 * 1024)  # this process's size, touched so that it is resident
    for i in range(0, len(held), 4096):
        held[i] = 1
    timing = Timing()
    once([sys.executable, "-c", "big = bytearray(40 * 1024 * 1024)"], timing)
    (peak,) = timing.peaks
    assert 40 < peak < 150, peak
    assert timing.exit_codes == {0} and timing.cpus[0] > 0
    del held
