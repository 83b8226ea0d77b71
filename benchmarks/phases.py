"""Where one `apilint lint` run spends its time, without a profiler: the phases of one run in
this process, in milliseconds, as one JSON object on standard output.

imports      importing the command line, the engine, the rules and the checks
read+parse   reading the file (JSON or YAML) and its safety checks
model build  `$ref` resolution and the gateway model
shared       the per-API values several rules read (schema nodes, roots, CORS evidence)
rules        every other moment of the checks
positions    line and column of each finding
report       rendering the findings
gc           of all that, the cyclic garbage collector

Usage: python benchmarks/phases.py FILE (benchmarks/run.py --phases runs it)
"""

from __future__ import annotations

import gc
import io
import json
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from typing import Any

spent: dict[str, float] = {}


def timed(phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[phase] = spent.get(phase, 0.0) + time.perf_counter() - start

    return run


def _collector() -> None:
    started: list[float] = []

    def callback(event: str, info: dict[str, int]) -> None:
        if event == "start":
            started.append(time.perf_counter())
        elif started:
            spent["gc"] = spent.get("gc", 0.0) + time.perf_counter() - started.pop()

    gc.callbacks.append(callback)


def _shared_caches() -> None:
    """Time every per-API cache (model.values.per_api) on its own: found among the loaded
    modules by the code of the wrapper, so a new one is timed with no list to keep."""
    from apilint.model.values import per_api

    wrapper = per_api(lambda api: api).__code__
    for name, module in list(sys.modules.items()):
        if not name.startswith("apilint."):
            continue
        for attr, value in list(vars(module).items()):
            if getattr(value, "__code__", None) is wrapper:
                setattr(module, attr, timed("shared", value))


def main(path: str) -> dict[str, float]:
    _collector()
    start = time.perf_counter()
    import apilint.checks
    import apilint.cli
    import apilint.commands.lint
    import apilint.engine.run as engine
    import apilint.report.text

    apilint.checks.all_checks()
    spent["imports"] = time.perf_counter() - start
    _shared_caches()
    engine.load_definitions = timed("read+parse", engine.load_definitions)
    engine.build_model = timed("model build", engine.build_model)
    engine._run_check = timed("rules", engine._run_check)
    engine.spans_of = timed("positions", engine.spans_of)
    apilint.commands.lint.report = timed("report", apilint.commands.lint.report)
    start = time.perf_counter()
    with redirect_stdout(io.StringIO()):
        apilint.cli.main(["lint", "-q", "--fail-on", "never", path])
    spent["total"] = time.perf_counter() - start + spent["imports"]
    # Rules include the shared values they asked for; the positions of a file's findings are
    # found after its rules ran, all together.
    spent["rules"] = spent.get("rules", 0.0) - spent.get("shared", 0)
    return {k: round(v * 1000, 1) for k, v in spent.items()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
