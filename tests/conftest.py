"""pytest fixtures only; the helpers tests import live in helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import require_shared


@pytest.fixture
def corpus() -> Path:
    return require_shared("corpus")
