"""What tests share: paths, fixture annotations, running the CLI in-process, git as a test
author, and the skips for ../shared and system tools. Tests import these (`from helpers import
run`); conftest.py holds only pytest fixtures."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

# The fixture annotations' parser is apilint's own: `apilint rules test` reads custom rules'.
from apilint.custom.fixtures import expectations, fixture_options  # noqa: F401 - re-exported

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
#: The core rules of APIs built without an OpenAPI body (issue #23): each has fixtures of
#: CloudFormation resources (test_rule_fixtures) and Terraform resources (test_tf_resources) with
#: exact (code, line) expectations.
RESOURCE_CORE = [
    "method-unauthenticated",
    "cors-preflight-missing",
    "cors-preflight-incomplete",
    "cors-preflight-requires-auth",
    "resource-quota-exceeded",
    "lambda-uri-invalid",
    "lambda-http-method-not-post",
    "lambda-reference-dangling",
]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
#: Why the tests that read ../shared skip when it is absent (a clone of this repository alone).
SHARED_MISSING = (
    f"needs ../shared beside the repository ({SHARED} is absent): real public API "
    "Gateway definitions (corpus/) and large OpenAPI documents (perfcorpus/) that "
    "the project's CI lays there; everything else runs without it"
)


def require_shared(*parts: str) -> Path:
    """The path under ../shared; skips the test with the reason when it is absent, except under
    CI=true, where its absence is a failure (CI must never go green by skipping)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{SHARED_MISSING}; under CI=true that is a failure")
        pytest.skip(SHARED_MISSING)
    return path


def require_tool(present: bool, what: str, install: str) -> None:
    """A system tool some tests drive for real (headless Chromium, the SARIF Multitool): skip
    with the install command when it is missing, except under CI=true, where `.ci/run` installs
    it and its absence is a failure."""
    if present:
        return
    message = f"{what} is not installed; install it with `{install}` (`bash .ci/run` does)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def corpus_params(folder: str) -> list[Any]:
    """The corpus files of `folder` to parametrize over; when ../shared is absent, one `None`
    case, which the test hands to require_shared (skip locally, fail under CI)."""
    directory = CORPUS / folder
    if directory.is_dir():
        return sorted(directory.iterdir())
    return [pytest.param(None, id="shared-corpus-absent")]


#: The bundled example and the six rules it demonstrates (the catalog grows; output tests that
#: pin exact text select these).
PITFALLS = FIXTURES / "examples" / "pitfalls.yaml"
PITFALL_RULES = ("AGW201", "AGW301", "AGW302", "AGW401", "AGW402", "AGW501")
#: (code, line) of every finding in pitfalls.yaml with every rule enabled.
PITFALL_ALL = {
    ("AGW507", 2),
    ("AGW302", 4),
    ("AGW501", 7),
    ("AGW301", 8),
    ("AGW201", 10),
    ("AGW402", 21),
    ("AGW401", 22),
}


def deployed_export(path: Path) -> Path:
    """The stage's export a drift rule's fixture is compared with: deployed/<name>.json."""
    return path.parent / "deployed" / (path.stem + ".json")


def export_expectations(path: Path) -> set[tuple[str, int]]:
    """(code, line) pairs a drift fixture declares in its export (what only the stage has):
    the export's sidecar, deployed/<name>.json.expect; none without one."""
    export = deployed_export(path)
    sidecar = export.with_name(export.name + ".expect")
    return expectations(export) if sidecar.is_file() else set()


def cached_catalog_of(cached: Path) -> Any:
    """The catalog a rule catalog cache file holds (after its seal: the stamp and the
    payload's CRC-32, apilint.catalog.registry._sealed)."""
    import marshal

    from apilint.catalog.registry import _SEAL

    raw = cached.read_bytes()
    assert raw.startswith(_SEAL)
    return marshal.loads(raw[len(_SEAL) :].split(b"\0", 2)[2])


def rendered(module: Any, results: list[Any]) -> str:
    """What a report module renders for `results`, without colour."""
    out = io.StringIO()
    module.render(results, out, False)
    return out.getvalue()


def git(cwd: Path, *args: str) -> str:
    """Run git in `cwd` as a test author, untouched by the machine's git configuration."""
    import subprocess

    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env
    ).stdout


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    from apilint.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def api_of(tmp_path: Path, text: str, name: str = "api.yaml") -> Any:
    """The gateway model of a definition written to tmp_path/name."""
    from apilint.document import load_document
    from apilint.document.refs import Workspace
    from apilint.model import build_api

    path = tmp_path / name
    path.write_text(text)
    doc = load_document(path)
    ws = Workspace(doc)
    ws.scan()
    return build_api(doc, ws)
