"""Regular expressions compiled when first used.

A module-level `re.compile` runs at import, whether or not the run needs the pattern: the
YAML pre-scan's patterns on a JSON file, an authorizer's identity sources on an API without
authorizers. Compiling the ~130 patterns of a lint run is a sixth of a pre-commit run's
start-up; `lazy` defers each to its first use and keeps it after.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import AnyStr


def lazy(pattern: AnyStr, flags: int = 0) -> Callable[[], re.Pattern[AnyStr]]:
    """A function returning `re.compile(pattern, flags)`, compiled on its first call."""

    @functools.cache
    def compiled() -> re.Pattern[AnyStr]:
        return re.compile(pattern, flags)

    return compiled
