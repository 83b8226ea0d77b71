"""`apilint lint` stays lean: the heavy libraries of other commands are never imported."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES

HEAVY = ("schemathesis", "hypothesis", "boto3", "botocore", "openapi_spec_validator", "rich",
         "samtranslator")


def test_lint_imports_none_of_the_heavy_libraries() -> None:
    code = ("import sys\nfrom apilint.cli import main\n"
            f"rc = main(['lint', {str(FIXTURES / 'examples' / 'pitfalls.yaml')!r}, '-q'])\n"
            "print('MODULES', ' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    line = next(l for l in done.stdout.splitlines() if l.startswith("MODULES"))
    modules = set(line.split()[1:])
    assert "apilint.engine" in modules  # it really linted
    loaded = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert loaded == []
