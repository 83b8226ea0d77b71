"""`apilint export` and `apilint audit`: definitions pulled from deployed APIs."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from apilint.commands.account import ask_account
from apilint.commands.lint import Options, lint, outputs_of, report
from apilint.common.errors import UsageError, warn
from apilint.common.escape import terminal_line, visible
from apilint.common.findings import FileResult, Severity
from apilint.model.inventory import Deployment

if TYPE_CHECKING:
    from apilint.aws.audit import Exported


def run_export(
    api_id: str,
    stage: str | None,
    output: str | None,
    spec: str,
    region: str | None,
    profile: str | None,
) -> int:
    try:
        from apilint.aws import client, session
        from apilint.aws.export import DeployedApi, export, kind_of

        made = session(region, profile)
        where = str(made.region_name)
        apigw, v2 = client(made, "apigateway", where), client(made, "apigatewayv2", where)
        kind, name = kind_of(apigw, v2, api_id, where)
        body = export(apigw, v2, DeployedApi(api_id, name, kind, where, stage), spec)
    except UsageError as exc:
        warn(f"apilint: {exc.message}")
        return 2
    if output is None:
        sys.stdout.write(body.decode("utf-8", "replace"))
        return 0
    try:
        Path(output).write_bytes(body)
    except OSError as exc:
        warn(f"apilint: cannot write {output}: {exc.strerror or exc}")
        return 2
    warn(
        f"apilint: wrote the {kind.upper()} API {name!r} ({api_id}"
        f"{', stage ' + stage if stage else ''}) to {output}"
    )
    return 0


def run_audit(
    regions: Sequence[str],
    profile: str | None,
    formats: Sequence[str],
    fail_on: str | None,
    save: str | None,
    config: str | None,
    quiet: bool,
    colour: bool,
) -> int:
    try:
        outputs = outputs_of(formats)
        from apilint.aws import session

        made = session(regions[0] if regions else None, profile)
        wanted = list(regions) or [str(made.region_name)]
        folder = Path(save) if save else Path(tempfile.mkdtemp(prefix="apilint-audit-"))
        folder.mkdir(parents=True, exist_ok=True)
        exported = _export(made, wanted, folder, quiet)
        good = [e for e in exported if e.path is not None]
        options = Options(paths=tuple(str(e.path) for e in good), fail_on=fail_on, config=config)
        by_path = {str(e.path): e.deployment or Deployment() for e in good}
        results, thresholds = lint(
            options,
            lambda tasks, prebuilt: ask_account(
                made, tasks, lambda path, apis: by_path[path], prebuilt
            ),
        )
    except UsageError as exc:
        warn(f"apilint: {exc.message}")
        return 2
    code = report(results, thresholds, outputs, quiet, colour)
    table = summary(exported, results)
    out = sys.stdout if any(n == "text" and t is None for n, t in outputs) else sys.stderr
    out.write(table)
    if not save:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    failed = [e for e in exported if e.error]
    for e in failed:
        warn(f"apilint: {e.error}")
    return 2 if failed else code


def _export(made: object, regions: list[str], folder: Path, quiet: bool) -> list[Exported]:
    from apilint.aws.audit import export_all

    if quiet or not sys.stderr.isatty():
        return export_all(made, regions, folder)
    import click

    bars = []

    def start(total: int) -> Callable[[], None]:
        bar = click.progressbar(length=total, label="exporting APIs", file=sys.stderr)
        bars.append(bar.__enter__())
        return lambda: bar.update(1)

    try:
        return export_all(made, regions, folder, progress=start)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


def summary(exported: list[Exported], results: list[FileResult]) -> str:
    """One row per API stage: API, region, stage, errors, warnings, worst finding."""
    by_path: dict[str, list[FileResult]] = {}
    for r in results:
        by_path.setdefault(r.path, []).append(r)
    rows: list[tuple[str, ...]] = [
        ("API", "REGION", "STAGE", "ERRORS", "WARNINGS", "WORST FINDING")
    ]
    for e in exported:
        api = f"{e.api.name} ({e.api.api_id}, {e.api.kind.upper()})"
        stage = e.api.stage or "(latest)"
        if e.path is None:
            rows.append((api, e.api.region, stage, "-", "-", f"export failed: {e.error}"))
            continue
        found = [f for r in by_path.get(str(e.path), []) for f in r.findings]
        errors = sum(f.severity == Severity.ERROR for f in found)
        warnings = sum(f.severity == Severity.WARNING for f in found)
        worst = max(found, key=lambda f: (f.severity, -f.line), default=None)
        rows.append(
            (
                api,
                e.api.region,
                stage,
                str(errors),
                str(warnings),
                f"{worst.code} {worst.name}: {worst.message[:80]}" if worst else "-",
            )
        )
    # API names and messages come from the account's definitions: shown like any other input.
    rows = [tuple(visible(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row[:5], widths)) + "  " + row[5] for row in rows
    ]
    return "\n".join(terminal_line(line.rstrip()) for line in lines) + "\n"
