"""--diff-base compares models, not lines: what test_diffbase and test_ci_gate leave out — a
schema two $refs away, a security scheme, path-level parameters, findings not on an operation,
and a file that is new since the ref."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import git, run

#: Every operation lacks an integration (AGW403 at its method key): GET /pets (line 6), POST /pets
#: (8, under the key scheme), GET /tags (13, under a path-level parameter; its response is
#: Pet -> Tag, two $refs away). The root security (line 3) is ignored by REST APIs (AGW302, a
#: finding on no operation).
BASE = """\
openapi: 3.0.1
info: {title: pets, version: "1"}
security: [{key: []}]
paths:
  /pets:
    get:
      responses: {"200": {description: ok}}
    post:
      security: [{key: []}]
      responses: {"200": {description: ok}}
  /tags:
    parameters: [{name: q, in: query, schema: {type: string}}]
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
components:
  securitySchemes:
    key: {type: apiKey, name: x-key, in: header}
  schemas:
    Pet: {type: object, properties: {tag: {$ref: '#/components/schemas/Tag'}}}
    Tag: {type: string}
"""
ALL = {("AGW302", 3), ("AGW403", 6), ("AGW403", 8), ("AGW403", 13)}


def findings(capsys, *args: str) -> set[tuple[str, int]]:
    code, out, err = run(
        capsys, "lint", "-f", "json", "--select", "AGW302,AGW403", "--fail-on", "never", *args
    )
    assert (code, err) == (0, "")
    return {(f["code"], f["line"]) for f in json.loads(out)["results"]}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    (tmp_path / "api.yaml").write_text(BASE)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def edit(repo: Path, old: str, new: str) -> None:
    text = (repo / "api.yaml").read_text()
    assert old in text
    (repo / "api.yaml").write_text(text.replace(old, new))


def test_the_lines_the_rules_report(repo: Path, capsys) -> None:
    assert findings(capsys, "api.yaml") == ALL


def test_nothing_changed_nothing_reported(repo: Path, capsys) -> None:
    # Reformatting moves every line but changes no model.
    edit(repo, 'info: {title: pets, version: "1"}\n', 'info:\n  title: pets\n  version: "1"\n')
    assert findings(capsys, "api.yaml", "--diff-base", "main") == set()


def test_a_schema_two_refs_away_changes_the_operation_using_it(repo: Path, capsys) -> None:
    edit(repo, "Tag: {type: string}", "Tag: {type: string, maxLength: 10}")
    assert findings(capsys, "api.yaml", "--diff-base", "main") == {("AGW403", 13)}


def test_a_security_scheme_changes_the_operations_it_guards(repo: Path, capsys) -> None:
    edit(repo, "name: x-key", "name: x-api-key")
    # POST /pets names the scheme; GET /pets and GET /tags fall under the root security,
    # which a REST API ignores (AGW302): for API Gateway they are unchanged.
    assert findings(capsys, "api.yaml", "--diff-base", "main") == {("AGW403", 8)}


def test_path_level_parameters_change_every_operation_below(repo: Path, capsys) -> None:
    edit(repo, "{name: q, in: query", "{name: query, in: query")
    assert findings(capsys, "api.yaml", "--diff-base", "main") == {("AGW403", 13)}


def test_a_finding_off_any_operation_is_kept_when_its_node_changes(repo: Path, capsys) -> None:
    edit(repo, "security: [{key: []}]\npaths:", "security: [{key: []}, {}]\npaths:")
    assert findings(capsys, "api.yaml", "--diff-base", "main") == {("AGW302", 3)}


def test_a_file_new_since_the_ref_keeps_every_finding(repo: Path, capsys) -> None:
    (repo / "specs").mkdir()
    (repo / "specs" / "new.yaml").write_text(BASE)
    code, out, _ = run(
        capsys,
        "lint",
        "-f",
        "json",
        "--select",
        "AGW302,AGW403",
        "--fail-on",
        "never",
        "--diff-base",
        "main",
        "api.yaml",
        "specs/new.yaml",
    )
    assert code == 0
    assert {(f["file"], f["code"], f["line"]) for f in json.loads(out)["results"]} == {
        ("specs/new.yaml", code_, line) for code_, line in ALL
    }
