"""Local Lambda handlers: loaded from a directory, a .py file, a module name or a mapping file,
and found by the function name in an integration's Lambda URI."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import os
import sys
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, Union, runtime_checkable

from apilint.common.errors import UsageError
from apilint.model.lambdas import STAGE_VARIABLE, FunctionRef, resolve_function

Handler = Callable[[dict[str, Any], Any], Any]


@runtime_checkable
class HandlerLoader(Protocol):
    """Makes the handlers itself (apilint.serve.sam.TemplateSource: a template's functions)."""

    def load(self) -> Handlers: ...


class FunctionLookup(Protocol):
    """Finds the handler of a Lambda URI by other means than its function name."""

    def find(self, uri: str, stage_vars: Mapping[str, str]) -> tuple[str, Handler] | None: ...


#: Where handlers come from: a path or module name, a ready table (function name → callable),
#: or a loader.
HandlerSource = Union[str, "os.PathLike[str]", Mapping[str, Handler], HandlerLoader]

_MAPPING_SUFFIXES = (".json", ".yaml", ".yml")
#: A module whose file is named like the function may hold it under one of these names.
_ENTRY_POINTS = ("handler", "lambda_handler")


class Handlers:
    def __init__(
        self,
        table: Mapping[str, Handler],
        files: tuple[Path, ...] = (),
        lookup: FunctionLookup | None = None,
    ) -> None:
        self.table = dict(table)
        self.files = files  # what --reload watches
        self.lookup = lookup  # asked first: a template's functions (its table overrides them)

    def find(self, uri: Any, stage_vars: Mapping[str, str]) -> tuple[str, Handler | None]:
        """(the function name, its handler or None) for a Lambda URI; stage variables in the URI
        are replaced first, as API Gateway does at call time."""
        text = str(uri or "")
        found = self.lookup.find(text, stage_vars) if self.lookup is not None else None
        if found is not None:
            return found
        ref = resolve_function(text, stage_vars)
        name = (
            ref.name
            if isinstance(ref, FunctionRef)
            else STAGE_VARIABLE().sub(lambda m: stage_vars.get(m.group(1), m.group(0)), text)
        )
        return name, self.table.get(name) or self.table.get(text)


def load_handlers(source: HandlerSource) -> Handlers:
    """The handlers `source` names; a problem loading them is a UsageError (one line)."""
    if isinstance(source, Mapping):
        return Handlers(source)
    if isinstance(source, HandlerLoader):
        return source.load()
    text = os.fspath(source)
    path = Path(text)
    try:
        if path.is_dir():
            files = tuple(sorted(p for p in path.glob("*.py") if not p.name.startswith("_")))
            return Handlers(_collect([_load_file(p) for p in files], text), files)
        if path.suffix == ".py" and path.is_file():
            return Handlers(_collect([_load_file(path)], text), (path,))
        if path.suffix in _MAPPING_SUFFIXES and path.is_file():
            return _from_mapping(path)
        if path.exists() or "/" in text or path.suffix == ".py":
            raise UsageError(
                f"--handlers {text}: not a directory, .py file, mapping file "
                f"({', '.join(_MAPPING_SUFFIXES)}) or module name"
            )
        module = _import(text)
        return Handlers(_collect([module], text), (Path(module.__file__ or text),))
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - the user's code may raise anything on import
        raise UsageError(f"--handlers {text}: cannot load ({type(exc).__name__}: {exc})") from None


def _load_file(path: Path) -> ModuleType:
    folder = str(path.resolve().parent)
    if folder not in sys.path:  # handlers import their sibling modules, as on Lambda
        sys.path.insert(0, folder)
    return load_module(path, "_apilint_handler")


def load_module(path: Path, prefix: str) -> ModuleType:
    """Execute a .py file as a module of its own. A private module name per file: two handler
    folders may both hold an `app.py`."""
    name = f"{prefix}_{zlib.crc32(str(path.resolve()).encode()):08x}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise UsageError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses and pickling look their module up there
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _import(name: str) -> ModuleType:
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    return importlib.import_module(name)


def _collect(modules: list[ModuleType], origin: str) -> dict[str, Handler]:
    """Functions defined in the modules, by name; a module named like a function contributes its
    `handler`/`lambda_handler` under the module's name."""
    table: dict[str, Handler] = {}
    where: dict[str, str] = {}
    for module in modules:
        stem = Path(module.__file__ or module.__name__).stem
        own = {
            n: f
            for n, f in vars(module).items()
            if inspect.isfunction(f) and f.__module__ == module.__name__ and not n.startswith("_")
        }
        for entry in _ENTRY_POINTS:
            if entry in own:
                own.setdefault(stem, own[entry])
                break
        for name, fn in own.items():
            if name in table and table[name] is not fn:
                raise UsageError(
                    f"--handlers {origin}: {name!r} is defined in both "
                    f"{where[name]} and {module.__file__}; rename one or use a "
                    "mapping file"
                )
            table[name], where[name] = fn, str(module.__file__)
    return table


def _from_mapping(path: Path) -> Handlers:
    """{"functionName": "file.py:callable" | "package.module:callable"}, relative to the file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        import yaml

        data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise UsageError(f"--handlers {path}: must map function names to 'file.py:callable'")
    table: dict[str, Handler] = {}
    files: list[Path] = [path]
    for name, target in data.items():
        where, _, attr = str(target).rpartition(":")
        if not where or not attr:
            raise UsageError(f"--handlers {path}: {name}: {target!r} is not 'file.py:callable'")
        if where.endswith(".py"):
            file = (path.parent / where).resolve()
            module = _load_file(file)
            files.append(file)
        else:
            module = _import(where)
        fn = getattr(module, attr, None)
        if not callable(fn):
            raise UsageError(f"--handlers {path}: {name}: {where} has no callable {attr!r}")
        table[str(name)] = fn
    return Handlers(table, tuple(files))
