"""What `apilint test` costs around the requests themselves, against the stand-in stage of
fixtures/contract/server.py on 127.0.0.1 (no network latency, so this is apilint's own cost):

- start-up: `apilint test --list-checks` vs the whole run, in a fresh process;
- throughput of a fuzzing run (requests per second, `-n` examples per operation);
- the wall-clock cap: how far past `--max-time` a run against a server that answers every
  request after a delay really stops.

    python benchmarks/contract_overhead.py [--runs 3] [--examples 25]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "fixtures" / "contract"))

from server import API_KEY, BUGS, Server  # noqa: E402 - the fixture server lives beside it

SPEC = ROOT / "fixtures" / "contract" / "pets.yaml"


def _apilint(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "apilint", *args], capture_output=True, cwd=ROOT, check=False
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--examples", type=int, default=25)
    args = parser.parse_args()

    listing = statistics.median(_apilint("test", "--list-checks") for _ in range(args.runs))
    print(f"start-up (apilint test --list-checks): {listing:.2f} s")

    for label, bugs in (("correct server", frozenset()), ("seeded bugs", BUGS)):
        times, counts = [], []
        for _ in range(args.runs):
            with Server(bugs=bugs) as server:
                times.append(
                    _apilint(
                        "test",
                        str(SPEC),
                        "--base-url",
                        server.base_url,
                        "--api-key",
                        API_KEY,
                        "--bearer",
                        "t0ken-bench",
                        "-q",
                        "-n",
                        str(args.examples),
                        "--seed",
                        "1",
                    )
                )
                counts.append(len(server.requests))
        wall, sent = statistics.median(times), statistics.median(counts)
        print(
            f"{label}: {sent:.0f} requests in {wall:.2f} s ({sent / wall:.0f} req/s, "
            f"-n {args.examples}, whole process)"
        )

    for max_time, delay in ((3, 1.0), (3, 30.0), (5, 0.2)):
        with Server(delay=delay) as server:
            wall = _apilint(
                "test",
                str(SPEC),
                "--base-url",
                server.base_url,
                "--api-key",
                API_KEY,
                "-n",
                "100",
                "--max-time",
                str(max_time),
            )
        print(
            f"--max-time {max_time}, every answer {delay:g} s late: stopped after "
            f"{wall:.2f} s (overhead {wall - max_time:+.2f} s incl. start-up)"
        )


if __name__ == "__main__":
    main()
