"""`apilint audit --aws --source DIR`: which definition of the repository each deployed API was
deployed from (by title, which is the API's name on AWS, or by a mapping file), and the drift
of each stage against it, reported beside the lint findings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from apilint.commands.account import api_title
from apilint.commands.drift import compare_stage, drift_settings
from apilint.common.errors import ApilintError, UsageError, warn
from apilint.common.files import read_at_most
from apilint.common.findings import FileResult
from apilint.document.discover import expand
from apilint.engine.run import Prebuilt, Settings, load_api
from apilint.model.gateway import Api

if TYPE_CHECKING:
    from apilint.aws.audit import Exported

_MAP_LIMIT = 1024 * 1024


@dataclass(frozen=True)
class Sources:
    """The definitions under a folder, by title, and the mapping file's choices."""

    folder: Path
    by_title: dict[str, list[Api]]
    mapping: dict[str, str]

    def of(self, api_id: str, name: str, kind: str) -> Api | None:
        """The definition a deployed API was made from: the mapping file's (by id, then name),
        else the one definition of the same kind (REST or HTTP) whose title is the API's name."""
        mapped = self.mapping.get(api_id) or self.mapping.get(name)
        if mapped is not None:
            return load_api(str(self.folder / mapped))
        found = [a for a in self.by_title.get(name, []) if a.kind == kind]
        if len(found) > 1:
            shown = ", ".join(sorted(a.doc.path for a in found))
            warn(
                f"apilint: note: several definitions are titled {name!r} ({shown}); map the "
                "API to one with --source-map"
            )
            return None
        return found[0] if found else None


def read_sources(folder: str, mapping: str | None) -> Sources:
    if not Path(folder).is_dir():
        raise UsageError(f"--source {folder}: no such directory")
    by_title: dict[str, list[Api]] = {}
    prebuilt = Prebuilt()
    for target in expand([folder]):
        for api in prebuilt.models(target.path, Settings()):
            if api.doc.alternative:
                continue  # the second reading of an Fn::If template: the same API again
            title = api_title(api.doc.data)
            if title is not None:
                by_title.setdefault(title, []).append(api)
    return Sources(Path(folder), by_title, _read_map(mapping) if mapping else {})


def _read_map(path: str) -> dict[str, str]:
    """`{"API id or name": "definition path relative to --source"}`."""
    try:
        with open(path, "rb") as stream:
            data = json.loads(read_at_most(stream, _MAP_LIMIT + 1))
    except OSError as exc:
        raise UsageError(f"--source-map {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UsageError(f"--source-map {path}: invalid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(
            f'--source-map {path}: expected {{"API id or name": "path/to/definition"}}'
        )
    return data


@dataclass(frozen=True)
class StageDrift:
    exported: Exported
    result: FileResult | None  # None: no definition in the repository
    fail_on: str = "error"


def drift_beside(
    exported: Sequence[Exported], sources: Sources, config: str | None, fail_on: str | None
) -> list[StageDrift]:
    """Each exported stage with its drift against its definition."""
    out: list[StageDrift] = []
    for e in exported:
        if e.path is None:
            continue
        threshold = fail_on or "error"
        try:
            source = sources.of(e.api.api_id, e.api.name, e.api.kind)
            if source is None:
                out.append(StageDrift(e, None))
                continue
            settings, configured = drift_settings(source.doc.path, config, ())
            threshold = fail_on or configured
            result = compare_stage(source, load_api(str(e.path)), settings)
        except ApilintError as exc:
            result = FileResult(str(e.path), error=exc)
        result.label = f"drift of {e.api.api_id} stage {e.api.stage or '(latest)'}"
        out.append(StageDrift(e, result, threshold))
    return out
