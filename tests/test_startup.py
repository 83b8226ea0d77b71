"""`apilint lint` stays lean: the heavy libraries of other commands are never imported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import FIXTURES

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
    modules, _ = _modules_after_lint(str(FIXTURES / "examples" / "pitfalls.yaml"))
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
    path.write_text((FIXTURES / "examples" / "pitfalls.yaml").read_text())
    modules, _ = _modules_after_lint(str(path))
    assert "apilint.engine.run" in modules
    assert sorted(modules & {"tomllib", "tomli", "html", "html.entities"}) == []
