"""The wheel carries the rules: build it, install it in a fresh venv, run it elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from helpers import FIXTURES, PITFALL_ALL, ROOT, cached_catalog_of


def _wheel(source: Path, out: Path) -> Path:
    """The wheel pip builds from `source` (a checkout or an sdist) into `out`."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(source),
        ],
        check=True,
    )
    return next(out.glob("apilint-*.whl"))


@pytest.mark.wheel
def test_wheel_installs_and_lints_from_another_directory(tmp_path: Path) -> None:
    wheel = _wheel(ROOT, tmp_path / "dist")
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "apilint/_rules/method-unauthenticated.yaml" in names
    assert "apilint/_rules/rule.schema.json" in names
    # The build compiles the rule catalog into the wheel (hatch_build.py): an installed apilint
    # never parses the rule files, nor writes a cache.
    assert names.count("apilint/_rules/catalog.json") == 1
    from apilint.catalog.registry import catalog_text

    assert json.loads(zipfile.ZipFile(wheel).read("apilint/_rules/catalog.json")) == json.loads(
        catalog_text(ROOT / "rules")
    )

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = elsewhere / "api.yaml"
    target.write_text((FIXTURES / "examples" / "pitfalls.yaml").read_text())
    cache = tmp_path / "xdg"
    # The installed copy, not a checkout that PYTHONPATH may put first.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["XDG_CACHE_HOME"] = str(cache)
    done = subprocess.run(
        [str(env_dir / "bin" / "apilint"), "lint", "api.yaml", "-f", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    # the packaged catalog was current: the cache holds it as packaged (that a later run reads
    # no rule file is test_docs.py's test_a_packaged_catalog_is_checked_once_...)
    [cached] = (cache / "apilint").glob("catalog-*.marshal")
    with zipfile.ZipFile(wheel) as packed:
        [name] = [n for n in packed.namelist() if n.endswith("/catalog.json")]
        assert cached_catalog_of(cached) == json.loads(packed.read(name))
    assert done.returncode == 1, done.stderr
    codes = {r["code"] for r in json.loads(done.stdout)["results"]}
    assert codes == {"AGW507", "AGW302", "AGW501", "AGW301", "AGW201", "AGW402", "AGW401"}
    assert {(r["code"], r["line"]) for r in json.loads(done.stdout)["results"]} == PITFALL_ALL
    explained = subprocess.run(
        [str(env_dir / "bin" / "apilint"), "explain", "AGW601"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert explained.returncode == 0 and "resource-quota-exceeded" in explained.stdout
    from apilint import __version__

    version = subprocess.run(
        [str(env_dir / "bin" / "apilint"), "--version"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
    )
    assert version.returncode == 0 and version.stdout == f"apilint {__version__}\n"
    assert wheel.name.startswith(f"apilint-{__version__}-")


@pytest.mark.wheel
def test_sdist_builds_a_wheel_that_carries_the_rules(tmp_path: Path) -> None:
    # A release publishes both: the sdist must hold everything a wheel is built from.
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    sdist = next(dist.glob("apilint-*.tar.gz"))
    import tarfile

    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    top = names[0].split("/")[0]
    for needed in ("rules/method-unauthenticated.yaml", "CHANGELOG.md", "apilint/cli.py"):
        assert f"{top}/{needed}" in names, needed
    import zipfile

    wheel = _wheel(sdist, tmp_path / "rebuilt")
    assert "apilint/_rules/method-unauthenticated.yaml" in zipfile.ZipFile(wheel).namelist()
