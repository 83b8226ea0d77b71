"""A definition file read in its context: the CloudFormation/SAM templates of its repository
that pull it in (`AWS::Include` Location, SAM `DefinitionUri`).

A pre-commit hook passes only the changed file; linted alone, a fragment written for
`AWS::Include` is full of intrinsics that only its template resolves. So a definition file is
read through every template of its repository (the nearest directory above it holding `.git`,
or its own directory outside a repository) that names it, as `apilint lint DIR` reads it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from apilint.common.errors import LoadError
from apilint.common.files import repository_root
from apilint.document.discover import walk
from apilint.document.loader import (
    Linker,
    is_remote,
    is_template,
    load_fragment,
    real_path,
    shown_for,
)
from apilint.document.marker_memo import Memo
from apilint.document.model import Document

if TYPE_CHECKING:  # the template front end: imported once a template names a file
    from apilint.document.cfn import ApiResource

#: How many candidate files (and directories) of the repository are examined: a huge monorepo,
#: or a home directory under git, is not walked whole for one file.
MAX_FILES = 5000
_MARKERS = (b"AWS::Include", b"DefinitionUri")


def through_templates(doc: Document, max_bytes: int) -> list[Document]:
    """The readings of the definition file `doc` through each template that includes it (none
    when no template of its repository names it)."""
    found: list[Document] = []
    for template_path in includers(doc.abspath, max_bytes):
        shown = shown_for(doc.path, template_path)
        try:
            template_doc = load_fragment(template_path, shown, max_bytes)
        except LoadError:
            continue  # linting the template itself reports why it cannot be read
        if not is_template(template_doc.data):
            continue
        from apilint.document import cfn

        template = cfn.template_file(template_doc)
        # The user named the definition: reading it is no reach outside the template's folder.
        linker = Linker(template_path.parent, shown, True, max_bytes)
        for api in template.apis():
            if _names(template_path, api) == doc.abspath:
                found.extend(
                    dataclasses.replace(d, path=doc.path)
                    for d in cfn.definitions(template, api, linker, [])
                )
    return found


def includers(target: Path, max_bytes: int) -> list[Path]:
    """The templates of `target`'s repository that name it (AWS::Include, DefinitionUri)."""
    root = repository_root(target.parent) or target.parent
    return _index(root, max_bytes).get(target, [])


#: Per repository root: which file each template names, and the modification times of the
#: directories walked and templates read. A lint run reads the repository once however many
#: files it lints; a file added, removed or changed since makes it read again.
_INDEXES: dict[Path, tuple[dict[str, int], dict[Path, list[Path]]]] = {}
#: The roots whose index is known current in this `one_run()` (None outside one).
_CURRENT: set[Path] | None = None


@contextmanager
def one_run() -> Iterator[None]:
    """A lint run: the files it reads do not change while it runs, so each repository's index
    is checked against the tree (a stat of every directory: 0.7 ms in a repository of 300)
    once, not again for each file it lints."""
    global _CURRENT
    outer, _CURRENT = _CURRENT, set()
    try:
        yield
    finally:
        _CURRENT = outer


def _index(root: Path, max_bytes: int) -> dict[Path, list[Path]]:
    cached = _INDEXES.get(root)
    if cached is not None and _CURRENT is not None and root in _CURRENT:
        return cached[1]
    if _CURRENT is not None:
        _CURRENT.add(root)
    if cached is not None and all(_stamp(p) == stamp for p, stamp in cached[0].items()):
        return cached[1]
    named: dict[Path, list[Path]] = {}
    visited: list[str] = []
    memo = Memo(str(root), _MARKERS)
    templates = list(walk(str(root), memo.contains, MAX_FILES, visited))
    memo.save()
    # paths as strings: checked again for every file a run lints (`lint DIR`: every file)
    stamps = {p: _stamp(p) for p in visited + templates}
    for name in templates:
        for target in _targets(Path(name), max_bytes):
            named.setdefault(target, []).append(Path(name))
    _INDEXES[root] = (stamps, named)
    return named


def _stamp(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def _targets(path: Path, max_bytes: int) -> set[Path]:
    """The local files a template names for its APIs' definitions (nothing if it is no
    template or cannot be read: linting it says why)."""
    try:
        doc = load_fragment(path, str(path), max_bytes)
        if not is_template(doc.data):
            return set()
        from apilint.document import cfn

        targets = {_names(path, api) for api in cfn.template_file(doc).apis()}
    except (LoadError, RecursionError, ValueError):
        return set()
    return {t for t in targets if t is not None}


def _names(template_path: Path, api: ApiResource) -> Path | None:
    from apilint.document.cfn import location_of

    location = location_of(api)
    if location is None or is_remote(location):
        return None
    try:
        return real_path(template_path.parent / location, location)
    except LoadError:
        return None
