"""Time whole-process `apilint lint` on the benchmark inputs, beside the floor and, when they are
installed, Redocly and Spectral.

Each input is linted RUNS times in a fresh process; the tools take turns run by run (on a
shared machine a burst of load then hits all of them alike) and each gets its median wall
time, median CPU (user + system: steadier than wall time there) and peak RSS. The floor
(benchmarks/floor.py) is Python's start, orjson, jsonschema-rs and one rapidyaml tree of the
file: no linter built on them can be faster. Redocly (`redocly lint`) and Spectral
(`spectral lint`, spectral:oas) are the executables named by APILINT_BENCH_REDOCLY and
APILINT_BENCH_SPECTRAL, else found on PATH (`npm i @redocly/cli @stoplight/spectral-cli`).

Scale rows lint generated definitions of 3,000 and 30,000 resources (one finding each) and
print the cost per resource; the 30,000 row's goal is ten times the 3,000 row's time (linear).
`--phases` adds, per input, where one run spends its time (benchmarks/phases.py).
`--custom-rules N` also lints each input with N custom rules (benchmarks/custom_rules.py) and
shows the CPU seconds they add. Usage:

    python benchmarks/run.py [--runs 5] [--others-runs 1] [--perfcorpus ../shared/perfcorpus]
                             [--only NAME] [--phases] [--custom-rules 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from custom_rules import write_rules  # noqa: E402
from generate_export import generate, generate_flat  # noqa: E402
from generate_terraform import generate as generate_terraform  # noqa: E402
from hostile import INPUTS as HOSTILE  # noqa: E402
from measure import alternated, clean_env  # noqa: E402

# (name, goal seconds, goal MB or None); issue #25's goals for the real documents
GOALS = {
    "small.json": (0.06, None),
    "large-stripe.json": (0.25, None),
    "large-stripe.yaml": (0.30, None),
    "xl-github.json": (0.60, 250),
    "generated-export.yaml": (1.0, None),
    # a CDK app's synthesised template (fixtures/cdk/bench): 300 resources, 190 methods, held to
    # the export's goal
    "cdk-rest-300.template.json": (1.0, None),
    # the export's API as Terraform resources (generate_terraform.py): held to the same goal
    "generated-terraform.tf": (1.0, None),
    "scale-3000.yaml": (1.0, None),
    "scale-30000.yaml": (10.0, None),  # and at most 10x scale-3000 (checked in the row)
    "dir-500": (1.2, None),  # `lint DIR`: 500 small definitions, on all cores
    # benchmarks/hostile.py: were 9.3 s CPU (pretty), over 20 s (minified), over 300 s (the
    # chain) and 8 s/540 MB (a bomb under the old alias cap)
    "paths-20000.json": (8.0, 400),
    "paths-20000.min.json": (8.0, 400),
    "ref-chain-3000.json": (1.0, None),
    "alias-bomb.yaml": (0.3, 100),
}
CDK_300 = ROOT / "fixtures" / "cdk" / "bench" / "rest-300" / "cdk.out" / "Rest300.template.json"
#: Resources of the scale inputs (with the root).
RESOURCES = {"scale-3000.yaml": 3001, "scale-30000.yaml": 30001}
PHASES = ("imports", "read+parse", "model build", "shared", "rules", "positions", "report", "gc")


def apilint_cmd() -> list[str]:
    exe = shutil.which("apilint", path=str(Path(sys.executable).parent)) or shutil.which("apilint")
    return [exe] if exe else [sys.executable, "-m", "apilint"]


def others(work: Path) -> dict[str, Callable[[Path], list[str]]]:
    """The other linters that are installed: name -> the command that lints a file."""
    ruleset = work / ".spectral.yaml"
    ruleset.write_text('extends: ["spectral:oas"]\n')
    found: dict[str, Callable[[Path], list[str]]] = {}
    redocly = os.environ.get("APILINT_BENCH_REDOCLY") or shutil.which("redocly")
    if redocly:
        found["redocly"] = lambda f: [redocly, "lint", str(f)]
    spectral = os.environ.get("APILINT_BENCH_SPECTRAL") or shutil.which("spectral")
    if spectral:
        found["spectral"] = lambda f: [spectral, "lint", "-q", "-r", str(ruleset), str(f)]
    return found


def inputs(corpus: Path, work: Path, only: list[str]) -> dict[str, Path]:
    wanted = [name for name in GOALS if not only or name in only]
    made: dict[str, Callable[[], str]] = {
        "generated-export.yaml": generate,
        "scale-3000.yaml": lambda: generate_flat(3000),
        "scale-30000.yaml": lambda: generate_flat(30000),
        **HOSTILE,
    }
    found = {}
    for name in wanted:
        if name == "dir-500":
            found[name] = _folder(work / name, 500)
        elif name == "cdk-rest-300.template.json":
            found[name] = CDK_300
        elif name == "generated-terraform.tf":
            module = work / "terraform" / "main.tf"  # a module is a directory
            module.parent.mkdir()
            module.write_text(generate_terraform())
            found[name] = module
        elif name in made:
            found[name] = work / name
            found[name].write_text(made[name]())
        else:
            found[name] = corpus / name
    return found


def _folder(folder: Path, count: int) -> Path:
    """`count` small definitions (three resources, three findings each) in one folder."""
    folder.mkdir()
    text = generate_flat(3)
    for i in range(count):
        (folder / f"api{i}.yaml").write_text(text.replace("title: flat", f"title: api{i}"))
    return folder


def phases(path: Path, runs: int) -> dict[str, float]:
    """The median of each phase over `runs` fresh processes (benchmarks/phases.py)."""
    seen: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, str(HERE / "phases.py"), str(path)],
            capture_output=True,
            text=True,
            env=clean_env(),
        )
        if done.returncode != 0:
            return {}
        for phase, ms in json.loads(done.stdout).items():
            seen.setdefault(phase, []).append(ms)
    return {phase: statistics.median(values) for phase, values in seen.items()}


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
    parser.add_argument("--phases", action="store_true", help="where the time goes, per input")
    parser.add_argument(
        "--custom-rules", type=int, default=0, help="also lint with this many custom rules"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="apilint-bench-"))
    args.custom_config = None
    if args.custom_rules:
        write_rules(work / "rules", args.custom_rules)
        args.custom_config = work / ".apilint.toml"
        args.custom_config.write_text('rules = ["rules"]\n')
    found = others(work)
    print(
        f"apilint: {' '.join(apilint_cmd())}; runs per input: {args.runs} (alternated with "
        f"the floor and the others); side by side: {', '.join(found) or 'none installed'}"
    )
    header = (
        f"{'input':<22} {'size':>9} {'apilint':>8} {'cpu':>7} {'peak':>6} {'goal':>8} {'met':>3}"
        f" {'floor':>7}"
    )
    for k in found:
        header += f" {k:>9} {'peak':>6} {'ratio':>6}"
    print(header)
    missed = 0
    times: dict[str, float] = {}
    try:
        for name, path in inputs(Path(args.perfcorpus), work, args.only).items():
            if not path.exists():
                print(f"{name:<22} missing: {path}")
                missed += 1
                continue
            row, met = _row(name, path, found, args, times)
            missed += not met
            print(row, flush=True)
            if args.phases and path.is_file():
                split = phases(path, args.runs)
                print(" " * 4 + "  ".join(f"{p} {split[p]:.0f}" for p in PHASES if p in split))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if missed else 0


def _row(
    name: str,
    path: Path,
    found: dict[str, Callable[[Path], list[str]]],
    args: argparse.Namespace,
    times: dict[str, float],
) -> tuple[str, bool]:
    lint = apilint_cmd() + ["lint", "-q", "--fail-on", "never"]
    if name == "scale-30000.yaml":
        lint += ["--max-file-size", "200MB"]
    cmds = {"apilint": lint + [str(path)]}
    runs = {"apilint": args.runs}
    if path.is_file():  # the floor and the others lint files, not folders
        cmds["floor"] = [sys.executable, str(HERE / "floor.py"), str(path)]
        runs["floor"] = args.runs
        for k, make in found.items():
            cmds[k], runs[k] = make(path), max(1, args.others_runs)
    timed = alternated(cmds, runs)
    ours = timed["apilint"]
    times[name] = ours.median
    goal_s, goal_mb = GOALS[name]
    if name == "scale-30000.yaml" and "scale-3000.yaml" in times:
        goal_s = 10 * times["scale-3000.yaml"]
    met = ours.median <= goal_s and (goal_mb is None or ours.peak_mb <= goal_mb)
    goal = f"{goal_s:.2f}s" + (f"/{goal_mb}M" if goal_mb else "")
    size = sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
    floor = f"{timed['floor'].median:>6.3f}s" if "floor" in timed else f"{'-':>7}"
    row = (
        f"{name:<22} {size / 1e6:>7.2f}MB {ours.median:>7.3f}s {ours.cpu:>6.3f}s "
        f"{ours.peak_mb:>4.0f}MB {goal:>8} {'yes' if met else 'NO':>3} {floor}"
    )
    for k in found:
        if k in timed:
            theirs = timed[k]
            row += f" {theirs.median:>8.2f}s {theirs.peak_mb:>4.0f}MB"
            row += f" {theirs.median / ours.median:>5.1f}x"
    if ours.exit_codes - {0}:
        row += f" (exit {sorted(ours.exit_codes)})"
    if name in RESOURCES:
        row += f"  {ours.median / RESOURCES[name] * 1e6:.0f} us/resource"
    if args.custom_config is not None:
        custom = alternated(
            {"custom": lint + ["--config", str(args.custom_config), str(path)]},
            {"custom": args.runs},
        )["custom"]
        row += f"  +{args.custom_rules} custom rules: {custom.cpu - ours.cpu:+.3f}s CPU"
    return row, met


if __name__ == "__main__":
    sys.exit(main())
