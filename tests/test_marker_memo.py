"""The includer scan remembers which files hold no marker, and reads again any that changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from apilint.document import marker_memo
from apilint.document.marker_memo import Memo

MARKERS = (b"AWS::Include", b"DefinitionUri")


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private per-user cache (XDG_CACHE_HOME), so tests neither read nor fill the real one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "apilint"


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "api.yaml").write_text("openapi: 3.0.1\n")
    (repo / "template.yaml").write_text("Resources: {A: {Properties: {DefinitionUri: api.yaml}}}\n")
    return repo


def _age(path: Path, seconds: int = 60) -> None:
    """As if written a minute ago (the change time stays now: see the racy test)."""
    then = os.stat(path).st_mtime - seconds
    os.utime(path, (then, then))


def _scan(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bool], list[str]]:
    """What a Memo says of each file, and which files it read."""
    read: list[str] = []
    real = marker_memo.contains
    monkeypatch.setattr(marker_memo, "contains", lambda p, m: read.append(p) or real(p, m))
    memo = Memo(str(repo), MARKERS)
    said = {p.name: memo.contains(str(p)) for p in sorted(repo.iterdir())}
    memo.save()
    return said, sorted(Path(p).name for p in read)


def test_files_without_markers_are_not_read_again(tmp_path, monkeypatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))  # nothing is too recent
    assert _scan(repo, monkeypatch) == (
        {"api.yaml": False, "template.yaml": True},
        ["api.yaml", "template.yaml"],
    )
    # the next run reads only the template (files with a marker are always read)
    assert _scan(repo, monkeypatch) == (
        {"api.yaml": False, "template.yaml": True},
        ["template.yaml"],
    )


def test_a_file_that_changed_is_read_again(tmp_path, monkeypatch) -> None:
    repo = _repo(tmp_path)
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))
    _scan(repo, monkeypatch)
    (repo / "api.yaml").write_text("Resources: {B: {Properties: {DefinitionUri: x.yaml}}}\n")
    assert _scan(repo, monkeypatch) == (
        {"api.yaml": True, "template.yaml": True},
        ["api.yaml", "template.yaml"],
    )


def test_a_file_with_its_old_times_put_back_is_read_again(tmp_path, monkeypatch) -> None:
    # same size and modification time (`touch -r`, `rsync -t`): the change time still tells
    repo = _repo(tmp_path)
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))
    api = repo / "api.yaml"
    _scan(repo, monkeypatch)
    time.sleep(0.05)  # past a coarse file system clock's tick
    before = os.stat(api)
    api.write_text("DefinitionUri:\n")  # as long as "openapi: 3.0.1\n"
    os.utime(api, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(api)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert _scan(repo, monkeypatch) == (
        {"api.yaml": True, "template.yaml": True},
        ["api.yaml", "template.yaml"],
    )


def test_a_file_changed_just_now_is_not_remembered(tmp_path, monkeypatch) -> None:
    # a second change within the file system's time resolution could keep its times
    monkeypatch.setattr(marker_memo, "RACY_NS", 10**15)  # "just now", however slow the machine
    repo = _repo(tmp_path)
    _age(repo / "api.yaml")
    _scan(repo, monkeypatch)
    assert _scan(repo, monkeypatch)[1] == ["api.yaml", "template.yaml"]


def test_a_damaged_or_foreign_memo_is_ignored(tmp_path, monkeypatch, cache) -> None:
    repo = _repo(tmp_path)
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))
    _scan(repo, monkeypatch)
    [memo] = cache.glob("markers-*.json")
    assert not list(cache.glob(".markers-*"))  # written atomically: no temporary left behind
    memo.write_text("{not json")
    assert _scan(repo, monkeypatch)[1] == ["api.yaml", "template.yaml"]
    assert Memo(str(repo), (b"Other",)).known == {}  # other markers: nothing known


def test_an_unwritable_cache_only_costs_speed(tmp_path, monkeypatch, cache) -> None:
    repo = _repo(tmp_path)
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))
    cache.parent.mkdir(parents=True)
    cache.write_text("a file where the folder should be")
    assert _scan(repo, monkeypatch)[0] == {"api.yaml": False, "template.yaml": True}
    assert _scan(repo, monkeypatch)[1] == ["api.yaml", "template.yaml"]


def test_a_memo_of_another_user_is_not_trusted(tmp_path, monkeypatch, cache) -> None:
    """A memo in a cache folder others can write to could make apilint skip files: one that is
    not the running user's (or larger than any apilint writes) is read as no memo."""
    from apilint.common import cache as user_cache

    repo = _repo(tmp_path)
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))
    _scan(repo, monkeypatch)
    assert _scan(repo, monkeypatch)[1] == ["template.yaml"]  # trusted: api.yaml not read
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    assert _scan(repo, monkeypatch)[1] == ["api.yaml", "template.yaml"]
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(marker_memo, "RACY_NS", -(10**12))
    monkeypatch.setattr(user_cache, "MAX_CACHE_BYTES", 10)
    assert _scan(repo, monkeypatch)[1] == ["api.yaml", "template.yaml"]
