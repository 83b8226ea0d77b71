"""`--diff-base REF`: keep only findings on what changed since a git ref.

Lines are the wrong unit for an API definition: adding a method shifts every line after it, and a
changed `$ref`'d schema or security scheme changes methods whose text did not move. So both
versions are loaded and compared as models: a finding about an operation is kept when the
operation (with everything it references, its path-level parameters and the security schemes in
force) differs from the base version or is new; any other finding is kept when the node it
points at (again with what it references) differs or is new.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from apilint.common.errors import ApilintError, UsageError
from apilint.common.findings import FileResult, Finding
from apilint.document import NotAnApi, load_document
from apilint.document.model import Document
from apilint.document.pointer import Tokens, decode, get
from apilint.document.refs import At, Workspace, iter_refs
from apilint.engine.run import Settings, build_model
from apilint.model.gateway import Api, Method


class Snapshot:
    """Definitions as they were at a git ref, written to a temporary tree on demand, each at
    the path it had then: a file renamed since (`git mv`, or git's rename detection) is
    compared with its old self, not taken for a new file."""

    def __init__(self, ref: str, cwd: Path) -> None:
        self.ref = ref
        if ref.startswith("-"):  # git would read it as an option
            raise self._error("not a git revision")
        done = self._run(["rev-parse", "--show-toplevel"], cwd)
        if done.returncode != 0:
            raise self._error(
                f"{cwd} is not in a git repository; run apilint in the checkout "
                "whose changes it should report"
            )
        self.top = Path(done.stdout.strip()).resolve()
        done = self._run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.top)
        if done.returncode != 0:
            shallow = self._run(["rev-parse", "--is-shallow-repository"], self.top)
            why = " (this clone is shallow)" if shallow.stdout.strip() == "true" else ""
            raise self._error(
                f"no such commit{why}; in CI fetch it with `fetch-depth: 0` "
                "(actions/checkout) or `git fetch origin BRANCH`"
            )
        self.commit = done.stdout.strip()
        self._renames: dict[str, str] | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="apilint-base-")
        self.root = Path(self._tmp.name).resolve()

    def _error(self, problem: str) -> UsageError:
        return UsageError(f"--diff-base {self.ref}: {problem}")

    def _run(self, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                ["git", *args],
                cwd=cwd,
                capture_output=True,
                check=False,
                encoding="utf-8",
                errors="surrogateescape",
            )
        except FileNotFoundError:
            raise self._error(
                "git is not installed (or not on PATH); install it or leave --diff-base out"
            ) from None
        except OSError as exc:
            raise self._error(f"cannot run git: {exc.strerror or exc}") from None

    def close(self) -> None:
        self._tmp.cleanup()

    def renames(self) -> dict[str, str]:
        """Paths in the working tree (relative to the top) -> the path each had at the ref."""
        if self._renames is None:
            done = self._run(
                ["diff", "--name-status", "-z", "-M", "--no-ext-diff", self.commit, "--"], self.top
            )
            if done.returncode != 0:
                first = (done.stderr.strip().splitlines() or ["failed"])[0]
                raise self._error(f"git diff: {first}")
            self._renames = {}
            fields = done.stdout.split("\0")
            i = 0
            while i < len(fields) and fields[i]:
                status = fields[i]
                if status[:1] in ("R", "C"):
                    if status[:1] == "R":
                        self._renames[fields[i + 2]] = fields[i + 1]
                    i += 3
                else:
                    i += 2
        return self._renames

    def relative(self, path: Path) -> str | None:
        """`path` relative to the top of the working tree (None outside it)."""
        try:
            return path.resolve().relative_to(self.top).as_posix()
        except (ValueError, OSError, RuntimeError):
            return None

    def head_path(self, based: Path) -> str | None:
        """The working-tree path (relative to the top) of a file in the snapshot tree."""
        try:
            old = based.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError, RuntimeError):
            return None
        return next((new for new, was in self.renames().items() if was == old), old)

    def materialize(self, path: Path) -> Path | None:
        """The base version of `path` in the snapshot tree (at the path it had at the ref), or
        None if it did not exist."""
        rel = self.relative(path)
        if rel is None:
            return None
        old = self.renames().get(rel, rel)
        target = self.root / old
        if target.exists():
            return target
        done = subprocess.run(
            ["git", "show", f"{self.commit}:{old}"], cwd=self.top, capture_output=True, check=False
        )
        if done.returncode != 0:
            return None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(done.stdout)
        return target


def _model(path: Path, shown: str) -> Api | None:
    try:
        doc = load_document(path, shown)
        return None if isinstance(doc, NotAnApi) else build_model(doc, Settings())
    except (ApilintError, RecursionError):
        return None


def _closure(ws: Workspace, doc: Document, tokens: Tokens) -> str:
    """A canonical text of a node and, transitively, everything its `$ref`s reach."""
    try:
        value = get(doc.data, tokens)
    except KeyError:
        return "<absent>"
    parts = [value]
    seen = {(doc.abspath, tokens)}
    pending = [(doc, value)]
    while pending:
        holder, node = pending.pop()
        for _, ref in iter_refs(node):
            try:
                target = ws.deref(At(holder, ("(diff)",), {"$ref": ref}))
            except Exception:  # noqa: BLE001 - an unresolvable ref is part of the text already
                continue
            key = (target.doc.abspath, target.tokens)
            if key not in seen:
                seen.add(key)
                parts.append(target.value)
                pending.append((target.doc, target.value))
    return json.dumps(parts, sort_keys=True, default=str)


def _method_signature(api: Api, method: Method | None) -> str | None:
    if method is None:
        return None
    path_item = method.at.tokens[:-1]
    schemes = {
        n: _closure(api.ws, s.at.doc, s.at.tokens)
        for n, s in api.schemes.items()
        if n in method.auth.schemes
    }
    return json.dumps(
        [
            _closure(api.ws, method.at.doc, method.at.tokens),
            _closure(api.ws, method.at.doc, path_item + ("parameters",)),
            sorted(method.auth.kinds),
            schemes,
        ],
        sort_keys=True,
    )


def _node_signature(
    api: Api, file: str, pointer: str, names: Mapping[Path, str] | None = None
) -> str | None:
    """`names`: the name each document (by absolute path) goes by, where not its own."""
    doc = next(
        (d for d in api.ws.docs.values() if (names or {}).get(d.abspath, d.path) == file), None
    )
    if doc is None:
        return None
    return _closure(api.ws, doc, decode("#" + pointer))


class _Comparison:
    """Head and base models of one file; each operation or node is compared once, however many
    findings sit on it."""

    def __init__(self, head: Api, base: Api, base_names: Mapping[Path, str]) -> None:
        self.head, self.base = head, base
        self.base_names = base_names
        self.head_methods = {m.label: m for m in head.methods}
        self.base_methods = {m.label: m for m in base.methods}
        self._verdicts: dict[tuple[str, ...], bool] = {}

    def changed(self, finding: Finding) -> bool:
        label = finding.operation or ""
        on_method = bool(label) and label in self.head_methods
        key = (label,) if on_method else (finding.file, finding.pointer)
        if key not in self._verdicts:
            if on_method:
                verdict = _method_signature(
                    self.head, self.head_methods[label]
                ) != _method_signature(self.base, self.base_methods.get(label))
            else:
                verdict = _node_signature(
                    self.head, finding.file, finding.pointer
                ) != _node_signature(self.base, finding.file, finding.pointer, self.base_names)
            self._verdicts[key] = verdict
        return self._verdicts[key]


def keep_changed(results: Sequence[FileResult], ref: str) -> list[FileResult]:
    """The results with only the findings on objects that differ from `ref`."""
    snapshot = Snapshot(ref, Path.cwd())
    try:
        return [_changed_only(result, snapshot) for result in results]
    finally:
        snapshot.close()


def _changed_only(result: FileResult, snapshot: Snapshot) -> FileResult:
    if result.error is not None or result.skipped or not result.findings:
        return result
    head = _model(Path(result.path), result.path)
    if head is None:
        return result
    # The base needs the root file and the files it references, at the same places.
    base_root = snapshot.materialize(Path(result.path))
    if base_root is None:
        return result  # a new file: everything in it is new
    for doc in head.ws.docs.values():
        snapshot.materialize(doc.abspath)
    base = _model(base_root, result.path)
    if base is None:
        return result
    # Fragments are compared under the names the head run gave them (where they are now, when
    # they moved).
    shown = {
        rel: d.path
        for d in head.ws.docs.values()
        if (rel := snapshot.relative(d.abspath)) is not None
    }
    names = {}
    for doc in base.ws.docs.values():
        now = shown.get(snapshot.head_path(doc.abspath) or "")
        rel = os.path.relpath(doc.abspath, base_root.parent)
        names[doc.abspath] = now or os.path.normpath(
            os.path.join(os.path.dirname(result.path), rel)
        )
    comparison = _Comparison(head, base, names)
    return replace(result, findings=[f for f in result.findings if comparison.changed(f)])
