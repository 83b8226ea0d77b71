"""Timing one command in a fresh process: wall time, CPU (user + system) and peak RSS, each
command taking turns with the others (benchmarks/run.py). Kept apart from run.py so that tests
import it without run.py's inputs (its sibling modules' names are common ones)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    exit_codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks)


def clean_env() -> dict[str, str]:
    # Time the state users run in: an installed package has its bytecode compiled (pip does it
    # at install). PYTHONDONTWRITEBYTECODE would make an editable checkout recompile every
    # module on every run, so it is dropped and one untimed warm-up run writes the bytecode.
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


#: Runs one command and writes its wall time, CPU and peak RSS to the file named first. A child
#: counts the memory of the process it was forked from (Linux keeps the high-water mark across
#: exec, and vfork shares it outright), so measuring straight from this process would give a
#: 5 KB lint this script's own size once it holds a generated 7 MB definition; the launcher is
#: a bare interpreter (-S -I) far smaller than anything it times.
_LAUNCHER = """
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
_, status, usage = os.wait4(pid, 0)
with open(out, "w") as f:
    f.write(f"{time.perf_counter() - start} {usage.ru_utime + usage.ru_stime} "
            f"{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def once(cmd: list[str], into: Timing) -> None:
    with tempfile.TemporaryDirectory(prefix="apilint-bench-") as folder:
        out = Path(folder) / "usage"
        subprocess.run(
            [sys.executable, "-S", "-I", "-c", _LAUNCHER, str(out), *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=clean_env(),
            check=True,
        )
        wall, cpu, peak_kib, code = out.read_text().split()
    into.seconds.append(float(wall))
    into.cpus.append(float(cpu))
    into.peaks.append(int(peak_kib) / 1024)  # KiB on Linux
    into.exit_codes.add(int(code))


def alternated(cmds: dict[str, list[str]], runs: dict[str, int]) -> dict[str, Timing]:
    """Each command once untimed (bytecode, disk cache), then round after round, one run of
    each command per round while it has runs left."""
    timings = {name: Timing() for name in cmds}
    for cmd in cmds.values():
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_env())
    for round_ in range(max(runs.values())):
        for name, cmd in cmds.items():
            if round_ < runs[name]:
                once(cmd, timings[name])
    return timings
