"""`apilint lint --fix / --unsafe-fixes / --diff` from the command line: what is written, what is
printed, the golden diffs of the bundled example (and a SAM template holding it), and diffs that
`git apply` and `patch -p1` take.

The golden files (tests/data/fix/*.diff, *.remaining) are regenerated with
`APILINT_UPDATE_GOLDEN=1 pytest tests/test_fix_cli.py -k golden` (after new fixes merge, e.g. the
CORS ones: review the diff of the golden files)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import FIXTURES, PITFALLS, ROOT, git, run

from apilint.commands.fixing import unified_diff
from apilint.engine.fix import FixedFile

GOLDEN = ROOT / "tests" / "data" / "fix"
UPDATE = os.environ.get("APILINT_UPDATE_GOLDEN") == "1"
ROOT_SECURITY = FIXTURES / "rules" / "root-security-ignored" / "oas3-rest.yaml"


def copy(source: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or source.name)
    shutil.copyfile(source, target)
    return target


def findings(capsys: pytest.CaptureFixture[str], path: Path) -> set[tuple[str, int]]:
    code, out, _ = run(capsys, "lint", str(path), "--format", "concise", "--quiet")
    assert code in (0, 1), out
    return {
        (line.split(": ", 1)[1].split()[0], int(line.split(":")[1]))
        for line in out.splitlines()
        if line.startswith(str(path))
    }


@pytest.mark.parametrize(
    "source", [PITFALLS, GOLDEN / "pitfalls-sam.yaml"], ids=["definition", "sam-template"]
)
def test_golden_fix_of_the_example(
    source: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfdbinary: pytest.CaptureFixture[bytes],
) -> None:
    monkeypatch.chdir(tmp_path)
    path = copy(source, tmp_path)
    from apilint.cli import main

    assert main(["lint", path.name, "--diff", "--format", "json=report.json"]) == 1
    diff = capfdbinary.readouterr().out
    golden = GOLDEN / f"{source.name}.diff"
    if UPDATE:
        golden.write_bytes(diff)
    assert diff == golden.read_bytes()
    assert path.read_bytes() == source.read_bytes()  # --diff writes nothing

    assert main(["lint", path.name, "--fix", "--format", "json=report.json"]) == 1
    summary = capfdbinary.readouterr().err.decode().splitlines()[-1]
    fixed = path.read_text()
    # --fix wrote exactly what --diff showed
    assert unified_diff(FixedFile(path.name, source.read_text(), fixed)).encode() == diff
    # comments and quoting survive: every comment, every quoted scalar of the source is there
    for line in source.read_text().splitlines():
        if "#" in line:
            assert line[line.index("#") :] in fixed
        for quoted in re.findall(r"\"[^\"]*\"|'[^']*'", line):
            assert quoted in fixed

    from apilint.engine.run import Settings, lint_path

    left = [f for r in lint_path(path.name, Settings(fixes=True)) for f in r.findings]
    assert all(f.fix is None or f.fix.applicability == "unsafe" for f in left)
    remaining = summary + "\n" + "".join(f"{f.code} {f.line}\n" for f in left)
    golden_left = GOLDEN / f"{source.name}.remaining"
    if UPDATE:
        golden_left.write_text(remaining)
    assert remaining == golden_left.read_text()


def test_fix_twice_changes_nothing_and_untouched_files_are_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = copy(PITFALLS, tmp_path)
    clean = copy(FIXTURES / "clean" / "rest-oas3.yaml", tmp_path)
    os.utime(clean, ns=(1, 1))
    code, _, err = run(capsys, "lint", "--fix", str(tmp_path))
    assert code == 1 and "apilint: fixed 1 finding in 1 file" in err
    assert clean.stat().st_mtime_ns == 1
    first = bad.read_bytes()
    os.utime(bad, ns=(1, 1))
    code, _, err = run(capsys, "lint", "--fix", str(tmp_path))
    assert "apilint: fixed 0 findings in 0 files; " in err
    assert bad.read_bytes() == first and bad.stat().st_mtime_ns == 1


def test_unsafe_fixes_only_with_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy(ROOT_SECURITY, tmp_path)
    before = {("AGW302", 4), ("AGW301", 8), ("AGW403", 8), ("AGW403", 10)}
    assert findings(capsys, path) == before
    code, _, err = run(capsys, "lint", "--fix", str(path))
    assert "fixed 0 findings" in err and "(1 fixable with --unsafe-fixes)" in err
    assert path.read_bytes() == ROOT_SECURITY.read_bytes()
    code, _, err = run(capsys, "lint", "--fix", "--unsafe-fixes", str(path))
    assert "apilint: fixed 1 finding in 1 file; 2 remain" in err and code == 1
    assert path.read_text() == ROOT_SECURITY.read_text().replace(
        '      responses: {"200": {description: ok}}\n    post:',
        '      responses: {"200": {description: ok}}\n      security:\n        - sigv4: []\n'
        "    post:",
    )
    # the operations are protected now; their missing integrations are still reported
    assert findings(capsys, path) == {("AGW403", 8), ("AGW403", 12)}


def test_sarif_output_carries_fixes_without_applying_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = copy(PITFALLS, tmp_path)
    code, out, _ = run(capsys, "lint", str(path), "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert [r["ruleId"] for r in results if "fixes" in r] == ["AGW402"]
    assert path.read_bytes() == PITFALLS.read_bytes()


def test_usage_errors_are_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = copy(PITFALLS, tmp_path)
    code, out, err = run(capsys, "lint", "--unsafe-fixes", str(path))
    assert (code, out) == (2, "")
    assert err == "apilint: --unsafe-fixes applies with --fix or --diff\n"
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    code, out, err = run(capsys, "lint", "-", "--fix")
    assert (code, out) == (2, "")
    assert err == "apilint: --fix cannot write standard input back; --diff shows the fixes\n"


#: Files whose diffs are awkward for patch tools: CRLF line ends, JSON, no final newline, a
#: fix in the last line.
AWKWARD = {
    "crlf.yaml": PITFALLS.read_text().replace("\n", "\r\n"),
    "api.json": (
        FIXTURES / "rules" / "cors-preflight-requires-auth" / "oas3-rest.json"
    ).read_text(),
    "no-newline.yaml": (
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      security: [{sigv4: []}]\n      responses: {'200': {description: ok}}\n"
        "      x-amazon-apigateway-integration:\n        type: aws_proxy\n"
        "        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:us-east-1:123456789012:function:a/invocations\n"
        "        httpMethod: GET\ncomponents:\n  securitySchemes:\n    sigv4: {type: apiKey, "
        "name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}"
    ),
}


def _project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "apis").mkdir()
    for name, text in AWKWARD.items():
        (folder / "apis" / name).write_bytes(text.encode())
    return folder


def test_diff_applies_with_git_apply_and_patch(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfdbinary: pytest.CaptureFixture[bytes],
) -> None:
    from apilint.cli import main

    fixed = _project(tmp_path / "fixed")
    monkeypatch.chdir(fixed)
    main(["lint", "apis", "--fix", "--quiet"])
    expected = {name: (fixed / "apis" / name).read_bytes() for name in AWKWARD}
    assert all(expected[n] != AWKWARD[n].encode() for n in AWKWARD)  # each has a fix
    assert expected["crlf.yaml"].count(b"\r\n") == expected["crlf.yaml"].count(b"\n")

    patched = _project(tmp_path / "patched")
    monkeypatch.chdir(patched)
    capfdbinary.readouterr()
    main(["lint", "apis", "--diff", "--quiet"])
    diff = capfdbinary.readouterr().out
    assert diff.count(b"\n--- a/apis/") + diff.startswith(b"--- a/apis/") == len(AWKWARD)
    assert b"\\ No newline at end of file" in diff
    (tmp_path / "fixes.diff").write_bytes(diff)

    git(patched, "init", "-q")
    git(patched, "apply", "--check", str(tmp_path / "fixes.diff"))
    git(patched, "apply", str(tmp_path / "fixes.diff"))
    assert {n: (patched / "apis" / n).read_bytes() for n in AWKWARD} == expected

    with_patch = _project(tmp_path / "with-patch")
    if shutil.which("patch") is None:
        pytest.fail("patch(1) is not installed")
    done = subprocess.run(
        ["patch", "-p1", "--binary", "-i", str(tmp_path / "fixes.diff")],
        cwd=with_patch,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert {n: (with_patch / "apis" / n).read_bytes() for n in AWKWARD} == expected
