"""The per-user cache: files that only save time (the rule catalog, which files of a repository
hold includer markers). Losing, damaging or failing to write one costs speed, never a result."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path | None:
    """Where per-user caches live: $XDG_CACHE_HOME/apilint (default ~/.cache/apilint), or
    None when there is no home to put it in."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    except RuntimeError:  # no HOME and no passwd entry
        return None
    return root / "apilint"


def write_cache(path: Path | None, text: str, keep: int) -> None:
    """Write a cache file atomically (readers see the old file or the whole new one) and keep
    only the `keep` most recent others of its kind (same name up to the first `-`); a cache
    that cannot be written (read-only home, full disk) only costs speed."""
    if path is None:
        return
    import tempfile

    kind = path.name.split("-", 1)[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        old = sorted(path.parent.glob(f"{kind}-*.json"), key=_mtime)
        for stale in old[: -(keep + 1)]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:  # removed meanwhile by another run
        return 0
