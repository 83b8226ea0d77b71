"""The long fuzz run: mutated definitions, templates, Terraform modules and configuration files
(tests/fuzzing.py), linted in-process one after another.

Usage: python scripts/fuzz.py [--count 10000] [--seed N] [--only INDEX] [--out DIR]

Each failing input is kept under --out (default: a fresh temporary folder) as INDEX/, with the
problem in INDEX/PROBLEM.txt; `--seed N --only INDEX` rebuilds and re-lints that one input.
Exit 1 when apilint failed on any input, else 0. A crash of the generator itself is counted and
skipped. The process runs under a 4 GiB address-space limit, so an input that makes apilint
allocate without bound ends as a MemoryError failure instead of taking the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fuzzing import Report, run  # noqa: E402

MEMORY = 4 << 30


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "big"))
    parser.add_argument("--only", type=int, help="lint just this input of the run")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--timeout", type=int, default=120, help="seconds per input")
    args = parser.parse_args(argv)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    out = args.out or Path(tempfile.mkdtemp(prefix="apilint-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    start, count = (args.only, 1) if args.only is not None else (0, args.count)
    began = time.monotonic()

    def progress(index: int, report: Report) -> None:
        done = sum(report.documents.values())
        if done % 500 == 0:
            print(
                f"{done} inputs, {len(report.failures)} failures, {time.monotonic() - began:.0f} s",
                flush=True,
            )

    report = run(count, args.seed, out, start=start, timeout=args.timeout, progress=progress)
    for failure in report.failures:
        (out / str(failure.index) / "PROBLEM.txt").write_text(failure.problem + "\n")
        print(f"FAIL {failure.index} ({failure.kind}): {failure.problem.splitlines()[0][:300]}")
    linted = sum(report.documents.values())
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(report.documents.items()))
    skipped = sum(report.generator_errors.values())
    print(
        f"seed {args.seed}: {linted} inputs linted ({kinds}) in {time.monotonic() - began:.0f} s;"
        f" {skipped} not generated {dict(report.generator_errors) or ''}; "
        f"{len(report.failures)} failures" + (f", kept in {out}" if report.failures else "")
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
