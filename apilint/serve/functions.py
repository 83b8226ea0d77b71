"""A template's own Lambda functions, run in-process as Lambda runs them: the `Handler` of the
code in `CodeUri` (local layers on the import path), its `Environment.Variables` for each
invocation (apilint.serve.environ), and its `Timeout`.

A function that outlives its Timeout fails as Lambda fails it ("Task timed out after N
seconds"): a Lambda error, which a REST API answers 502 and an HTTP API 500. When the
integration's own timeout is the shorter one, the gateway gives up first and answers its
timeout (504 REST, 503 HTTP), as on AWS.

Imports are kept apart per function: while the handler module loads, the function's code and
layer directories lead sys.path; afterwards the modules loaded from them leave sys.modules, so
the next function's `import helper` finds its own helper.py. The handler module itself gets a
private name (two functions may both have an `app.py`). Consequence: a handler that imports
one of its own modules only when called (inside the function) cannot find it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from apilint.serve import environ
from apilint.serve.handlers import Handler, load_module
from apilint.serve.invoke import REGION, LambdaContext, invoke

PYTHON_RUNTIME = re.compile(r"python3\.\d+")
#: "Timeout ... The default is 3 seconds" (AWS::Lambda::Function, AWS::Serverless::Function).
DEFAULT_TIMEOUT_S = 3.0
DEFAULT_MEMORY_MB = 128


class FunctionTimeout(Exception):
    """Lambda's own timeout; its message is the one Lambda logs."""


class FunctionLoadError(Exception):
    """The function's code does not load; its message is the one Lambda logs."""


@dataclass(frozen=True)
class FunctionSpec:
    """What the template says about one function."""

    logical_id: str
    name: str  # its literal FunctionName, else the logical id
    runtime: str | None
    handler: str | None
    code: Path | None  # the local CodeUri / Code directory
    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    variables: dict[str, str] = field(default_factory=dict)
    layers: tuple[Path, ...] = ()  # local layer directories
    #: Why the function cannot run here ("Runtime nodejs20.x"), or None.
    unsupported: str | None = None

    @property
    def environment(self) -> dict[str, str]:
        """Its variables and the ones Lambda sets itself (which a template cannot override)."""
        return {
            **self.variables,
            "AWS_LAMBDA_FUNCTION_NAME": self.name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{self.runtime}",
            "LAMBDA_TASK_ROOT": str(self.code or ""),
            "_HANDLER": str(self.handler),
        }

    @property
    def import_path(self) -> list[Path]:
        """The code, then each layer's `python/` and the layer itself (Lambda extracts layers
        to /opt; Python runtimes import from /opt/python)."""
        out = [self.code] if self.code else []
        for layer in self.layers:
            out += [layer / "python", layer]
        return out


class FunctionRunner:
    """A loaded function: callable as a handler(event, context). Code that does not load fails
    each invocation, as Lambda fails it (Runtime.ImportModuleError: a 502 for REST APIs), with
    the reason in `error` for the start-up notes."""

    def __init__(self, spec: FunctionSpec) -> None:
        self.spec = spec
        self.file = spec.code or Path()
        self.fn: Handler | None = None
        self.error: str | None = None
        try:
            self.file, self.fn = _load(spec)
        except FunctionLoadError as exc:
            self.error = str(exc)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        spec = self.spec
        if self.fn is None:
            raise FunctionLoadError(self.error)
        own = LambdaContext(spec.name, spec.timeout_s)
        if spec.timeout_s >= getattr(context, "timeout_s", float("inf")):
            return self._run(event, own)  # the gateway's timeout comes first: it answers
        outcome = invoke(self._run, event, spec.name, spec.timeout_s)
        if outcome.timed_out:
            raise FunctionTimeout(f"Task timed out after {spec.timeout_s:.2f} seconds")
        if outcome.exception is not None:
            raise outcome.exception
        return outcome.value

    def _run(self, event: dict[str, Any], context: Any) -> Any:
        assert self.fn is not None
        with environ.variables(self.spec.environment):
            return self.fn(event, context)


def _load(spec: FunctionSpec) -> tuple[Path, Handler]:
    """The handler's file and function; the messages are Lambda's (Runtime.ImportModuleError,
    Runtime.HandlerNotFound)."""
    module_path, _, attr = str(spec.handler or "").rpartition(".")
    if not module_path or not attr or spec.code is None:
        raise FunctionLoadError(
            f"Runtime.MalformedHandlerName: Bad handler "
            f"'{spec.handler}': not enough values to unpack"
        )
    # The Python runtime accepts `dir/app.handler` and `pkg.app.handler` alike.
    relative = module_path.replace("/", ".").replace(".", "/")
    file = next(
        (
            f
            for f in (spec.code / f"{relative}.py", spec.code / relative / "__init__.py")
            if f.is_file()
        ),
        None,
    )
    if file is None:
        raise FunctionLoadError(
            f"Runtime.ImportModuleError: Unable to import module "
            f"'{module_path}': no {relative}.py in {spec.code}"
        )
    try:
        with environ.variables(spec.environment), _isolated(spec.import_path):
            module = load_module(file, f"_apilint_fn_{spec.logical_id}")
    except Exception as exc:  # noqa: BLE001 - the user's code may raise anything on import
        raise FunctionLoadError(
            f"Runtime.ImportModuleError: Unable to import module "
            f"'{module_path}': {type(exc).__name__}: {exc}"
        ) from None
    fn = getattr(module, attr, None)
    if not callable(fn):
        raise FunctionLoadError(
            f"Runtime.HandlerNotFound: Handler '{attr}' missing on module '{module_path}'"
        )
    return file, fn


@contextmanager
def _isolated(roots: list[Path]) -> Iterator[None]:
    """Import from `roots` first; afterwards take the modules loaded from them out of
    sys.modules again, and put back any module of the same name they hid."""
    names = {
        p.stem if p.suffix == ".py" else p.name
        for root in roots
        if root.is_dir()
        for p in root.iterdir()
        if p.suffix == ".py" or p.is_dir()
    }
    hidden = {n: sys.modules.pop(n) for n in list(sys.modules) if n.split(".")[0] in names}
    saved = list(sys.path)
    before = set(sys.modules)
    sys.path[:0] = [str(r) for r in roots]
    try:
        yield
    finally:
        sys.path[:] = saved
        for name in set(sys.modules) - before:
            if not name.startswith("_apilint_fn_") and _loaded_from(sys.modules[name], roots):
                del sys.modules[name]
        sys.modules.update(hidden)


def _loaded_from(module: ModuleType | None, roots: list[Path]) -> bool:
    file = getattr(module, "__file__", None)
    if not file:
        return False
    path = Path(file).resolve()
    return any(path.is_relative_to(root.resolve()) for root in roots)
