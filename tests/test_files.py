"""apilint.common.files: the bounded reads every user file goes through."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from apilint.common.files import (
    NOT_REGULAR,
    NotRegularFile,
    TooLarge,
    read_at_most,
    read_bounded,
    repository_root,
)


class Endless:
    """A stream that never ends (/dev/zero, a server that keeps sending), recording each ask."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def read(self, n: int) -> bytes:
        self.asked.append(n)
        return b"x" * min(n, 1000)


def test_read_at_most_stops_at_the_limit_and_never_asks_for_it_whole() -> None:
    # http.client and BufferedReader allocate what read(n) asks for before reading a byte.
    stream = Endless()
    data = read_at_most(stream, 5_000_000)  # type: ignore[arg-type]
    assert len(data) == 5_000_000
    assert max(stream.asked) == 1 << 20


def test_read_bounded_counts_bytes_not_the_reported_size(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100) == b"x" * 100
    with pytest.raises(TooLarge, match="file is 100 bytes, over the 99-byte limit"):
        read_bounded(path, 99)
    if not os.path.exists("/proc/self/environ"):
        return
    # /proc files report a size of 0.
    with pytest.raises(TooLarge, match="file is more, over the 4-byte limit"):
        read_bounded("/proc/self/environ", 4)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="POSIX devices")
def test_read_bounded_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    # FIFOs (whose open would block) are tested in a subprocess: tests/test_hostile_fs.py.
    with pytest.raises(NotRegularFile, match=re.escape(NOT_REGULAR)):
        read_bounded("/dev/zero", 10)
    with pytest.raises(IsADirectoryError):
        read_bounded(tmp_path, 10)


def test_repository_root_is_the_nearest_folder_with_git(tmp_path: Path) -> None:
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "sub" / "wt"
    (outer / ".git").mkdir(parents=True)
    inner.mkdir(parents=True)
    assert repository_root(inner) == outer
    # a worktree's (or submodule's) .git is a file: the nearest one wins
    (inner / ".git").write_text("gitdir: elsewhere\n")
    assert repository_root(inner / "api") == inner
    assert repository_root(inner.parent) == outer
    lone = tmp_path / "lone"
    lone.mkdir()
    assert repository_root(lone) is None  # pytest's temporary folders lie in no repository
