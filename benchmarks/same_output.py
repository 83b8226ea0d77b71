"""Prove a performance change keeps every finding: the output of
`apilint lint --fail-on never -f FORMAT PATH` from two source trees, byte for byte.

Each file of the perfcorpus, the corpus and fixtures/ is linted alone, and each of those folders
as a directory. The perfcorpus files run as real `python -m apilint` processes (their output also
in `-f text` and `-f sarif`); the hundreds of small files run in one worker process per tree
(`main(argv)` per path, output captured), so that the check costs seconds rather than minutes.
Exit code 1 and the first differences when any output differs. Usage:

    python benchmarks/same_output.py --base /tmp/perf-base [--shared ../shared] [--quick]

`--quick` lints only the perfcorpus and corpus files (no fixtures).
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import difflib
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = ["lint", "--fail-on", "never"]


@functools.cache
def _neutral() -> str:
    """The working directory of both trees' runs (SARIF names it): neither tree, and no
    configuration file."""
    folder = tempfile.TemporaryDirectory(prefix="same-output-")
    atexit.register(folder.cleanup)
    return folder.name


def _env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree), "NO_COLOR": "1", "CI": ""}


def _process(tree: Path, args: list[str]) -> bytes:
    done = subprocess.run(
        [sys.executable, "-m", "apilint", *args],
        cwd=_neutral(),  # the same for both trees: `-m` puts it first on the path
        env=_env(tree),
        capture_output=True,
        check=False,
    )
    return done.stdout + b"\n-- exit %d --\n" % done.returncode + done.stderr


def _worker(paths: list[str]) -> None:
    """In the tree's own process: lint each path, print {path: output} as JSON."""
    from apilint.cli import main

    out = {}
    for path in paths:
        buffer = io.BytesIO()
        stream = io.TextIOWrapper(buffer, encoding="utf-8", newline="")
        err = io.StringIO()
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(err):
            try:
                code = main([*LINT, "-f", "json", path])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        stream.flush()
        out[path] = buffer.getvalue().decode("utf-8") + f"\n-- exit {code} --\n" + err.getvalue()
    sys.stdout.write(json.dumps(out))


def _in_worker(tree: Path, paths: list[str]) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker"],
        input=json.dumps(paths).encode(),
        cwd=_neutral(),
        env=_env(tree),
        capture_output=True,
        check=True,
    )
    result: dict[str, str] = json.loads(done.stdout)
    return result


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


def compare(base: Path, shared: Path, quick: bool) -> int:
    perf = shared / "perfcorpus"
    big = [str(p) for p in sorted(perf.glob("*")) if p.suffix in (".json", ".yaml")]
    folders = [perf, shared / "corpus"] + ([] if quick else [ROOT / "fixtures"])
    small = _files(shared / "corpus") + ([] if quick else _files(ROOT / "fixtures"))
    differ = 0
    checked = 0
    for path in big:
        for fmt in ("json", "text", "sarif"):
            args = [*LINT, "-f", fmt, path]
            old, new = _process(base, args), _process(ROOT, args)
            checked += 1
            differ += _report(f"{fmt} {path}", old.decode(), new.decode())
    for folder in folders:
        args = [*LINT, "-f", "json", str(folder)]
        checked += 1
        differ += _report(
            f"dir {folder}", _process(base, args).decode(), _process(ROOT, args).decode()
        )
    old_small, new_small = _in_worker(base, small), _in_worker(ROOT, small)
    for path in small:
        checked += 1
        differ += _report(path, old_small[path], new_small[path])
    print(f"{checked} outputs compared, {differ} differ")
    return 1 if differ else 0


def _report(what: str, old: str, new: str) -> int:
    if old == new:
        return 0
    print(f"DIFFERS: {what}")
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), "base", "branch", lineterm="")
    for line in list(diff)[:20]:
        print("   ", line)
    return 1


def main() -> int:
    if sys.argv[1:] == ["--worker"]:
        _worker(json.loads(sys.stdin.read()))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, required=True, help="the tree to compare against")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--quick", action="store_true", help="no fixtures")
    args = parser.parse_args()
    return compare(args.base.resolve(), args.shared.resolve(), args.quick)


if __name__ == "__main__":
    sys.exit(main())
