"""Mutate real inputs and check that apilint survives every one of them.

Shared by tests/test_fuzz.py (a bounded, fixed-seed run in CI) and scripts/fuzz.py (the long
run). The inputs are the four kinds apilint reads: API definitions, CloudFormation/SAM templates,
Terraform modules (with their `templatefile` definitions) and configuration files. The mutations
are those of hand-edited and generated files gone wrong: keys deleted, values of the wrong type,
odd scalars, deep nesting, duplicated paths and keys, stray characters and truncated text.

Document `i` of a run with seed `s` is drawn from `random.Random(f"{s}:{i}")` alone, so any
failure is reproduced by `scripts/fuzz.py --seed s --only i`. A crash while *making* a document
is the fuzzer's problem, not apilint's: it is counted and the run goes on.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import random
import re
import signal
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from helpers import CORPUS, FIXTURES

from apilint.catalog.registry import load_rules
from apilint.cli import main
from apilint.document.libyaml_loader import load_libyaml

KINDS = ("definition", "template", "terraform", "config")
_TEMPLATES = FIXTURES / "templates"
_RULES = FIXTURES / "rules"

DEFINITIONS = sorted(
    [p for p in (CORPUS / "real").glob("*") if p.suffix in (".yaml", ".json")]
    + [p for p in (FIXTURES / "clean").glob("*") if p.suffix in (".yaml", ".json")]
    + [FIXTURES / "examples" / "pitfalls.yaml"]
    + sorted(_RULES.glob("*/swagger2-rest.yaml"))[:6]
    + sorted(_RULES.glob("*/http.yaml"))[:6]
)


@dataclass(frozen=True)
class Seed:
    """Real files to start from: `files` maps a name in the case folder to its source."""

    kind: str
    files: dict[str, Path]
    target: str = "."  # what `apilint lint` is given, inside the case folder


def _folder(kind: str, folder: Path, names: tuple[str, ...]) -> Seed:
    return Seed(kind, {name: folder / name for name in names})


SEEDS: list[Seed] = [
    Seed("definition", {f"api{p.suffix}": p}, f"api{p.suffix}") for p in DEFINITIONS
] + [
    _folder("template", _TEMPLATES / "cloudformation-json", ("template.json",)),
    _folder("template", _RULES / "lambda-reference-dangling", ("cloudformation.json",)),
    _folder("template", _TEMPLATES / "sam-yaml", ("template.yaml",)),
    _folder("template", _RULES / "template-body-mixed-with-resources", ("template.yaml",)),
    _folder("template", _TEMPLATES / "aws-include", ("template.yaml", "openapi.yaml")),
    _folder("template", _TEMPLATES / "sam-definition-uri", ("template.yaml", "api/shop.yaml")),
    _folder("terraform", _TEMPLATES / "terraform-templatefile", ("main.tf", "openapi.yaml.tpl")),
    _folder("terraform", _TEMPLATES / "terraform-jsonencode", ("main.tf", "lambda.tf")),
    _folder("terraform", _RULES / "lambda-reference-dangling", ("main.tf",)),
]

ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    1e308,
    "",
    "${var}",
    "é\u202e",
    "x" * 5000,
    [],
    {},
    [[[[[]]]]],
    {"$ref": "#/nowhere"},
    {"$ref": "#"},
    {"$ref": "http://x/y"},
    {"$ref": "../../etc/passwd"},
    {"Fn::Sub": "arn:${AWS::Region}"},
    {"Ref": ["a", "b"]},
    {"Ref": {"Ref": "x"}},
    {"Fn::GetAtt": 7},
    {"Fn::Sub": [1, {"a": []}]},
    {"Fn::Transform": {"Name": "AWS::Include"}},
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations",
    {"type": "object", "properties": {"a": {"type": "array"}}},
]
#: Fragments dropped into text: YAML/HCL/TOML syntax out of place, control and bidi characters.
ODD_TEXT = [
    "{",
    "}",
    "[",
    "]",
    ": :",
    "'",
    '"',
    "${",
    "%{",
    "\t",
    "\u202e",
    "\ufeff",
    "#",
    "&a ",
    "*a ",
    "!Ref ",
    "<<: *a\n",
    "---\n",
    "%YAML 1.1\n",
    "\\",
    "= =",
    "\n  - x\n",
    "é",
]
#: Nesting added by one mutation; with the deepest source this stays well inside the encoders'
#: recursion limits (a RecursionError there was the fuzzer stopping itself).
MAX_NEST = 300

#: Configuration keys (apilint.engine.config.KEYS and one unknown) with values right and wrong.
CONFIG_VALUES: dict[str, list[Any]] = {
    "select": [["AGW301"], ["security-scheme-undefined"], ["AGW9999"], "AGW301", [1], []],
    "extend-select": [["AGW1"], ["AGW301", "nope"], {}, ""],
    "ignore": [["AGW301"], ["ALL"], [None], 3],
    "per-file-ignores": [{"*.yaml": ["AGW301"]}, {"[": ["AGW301"]}, {"*": "AGW301"}, ["x"]],
    "severity": [{"AGW301": "error"}, {"AGW301": "fatal"}, {"nope": "info"}, "error"],
    "options": [{"AGW301": {"x": 1}}, {"AGW301": 1}, {"nope": {}}, []],
    "fail-on": ["error", "never", "sometimes", 1],
    "api-type": ["rest", "http", "websocket", True],
    "max-file-size": ["2KB", "lots", 0, -1, 10**30, "1e3MB"],
    "allow-outside-refs": [True, "yes", 0],
    "unknown-key": [1, "x"],
}


@dataclass
class Case:
    kind: str
    files: dict[str, str]
    target: str
    seed: str


class _Draw:
    """random.Random with the choices this module needs."""

    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)

    def chance(self, one_in: int) -> bool:
        return self.rng.randrange(one_in) == 0

    def pick(self, items: list[Any] | tuple[Any, ...]) -> Any:
        return items[self.rng.randrange(len(items))]

    def int(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)


def _containers(node: Any) -> list[Any]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, (dict, list)):
            out.append(n)
            stack.extend(n.values() if isinstance(n, dict) else n)
    return out


def mutate_data(data: Any, draw: _Draw) -> None:
    """One to four structural mutations of parsed YAML/JSON, in place."""
    nested = False
    for _ in range(draw.int(1, 4)):
        nodes = [n for n in _containers(data) if n]
        if not nodes:
            return
        node = draw.pick(nodes)
        key = draw.pick(list(node) if isinstance(node, dict) else range(len(node)))
        action = draw.pick(["delete", "odd", "odd", "swap", "nest", "duplicate-path"])
        if action == "delete":
            del node[key]
        elif action == "odd":
            node[key] = copy.deepcopy(draw.pick(ODD_VALUES))
        elif action == "swap":  # a scalar where a container was, or a list where a map was
            value = node[key]
            node[key] = (
                [value]
                if isinstance(value, dict)
                else ({"value": value} if isinstance(value, list) else [value])
            )
        elif action == "nest" and not nested:
            nested = True  # once per document: nests inside nests outgrew the encoders
            deep: Any = "bottom"
            for _ in range(draw.int(50, MAX_NEST)):
                deep = {"a": deep}
            node[key] = deep
        elif isinstance(data, dict) and isinstance(data.get("paths"), dict) and data["paths"]:
            paths = data["paths"]
            first = next(iter(paths))
            twin = re.sub(r"\{[^}]*\}", "{other}", first) if "{" in first else first + "/"
            paths[twin] = copy.deepcopy(paths[first])


def mutate_text(text: str, draw: _Draw) -> str:
    lines = text.splitlines(keepends=True)
    action = draw.pick(["truncate", "drop-line", "double-line", "insert"])
    if action == "truncate" or not lines:
        return text[: draw.int(0, len(text))]
    at = draw.int(0, len(lines) - 1)
    if action == "drop-line":
        del lines[at]
    elif action == "double-line":
        lines.insert(at, lines[at])
    else:
        line = lines[at]
        cut = draw.int(0, len(line))
        lines[at] = line[:cut] + draw.pick(ODD_TEXT) + line[cut:]
    return "".join(lines)


def _read(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    return load_libyaml(text, str(path))[0]  # short tags (!Ref) become their long form


_CACHE: dict[Path, Any] = {}


def source_data(path: Path) -> Any:
    if path not in _CACHE:
        _CACHE[path] = _read(path)
    return copy.deepcopy(_CACHE[path])


def _dump(data: Any, as_json: bool, draw: _Draw) -> str:
    if as_json:
        return json.dumps(data, indent=draw.pick([None, 2]), default=str)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)
    if draw.chance(2) and "\npaths:" in text:
        text += "paths: {}\n"  # a duplicate top-level key
    return text


def _mutated_file(name: str, path: Path, draw: _Draw) -> tuple[str, str]:
    """(name, text): structured files are mutated as data (and JSON may be written as YAML,
    YAML as JSON for definitions), anything else as text."""
    if path.suffix not in (".json", ".yaml", ".tpl"):
        return name, mutate_text(path.read_text(encoding="utf-8"), draw)
    data = source_data(path)
    mutate_data(data, draw)
    as_json = path.suffix == ".json"
    if name.startswith("api.") and path.suffix == ".yaml" and draw.chance(2):
        as_json, name = True, "api.json"
    return name, _dump(data, as_json, draw)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # a TOML basic string reads JSON escapes alike
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    return '""'  # None: TOML has no null


def _config_case(draw: _Draw, seed: str) -> Case:
    keys = draw.rng.sample(list(CONFIG_VALUES), draw.int(1, 4))
    body = "".join(f"{key} = {_toml_value(draw.pick(CONFIG_VALUES[key]))}\n" for key in keys)
    name = draw.pick([".apilint.toml", "pyproject.toml"])
    if name == "pyproject.toml":
        body = "[tool.apilint]\n" + body
    if draw.chance(5):
        body = mutate_text(body, draw)
    source = draw.pick(DEFINITIONS)
    api = f"api{source.suffix}"
    return Case(
        "config", {name: body, api: source.read_text(encoding="utf-8")}, draw.pick([api, "."]), seed
    )


def make_case(seed: str) -> Case:
    draw = _Draw(seed)
    kind = draw.pick(KINDS)
    if kind == "config":
        return _config_case(draw, seed)
    origin: Seed = draw.pick([s for s in SEEDS if s.kind == kind])
    primary = draw.pick(list(origin.files))
    files: dict[str, str] = {}
    target = origin.target
    for name, path in origin.files.items():
        if name == primary:
            new_name, text = _mutated_file(name, path, draw)
            target = new_name if target == name else target
            name = new_name
        else:
            text = path.read_text(encoding="utf-8")
        if draw.chance(10):
            text = mutate_text(text, draw)
        files[name] = text
    return Case(kind, files, target, seed)


def write_case(case: Case, folder: Path) -> Path:
    for name, text in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder / case.target


_CODES: set[str] = set()


def check_survives(target: Path) -> None:
    """Lint `target` in every format: exit 0/1/2, no traceback, only well-formed findings."""
    if not _CODES:
        _CODES.update(r.code for r in load_rules())
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(
            [
                "lint",
                str(target),
                "-f",
                "json",
                "-f",
                "text=/dev/null",
                "-f",
                "sarif=/dev/null",
                "-f",
                "html=/dev/null",
                "-f",
                "junit=/dev/null",
            ]
        )
    assert status in (0, 1, 2), status
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert "internal error" not in err.getvalue(), err.getvalue()
    if status == 2 and not out.getvalue():
        # A usage or configuration error stops the run before any report: one line says why.
        assert err.getvalue().count("\n") == 1, err.getvalue()
        return
    payload = json.loads(out.getvalue())
    # One line per file that could not be read, and notes on the files skipped; nothing else.
    lines = err.getvalue().splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert len(errors) == len(payload["errors"]) and (status == 2) == bool(errors), lines
    assert all(
        ": note: " in line or line.startswith("apilint: no API definitions found in ")
        for line in lines
        if line not in errors
    ), lines
    assert not payload["internal_errors"], payload["internal_errors"]  # crashed rules
    for f in payload["results"]:
        assert f["code"] in _CODES, f
        text = Path(f["file"]).read_text(encoding="utf-8", errors="replace")
        assert 1 <= f["line"] <= text.count("\n") + 1 and f["column"] >= 1, f
        assert f["message"] and f["severity"] in ("error", "warning", "info"), f


class _Timeout(BaseException):
    """Not an Exception: apilint's own handlers (a crashing rule becomes a finding) must not
    swallow it."""


@contextlib.contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise _Timeout(f"apilint did not finish in {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Failure:
    index: int
    kind: str
    problem: str
    case: Case


@dataclass
class Report:
    documents: Counter[str] = field(default_factory=Counter)  # linted, by kind
    generator_errors: Counter[str] = field(default_factory=Counter)  # by exception type
    failures: list[Failure] = field(default_factory=list)


def run(
    count: int,
    seed: int | str,
    workdir: Path,
    *,
    start: int = 0,
    timeout: int = 120,
    make: Callable[[str], Case] = make_case,
    progress: Callable[[int, Report], None] | None = None,
) -> Report:
    """Lint documents start..start+count-1 of the run `seed`; apilint's failures are collected,
    the generator's are counted, neither stops the run."""
    report = Report()
    for index in range(start, start + count):
        try:
            case = make(f"{seed}:{index}")
        except Exception as exc:  # noqa: BLE001 - the fuzzer's own bug: count it, go on
            report.generator_errors[type(exc).__name__] += 1
            continue
        folder = workdir / str(index)
        folder.mkdir(parents=True)
        target = write_case(case, folder)
        try:
            with _deadline(timeout):
                check_survives(target)
        except (Exception, _Timeout) as exc:  # noqa: BLE001 - apilint's failure: keep it
            problem = f"{type(exc).__name__}: {str(exc)[:2000]}"
            report.failures.append(Failure(index, case.kind, problem, case))
        else:
            _remove(folder)
        report.documents[case.kind] += 1
        if progress is not None:
            progress(index, report)
    return report


def _remove(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    folder.rmdir()
