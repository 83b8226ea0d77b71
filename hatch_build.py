"""Hatch build hook: the wheel carries the rule catalog (apilint/_rules/catalog.json), compiled
from rules/*.yaml and validated at build time, so an installed apilint never parses the YAML
files (apilint.catalog.registry). The catalog is not in the repository: any two rule changes would
conflict on it."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads rules/ in place (and caches the catalog)
        sys.path.insert(0, self.root)
        try:
            from apilint.catalog.registry import CATALOG, catalog_text

            text = catalog_text(Path(self.root) / "rules")
        finally:
            sys.path.remove(self.root)
        self._tmp = tempfile.TemporaryDirectory(prefix="apilint-catalog-")
        made = Path(self._tmp.name) / CATALOG
        made.write_text(text, encoding="utf-8")
        build_data["force_include"][str(made)] = f"apilint/_rules/{CATALOG}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
