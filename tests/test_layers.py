"""Import contracts (pyproject `[tool.importlinter]`, checked by import-linter's `lint-imports`):
document < model < checks < engine < report/commands/cli, serve and contract read the model and
not the checks, check modules share nothing but the model, and no import cycles."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

LAYERS = "layers: common < document < model < catalog < checks < engine < cli"
SERVE = "serve and contract read the model, not the checks"
DOCUMENT = "document reads files, knows nothing of the gateway model or checks"
CHECKS = "check modules do not import each other: what they share is a fact of the model"
CYCLES = "no import cycles between sibling modules"
CONTRACTS = {LAYERS, SERVE, DOCUMENT, CHECKS, CYCLES}


def _lint_imports(root: Path) -> tuple[int, dict[str, str]]:
    """lint-imports' exit code and each contract's verdict (KEPT / BROKEN) for the package under
    `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)(?: \(.*\))?$", done.stdout, re.MULTILINE))
    return done.returncode, verdicts


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(
        ROOT / "apilint", root / "apilint", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def test_the_import_contracts_hold() -> None:
    code, verdicts = _lint_imports(ROOT)
    assert verdicts == dict.fromkeys(CONTRACTS, "KEPT")
    assert code == 0


@pytest.mark.parametrize(
    "module, source, broken",
    [
        pytest.param(
            "serve/_probe.py",
            "from apilint.checks.cors import PREFLIGHT_HEADERS\n",
            {SERVE},
            id="serve-imports-a-check",
        ),
        pytest.param(
            "contract/_probe.py",
            "import apilint.checks.policy\n",
            {SERVE},
            id="contract-imports-a-check",
        ),
        pytest.param(
            "model/_probe.py",
            "from apilint.engine.run import Settings\n",
            {LAYERS, CYCLES},
            id="model-imports-engine",
        ),  # engine imports model
        pytest.param(
            "document/_probe.py",
            "from apilint.model.gateway import Api\n",
            {LAYERS, DOCUMENT, CYCLES},
            id="document-imports-model",
        ),
        pytest.param(
            "checks/_probe.py",
            "from apilint.checks.cors import PREFLIGHT_HEADERS\n",
            {CHECKS},
            id="check-imports-a-check",
        ),
        # document.definitions imports document.loader: loader importing it back is a cycle.
        pytest.param(
            "document/loader.py", "from apilint.document import definitions\n", {CYCLES}, id="cycle"
        ),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    tmp_path: Path, module: str, source: str, broken: set[str]
) -> None:
    root = _copy(tmp_path)
    target = root / "apilint" / module
    target.write_text(source + (target.read_text() if target.exists() else ""))
    code, verdicts = _lint_imports(root)
    assert {n for n, v in verdicts.items() if v == "BROKEN"} == broken
    assert set(verdicts) == CONTRACTS
    assert code == 1


def test_one_mapping_grammar() -> None:
    """`context.X` / `stageVariables.X` expressions are matched by patterns built in
    apilint/model/mapping.py only (REST and HTTP differ there, once)."""
    written = {
        str(p.relative_to(ROOT))
        for p in (ROOT / "apilint").rglob("*.py")
        if re.search(r"context\\\.|(?<!\{)stageVariables\\\.", p.read_text())
    }
    assert written == {"apilint/model/mapping.py"}
