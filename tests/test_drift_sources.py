"""`audit --source`: which definition of the repository a deployed API was made from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, run

from apilint.commands.drift_sources import read_sources
from apilint.common.errors import UsageError

DRIFT = FIXTURES / "drift"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "rest").mkdir(parents=True)
    (root / "http").mkdir()
    shutil.copy(DRIFT / "rest-source.yaml", root / "rest" / "pets.yaml")  # pets-rest
    # An HTTP API that has the REST API's name: told apart by kind.
    text = (DRIFT / "http-source.yaml").read_text().replace("title: items-http", "title: pets-rest")
    (root / "http" / "pets.yaml").write_text(text)
    return root


def test_a_definition_is_found_by_title_and_kind(repo: Path) -> None:
    sources = read_sources(str(repo), None)
    rest = sources.of("a1b2c3d4e5", "pets-rest", "rest")
    http = sources.of("h1t2p3a4p5", "pets-rest", "http")
    assert rest is not None and Path(rest.doc.path) == repo / "rest" / "pets.yaml"
    assert http is not None and Path(http.doc.path) == repo / "http" / "pets.yaml"
    assert sources.of("z9z9z9z9z9", "unknown", "rest") is None


def test_two_definitions_with_one_title_need_a_mapping(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(DRIFT / "rest-source.yaml", repo / "rest" / "copy.yaml")
    assert read_sources(str(repo), None).of("a1b2c3d4e5", "pets-rest", "rest") is None
    assert "several definitions are titled 'pets-rest'" in capsys.readouterr().err
    mapping = tmp_path / "map.json"
    mapping.write_text('{"a1b2c3d4e5": "rest/copy.yaml"}')
    found = read_sources(str(repo), str(mapping)).of("a1b2c3d4e5", "pets-rest", "rest")
    assert found is not None and Path(found.doc.path) == repo / "rest" / "copy.yaml"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{", "invalid JSON", id="json"),
        pytest.param('["rest/pets.yaml"]', 'expected {"API id or name"', id="shape"),
    ],
)
def test_a_bad_mapping_file_is_one_usage_error(
    repo: Path, tmp_path: Path, content: str, message: str
) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_text(content)
    with pytest.raises(UsageError) as caught:
        read_sources(str(repo), str(mapping))
    assert caught.value.message.startswith(f"--source-map {mapping}: ")
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["--source-map", "map.json"],
            "apilint: --source-map maps APIs to definitions under --source: pass --source",
            id="map-without-source",
        ),
        pytest.param(
            ["--source", "no-such-dir"],
            "apilint: --source no-such-dir: no such directory",
            id="missing-source",
        ),
    ],
)
def test_audit_source_mistakes_stop_before_asking_aws(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "audit", "--aws", *args)
    assert (code, out, err) == (2, "", message + "\n")
