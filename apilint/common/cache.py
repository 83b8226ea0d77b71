"""The per-user cache: files that only save time (the rule catalog, which files of a repository
hold includer markers). Losing, damaging or failing to write one costs speed, never a result."""

from __future__ import annotations

import os
from pathlib import Path

from apilint.common.files import open_regular, read_at_most

#: A cache file larger than this is none apilint wrote (the rule catalog is about 0.5 MB).
MAX_CACHE_BYTES = 64 * 1024 * 1024


def cache_dir() -> Path | None:
    """Where per-user caches live: $XDG_CACHE_HOME/apilint (default ~/.cache/apilint), or
    None when there is no home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no HOME and no passwd entry
        return None
    return root / "apilint"


def write_cache(path: Path | None, data: str | bytes, keep: int) -> None:
    """Write a cache file (text, or bytes) atomically (readers see the old file or the whole
    new one) and keep only the `keep` most recent others of its kind (same name up to the first
    `-`, whatever its suffix); a cache that cannot be written (read-only home, full disk) only
    costs speed."""
    if path is None:
        return
    import tempfile

    kind = path.name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(path.parent.glob(f"{kind}-*"), key=_mtime)
        for stale in old[: -(keep + 1)]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # removed meanwhile by another run
        return 0


def read_cache(path: Path | None) -> bytes | None:
    """A cache file's bytes, or None: missing, unreadable, not a regular file, larger than any
    apilint writes, or owned by another user. A cache decides which rules run and which files
    are read, so one planted in a shared or foreign cache folder is not trusted."""
    if path is None:
        return None
    try:
        with open_regular(path) as f:
            info = os.fstat(f.fileno())
            if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
                return None
            if info.st_size > MAX_CACHE_BYTES:
                return None
            data = read_at_most(f, MAX_CACHE_BYTES + 1, info.st_size + 1)
    except OSError:  # NotRegularFile and IsADirectoryError are OSErrors too
        return None
    return data if len(data) <= MAX_CACHE_BYTES else None
