"""`apilint lint` without typer (apilint.commands.quick) answers exactly as the typer app does,
and leaves to it every command line it does not read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES

from apilint.cli import main
from apilint.commands.quick import parse, quick_lint

PITFALLS = str(FIXTURES / "examples" / "pitfalls.yaml")
CLEAN = str(FIXTURES / "clean" / "rest-oas3.yaml")

READ_HERE = [
    ["lint", PITFALLS],
    ["lint", "-q", "--min-severity", "warning", PITFALLS, CLEAN],
    ["lint", "--quiet", "--format", "json", "--fail-on=never", PITFALLS],
    ["lint", "--select", "AGW3,AGW403", "--ignore", "AGW301", "--select", "AGW402", PITFALLS],
    ["lint", "--api-type", "http", "-f", "github", PITFALLS],
    ["lint", "--fail-on", "info", "--fail-on", "never", CLEAN],
    ["lint", "--format", "nope", PITFALLS],  # run_lint's usage error, same line and code
    ["lint", "--config", "no-such.toml", PITFALLS],
    ["lint", "--error-on-no-input", str(FIXTURES / "examples" / "nowhere")],
    ["lint", "--min-severity=error", "--format", "concise", PITFALLS],
    ["lint", "-f", "sarif", PITFALLS],  # SARIF carries the findings' fixes
]


@pytest.mark.parametrize("argv", READ_HERE, ids=lambda a: " ".join(a[1:-1]) or "paths")
def test_the_quick_path_answers_as_the_typer_app(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    work = quick_lint(argv)
    assert work is not None
    quick = (work(), *capsys.readouterr())
    assert quick == (main(argv), *capsys.readouterr())


@pytest.mark.parametrize(
    "argv",
    [
        ["lint"],  # no path: typer says so
        ["lint", "--help"],
        ["lint", "--fail-on", "sometimes", PITFALLS],  # typer names the choices
        ["lint", "--fail-on"],
        ["lint", "--format", "--quiet", PITFALLS],  # click would take --quiet as the format
        ["lint", "-qf", "json", PITFALLS],
        ["lint", "-f=json", PITFALLS],  # click reads the value `=json`
        ["lint", "--quiet=yes", PITFALLS],
        ["lint", "--jobs", "2", PITFALLS],
        ["lint", "--fix", PITFALLS],
        ["lint", "--debug", PITFALLS],
        ["lint", "--", PITFALLS],
        ["rules"],
        [],
    ],
)
def test_every_other_command_line_goes_to_the_typer_app(argv: list[str]) -> None:
    assert parse(argv) is None and quick_lint(argv) is None


def test_the_executable_lints_without_typer_and_still_has_its_help(tmp_path: Path) -> None:
    listing = tmp_path / "modules"
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(listing)!r}, 'w').write(' '.join(sys.modules)))\n"
        "from apilint.entry import run\n"
        f"sys.argv = ['apilint', 'lint', '-q', {PITFALLS!r}]\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (1, "")
    assert "AGW402" in done.stdout
    modules = set(listing.read_text().split())
    assert "apilint.engine.run" in modules
    assert sorted(m for m in modules if m.split(".")[0] in ("typer", "click")) == []
    helped = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "--help"], capture_output=True, text=True
    )
    assert helped.returncode == 0 and "--min-severity" in helped.stdout


@pytest.mark.parametrize(
    ("paths", "collecting"),
    [
        pytest.param([PITFALLS], False, id="one-file"),
        pytest.param([PITFALLS, PITFALLS], True, id="two-files"),
        pytest.param([str(Path(PITFALLS).parent)], True, id="a-folder"),
    ],
)
def test_the_executable_collects_cycles_between_files_only(
    tmp_path: Path, paths: list[str], collecting: bool
) -> None:
    # One file is linted with the collector paused; after it, the process only reports and
    # ends: a collection then would walk all the lint made for nothing.
    seen = tmp_path / "gc"
    code = (
        "import atexit, gc, sys\n"
        f"atexit.register(lambda: open({str(seen)!r}, 'w').write(str(gc.isenabled())))\n"
        "from apilint.entry import run\n"
        f"sys.argv = ['apilint', 'lint', '-q', '--fail-on', 'never', *{paths!r}]\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert seen.read_text() == str(collecting)


def test_the_quick_path_and_the_app_offer_the_same_choices() -> None:
    from apilint.cli import ApiType, FailOn, MinSeverity
    from apilint.commands.quick import API_TYPES, FAIL_ON, MIN_SEVERITY

    assert [c.value for c in FailOn] == list(FAIL_ON)
    assert [c.value for c in MinSeverity] == list(MIN_SEVERITY)
    assert [c.value for c in ApiType] == list(API_TYPES)
