"""The command line. Each command is a thin function returning an exit code:
0 clean, 1 findings at or above --fail-on, 2 usage, parse or internal error."""

from __future__ import annotations

import os
import sys
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING

import typer

from apilint.commands.quick import api_kind as _api_kind
from apilint.commands.quick import colour as _colour
from apilint.commands.quick import contained
from apilint.commands.quick import split as _split
from apilint.common.errors import warn

if TYPE_CHECKING:
    from apilint.commands.lint import Options

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Catch AWS API Gateway pitfalls in OpenAPI/Swagger definitions.",
)


def _version(value: bool) -> None:
    if value:
        from apilint import __version__

        typer.echo(f"apilint {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        is_eager=True,
        callback=_version,
        help="Print the version and exit.",
    ),
) -> None:
    """Catch AWS API Gateway pitfalls in OpenAPI/Swagger definitions."""


def _stage_vars(values: list[str] | None) -> tuple[tuple[str, str], ...]:
    from apilint.commands.account import parse_stage_vars
    from apilint.common.errors import UsageError

    try:
        return parse_stage_vars(values)
    except UsageError as exc:
        raise typer.BadParameter(exc.message, param_hint="--stage-var") from None


# The choices typer offers and checks; the quick path (apilint.commands.quick) reads the same
# values from its tuples (tests/test_quick_lint.py holds them equal).
class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class MinSeverity(str, Enum):
    info = "info"
    warning = "warning"
    error = "error"


class ApiType(str, Enum):
    auto = "auto"
    rest = "rest"
    http = "http"


_PATHS = typer.Argument(
    ...,
    help="Definition files (YAML/JSON), CloudFormation/SAM templates, "
    "Terraform files, or directories; - reads standard "
    "input (lint).",
)
_API_TYPE = typer.Option(
    ApiType.auto,
    "--api-type",
    help="Lint as a REST or HTTP API (default: as configured, else detect).",
)
_SELECT = typer.Option(
    None,
    "--select",
    help="Only these rules, comma-separated: codes (AGW301), names, code "
    "prefixes (AGW3 = every AGW3xx), categories (security) or ALL; "
    "replaces the configured selection.",
)
_IGNORE = typer.Option(
    None,
    "--ignore",
    help="Skip these rules (selectors as for --select), on top of the "
    "configured ones; ignoring wins over selecting.",
)
_CONFIG = typer.Option(
    None,
    "--config",
    help="Configuration file (.apilint.toml or pyproject.toml with "
    "[tool.apilint]) for every file, and no other is read (pin it in "
    "CI); default: the nearest above each file.",
)
_JOBS = typer.Option(
    None,
    "--jobs",
    "-j",
    min=1,
    help="Parallel processes (default: all cores when the input is large, and a second "
    "process that finds positions for a large file linted alone); 1: one process.",
)
_MAX_SIZE = typer.Option(
    None, "--max-file-size", help="Refuse files larger than this (e.g. 6MB, 512KB; default 64MB)."
)
_OUTSIDE = typer.Option(
    False,
    "--allow-outside-refs",
    help="Read files that $ref, AWS::Include, DefinitionUri or templatefile "
    "name outside the directory of the file being linted.",
)
_REMOTE = typer.Option(
    False,
    "--allow-remote-refs",
    help="Fetch http(s) $refs (10 s and --max-file-size each); without it "
    "linting never touches the network.",
)
_REGION = typer.Option(None, "--region", help="AWS region (default: the profile's or AWS_REGION).")
_PROFILE = typer.Option(None, "--profile", help="AWS shared-config profile (default chain).")


def _options(
    paths: list[str],
    api_type: ApiType,
    select: list[str] | None,
    ignore: list[str] | None,
    config: str | None,
    jobs: int | None,
    fail_on: FailOn | None = None,
    allow_outside_refs: bool = False,
    max_file_size: str | None = None,
) -> Options:
    from apilint.commands.lint import Options
    from apilint.engine.config import parse_size

    try:
        max_bytes = parse_size(max_file_size) if max_file_size is not None else None
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--max-file-size") from None
    return Options(
        paths=tuple(paths),
        fail_on=fail_on.value if fail_on else None,
        api_type=_api_kind(api_type.value),
        select=_split(select),
        ignore=_split(ignore),
        config=config,
        jobs=jobs,
        allow_outside_refs=allow_outside_refs,
        max_bytes=max_bytes,
    )


@app.command()
def lint(
    paths: list[str] = _PATHS,
    format: list[str] = typer.Option(
        ["text"],
        "--format",
        "-f",
        help="text, json, sarif, junit, github, markdown or html; "
        "FORMAT=FILE writes that format to FILE. Repeatable.",
    ),
    fail_on: FailOn | None = typer.Option(
        None,
        "--fail-on",
        help="Lowest severity that makes the exit code 1 (default: as configured, else error).",
    ),
    api_type: ApiType = _API_TYPE,
    select: list[str] | None = _SELECT,
    ignore: list[str] | None = _IGNORE,
    config: str | None = _CONFIG,
    baseline: str | None = typer.Option(
        None,
        "--baseline",
        help="Report only findings not in this baseline (see `apilint baseline`).",
    ),
    diff_base: str | None = typer.Option(
        None,
        "--diff-base",
        help="Report only findings on operations and objects that differ from this git ref.",
    ),
    min_severity: MinSeverity = typer.Option(
        MinSeverity.info,
        "--min-severity",
        help="Report only findings of this severity or above (the pre-commit hook uses warning).",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print findings and errors only."),
    error_on_no_input: bool = typer.Option(
        False,
        "--error-on-no-input",
        help="Exit 2 when the paths hold no API definition (a moved or misspelt folder must "
        "not pass CI silently).",
    ),
    stdin_filename: str | None = typer.Option(
        None,
        "--stdin-filename",
        help="With the path - (standard input): lint the text as this file: JSON or YAML by "
        "its suffix, $refs relative to its folder, its configuration, its name in "
        "findings (default: stdin.yaml).",
    ),
    fix: bool = typer.Option(
        False,
        "--fix",
        help="Apply the safe fixes of the findings to the files (format-preserving), re-lint "
        "and report what remains.",
    ),
    unsafe_fixes: bool = typer.Option(
        False,
        "--unsafe-fixes",
        help="With --fix or --diff: apply the unsafe fixes too (they change what deploys, "
        "e.g. add authorization).",
    ),
    diff: bool = typer.Option(
        False,
        "--diff",
        help="Print the fixes as a unified diff (git apply / patch -p1) instead of writing them.",
    ),
    jobs: int | None = _JOBS,
    allow_outside_refs: bool = _OUTSIDE,
    max_file_size: str | None = _MAX_SIZE,
    allow_remote_refs: bool = _REMOTE,
    ruleset: str | None = typer.Option(
        None,
        "--ruleset",
        help="Also run the rules of this Spectral ruleset (.spectral.yaml) that use "
        "Spectral's core functions; what cannot run is listed as a note (beats the "
        "configuration key `ruleset`).",
    ),
    import_fails_on_warnings: bool = typer.Option(
        False,
        "--import-fails-on-warnings",
        help="The pipeline imports with failonwarnings=true (aws apigateway import-rest-api "
        "--fail-on-warnings): import warnings are errors, as FailOnWarnings in a template "
        "or fail_on_warnings in Terraform already make them.",
    ),
    aws: bool = typer.Option(
        False,
        "--aws",
        help="Ask AWS (read-only) whether each Lambda function the "
        "definitions invoke exists and lets API Gateway invoke it.",
    ),
    region: str | None = _REGION,
    profile: str | None = _PROFILE,
    stage: str | None = typer.Option(
        None,
        "--stage",
        help="Resolve stage-variable function names with this "
        "stage's variables (from AWS with --aws).",
    ),
    api_id: str | None = typer.Option(
        None,
        "--api-id",
        help="The deployed API's id, for source ARNs and stage look-ups (default: found by title).",
    ),
    stage_var: list[str] | None = typer.Option(
        None, "--stage-var", help="NAME=VALUE stage variable; repeatable."
    ),
    lambda_inventory: list[str] | None = typer.Option(
        None,
        "--lambda-inventory",
        help="Offline --aws: saved JSON of `aws lambda list-functions` (and list-aliases, "
        "get-policy ...); a file or folder, repeatable.",
    ),
) -> int:
    """Lint API Gateway definitions: OpenAPI/Swagger files, CloudFormation/SAM templates and
    Terraform files, or the directories that hold them."""
    from dataclasses import replace

    from apilint.commands.lint import run_lint

    stage_vars = _stage_vars(stage_var) if stage_var else ()  # checked whenever given
    account = None  # without --aws or --lambda-inventory the account's code never loads
    if aws or lambda_inventory:
        from apilint.commands.account import AccountOptions

        account = AccountOptions(
            aws=aws,
            region=region,
            profile=profile,
            stage=stage,
            api_id=api_id,
            stage_vars=stage_vars,
            inventory=tuple(lambda_inventory or ()),
        )
    options = replace(
        _options(
            paths,
            api_type,
            select,
            ignore,
            config,
            jobs,
            fail_on,
            allow_outside_refs,
            max_file_size,
        ),
        account=account,
        allow_remote_refs=allow_remote_refs,
        import_fails_on_warnings=import_fails_on_warnings,
        stdin_filename=stdin_filename,
        error_on_no_input=error_on_no_input,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        ruleset=ruleset,
    )
    return run_lint(
        options, format, quiet, _colour(sys.stdout), baseline, diff_base, min_severity.value
    )


@app.command()
def baseline(
    paths: list[str] = _PATHS,
    output: str = typer.Option(
        "apilint-baseline.json", "--output", "-o", help="Where to write the baseline."
    ),
    api_type: ApiType = _API_TYPE,
    select: list[str] | None = _SELECT,
    ignore: list[str] | None = _IGNORE,
    config: str | None = _CONFIG,
    jobs: int | None = _JOBS,
    allow_outside_refs: bool = _OUTSIDE,
    max_file_size: str | None = _MAX_SIZE,
) -> int:
    """Record today's findings so `lint --baseline` reports only new ones."""
    from apilint.commands.lint import run_baseline

    return run_baseline(
        _options(
            paths,
            api_type,
            select,
            ignore,
            config,
            jobs,
            allow_outside_refs=allow_outside_refs,
            max_file_size=max_file_size,
        ),
        output,
    )


rules_app = typer.Typer(no_args_is_help=False)
app.add_typer(rules_app, name="rules")


@rules_app.callback(invoke_without_command=True)
def rules_cmd(
    ctx: typer.Context,
    format: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> int:
    """List every rule (with the custom rules of the configuration here); `rules test DIR` tests
    custom rules, `rules docs DIR` writes their reference pages."""
    if ctx.invoked_subcommand is not None:
        return 0
    from apilint.commands.rules import list_rules

    return list_rules(format)


@rules_app.command("test")
def rules_test(
    folder: str = typer.Argument(..., help="A folder of custom rule files (or a rule pack)."),
) -> int:
    """Run each custom rule's bad and good examples and its `# expect:` fixtures
    (fixtures/<rule-name>/ beside the rule files): exit 1 when one fails."""
    from apilint.commands.rule_tests import run_rule_tests

    return run_rule_tests(folder)


@rules_app.command("docs")
def rules_docs(
    folder: str = typer.Argument(..., help="A folder of custom rule files (or a rule pack)."),
    out: str = typer.Option("docs", "--out", "-o", help="Where to write rules.md and rules/."),
) -> int:
    """Write reference pages for custom rules, as docs/rules.md is made for the built-in ones."""
    from apilint.commands.rules import write_docs

    return write_docs(folder, out)


@app.command()
def explain(
    rule: str = typer.Argument(
        ..., help="A rule code (AGW401) or name, or an `apilint test` check (probe/cors-preflight)."
    ),
    ruleset: str | None = typer.Option(
        None,
        "--ruleset",
        help="A Spectral ruleset given to `lint --ruleset`: its rules (spectral/NAME) too.",
    ),
) -> int:
    """Explain a rule (why it matters on API Gateway, examples, fix and references) or a
    contract check (what it sends, what API Gateway answers, why, the fix)."""
    from apilint.commands.rules import run_explain

    return run_explain(rule, ruleset)


@app.command()
def lsp() -> int:
    """Run the language server on stdin/stdout (editors start it: README, "In your editor")."""
    try:
        from apilint.lsp.server import main as serve_lsp
    except ImportError as exc:
        warn(f"apilint: the language server needs pygls: pip install 'apilint[lsp]' ({exc})")
        return 2
    return serve_lsp()


@app.command("new-rule", hidden=True)
def new_rule(
    name: str = typer.Argument(..., help="The rule's name (lower-case words joined by '-')."),
    code: str = typer.Option(..., "--code", help="Its code, AGW followed by three digits."),
    category: str = typer.Option(..., "--category", help="Its category (paths, security, ...)."),
    severity: str = typer.Option(..., "--severity", help="error, warning or info."),
    api: str = typer.Option("rest", "--api", help="rest, http or rest,http."),
    root: str | None = typer.Option(
        None,
        "--root",
        help="The source checkout to write into (default: the one this apilint runs from).",
    ),
) -> int:
    """For apilint developers: write a new rule's file, check stub and fixture (CONTRIBUTING.md)."""
    from pathlib import Path

    from apilint.commands.scaffold import NewRule, run_new_rule

    rule = NewRule(name, code, category, severity, _split([api]))
    return run_new_rule(rule, Path(root) if root is not None else None)


class ExportType(str, Enum):
    oas30 = "oas30"
    swagger = "swagger"


@app.command("export")
def export_cmd(
    api_id: str = typer.Argument(..., help="The REST or HTTP API id (e.g. a1b2c3d4e5)."),
    stage: str | None = typer.Option(
        None,
        "--stage",
        help="Stage to export (required for REST APIs; HTTP "
        "APIs without it export the latest configuration).",
    ),
    output: str | None = typer.Option(
        None, "--output", "-o", help="Write the definition here (default: stdout)."
    ),
    export_type: ExportType = typer.Option(
        ExportType.oas30, "--type", help="REST APIs: OpenAPI 3.0 or Swagger 2.0."
    ),
    region: str | None = _REGION,
    profile: str | None = _PROFILE,
) -> int:
    """Pull a deployed API's definition with its integrations, authorizers and API Gateway
    extensions (read-only)."""
    from apilint.commands.aws import run_export

    return run_export(api_id, stage, output, export_type.value, region, profile)


@app.command()
def audit(
    aws: bool = typer.Option(False, "--aws", help="Required: audit reads the AWS account."),
    region: list[str] | None = typer.Option(
        None, "--region", help="Region to audit; repeatable (default: the profile's region)."
    ),
    profile: str | None = _PROFILE,
    format: list[str] = typer.Option(
        ["text"], "--format", "-f", help="Formats as for lint; FORMAT=FILE writes to FILE."
    ),
    fail_on: FailOn | None = typer.Option(
        None, "--fail-on", help="Lowest severity that makes the exit code 1."
    ),
    save: str | None = typer.Option(
        None, "--save", help="Keep the exports in this folder (findings then point into them)."
    ),
    config: str | None = _CONFIG,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    source: str | None = typer.Option(
        None,
        "--source",
        help="The repository's definitions: each stage whose API is one of them (its title is "
        "the API's name, or --source-map names it) is also compared with it (apilint drift).",
    ),
    source_map: str | None = typer.Option(
        None,
        "--source-map",
        help='JSON {"API id or name": "definition path under --source"} for APIs whose name '
        "is not their definition's title.",
    ),
) -> int:
    """Export every deployed REST and HTTP API stage of the account's regions, lint each with
    the account checks, and print one summary table; with --source, the drift of each stage
    against its definition too."""
    if not aws:
        raise typer.BadParameter(
            "audit reads every API of the account: pass --aws to confirm", param_hint="--aws"
        )
    from apilint.commands.aws import run_audit

    return run_audit(
        _split(region),
        profile,
        format,
        fail_on.value if fail_on else None,
        save,
        config,
        quiet,
        _colour(sys.stdout),
        source,
        source_map,
    )


@app.command()
def drift(
    spec: str = typer.Argument(
        ..., help="The definition the stage should run (OpenAPI, SAM/CloudFormation, Terraform)."
    ),
    deployed: str | None = typer.Option(
        None,
        "--deployed",
        help="The stage's export: `apilint export` or `aws apigateway get-export "
        "--parameters extensions=apigateway` (OAS 3 or Swagger 2, REST or HTTP API).",
    ),
    aws: bool = typer.Option(
        False, "--aws", help="Export the stage from AWS (read-only) instead of --deployed."
    ),
    api_id: str | None = typer.Option(None, "--api-id", help="With --aws: the API's id."),
    stage: str | None = typer.Option(None, "--stage", help="With --aws: the stage to export."),
    save_export: str | None = typer.Option(
        None, "--save-export", help="With --aws: keep the export in this file."
    ),
    format: list[str] = typer.Option(
        ["text"], "--format", "-f", help="Formats as for lint; FORMAT=FILE writes to FILE."
    ),
    fail_on: FailOn | None = typer.Option(
        None,
        "--fail-on",
        help="Lowest severity of drift that makes the exit code 1 (default: as configured, "
        "else error).",
    ),
    select: list[str] | None = _SELECT,
    ignore: list[str] | None = _IGNORE,
    config: str | None = _CONFIG,
    region: str | None = _REGION,
    profile: str | None = _PROFILE,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print findings and errors only."),
) -> int:
    """Does the stage run what the definition says? Compare the definition with a stage's
    export: methods not deployed or only on the stage, weaker or other authorization,
    integrations, CORS, validation, authorizers, gateway responses, policies."""
    from apilint.commands.drift import DriftOptions, run_drift

    options = DriftOptions(
        spec=spec,
        deployed=deployed,
        aws=aws,
        api_id=api_id,
        stage=stage,
        region=region,
        profile=profile,
        save_export=save_export,
        select=_split(select),
        ignore=_split(ignore),
        fail_on=fail_on.value if fail_on else None,
        config=config,
    )
    return run_drift(options, format, quiet, _colour(sys.stdout))


@app.command()
def test(
    spec: str | None = typer.Argument(None, help="The definition the API was deployed from."),
    base_url: str | None = typer.Option(
        None,
        "--base-url",
        help="The stage URL (https://ID.execute-api.REGION."
        "amazonaws.com/STAGE); the only host called.",
    ),
    format: list[str] = typer.Option(
        ["text"],
        "--format",
        "-f",
        help="text, json, sarif, junit, github, markdown or html; "
        "FORMAT=FILE writes that format to FILE. Repeatable.",
    ),
    api_key: str | None = typer.Option(
        None, "--api-key", envvar="APILINT_API_KEY", show_envvar=True, help="Sent as x-api-key."
    ),
    bearer: str | None = typer.Option(
        None,
        "--bearer",
        envvar="APILINT_BEARER_TOKEN",
        show_envvar=True,
        help="Sent as Authorization: Bearer TOKEN.",
    ),
    header: list[str] | None = typer.Option(
        None, "--header", "-H", help="'Name: value' on every request; repeatable."
    ),
    sigv4: bool = typer.Option(
        False, "--sigv4", help="SigV4-sign AWS_IAM methods with botocore credentials."
    ),
    region: str | None = typer.Option(
        None, "--region", help="Region for --sigv4 (default: from the URL)."
    ),
    seed: int = typer.Option(0, "--seed", help="Same seed, same requests."),
    max_examples: int = typer.Option(
        10, "--max-examples", "-n", min=1, help="Generated requests per operation."
    ),
    max_time: float | None = typer.Option(
        None, "--max-time", min=0.1, help="Stop the whole run after this many seconds."
    ),
    request_timeout: float = typer.Option(
        10.0, "--request-timeout", min=0.1, help="Seconds to wait for each answer."
    ),
    rate_limit: str | None = typer.Option(
        None, "--rate-limit", help="At most N requests per s, m or h (10/s)."
    ),
    mode: str = typer.Option(
        "positive", "--mode", help="positive (valid requests), negative or all."
    ),
    no_fuzz: bool = typer.Option(False, "--no-fuzz", help="Only the gateway probes."),
    no_probes: bool = typer.Option(False, "--no-probes", help="Only fuzzing."),
    lint_first: bool = typer.Option(False, "--lint", help="Lint first; stop on lint errors."),
    fail_on: FailOn = typer.Option(
        FailOn.warning,
        "--fail-on",
        help="Lowest severity that makes the exit code 1 (every contract finding by default).",
    ),
    api_type: ApiType = _API_TYPE,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print findings and errors only."),
    list_checks: bool = typer.Option(False, "--list-checks", help="List the checks and exit."),
    select: list[str] | None = typer.Option(
        None,
        "--select",
        help="Only these checks: ids as --list-checks "
        "prints them, or prefixes (probe/); "
        "comma-separated.",
    ),
    ignore: list[str] | None = typer.Option(
        None, "--ignore", help="Skip these checks (ids or prefixes)."
    ),
    serve_it: bool = typer.Option(
        False,
        "--serve",
        help="Test the definition run by the local emulator (apilint "
        "serve) instead of a deployed stage: needs --handlers, "
        "or a template with its own functions.",
    ),
    handlers: str | None = typer.Option(
        None,
        "--handlers",
        help="With --serve: the Lambda handlers (folder, .py file, module or mapping file).",
    ),
    stage: str | None = typer.Option(None, "--stage", help="With --serve: the stage name."),
    stage_var: list[str] | None = typer.Option(
        None, "--stage-var", help="With --serve: NAME=VALUE; repeatable."
    ),
    api_id: str | None = typer.Option(
        None, "--api", help="With --serve: which API of a template (its logical id)."
    ),
) -> int:
    """Contract-test a deployed API against its definition: schemathesis fuzzing plus gateway
    probes (CORS preflight, auth, API keys, unknown routes, request validators). Check ids:
    --list-checks."""
    if list_checks:
        from apilint.catalog.contract_checks import describe

        sys.stdout.write(describe())
        return 0
    if spec is None:
        raise typer.BadParameter("give the definition to test")
    if serve_it == (base_url is not None):
        raise typer.BadParameter(
            "give either --base-url (a deployed stage) or --serve (the local emulator)"
        )
    from apilint.commands.test import TestOptions, run_test

    variables = _stage_vars(stage_var)
    return run_test(
        TestOptions(
            spec=spec,
            base_url=base_url or "",
            formats=format,
            api_key=api_key,
            bearer=bearer,
            headers=tuple(header or ()),
            sigv4=sigv4,
            region=region,
            seed=seed,
            max_examples=max_examples,
            max_time=max_time,
            request_timeout=request_timeout,
            rate_limit=rate_limit,
            mode=mode,
            fuzz=not no_fuzz,
            probes=not no_probes,
            lint=lint_first,
            fail_on=fail_on.value,
            api_type=_api_kind(api_type.value),
            quiet=quiet,
            colour=_colour(sys.stdout),
            serve=serve_it,
            serve_handlers=handlers,
            stage=stage,
            stage_vars=variables,
            api_id=api_id,
            select=_split(select),
            ignore=_split(ignore),
        )
    )


_API_ID_HELP = (
    "Which API of a template to serve (its logical id: ServerlessRestApi, "
    "ServerlessHttpApi for SAM's implicit APIs)."
)


@app.command()
def serve(
    spec: str | None = typer.Argument(
        None, help="The definition to serve (OpenAPI/Swagger file, or a template with one API)."
    ),
    handlers: str | None = typer.Option(
        None,
        "--handlers",
        help="Python Lambda handlers: a directory, a .py "
        "file, a module name, or a JSON/YAML file "
        "mapping function names to 'file.py:callable'.",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(0, "--port", min=0, max=65535, help="Port (0: a free one)."),
    stage: str | None = typer.Option(
        None, "--stage", help="Stage name (default: prod for REST APIs, $default for HTTP APIs)."
    ),
    api_key: list[str] | None = typer.Option(
        None, "--api-key", help="An API key the stage accepts. Repeatable."
    ),
    stage_var: list[str] | None = typer.Option(
        None, "--stage-var", help="A stage variable NAME=VALUE. Repeatable."
    ),
    jwt_key: list[str] | None = typer.Option(
        None,
        "--jwt-key",
        help="PEM public key or JWKS file that signs tokens for Cognito/JWT authorizers.",
    ),
    max_body_size: str | None = typer.Option(
        None,
        "--max-body-size",
        help="Largest request body (default 10MB, API Gateway's payload limit).",
    ),
    reload: bool = typer.Option(
        False, "--reload", help="Reload when the definition or a handler file changes."
    ),
    explain: bool = typer.Option(
        False, "--explain", help="List what is and is not emulated (for SPEC if given)."
    ),
    api_id: str | None = typer.Option(None, "--api", help=_API_ID_HELP),
) -> int:
    """Run a definition as a local API Gateway that calls Python Lambda handlers in-process
    (for a SAM/CloudFormation template: the template's own Python functions)."""
    from apilint.commands.serve import ServeOptions, run_serve

    return run_serve(
        ServeOptions(
            spec=spec,
            handlers=handlers,
            host=host,
            port=port,
            stage=stage,
            api_keys=tuple(api_key or ()),
            stage_vars=tuple(stage_var or ()),
            jwt_keys=tuple(jwt_key or ()),
            max_body_size=max_body_size,
            reload=reload,
            explain=explain,
            api_id=api_id,
        )
    )


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" not in args:
        return _dispatch(args)
    args.remove("--debug")  # any command, anywhere on the line
    before = os.environ.get("APILINT_DEBUG")
    os.environ["APILINT_DEBUG"] = "1"
    try:
        return _dispatch(args)
    finally:  # a caller in the same process (tests, a wrapper) keeps its own setting
        if before is None:
            os.environ.pop("APILINT_DEBUG", None)
        else:
            os.environ["APILINT_DEBUG"] = before


def _dispatch(args: list[str]) -> int:
    return contained(partial(_app, args))


def _app(args: list[str]) -> int:
    try:  # typer >= 0.20 vendors click; older releases depend on it
        # The pinned typer (< 0.20) has no typer._click; its click is the one below.
        from typer._click.exceptions import ClickException  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click.exceptions import ClickException

    try:
        result = app(args=args, prog_name="apilint", standalone_mode=False)
    except typer.Exit as exc:
        return int(getattr(exc, "exit_code", getattr(exc, "code", 0)) or 0)
    except typer.Abort:
        sys.stderr.write("apilint: aborted\n")
        return 2
    except ClickException as exc:
        exc.show()
        return 2
    return result if isinstance(result, int) else 0


def run() -> None:
    from apilint.common.collector import exit_now

    exit_now(main())
