"""Acme's Python checks: the signature of apilint's own, `(api, options) -> violations`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from apilint.checks import Violation, violation
from apilint.model.gateway import Api


def versioned_paths(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    pattern = re.compile(options["pattern"])
    for path, resource in api.resources.items():
        if resource.at is not None and not pattern.match(path):
            yield violation(
                resource.at, f"{path} does not start with a version ({pattern.pattern})"
            )


def exploding(api: Api, options: dict[str, Any]) -> Iterator[Violation]:
    raise RuntimeError("acme's check has a bug")
    yield  # a generator, as checks are
