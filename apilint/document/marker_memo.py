"""Which files of a repository hold none of the includer markers, remembered between runs.

Finding the templates that include a definition (apilint.document.includers) reads every
YAML/JSON file of its repository, and a pre-commit hook does that on every commit. A file
whose identity (device, inode, size, modification and change times) is what it was when it
was last read holds the same bytes, as git assumes for its index: only the files that changed
are read again. The change time cannot be set by a program (copying times with `touch -r`,
`rsync -t` or tar still changes it). A file changed within RACY_NS of being read is not
remembered: another change inside the file system's time resolution could keep all its times.
"""

from __future__ import annotations

import os
import time
import zlib

from apilint.common.cache import cache_dir, read_cache, write_cache
from apilint.document.discover import contains

#: How recently changed a file may be and still be remembered (coarse file system clocks
#: tick in jiffies; FAT's in 2 s).
RACY_NS = 3 * 10**9
#: Repositories remembered besides the one just written.
KEEP = 32
_FORMAT = 1

Stamp = list[int]


class Memo:
    """`contains` for the files under `root`, reading only those not known to hold none of
    `markers`; `save` remembers what it learned."""

    def __init__(self, root: str, markers: tuple[bytes, ...]) -> None:
        self.markers = markers
        folder = cache_dir()
        key = zlib.crc32(os.path.abspath(root).encode("utf-8", "surrogateescape"))
        self.path = folder / f"markers-{key:08x}.json" if folder is not None else None
        self.root = os.path.abspath(root)
        self.known = self._load()
        self.seen: dict[str, Stamp] = {}

    def contains(self, path: str) -> bool:
        try:
            info = os.stat(path)  # as opening it does: through a link
        except OSError:
            return contains(path, self.markers)  # it reports the problem
        stamp = [info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        if self.known.get(path) == stamp:
            self.seen[path] = stamp
            return False
        found = contains(path, self.markers)
        if not found and time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
            self.seen[path] = stamp
        return found

    def save(self) -> None:
        if self.path is None or self.seen == self.known:
            return
        import orjson

        data = {
            "format": _FORMAT,
            "root": self.root,
            "markers": [m.decode() for m in self.markers],
            "files": self.seen,
        }
        try:
            text = orjson.dumps(data).decode()
        except TypeError:  # a file name that is not UTF-8: not remembered
            return
        write_cache(self.path, text, KEEP)

    def _load(self) -> dict[str, Stamp]:
        if self.path is None:
            return {}
        import orjson

        raw = read_cache(self.path)
        if raw is None:
            return {}
        try:
            data = orjson.loads(raw)
            fits = (
                data["format"] == _FORMAT
                and data["root"] == self.root
                and data["markers"] == [m.decode() for m in self.markers]
            )
            return dict(data["files"]) if fits else {}
        except (ValueError, KeyError, TypeError):
            return {}
