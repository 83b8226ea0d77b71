"""The wheel carries the rules: build it, install it in a fresh venv, run it elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import PITFALL_ALL, FIXTURES, ROOT


@pytest.mark.slow
def test_wheel_installs_and_lints_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True)
    wheel = next(dist.glob("apilint-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "apilint/_rules/method-unauthenticated.yaml" in names
    assert "apilint/_rules/rule.schema.json" in names

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "api.yaml"
    target.write_text((FIXTURES / "examples" / "pitfalls.yaml").read_text())
    done = subprocess.run([str(env_dir / "bin" / "apilint"), "lint", "api.yaml", "-f", "json"],
                          cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    codes = {r["code"] for r in json.loads(done.stdout)["results"]}
    assert codes == {"AGW507", "AGW302", "AGW501", "AGW301", "AGW201", "AGW402", "AGW401"}
    assert {(r["code"], r["line"]) for r in json.loads(done.stdout)["results"]} == PITFALL_ALL
    explained = subprocess.run([str(env_dir / "bin" / "apilint"), "explain", "AGW601"],
                               cwd=elsewhere, capture_output=True, text=True)
    assert explained.returncode == 0 and "resource-quota-exceeded" in explained.stdout
