"""Output formats: one small module each, all rendering the same list of file results.

A module `apilint.report.<name>` has `render(results, out, colour)`; it is imported only when
its format is asked for.
"""

from __future__ import annotations

from importlib import import_module
from typing import Callable, Sequence, TextIO

from apilint.engine import FileResult

Renderer = Callable[[Sequence[FileResult], TextIO, bool], None]

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "html")


def renderer(name: str) -> Renderer:
    if name not in FORMATS:
        raise KeyError(name)
    module = import_module(f"apilint.report.{name}")
    render: Renderer = module.render
    return render
