"""The pre-commit hook, run by the real pre-commit (PyPI package) with `try-repo`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT


def _hook(project: Path, cache: Path, hook: str = "apilint") -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` of this repository's hook over every file `project` tracks."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(cache),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "NO_COLOR": "1",
    }
    if not (project / ".git").exists():
        subprocess.run(["git", "init", "-q"], cwd=project, check=True, env=env)
    subprocess.run(["git", "add", "-A", "."], cwd=project, check=True, env=env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            hook,
            "--all-files",
            "--color",
            "never",
            "--verbose",
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.precommit
def test_try_repo_fails_naming_only_the_bad_definition(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "bad.yaml").write_text((FIXTURES / "examples" / "pitfalls.yaml").read_text())
    (project / "clean.yaml").write_text((FIXTURES / "clean" / "rest-oas3.yaml").read_text())
    (project / "settings.yaml").write_text("log_level: debug\nretries: 3\n")  # holds no API
    (project / "package.json").write_text('{"name": "web", "version": "1.0.0"}\n')
    done = _hook(project, tmp_path / "cache")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "apilint" in out and "Failed" in out
    assert "bad.yaml:" in out
    for quiet in ("clean.yaml", "settings.yaml", "package.json"):
        assert quiet not in out.split("hook id: apilint", 1)[-1], out


@pytest.mark.precommit
def test_hook_skips_files_that_do_not_parse_and_hold_no_api(tmp_path: Path) -> None:
    # `identify` tags JSON with comments and Helm templates as json/yaml, so pre-commit hands
    # them to the hook; they must not fail the commit. A broken definition still does.
    project = tmp_path / "project"
    (project / ".vscode").mkdir(parents=True)
    (project / "chart" / "templates").mkdir(parents=True)
    (project / "tsconfig.json").write_text(
        '{\n  // strict mode\n  "compilerOptions": {"strict": true,},\n}\n'
    )
    (project / ".vscode" / "settings.json").write_text(
        '{\n  /* editor */ "editor.tabSize": 2,\n}\n'
    )
    (project / "devcontainer.json").write_text('{"name": "dev", // the image\n "image": "x"}\n')
    (project / "chart" / "templates" / "svc.yaml").write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n"
        "{{- if .Values.labels }}\n  labels: {app: web}\n{{- end }}\n"
    )
    (project / "api.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: [\n"
    )
    done = _hook(project, tmp_path / "cache")
    hook = (done.stdout + done.stderr).split("hook id: apilint", 1)[-1]
    assert done.returncode == 1, hook
    assert "api.yaml:6:1: error: invalid YAML" in hook, hook
    for quiet in ("tsconfig.json", "settings.json", "devcontainer.json", "svc.yaml"):
        assert quiet not in hook, hook
    # Without the broken definition the same commit passes.
    (project / "api.yaml").unlink()
    again = _hook(project, tmp_path / "cache")
    assert again.returncode == 0, again.stdout + again.stderr


@pytest.mark.precommit
def test_fix_hook_fixes_the_file_and_fails_the_commit_for_review(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    pitfalls = (FIXTURES / "examples" / "pitfalls.yaml").read_text()
    (project / "bad.yaml").write_text(pitfalls)
    (project / "clean.yaml").write_text((FIXTURES / "clean" / "rest-oas3.yaml").read_text())
    clean_before = (project / "clean.yaml").stat().st_mtime_ns
    done = _hook(project, tmp_path / "cache", "apilint-fix")
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "files were modified by this hook" in out, out
    assert (project / "bad.yaml").read_text() == pitfalls.replace(
        "httpMethod: GET", "httpMethod: POST", 1
    )
    assert "apilint: fixed 1 finding in 1 file" in out, out
    assert (project / "clean.yaml").stat().st_mtime_ns == clean_before  # never rewritten
