"""Per-invocation environment variables for handlers that run in-process.

Lambda gives each function its own environment. Here every function runs in one process, on
threads that may overlap, so `os.environ` is replaced (once, on first use) by a mapping that
reads and writes a thread's own layer while an invocation runs on that thread, and the process
environment otherwise. A layer starts as a copy of the process environment plus the function's
variables; whatever the handler writes stays in the layer and is gone when the invocation ends.

Limits: threads a handler starts itself and child processes (which inherit the C-level
environment) see the process environment, not the function's.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

_local = threading.local()
_install = threading.Lock()


def _layer() -> dict[Any, Any] | None:
    return getattr(_local, "data", None)


class _LayeredEnviron(os._Environ[str]):  # os.environ's own class
    """os.environ whose storage is the current thread's layer while it has one. It shares the
    process storage with the object it replaces, so code holding the old one stays in sync."""

    _process: dict[Any, Any]

    def __init__(self, base: Any) -> None:
        super().__init__(
            base._data, base.encodekey, base.decodekey, base.encodevalue, base.decodevalue
        )

    @property
    def _data(self) -> dict[Any, Any]:
        layer = _layer()
        return self._process if layer is None else layer

    @_data.setter
    def _data(self, value: dict[Any, Any]) -> None:
        self._process = value

    def __setitem__(self, key: str, value: str) -> None:
        layer = _layer()
        if layer is None:
            super().__setitem__(key, value)  # putenv too: the process environment
        else:
            layer[self.encodekey(key)] = self.encodevalue(value)

    def __delitem__(self, key: str) -> None:
        layer = _layer()
        if layer is None:
            super().__delitem__(key)
            return
        try:
            del layer[self.encodekey(key)]
        except KeyError:
            raise KeyError(key) from None


def install() -> None:
    """Replace os.environ by the layered mapping (idempotent; transparent without a layer)."""
    with _install:
        if not isinstance(os.environ, _LayeredEnviron):
            # os.getenv reads the module global; the layered mapping keeps every variable.
            os.environ = _LayeredEnviron(os.environ)  # noqa: B003


@contextmanager
def variables(values: Mapping[str, str]) -> Iterator[None]:
    """Run the block on this thread with the process environment plus `values`."""
    install()
    environ: Any = os.environ
    layer = dict(environ._process)
    layer.update({environ.encodekey(k): environ.encodevalue(v) for k, v in values.items()})
    previous = _layer()
    _local.data = layer
    try:
        yield
    finally:
        _local.data = previous
