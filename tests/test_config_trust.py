"""Configuration arrives with the pull request that CI lints: it may narrow what apilint does,
never widen what it reads, lift a resource limit, or (from a nested file) weaken the gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run

#: GET /a has no integration (AGW403, error) and no security (AGW301, warning), both at line 5.
API = (
    "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
    "      responses: {'200': {description: ok}}\n"
)


def codes(out: str) -> set[tuple[str, int]]:
    return {(f["code"], f["line"]) for f in json.loads(out)["results"]}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()  # the repository root
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "api.yaml").write_text(API)
    return tmp_path


@pytest.mark.parametrize(
    "name,text,where",
    [
        pytest.param(
            ".apilint.toml", "allow-outside-refs = true\n", "allow-outside-refs", id="dotfile"
        ),
        pytest.param(
            "pyproject.toml",
            "[tool.apilint]\nallow-outside-refs = true\n",
            "tool.apilint.allow-outside-refs",
            id="pyproject",
        ),
    ],
)
def test_configuration_cannot_allow_outside_refs(
    repo: Path, name: str, text: str, where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # The pull request's config would make CI read any file the definition names: /etc/passwd,
    # /proc/self/environ (its values end up in findings).
    (repo / name).write_text(text)
    (repo / "api" / "api.yaml").write_text(API + "      x-leak: {$ref: '/etc/passwd'}\n")
    code, out, err = run(capsys, "lint", "api/api.yaml")
    assert (code, out) == (2, "")
    assert err == (
        f"apilint: {repo / name}: {where}: is a command-line flag only "
        "(--allow-outside-refs): a configuration file arrives with the pull request "
        "and must not make CI read files outside the definition's directory "
        "(/etc/passwd, /proc/self/environ)\n"
    )


def test_the_flag_still_allows_outside_refs(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "shared.yaml").write_text("type: object\n")
    (repo / "api" / "api.yaml").write_text(API + "      x-thing: {$ref: '../shared.yaml'}\n")
    # ref-unresolved is a warning (severity review), so the gate is set to warnings to see it.
    assert run(capsys, "lint", "--select", "AGW003", "--fail-on", "warning", "api/api.yaml")[0] == 1
    assert (
        run(
            capsys,
            "lint",
            "--select",
            "AGW003",
            "--fail-on",
            "warning",
            "--allow-outside-refs",
            "api/api.yaml",
        )[0]
        == 0
    )


def test_configuration_may_lower_the_size_limit_but_not_lift_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".apilint.toml").write_text('max-file-size = "100GB"\n')
    code, out, err = run(capsys, "lint", "api/api.yaml")
    assert (code, out) == (2, "")
    assert err == (
        f"apilint: {repo / '.apilint.toml'}: max-file-size: '100GB' is over the default "
        "67,108,864 bytes: a configuration file arrives with the pull request and may "
        "only lower the limit (--max-file-size raises it)\n"
    )
    (repo / ".apilint.toml").write_text('max-file-size = "64MB"\n')
    assert run(capsys, "lint", "--select", "AGW403", "api/api.yaml")[0] == 1
    (repo / ".apilint.toml").write_text('max-file-size = "100B"\n')
    code, _, err = run(capsys, "lint", "api/api.yaml")
    assert code == 2 and "over the 100-byte limit (--max-file-size raises it)" in err
    code, _, err = run(
        capsys, "lint", "--select", "AGW403", "--max-file-size", "100GB", "api/api.yaml"
    )
    assert (code, err) == (1, "")


@pytest.mark.parametrize(
    "top,nested,select,expected",
    [
        # A nested file below the one CI relies on cannot turn a failing gate green ...
        pytest.param(None, 'fail-on = "never"', "AGW403", 1, id="never-below-default"),
        pytest.param('fail-on = "error"', 'fail-on = "never"', "AGW403", 1, id="never-below-error"),
        pytest.param(
            'fail-on = "warning"', 'fail-on = "error"', "AGW301", 1, id="error-below-warning"
        ),
        # ... nor by leaving fail-on out (it used to mean the default, error) ...
        pytest.param(
            'fail-on = "warning"', 'ignore = ["AGW001"]', "AGW301", 1, id="unset-below-warning"
        ),
        # ... but it may be stricter than the one above it.
        pytest.param('fail-on = "never"', 'fail-on = "warning"', "AGW301", 1, id="stricter"),
        pytest.param('fail-on = "never"', 'ignore = ["AGW001"]', "AGW403", 0, id="inherits-never"),
        pytest.param(None, 'fail-on = "warning"', "AGW301", 1, id="stricter-than-default"),
    ],
)
def test_a_nested_configuration_cannot_lower_fail_on(
    repo: Path,
    top: str | None,
    nested: str,
    select: str,
    expected: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if top is not None:
        (repo / "pyproject.toml").write_text(f"[tool.apilint]\n{top}\n")
    (repo / "api" / ".apilint.toml").write_text(nested + "\n")
    code, out, err = run(capsys, "lint", "--select", select, "api/api.yaml")
    assert (code, err) == (expected, "")
    assert out.startswith(f"api/api.yaml:5:5: {select} ")


def test_the_command_line_fail_on_decides(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".apilint.toml").write_text('fail-on = "info"\n')
    (repo / "api" / ".apilint.toml").write_text('fail-on = "info"\n')
    assert run(capsys, "lint", "--select", "AGW301", "--fail-on", "error", "api/api.yaml")[0] == 0


def test_a_pinned_configuration_ignores_nested_files(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".apilint.toml").write_text('fail-on = "warning"\n')
    (repo / "api" / ".apilint.toml").write_text('ignore = ["AGW301"]\nfail-on = "info"\n')
    code, out, _ = run(capsys, "lint", "--select", "AGW301,AGW403", "-f", "json", "api/api.yaml")
    assert (code, codes(out)) == (1, {("AGW403", 5)})
    code, out, _ = run(
        capsys,
        "lint",
        "--config",
        ".apilint.toml",
        "--select",
        "AGW301,AGW403",
        "-f",
        "json",
        "api/api.yaml",
    )
    assert (code, codes(out)) == (1, {("AGW301", 5), ("AGW403", 5)})
