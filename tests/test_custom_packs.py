"""Rule packs and Python rules: `extend` a local folder or an installed package (entry point group
apilint.rules); the pack's settings apply under the repository's; a Python check runs with the
signature of a built-in one and crashes as one does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, run

PACK_PROJECT = ROOT / "tests" / "data" / "acme_pack"
PACK = PACK_PROJECT / "acme_apilint_rules"
API = PACK / "rules" / "fixtures" / "versioned-paths" / "oas3.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the pack copied in, its Python module importable, the API beside."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(PACK, tmp_path / "pack")
    shutil.copy(API, tmp_path / "api.yaml")
    monkeypatch.syspath_prepend(str(PACK_PROJECT))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _findings(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, set[tuple[str, int, str]]]:
    code, out, _ = run(capsys, "lint", "api.yaml", "-f", "json", *args)
    found = {(f["code"], f["line"], f["severity"]) for f in json.loads(out)["results"]}
    return code, {f for f in found if f[0].startswith("acme/")}


def test_a_local_pack_brings_rules_and_settings(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".apilint.toml").write_text('extend = ["./pack"]\n')
    _, found = _findings(capsys)
    # The pack raises versioned-paths to warning and selects tags-defined (off by default).
    assert found == {("acme/versioned-paths", 5, "warning"), ("acme/tags-defined", 1, "info")}


def test_the_repository_overrides_the_pack(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".apilint.toml").write_text(
        'extend = ["./pack"]\nignore = ["acme/tags-defined"]\n'
        '[severity]\n"acme/versioned-paths" = "error"\n'
        '[options.versioned-paths]\npattern = "^/(v[0-9]+|pets)"\n'
    )
    _, found = _findings(capsys)
    assert found == set()  # /pets is allowed by the repository's pattern
    (repo / ".apilint.toml").write_text(
        'extend = ["./pack"]\n[severity]\n"acme/versioned-paths" = "error"\n'
    )
    code, found = _findings(capsys)
    assert code == 1
    assert ("acme/versioned-paths", 5, "error") in found


def test_a_crashing_python_check_is_an_internal_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = repo / "pack" / "rules" / "versioned-paths.yaml"
    rule.write_text(rule.read_text().replace("checks:versioned_paths", "checks:exploding"))
    (repo / ".apilint.toml").write_text('extend = ["./pack"]\n')
    code, out, err = run(capsys, "lint", "api.yaml", "-q")
    assert code == 2
    assert err.splitlines() == [
        "apilint: internal error: rule acme/versioned-paths (versioned-paths) crashed on "
        "api.yaml (RuntimeError: acme's check has a bug); this is a bug in the custom rule's "
        "check, not a finding in the file: tell its authors (run with --debug for the "
        "traceback); the other rules ran"
    ]
    assert "AGW403" in out  # the other rules ran


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param(
            'extend = ["no-such-pack"]\n',
            "extend: no rule pack 'no-such-pack': not a folder (write ./no-such-pack) and no "
            "installed package registers it under the entry point group 'apilint.rules'",
            id="unknown-pack",
        ),
        pytest.param('extend = ["./nowhere"]\n', "extend: './nowhere': no such", id="no-folder"),
    ],
)
def test_a_pack_that_is_not_there_is_a_usage_error(
    config: str, message: str, repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".apilint.toml").write_text(config)
    code, _, err = run(capsys, "lint", "api.yaml")
    assert code == 2
    assert err.startswith(f"apilint: {repo / '.apilint.toml'}: {message}")


def test_a_check_that_cannot_be_imported_names_the_rule_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rule = repo / "pack" / "rules" / "versioned-paths.yaml"
    rule.write_text(rule.read_text().replace("acme_apilint_rules.checks", "acme_missing.checks"))
    (repo / ".apilint.toml").write_text('extend = ["./pack"]\n')
    code, _, err = run(capsys, "lint", "api.yaml")
    assert code == 2
    assert err.startswith(f"apilint: {rule.resolve()}: check: cannot import 'acme_missing.checks'")


@pytest.mark.wheel
def test_an_installed_pack_runs_through_extend(tmp_path: Path) -> None:
    """Build the pack's wheel, install it, and extend it by name from a repository."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(tmp_path / "dist"), str(PACK_PROJECT)],
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("acme_apilint_rules-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
    )
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".apilint.toml").write_text('extend = ["acme-apilint-rules"]\n')
    shutil.copy(API, repo / "api.yaml")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "api.yaml", "-f", "json"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    found = {(f["code"], f["line"], f["severity"]) for f in json.loads(done.stdout)["results"]}
    assert {f for f in found if f[0].startswith("acme/")} == {
        ("acme/versioned-paths", 5, "warning"),
        ("acme/tags-defined", 1, "info"),
    }


def test_a_module_the_checkout_adds_is_never_imported(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m apilint` puts the working directory on sys.path: a pull request that adds a
    module beside its configuration must not get it run by naming it in a rule file."""
    marker = repo / "imported"
    (repo / "prmodule.py").write_text(
        f"open({str(marker)!r}, 'w').close()\n\ndef check(api, options):\n    return []\n"
    )
    rule = repo / "pack" / "rules" / "versioned-paths.yaml"
    rule.write_text(
        rule.read_text().replace("acme_apilint_rules.checks:versioned_paths", "prmodule:check")
    )
    (repo / ".apilint.toml").write_text('extend = ["./pack"]\n')
    monkeypatch.syspath_prepend("")  # what `python -m` does
    monkeypatch.delenv("PYTHONPATH", raising=False)
    code, _, err = run(capsys, "lint", "api.yaml")
    assert code == 2 and not marker.exists()
    assert err.startswith(f"apilint: {rule.resolve()}: check: cannot import 'prmodule'")
    # named by PYTHONPATH, the environment trusts it
    monkeypatch.setenv("PYTHONPATH", str(repo))
    code, _, _ = run(capsys, "lint", "api.yaml")
    assert marker.exists()
