"""`apilint lint` stays lean: the heavy libraries of other commands are never imported."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, PITFALLS, ROOT

HEAVY = (
    "schemathesis",
    "hypothesis",
    "boto3",
    "botocore",
    "openapi_spec_validator",
    "rich",
    "samtranslator",
)


def _modules_after_lint(path: str) -> tuple[set[str], str]:
    """The modules `apilint lint path` loaded, in a fresh interpreter, and its stderr."""
    code = (
        "import sys\nfrom apilint.cli import main\n"
        f"rc = main(['lint', {path!r}, '-q'])\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    line = next(t for t in done.stdout.splitlines() if t.startswith("MODULES"))
    return set(line.split()[1:]), done.stderr


def test_lint_imports_none_of_the_heavy_libraries() -> None:
    modules, _ = _modules_after_lint(str(PITFALLS))
    assert "apilint.engine.run" in modules  # it really linted
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert loaded == []


def test_a_sam_template_imports_the_sam_translator() -> None:
    """The other side: a SAM template does load it (so the test above can fail), quietly."""
    modules, stderr = _modules_after_lint(str(FIXTURES / "sam" / "rest-cors-iam.yaml"))
    assert "samtranslator" in modules
    assert "Traceback" not in stderr and "unpublished metrics" not in stderr


def test_lint_loads_no_toml_parser_or_html_tables_it_does_not_use(tmp_path: Path) -> None:
    # Each costs a pre-commit run 1-2 ms: the TOML parser without a configuration file, html's
    # entity tables without an HTML report.
    path = tmp_path / "api.yaml"
    path.write_text((PITFALLS).read_text())
    modules, _ = _modules_after_lint(str(path))
    assert "apilint.engine.run" in modules
    assert sorted(modules & {"tomllib", "tomli", "html", "html.entities"}) == []


#: What a plain OpenAPI file never needs (each costs a pre-commit run start-up time): the front
#: ends of templates and Terraform, the fix machinery and fix types (--fix, --diff, SARIF), the
#: contract checks' metadata (reports that describe rules), the account's facts, options and
#: checks (--aws, --lambda-inventory), the drift checks (`apilint drift`), the custom rules'
#: loader (a configuration naming rules), the suppressions (a file naming x-apilint-ignore), the
#: shell utilities a terminal report uses, the CDK assembly reader (a folder), the configuration
#: file reader (a configuration file), ctypes (positions read memory through _ctypes alone:
#: apilint.document.addresses), signal and fcntl (only a positions process, for a large file:
#: apilint.document.aside).
NOT_FOR_A_PLAIN_DEFINITION = (
    "apilint.document.terraform",
    "apilint.document.hcl",
    "apilint.document.tf_module",
    "apilint.document.cfn",
    "apilint.document.intrinsics",
    "apilint.document.sam_origins",
    "apilint.document.cfn_resources",
    "apilint.document.cfn_rest",
    "apilint.document.cfn_http",
    "apilint.document.cfn_context",
    "apilint.document.resources",
    "apilint.document.sam",
    "apilint.engine.fix",
    "apilint.commands.fixing",
    "apilint.common.fixes",
    "apilint.document.edit_text",
    "apilint.catalog.contract_checks",
    "apilint.model.inventory",
    "apilint.engine.suppress",
    "apilint.commands.account",
    "apilint.custom.loader",
    "apilint.checks.account",
    "apilint.checks.drift",
    "apilint.model.drift.difference",
    "typer",
    "click",
    "shutil",
    "difflib",
    "ctypes",
    "shlex",
    "signal",
    "fcntl",
    "apilint.document.cdk",
    "apilint.engine.packs",
)


#: An account's Lambda facts (`lint --lambda-inventory`).
INVENTORY = FIXTURES / "rules" / "lambda-unverifiable" / "account" / "inventory.json"


@pytest.fixture(scope="module", autouse=True)
def _catalog_cached() -> None:
    """The rule catalog in this session's cache, as after any earlier run: the first run of a
    checkout builds and writes it (tempfile, shutil), which is not what a run imports."""
    subprocess.run(
        [sys.executable, "-c", "from apilint.catalog.registry import load_rules; load_rules()"],
        check=True,
    )


def _modules_of_the_lint_command(path: Path, *options: str) -> set[str]:
    """The modules `apilint lint path` loads, as the executable runs it (the quick path)."""
    args = ["lint", str(path), "-q", *options]
    code = (
        "import sys\nfrom apilint.commands.quick import quick_lint\n"
        f"work = quick_lint({args!r})\n"
        "if work is None:  # what the quick path leaves to the typer app\n"
        "    from apilint.cli import main\n"
        f"    work = lambda: main({args!r})\n"
        "rc = work()\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    line = next(t for t in done.stdout.splitlines() if t.startswith("MODULES"))
    return set(line.split()[1:])


@pytest.mark.parametrize("name", ["small.json", "pitfalls.yaml"])
def test_a_plain_definition_loads_no_front_end_fix_or_report_extra(
    tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        data = yaml.safe_load((PITFALLS).read_text())
        path.write_text(json.dumps(data))
    else:
        path.write_text((PITFALLS).read_text())
    modules = _modules_of_the_lint_command(path)
    assert "apilint.engine.run" in modules and "apilint.document.ryml_loader" in modules
    assert sorted(modules & set(NOT_FOR_A_PLAIN_DEFINITION)) == []


def test_a_json_definition_loads_no_yaml_loader(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps(yaml.safe_load((PITFALLS).read_text())))
    modules = _modules_of_the_lint_command(path)
    assert "apilint.engine.run" in modules
    assert "apilint.document.yaml_loader" not in modules
    assert "apilint.document.yaml_loader" in _modules_of_the_lint_command(PITFALLS)


@pytest.mark.parametrize(
    ("source", "options", "loaded"),
    [
        pytest.param(
            "templates/terraform-jsonencode/main.tf", (), "apilint.document.terraform", id="tf"
        ),
        pytest.param(
            "equivalence/cloudformation.yaml", (), "apilint.document.cfn_resources", id="cfn"
        ),
        pytest.param("examples/pitfalls.yaml", ("--diff",), "apilint.engine.fix", id="diff"),
        pytest.param(
            "examples/pitfalls.yaml", ("--diff",), "apilint.document.edit_text", id="diff-edits"
        ),
        pytest.param(
            "examples/pitfalls.yaml", ("-f", "sarif"), "apilint.catalog.contract_checks", id="sarif"
        ),
        pytest.param(
            "examples/pitfalls.yaml",
            ("--lambda-inventory", str(INVENTORY)),
            "apilint.commands.account",
            id="inventory",
        ),
        pytest.param(
            "examples/pitfalls.yaml",
            ("--lambda-inventory", str(INVENTORY)),
            "apilint.checks.account",
            id="inventory-checks",
        ),
    ],
)
def test_what_a_plain_definition_leaves_out_loads_when_needed(
    source: str, options: tuple[str, ...], loaded: str
) -> None:
    """The other side of the test above: each module it keeps out still loads when wanted."""
    assert loaded in _modules_of_the_lint_command(FIXTURES / source, *options)


def test_a_configuration_with_custom_rules_loads_their_loader(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "rules", tmp_path / "rules")
    config = tmp_path / "apilint.toml"
    config.write_text('rules = ["rules"]\n')
    path = PITFALLS
    assert "apilint.custom.loader" in _modules_of_the_lint_command(path, "--config", str(config))


def test_a_definition_that_suppresses_a_rule_loads_the_suppressions(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    text = (PITFALLS).read_text()
    path.write_text("x-apilint-ignore: AGW301\n" + text)
    assert "apilint.engine.suppress" in _modules_of_the_lint_command(path)


def test_a_plain_lint_creates_no_dataclass_with_generated_methods(tmp_path: Path) -> None:
    """Python 3.11 compiles each method @dataclass generates (up to six a class) on every
    start: the dataclasses a plain lint run creates have their __init__ written and their value
    methods made by apilint.common.records (tests/test_records.py); value types that need no
    dataclass API are named tuples."""
    path = tmp_path / "api.yaml"  # alone: the examples' folder holds templates that include it
    path.write_text((PITFALLS).read_text())
    code = (
        "import sys\nfrom apilint.commands.quick import quick_lint\n"  # what `apilint lint` runs
        f"quick_lint(['lint', {str(path)!r}, '-q'])()\n"
        "for name, module in sorted(sys.modules.items()):\n"
        "    for cls in vars(module).values() if name.startswith('apilint') else ():\n"
        "        params = getattr(cls, '__dataclass_params__', None)\n"
        "        if getattr(cls, '__module__', '') == name and params:\n"
        "            made = params.init or params.repr or params.eq\n"
        "            print('DATACLASS', f'{name}.{cls.__qualname__}', made)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    found = dict(line.split()[1:] for line in done.stdout.splitlines() if "DATACLASS" in line)
    assert "apilint.catalog.registry.Rule" in found  # it really looked
    assert sorted(name for name, made in found.items() if made == "True") == []
