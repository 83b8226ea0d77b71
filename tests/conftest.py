"""pytest fixtures and hooks only; the helpers tests import live in helpers.py."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from helpers import require_shared

# apilint's per-user cache (rule catalog, includer markers) goes to a folder of this test session,
# for the processes tests start too: a run of the tests leaves nothing in the user's home, and
# no test sees what an earlier session or the user's own runs cached.
_SESSION_CACHE = tempfile.mkdtemp(prefix="apilint-test-cache-")
os.environ["XDG_CACHE_HOME"] = _SESSION_CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's cache folder goes with the session (each left one in /tmp)."""
    import shutil

    shutil.rmtree(_SESSION_CACHE, ignore_errors=True)


@pytest.fixture
def corpus() -> Path:
    return require_shared("corpus")


#: Markers of tests that build or start something big; each implies `slow`, so
#: `pytest -m "not slow"` (the inner loop) leaves them out.
SLOW_MARKERS = ("wheel", "precommit", "browser", "moto", "contract", "fuzz", "lsp", "vsix")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(item.get_closest_marker(name) for name in SLOW_MARKERS):
            item.add_marker(pytest.mark.slow)
