"""Output formats: one small module each, all rendering the same list of file results."""

from __future__ import annotations

from typing import Callable, Sequence, TextIO

from apilint.engine import FileResult

Renderer = Callable[[Sequence[FileResult], TextIO, bool], None]


def renderer(name: str) -> Renderer:
    if name == "text":
        from apilint.report.text import render
    elif name == "json":
        from apilint.report.json import render
    else:
        raise KeyError(name)
    return render


FORMATS = ("text", "json")
