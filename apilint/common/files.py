"""Reading files that arrive with a pull request: regular files only, never more than a limit.

A repository can commit a symbolic link to /dev/zero (a read never ends) or to a FIFO (opening it
waits for a writer forever), and files under /proc report a size of 0 whatever they hold. So every
read of a user's file goes through `read_bounded`: opened without blocking, refused unless it is
a regular file, and read for at most `limit + 1` bytes whatever its size claims.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

#: Configuration and .gitignore files: text a person writes.
SMALL_FILE_LIMIT = 1024 * 1024
NOT_REGULAR = "not a regular file (a device, FIFO or socket)"

# O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer (no effect on the
# reads of a regular file). O_BINARY: Windows only.
_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegularFile(OSError):
    def __init__(self) -> None:
        super().__init__(errno.EINVAL, NOT_REGULAR)


class TooLarge(OSError):
    """Over `limit` bytes; `size` is the size the file system reports, when it is known."""

    def __init__(self, limit: int, size: int | None) -> None:
        shown = f"{size:,} bytes" if size is not None else "more"
        super().__init__(errno.EFBIG, f"file is {shown}, over the {limit:,}-byte limit")
        self.limit = limit
        self.size = size


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """`path` opened for reading in binary; NotRegularFile for devices, FIFOs and sockets,
    IsADirectoryError for a directory (links are followed: callers decide where they may go)."""
    fd = os.open(path, _FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise NotRegularFile()
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; TooLarge otherwise."""
    with open_regular(path) as f:
        size = os.fstat(f.fileno()).st_size
        if size > limit:
            raise TooLarge(limit, size)
        data = read_at_most(f, limit + 1, size + 1)
    if len(data) > limit:
        raise TooLarge(limit, None)
    return data


def read_at_most(stream: BinaryIO, limit: int, hint: int = 0) -> bytes:
    """At most `limit` bytes of `stream`, read in pieces of at least a megabyte (`hint`: the
    size expected). `stream.read(limit)` would allocate the whole limit at once (http.client
    does), and a size the file system reports is only a hint (0 under /proc)."""
    want, parts = limit, []
    while want > 0 and (part := stream.read(min(want, max(hint, 1 << 20)))):
        parts.append(part)
        want -= len(part)
    return b"".join(parts)  # one part (the usual case) is returned as it is, without a copy


def read_text_bounded(
    path: str | os.PathLike[str], limit: int = SMALL_FILE_LIMIT, encoding: str = "utf-8"
) -> str:
    """`read_bounded` decoded; UnicodeDecodeError as `bytes.decode` raises it."""
    return read_bounded(path, limit).decode(encoding)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace a file's content at once (readers see the old file or the whole new one),
    keeping its permissions; a failure leaves the old file as it was."""
    import tempfile

    target = os.path.realpath(path)  # a symbolic link keeps pointing at the fixed file
    folder = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=".apilint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        except FileNotFoundError:
            pass
        os.replace(tmp, target)
    except BaseException:
        os.unlink(tmp)
        raise


def repository_root(folder: Path) -> Path | None:
    """The nearest directory at or above `folder` that holds `.git` (a directory, or the file
    of a worktree or submodule); None outside a repository. Paths are taken as given (callers
    that compare resolved paths pass a resolved one)."""
    return next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)
