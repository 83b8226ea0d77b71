"""Findings must not change: lint every file (and each folder) with two source trees and compare
the output byte for byte.

Runs `python -m apilint lint --fail-on never -f FORMAT PATH` with PYTHONPATH set to the base tree
(main's tree unpacked somewhere, read-only) and to this worktree, for every file under the given
folders and for `lint DIR` on each folder; prints each path whose output or exit code differs
and exits 1 if any does. Usage:

    python benchmarks/same_output.py --base /tmp/perf-base [--jobs 2] [--formats json,text,sarif]
                                     [DIR ...]  (default: ../shared/perfcorpus ../shared/corpus
                                                fixtures)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = (
    ROOT.parent / "shared" / "perfcorpus",
    ROOT.parent / "shared" / "corpus",
    ROOT / "fixtures",
)


def lint(tree: Path, path: Path, fmt: str) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1"}
    env.pop("APILINT_YAML", None)
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "--fail-on", "never", "-f", fmt, str(path)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def targets(dirs: list[Path], formats: list[str]) -> Iterator[tuple[Path, str]]:
    for folder in dirs:
        for fmt in formats:
            yield folder, fmt
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            for fmt in formats:
                yield path, fmt


def differs(base: Path, target: tuple[Path, str]) -> str | None:
    path, fmt = target
    old, new = lint(base, path, fmt), lint(ROOT, path, fmt)
    if old == new:
        return None
    return f"{path} (-f {fmt}): exit {old[0]} -> {new[0]}, stdout {old[1] != new[1]}, stderr {old[2] != new[2]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=list(DEFAULT_DIRS))
    parser.add_argument("--base", type=Path, default=Path("/tmp/perf-base"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="json")
    args = parser.parse_args()
    formats = args.formats.split(",")
    work = list(targets([d.resolve() for d in args.dirs], formats))
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda t: differs(args.base, t), work))
    bad = [r for r in results if r]
    for line in bad:
        print(line)
    print(f"{len(work)} runs compared, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
