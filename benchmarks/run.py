"""Time whole-process `apilint lint` on the benchmark inputs; compare with Spectral and Redocly.

Each input is linted RUNS times in a fresh process (median wall time, peak RSS of the child).
Spectral (`spectral lint`, spectral:oas) and Redocly (`redocly lint`) run side by side when they
are on PATH (`npm i -g @stoplight/spectral-cli @redocly/cli`). Usage:

    python benchmarks/run.py [--runs 5] [--others-runs 1] [--perfcorpus ../shared/perfcorpus]
                             [--only NAME] [--custom-rules 20]

--custom-rules N also lints each input with N custom rules (benchmarks/custom_rules.py) and shows
what they add (CPU seconds: steadier than wall time on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CDK_300 = ROOT / "fixtures" / "cdk" / "bench" / "rest-300" / "cdk.out" / "Rest300.template.json"
sys.path.insert(0, str(HERE))

from custom_rules import write_rules  # noqa: E402
from generate_export import generate  # noqa: E402
from generate_terraform import generate as generate_terraform  # noqa: E402
from hostile import INPUTS as HOSTILE  # noqa: E402

# (name, goal seconds, goal MB or None)
GOALS = {
    "small.json": (0.20, None),
    "large-stripe.json": (0.5, None),
    "large-stripe.yaml": (1.0, None),
    "xl-github.json": (1.5, 400),
    "generated-export.yaml": (1.0, None),
    # a CDK app's synthesised template (fixtures/cdk/bench): 300 resources, 190 methods, held to
    # the export's goal
    "cdk-rest-300.template.json": (1.0, None),
    # the export's API as Terraform resources (generate_terraform.py): held to the same goal
    "generated-terraform.tf": (1.0, None),
    # benchmarks/hostile.py: were 9.3 s CPU (pretty), over 20 s (minified), over 300 s (the
    # chain) and 8 s/540 MB (a bomb under the old alias cap)
    "paths-20000.json": (8.0, 400),
    "paths-20000.min.json": (8.0, 400),
    "ref-chain-3000.json": (1.0, None),
    "alias-bomb.yaml": (0.3, 100),
}


@dataclass
class Timing:
    seconds: float
    cpu: float  # user + system seconds of the child: steadier than wall time on a shared machine
    peak_mb: float
    exit_codes: set[int]


def measure(cmd: list[str], runs: int) -> Timing:
    # Time the state users run in: an installed package has its bytecode compiled (pip does it
    # at install). PYTHONDONTWRITEBYTECODE would make an editable checkout recompile every
    # module on every run, so it is dropped and one untimed warm-up run writes the bytecode.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    times, cpus, peaks, codes = [], [], [], set()
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
        codes.add(os.waitstatus_to_exitcode(status))
    return Timing(statistics.median(times), statistics.median(cpus), max(peaks), codes)


def apilint_cmd() -> list[str]:
    exe = shutil.which("apilint", path=str(Path(sys.executable).parent)) or shutil.which("apilint")
    return [exe] if exe else [sys.executable, "-m", "apilint"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="apilint benchmarks")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--perfcorpus", default=str(ROOT.parent / "shared" / "perfcorpus"))
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument(
        "--others-runs",
        type=int,
        default=1,
        help="runs per input for Spectral and Redocly (they take minutes on xl)",
    )
    parser.add_argument(
        "--custom-rules", type=int, default=0, help="also lint with this many custom rules"
    )
    args = parser.parse_args(argv)

    corpus = Path(args.perfcorpus)
    work = Path(tempfile.mkdtemp(prefix="apilint-bench-"))
    generated = work / "generated-export.yaml"
    generated.write_text(generate())
    module = work / "terraform" / "main.tf"  # a module is a directory
    module.parent.mkdir()
    module.write_text(generate_terraform())
    made = {
        "generated-export.yaml": generated,
        "cdk-rest-300.template.json": CDK_300,
        "generated-terraform.tf": module,
    }
    inputs = {name: corpus / name for name in GOALS if name not in made and name not in HOSTILE}
    inputs.update(made)
    for name, make in HOSTILE.items():
        if not args.only or name in args.only:
            inputs[name] = work / name
            inputs[name].write_text(make())
    ruleset = work / ".spectral.yaml"
    ruleset.write_text('extends: ["spectral:oas"]\n')
    others = {
        "spectral": (
            shutil.which("spectral"),
            lambda f: ["spectral", "lint", "-q", "-r", str(ruleset), str(f)],
        ),
        "redocly": (shutil.which("redocly"), lambda f: ["redocly", "lint", str(f)]),
    }
    found = [k for k, (exe, _) in others.items() if exe]
    custom_config = work / ".apilint.toml"
    if args.custom_rules:
        write_rules(work / "rules", args.custom_rules)
        custom_config.write_text('rules = ["rules"]\n')
    print(
        f"apilint: {' '.join(apilint_cmd())}; runs per input: {args.runs}; "
        f"side by side: {', '.join(found) or 'none installed'}"
    )
    header = (
        f"{'input':<24} {'size':>9} {'apilint':>9} {'cpu':>8} {'peak':>8} {'goal':>7} {'met':>4}"
    )
    if args.custom_rules:
        header += f" {f'+{args.custom_rules} rules':>10} {'cpu':>8} {'added cpu':>9}"
    for k in found:
        header += f" {k:>9} {'ratio':>7}"
    print(header)
    missed = 0
    for name, path in inputs.items():
        if args.only and name not in args.only:
            continue
        if not path.exists():
            print(f"{name:<24} missing: {path}")
            missed += 1
            continue
        ours = measure(apilint_cmd() + ["lint", "-q", "--fail-on", "never", str(path)], args.runs)
        goal_s, goal_mb = GOALS[name]
        met = ours.seconds <= goal_s and (goal_mb is None or ours.peak_mb <= goal_mb)
        missed += not met
        goal = f"{goal_s:.2f}s" + (f"/{goal_mb}M" if goal_mb else "")
        row = (
            f"{name:<24} {path.stat().st_size / 1e6:>7.2f}MB {ours.seconds:>8.3f}s "
            f"{ours.cpu:>7.3f}s {ours.peak_mb:>6.0f}MB {goal:>7} {'yes' if met else 'NO':>4}"
        )
        if ours.exit_codes - {0}:
            row += f" (exit {sorted(ours.exit_codes)})"
        if args.custom_rules:
            lint = ["lint", "-q", "--fail-on", "never", "--config", str(custom_config)]
            custom = measure(apilint_cmd() + lint + [str(path)], args.runs)
            row += f" {custom.seconds:>9.3f}s {custom.cpu:>7.3f}s {custom.cpu - ours.cpu:>+8.3f}s"
        for k in found:
            theirs = measure(others[k][1](path), max(1, args.others_runs))
            row += f" {theirs.seconds:>8.2f}s {theirs.seconds / ours.seconds:>6.1f}x"
        print(row, flush=True)
    shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
