"""Prove that a performance change changes no output: lint every file of the given folders (and
each folder as `lint DIR`) with two checkouts of apilint and compare the reports byte for byte.

The base checkout is another tree of apilint (an unpacked `git archive` of main, say); both
run with the same interpreter, from the same directory, on the same absolute paths. Usage:

    python benchmarks/same_output.py --base /tmp/perf-base \\
        [--folder ../shared/perfcorpus ...] [--format json ...] [--jobs 2]

Without --folder: ../shared/perfcorpus, ../shared/corpus and fixtures. Exit code 1 and the
differing command lines when any output differs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = (".json", ".yaml", ".yml", ".tf")


def output(tree: Path, args: list[str], cwd: str) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "--fail-on", "never", *args],
        capture_output=True,
        env=env,
        # the same for both (reports hold it); empty: `python -m` puts it first on sys.path
        cwd=cwd,
    )
    return done.returncode, done.stdout, done.stderr


def commands(folders: list[Path], formats: list[str]) -> list[list[str]]:
    out = []
    for folder in folders:
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        for target in [folder, *files]:
            out.extend(["-f", fmt, str(target)] for fmt in formats)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, type=Path)
    parser.add_argument("--folder", action="append", type=Path, default=[])
    parser.add_argument("--format", action="append", default=[])
    parser.add_argument("--jobs", type=int, default=2)
    opts = parser.parse_args(argv)
    shared = ROOT.parent / "shared"
    folders = opts.folder or [shared / "perfcorpus", shared / "corpus", ROOT / "fixtures"]
    todo = commands([f.resolve() for f in folders], opts.format or ["json"])

    with tempfile.TemporaryDirectory() as cwd:

        def differs(args: list[str]) -> str | None:
            same = output(opts.base.resolve(), args, cwd) == output(ROOT, args, cwd)
            return None if same else " ".join(args)

        with ThreadPoolExecutor(opts.jobs) as pool:
            different = [d for d in pool.map(differs, todo) if d is not None]
    for line in different:
        print(f"differs: apilint lint --fail-on never {line}")
    print(f"{len(todo) - len(different)} of {len(todo)} outputs identical")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
