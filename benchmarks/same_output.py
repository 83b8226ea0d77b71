"""Proof that a performance change leaves apilint's output alone: `apilint lint --fail-on never`
on every file of the given folders (and on each folder whole), in the given formats, byte for
byte the same from a base tree (main unpacked somewhere) and from this one.

Each tree runs in one worker process that imports it and takes the command lines one after the
other, as `python -m apilint` does (apilint.entry: the typer-free lint path, else the full
command line): thousands of runs in seconds instead of a process each. Standard output, standard
error and the exit code are compared. Prints the differing runs and exits 1 when any differ.

Usage: python benchmarks/same_output.py --base /tmp/perf-base [--formats json,text]
           [--all-formats-for ../shared/perfcorpus] FOLDER...
(defaults: ../shared/perfcorpus ../shared/corpus fixtures; every format on the perfcorpus)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("json",)
#: The formats that show positions: all of them are compared on the big documents.
ALL_FORMATS = ("json", "text", "concise", "sarif", "github", "gitlab", "junit", "markdown", "html")
SUFFIXES = {".json", ".yaml", ".yml", ".tf", ".tpl"}

_WORKER = r"""
import io, json, sys
from contextlib import redirect_stderr, redirect_stdout
from functools import partial

from apilint.cli import main
from apilint.commands.quick import quick_lint

for line in sys.stdin:
    args = json.loads(line)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            work = quick_lint(args) or partial(main, args)
            code = work()
        except SystemExit as exc:
            code = exc.code
    print(json.dumps([code, out.getvalue(), err.getvalue()]), flush=True)
"""


def command_lines(
    folders: list[Path], formats: tuple[str, ...], every: set[Path]
) -> list[list[str]]:
    lines = []
    for folder in folders:
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        for path in [folder, *files]:
            shown = ALL_FORMATS if folder.resolve() in every else formats
            lines += [["lint", "--fail-on", "never", "-f", fmt, str(path)] for fmt in shown]
    return lines


def outputs(tree: Path, lines: list[list[str]]) -> list[list[object]]:
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1"}
    stdin = "".join(json.dumps(args) + "\n" for args in lines)
    done = subprocess.run(
        [sys.executable, "-c", _WORKER],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{tree}: the worker failed:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=Path("/tmp/perf-base"))
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--all-formats-for", type=Path, action="append")
    parser.add_argument("folders", type=Path, nargs="*")
    args = parser.parse_args()
    shared = ROOT.parent / "shared"
    folders = args.folders or [shared / "perfcorpus", shared / "corpus", ROOT / "fixtures"]
    every = {p.resolve() for p in (args.all_formats_for or [shared / "perfcorpus"])}
    lines = command_lines(folders, tuple(args.formats.split(",")), every)
    base, ours = outputs(args.base, lines), outputs(ROOT, lines)
    differ = [args_ for args_, a, b in zip(lines, base, ours, strict=True) if a != b]
    for args_ in differ:
        print("differs:", " ".join(args_))
    print(f"{len(lines) - len(differ)} of {len(lines)} runs the same")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
