"""`apilint drift`: does the stage run what the definition says? The definition's gateway model
is compared with that of the stage's export (a file, or exported from AWS with --aws, read-only)
by the rules of scope `drift`, and reported like lint findings."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from apilint.catalog.registry import find_rules_or_error
from apilint.commands.lint import (
    Options,
    config_for,
    outputs_of,
    report,
    settings_for,
    threshold_for,
)
from apilint.common.errors import ApilintError, UsageError, warn
from apilint.common.findings import FileResult
from apilint.engine.run import Settings, load_api, run_rules
from apilint.model.gateway import Api


@dataclass(frozen=True, kw_only=True)
class DriftOptions:
    spec: str
    deployed: str | None = None  # an export file
    aws: bool = False  # export the stage from AWS instead
    api_id: str | None = None
    stage: str | None = None
    region: str | None = None
    profile: str | None = None
    save_export: str | None = None  # keep the export --aws made here
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    config: str | None = None


def run_drift(options: DriftOptions, formats: Sequence[str], quiet: bool, colour: bool) -> int:
    try:
        outputs = outputs_of(formats)
        result, threshold = drift(options)
    except ApilintError as exc:
        warn(f"apilint: {exc}" if exc.file else f"apilint: {exc.message}")
        return 2
    return report([result], [threshold], outputs, quiet, colour)


def drift(options: DriftOptions) -> tuple[FileResult, str]:
    """The drift findings of the definition against the stage, and the fail-on threshold."""
    settings, fail_on = drift_settings(options.spec, options.config, options.select)
    settings = replace(settings, ignore=settings.ignore + options.ignore)
    source = load_api(options.spec, settings)
    with _export(options) as path:
        stage = load_api(str(path), Settings(max_bytes=settings.max_bytes))
    return compare_stage(source, stage, settings), options.fail_on or fail_on


def drift_settings(spec: str, config: str | None, select: tuple[str, ...]) -> tuple[Settings, str]:
    """The drift rules' settings for a definition (its configuration's options, severities
    and ignores; the selection is the drift rules), and its configured fail-on."""
    found = config_for(spec, config)
    # As `apilint lint` reads the configuration (its limits and API type too), with the drift
    # rules as the selection.
    options = Options(paths=(spec,), select=_drift_rules(select))
    return settings_for(found, options, spec), threshold_for(found, options)


def compare_stage(source: Api, stage: Api, settings: Settings) -> FileResult:
    """The findings of the drift rules `settings` selects, on the definition `source`."""
    if source.kind != stage.kind:
        raise UsageError(
            f"{source.doc.path} defines {_a(source.kind)} API and {stage.doc.path} is the "
            f"export of {_a(stage.kind)} API: compare a definition with its own stage"
        )
    return run_rules(source.doc, replace(settings, deployed=stage), api=source)


def _a(kind: str) -> str:
    return "an HTTP" if kind == "http" else "a REST"


def _drift_rules(selectors: tuple[str, ...]) -> tuple[str, ...]:
    """The drift rules the selectors name (default: all of them)."""
    chosen = [r.name for r in find_rules_or_error(selectors or ("drift",)) if r.scope == "drift"]
    if not chosen:
        raise UsageError(
            f"--select {','.join(selectors)} names no drift rule (apilint rules lists "
            "them: category drift)"
        )
    return tuple(chosen)


@contextmanager
def _export(options: DriftOptions) -> Iterator[Path]:
    """The export file to compare with: --deployed, or the stage exported from AWS."""
    if (options.deployed is None) == (not options.aws):
        raise UsageError("pass --deployed EXPORT_FILE, or --aws --api-id ID --stage NAME")
    if options.deployed is not None:
        yield Path(options.deployed)
        return
    if not options.api_id or not options.stage:
        raise UsageError("--aws needs --api-id and --stage: the stage to export")
    body = _from_aws(options)
    if options.save_export:
        target = Path(options.save_export)
        try:
            target.write_bytes(body)
        except OSError as exc:
            raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
        yield target
        return
    with tempfile.TemporaryDirectory(prefix="apilint-drift-") as folder:
        target = Path(folder) / f"{options.api_id}-{options.stage}.json"
        target.write_bytes(body)
        yield target


def _from_aws(options: DriftOptions) -> bytes:
    from apilint.aws import client, session
    from apilint.aws.export import DeployedApi, export, kind_of

    made = session(options.region, options.profile)
    where = str(made.region_name)
    apigw, v2 = client(made, "apigateway", where), client(made, "apigatewayv2", where)
    api_id = str(options.api_id)
    kind, name = kind_of(apigw, v2, api_id, where)
    return export(apigw, v2, DeployedApi(api_id, name, kind, where, options.stage))
