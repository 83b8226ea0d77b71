"""--diff-base against a real git repository: renamed files keep their history, and every git
failure is one line that says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import git, run

#: GET /a and PUT /b have no security (AGW301); PUT /b's Lambda proxy uses PUT (AGW402).
OLD = """\
openapi: 3.0.1
info: {title: legacy, version: "1"}
paths:
  /a:
    get:
      responses: {"200": {$ref: 'common.yaml#/ok'}}
  /b:
    put:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: PUT
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:b/invocations
"""
NEW_ROUTE = '  /new:\n    post:\n      responses: {"200": {description: ok}}\n'
RULES = ("--select", "AGW301,AGW402")


def findings(capsys, *args: str) -> tuple[int, set[tuple[str, str, int]], str]:
    code, out, err = run(capsys, "lint", "-f", "json", *RULES, *args)
    results = json.loads(out)["results"] if out else []
    return code, {(f["file"], f["code"], f["line"]) for f in results}, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A repository whose only commit holds api/pets.yaml and the api/common.yaml it refers to."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "pets.yaml").write_text(OLD)
    (tmp_path / "api" / "common.yaml").write_text("ok: {description: ok}\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "old")
    return tmp_path


def test_a_renamed_file_is_compared_with_its_old_path(repo: Path, capsys) -> None:
    git(repo, "mv", "api/pets.yaml", "api/store.yaml")
    (repo / "api" / "store.yaml").write_text(OLD.replace("  /b:\n", NEW_ROUTE + "  /b:\n"))
    assert findings(capsys, "api/store.yaml")[1] == {
        ("api/store.yaml", "AGW301", 5),
        ("api/store.yaml", "AGW301", 8),
        ("api/store.yaml", "AGW301", 11),
        ("api/store.yaml", "AGW402", 15),
    }
    # Only the new route is new: the moved file is not taken for a new one.
    assert findings(capsys, "api/store.yaml", "--diff-base", "main") == (
        0,
        {("api/store.yaml", "AGW301", 8)},
        "",
    )


def test_a_file_moved_to_another_folder_with_its_fragment(repo: Path, capsys) -> None:
    (repo / "specs").mkdir()
    git(repo, "mv", "api/pets.yaml", "specs/pets.yaml")
    git(repo, "mv", "api/common.yaml", "specs/common.yaml")
    # The referenced response changes where it now lives: GET /a changed, PUT /b did not.
    (repo / "specs" / "common.yaml").write_text("ok: {description: fine}\n")
    assert findings(capsys, "specs/pets.yaml", "--diff-base", "main") == (
        0,
        {("specs/pets.yaml", "AGW301", 5)},
        "",
    )


def test_an_unknown_ref_says_how_to_fetch_it(repo: Path, capsys) -> None:
    assert findings(capsys, "api/pets.yaml", "--diff-base", "origin/main") == (
        2,
        set(),
        "apilint: --diff-base origin/main: no such commit; in CI fetch it with "
        "`fetch-depth: 0` (actions/checkout) or `git fetch origin BRANCH`\n",
    )


def test_a_shallow_clone_is_named(repo: Path, capsys, monkeypatch) -> None:
    (repo / "api" / "pets.yaml").write_text(OLD + "# second\n")
    git(repo, "commit", "-qam", "second")
    git(repo.parent, "clone", "-q", "--depth", "1", repo.as_uri(), "shallow")
    monkeypatch.chdir(repo.parent / "shallow")
    code, _, err = findings(capsys, "api/pets.yaml", "--diff-base", "HEAD~1")
    assert (code, err) == (
        2,
        "apilint: --diff-base HEAD~1: no such commit (this clone is "
        "shallow); in CI fetch it with `fetch-depth: 0` (actions/checkout) "
        "or `git fetch origin BRANCH`\n",
    )


def test_outside_a_repository(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "api.yaml").write_text(OLD)
    assert findings(capsys, "api.yaml", "--diff-base", "main") == (
        2,
        set(),
        f"apilint: --diff-base main: {tmp_path} is not in a git repository; run "
        "apilint in the checkout whose changes it should report\n",
    )


def test_without_git(repo: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    assert findings(capsys, "api/pets.yaml", "--diff-base", "main") == (
        2,
        set(),
        "apilint: --diff-base main: git is not installed (or not on PATH); install "
        "it or leave --diff-base out\n",
    )


def test_a_ref_that_looks_like_an_option_is_refused(repo: Path, capsys) -> None:
    code, _, err = findings(capsys, "api/pets.yaml", "--diff-base=--output=x")
    assert (code, err) == (2, "apilint: --diff-base --output=x: not a git revision\n")
    assert not (repo / "x").exists()
