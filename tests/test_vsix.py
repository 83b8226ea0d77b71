"""The VS Code extension builds into a .vsix (with @vscode/vsce from npm) whose manifest starts
`apilint lsp` for YAML, JSON and Terraform files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT

import apilint

pytestmark = pytest.mark.vsix


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        if os.environ.get("CI") == "true":
            pytest.fail("npm is needed to build the VS Code extension in CI")
        pytest.skip("npm is not installed: the VS Code extension cannot be built here")
    return npm


def test_the_extension_packages_and_launches_apilint_lsp(tmp_path: Path) -> None:
    _npm()
    source = tmp_path / "vscode"
    shutil.copytree(
        ROOT / "editors" / "vscode", source, ignore=shutil.ignore_patterns("node_modules", "*.vsix")
    )
    subprocess.run(
        ["bash", str(ROOT / "scripts" / "build_vsix.sh"), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    with zipfile.ZipFile(source / "apilint.vsix") as vsix:
        names = set(vsix.namelist())
        manifest = json.loads(vsix.read("extension/package.json"))
        script = vsix.read("extension/extension.js").decode()
    assert {"extension.vsixmanifest", "extension/package.json", "extension/extension.js"} <= names
    assert any(n.startswith("extension/node_modules/vscode-languageclient/") for n in names)
    assert not any("/node_modules/@vscode/vsce/" in n for n in names)  # build tool, not shipped
    assert manifest["version"] == apilint.__version__
    assert manifest["main"] == "./extension.js"
    assert set(manifest["activationEvents"]) == {
        "onLanguage:yaml",
        "onLanguage:json",
        "onLanguage:terraform",
    }
    command = manifest["contributes"]["configuration"]["properties"]["apilint.command"]
    assert command["default"] == ["apilint", "lsp"]
    assert 'get("command", ["apilint", "lsp"])' in script and "new LanguageClient(" in script
