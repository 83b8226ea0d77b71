"""A pull request controls the files apilint reads: their names, links and .gitignore. A link to
/dev/zero, a FIFO or a pathological ignore pattern must end in a skip or one error line, quickly.

Every case runs apilint in a subprocess with a timeout, so that a hang fails the test instead of
blocking the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX links and FIFOs")

#: Long enough for a busy machine to start Python; a hang (the bug) never ends.
TIMEOUT = 60
API = (
    "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n"
    "      responses: {'200': {description: ok}}\n"
)


def apilint(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-m", "apilint", *argv],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"apilint {' '.join(argv)} did not finish in {TIMEOUT} s")


def linted(done: subprocess.CompletedProcess[str]) -> set[tuple[str, str, int]]:
    """(code, file, line) of each finding of a JSON report."""
    return {(f["code"], f["file"], f["line"]) for f in json.loads(done.stdout)["results"]}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """api/ with one real definition (AGW403 on line 5: no integration)."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "real.yaml").write_text(API)
    return tmp_path


OK = {("AGW403", "api/real.yaml", 5)}


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.symlink_to("/dev/zero"), id="link-to-dev-zero"),
        pytest.param(lambda p: os.mkfifo(p), id="fifo"),
        pytest.param(lambda p: p.symlink_to(p.parent / "pipe"), id="link-to-fifo"),
    ],
)
def test_discovery_skips_devices_and_fifos(tree: Path, make) -> None:
    os.mkfifo(tree / "api" / "pipe")  # no .yaml: never a candidate itself
    make(tree / "api" / "x.yaml")
    done = apilint("lint", "api/", "--select", "AGW403", "-f", "json", cwd=tree)
    assert (done.returncode, done.stderr) == (1, "")
    assert linted(done) == OK


def test_discovery_does_not_follow_links_out_of_the_tree(tree: Path) -> None:
    (tree / "outside.yaml").write_text(API)
    (tree / "api" / "out.yaml").symlink_to(tree / "outside.yaml")
    (tree / "api" / "sub").mkdir()
    (tree / "api" / "sub" / "in.yaml").symlink_to(tree / "api" / "real.yaml")
    done = apilint("lint", "api/", "--select", "AGW403", "-f", "json", cwd=tree)
    # The link inside the tree is linted under its own name; the one leaving it is not read.
    assert linted(done) == OK | {("AGW403", "api/sub/in.yaml", 5)}


@pytest.mark.parametrize("target", ["/dev/zero", "pipe"])
def test_a_named_device_or_fifo_is_one_error_line(tree: Path, target: str) -> None:
    os.mkfifo(tree / "pipe")
    done = apilint("lint", target, cwd=tree)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{target}: error: not a regular file (a device, FIFO or socket)\n"


@pytest.mark.parametrize("target", ["/dev/zero", "pipe"])
def test_a_ref_to_a_device_or_fifo_is_an_unresolved_ref(tree: Path, target: str) -> None:
    os.mkfifo(tree / "api" / "pipe")
    (tree / "api" / "real.yaml").write_text(API + f"      x-thing:\n        $ref: '{target}'\n")
    done = apilint(
        "lint",
        "api/real.yaml",
        "--select",
        "AGW003",
        "--allow-outside-refs",
        "-f",
        "json",
        cwd=tree,
    )
    assert linted(done) == {("AGW003", "api/real.yaml", 8)}
    assert "not a regular file" in json.loads(done.stdout)["results"][0]["message"]


def test_reads_are_bounded_even_when_the_size_is_not_known(tree: Path) -> None:
    # /proc files report a size of 0 and have content: only a bounded read sees the limit.
    (tree / "api" / "real.yaml").write_text(
        API + "      x-thing:\n        $ref: '/proc/self/environ'\n"
    )
    done = apilint(
        "lint",
        "api/real.yaml",
        "--select",
        "AGW003",
        "--allow-outside-refs",
        "--max-file-size",
        "1KB",
        "-f",
        "json",
        cwd=tree,
    )
    assert linted(done) == {("AGW003", "api/real.yaml", 8)}
    assert "over the 1,024-byte limit" in json.loads(done.stdout)["results"][0]["message"]


def test_a_sibling_terraform_file_linked_to_dev_zero_is_not_read(tmp_path: Path) -> None:
    source = FIXTURES / "templates" / "terraform-templatefile"
    for name in ("main.tf", "openapi.yaml.tpl"):
        shutil.copy(source / name, tmp_path / name)
    (tmp_path / "evil.tf").symlink_to("/dev/zero")
    done = apilint("lint", "main.tf", "--select", "AGW422", "-f", "json", cwd=tmp_path)
    assert linted(done) == {("AGW422", "openapi.yaml.tpl", 32)}


def test_a_templatefile_input_linked_to_dev_zero_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(
        'resource "aws_apigatewayv2_api" "x" {\n  body = templatefile("api.yaml", {})\n}\n'
    )
    (tmp_path / "api.yaml").symlink_to("/dev/zero")
    done = apilint("lint", "main.tf", "--allow-outside-refs", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    # Named as the file actually read, relative to the working directory like every path.
    assert done.stderr == (
        f"{os.path.relpath('/dev/zero', tmp_path)}: error: templatefile() in "
        "aws_apigatewayv2_api.x 'api.yaml': not a regular file (a device, FIFO "
        "or socket)\n"
    )


def test_a_baseline_linked_to_dev_zero_is_one_error_line(tree: Path) -> None:
    (tree / "baseline.json").symlink_to("/dev/zero")
    done = apilint("lint", "api/real.yaml", "--baseline", "baseline.json", cwd=tree)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "apilint: cannot read baseline baseline.json: not a regular file "
        "(a device, FIFO or socket)\n"
    )


def test_a_gitignore_pattern_with_many_wildcards_does_not_backtrack(tree: Path) -> None:
    # pathspec's own matcher compiles this to a[^/]*a[^/]*...b, which Python's re tries in
    # exponentially many ways on a long name (30 letters: seconds, 80: never ends).
    (tree / "api" / ".gitignore").write_text("a*" * 20 + "b\n" + "a*a*c.yaml\n")
    (tree / "api" / ("a" * 80 + ".yaml")).write_text(API)
    (tree / "api" / "aac.yaml").write_text(API)  # ignored: the patterns still match
    done = apilint("lint", "api/", "--select", "AGW403", "-f", "json", cwd=tree)
    assert linted(done) == OK | {("AGW403", "api/" + "a" * 80 + ".yaml", 5)}
