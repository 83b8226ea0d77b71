"""Which files `apilint lint DIR` looks at: definitions, templates and Terraform files in the
tree, minus what git ignores and what tools generate."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from apilint.common.files import SMALL_FILE_LIMIT, open_regular, read_bounded
from apilint.common.records import NamedTuple

SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf")
#: Build output and dependencies: copies of the real sources (`sam build` writes the template
#: again to .aws-sam, `cdk synth` to cdk.out) or other people's code.
SKIPPED_DIRS = frozenset(
    {"node_modules", ".aws-sam", "cdk.out", ".terraform", "__pycache__", "venv", ".venv"}
)
#: Text that every file holding an API definition contains somewhere.
_MARKERS = (b"openapi", b"swagger", b"AWS::", b"aws_api_gateway", b"aws_apigatewayv2")


class Target(NamedTuple):
    """A file to lint, and whether the command line named it."""

    path: str
    explicit: bool  # named on the command line (found in a directory otherwise)


def expand(paths: Iterable[str], passed_over: list[str] | None = None) -> list[Target]:
    """Files as given; a CDK cloud assembly (`cdk.out/`) its stack templates; a directory
    contributes the candidate files under it, sorted (and the
    files with a candidate's suffix that it holds but that hold no API, or that git ignores,
    to `passed_over`)."""
    out: list[Target] = []
    for p in paths:
        if not os.path.isdir(p):
            out.append(Target(p, True))
            continue
        from apilint.document.cdk import assembly_templates, is_assembly  # folders only

        if is_assembly(p):
            # a CDK cloud assembly named on purpose: its stack templates (walks skip cdk.out)
            out.extend(Target(f, False) for f in assembly_templates(p))
        else:
            out.extend(Target(f, False) for f in _walk(p, passed_over))
    return out


def _walk(root: str, passed_over: list[str] | None = None) -> list[str]:
    passed = passed_over if passed_over is not None else []

    def wanted(path: str) -> bool:
        if may_hold_api(path):
            return True
        passed.append(path)
        return False

    return list(walk(root, wanted, passed_over=passed))


def walk(
    root: str,
    wanted: Callable[[str], bool],
    limit: int | None = None,
    visited: list[str] | None = None,
    passed_over: list[str] | None = None,
) -> Iterator[str]:
    """The files under `root` with a definition's suffix that `wanted` accepts, sorted, minus
    what git ignores, what tools generate and links out of the tree; at most `limit` files are
    offered to `wanted` and `limit` directories walked. `visited` collects the directories,
    `passed_over` the files with a suffix that git ignores or that cannot be read in the tree."""
    tree = os.path.realpath(root)
    ignores: list[tuple[str, Any]] = []  # (directory + separator, its .gitignore), outermost first
    offered = walked = 0
    for base, dirs, files in os.walk(root):
        walked += 1
        if limit is not None and walked > limit:
            return
        if visited is not None:
            visited.append(base)
        # os.walk builds every directory's path by joining onto its parent's: the .gitignore
        # files that apply are those of the directories whose path prefixes this one.
        inside = os.path.join(base, "")
        ignores = [(d, s) for d, s in ignores if inside.startswith(d)]
        spec = _gitignore(base, tree)
        if spec is not None:
            ignores.append((inside, spec))
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and d not in SKIPPED_DIRS
            and not _ignored(os.path.join(base, d), True, ignores)
        )
        for name in sorted(files):
            path = os.path.join(base, name)
            if not name.lower().endswith(SUFFIXES):
                continue
            if not _readable_in(path, tree) or _ignored(path, False, ignores):
                if passed_over is not None:
                    passed_over.append(path)
                continue
            if limit is not None and offered >= limit:
                return
            offered += 1
            if wanted(path):
                yield path


def _readable_in(path: str, tree: str) -> bool:
    """A regular file, or a link to one inside the walked tree: the tree arrives with a pull
    request, and a link to /dev/zero, a FIFO or a file elsewhere on the machine (a secret, a
    huge log) must not be read. os.walk already leaves linked directories alone. A broken or
    looping link passes, to be reported as one error line."""
    try:
        mode = os.lstat(path).st_mode
        if not stat.S_ISLNK(mode):
            return stat.S_ISREG(mode)
        target = os.path.realpath(path, strict=True)
        return stat.S_ISREG(os.stat(target).st_mode) and Path(target).is_relative_to(tree)
    except (OSError, RuntimeError):
        return True


def _gitignore(directory: str, tree: str) -> Any:
    path = os.path.join(directory, ".gitignore")
    if not os.path.isfile(path) or not _readable_in(path, tree):
        return None
    import pathspec

    try:
        text = read_bounded(path, SMALL_FILE_LIMIT).decode("utf-8", errors="replace")
    except OSError:
        return None
    # Patterns come with the pull request: Python's re backtracks exponentially on one like
    # a*a*a*...b against a long name, RE2 matches in linear time.
    return pathspec.GitIgnoreSpec.from_lines(text.splitlines(), backend="re2")


def _ignored(path: str, is_dir: bool, ignores: list[tuple[str, Any]]) -> bool:
    # The nearest .gitignore with a matching pattern decides, as in git: a nested `!keep.yaml`
    # re-includes what a pattern above ignores.
    # `directory` ends with a separator and prefixes `path` (walk built both)
    for directory, spec in reversed(ignores):
        rel = path[len(directory) :].replace(os.sep, "/")
        verdict = spec.check_file(rel + "/" if is_dir else rel).include
        if verdict is not None:
            return bool(verdict)
    return False


def may_hold_api(path: str) -> bool:
    """False for files that surely hold no API (package.json, tsconfig.json, ...)."""
    return contains(path, _MARKERS)


def contains(path: str, markers: tuple[bytes, ...]) -> bool:
    """Whether the file's bytes hold one of `markers`: checked a megabyte at a time, so a tree
    full of other JSON costs no parsing and a huge file no memory. Unreadable files pass (and
    get a proper error later)."""
    overlap = max(len(m) for m in markers) - 1
    tail = b""
    try:
        with open_regular(path) as f:
            # read(1 MB) would allocate a megabyte for each small file (the size is a hint: 0
            # under /proc)
            size = min(max(os.fstat(f.fileno()).st_size + 1, 1 << 16), 1 << 20)
            while chunk := f.read(size):
                window = tail + chunk
                if any(m in window for m in markers):
                    return True
                tail = window[-overlap:]
    except OSError:
        return True
    return False
