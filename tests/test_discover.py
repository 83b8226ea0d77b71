"""apilint.document.discover as a unit: which files a directory contributes (suffixes, build output,
dot-directories, .gitignore files at every level with negation, as git reads them), which are
passed over, and may_hold_api's byte scan."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import git

from apilint.document.discover import SKIPPED_DIRS, SUFFIXES, Target, expand, may_hold_api, walk

API = "openapi: 3.0.1\n"


def put(root: Path, *names: str, text: str = API) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def walked(root: Path) -> list[str]:
    return [Path(p).relative_to(root).as_posix() for p in walk(str(root), lambda p: True)]


def test_suffixes_any_case_and_nothing_else(tmp_path: Path) -> None:
    put(
        tmp_path,
        "a.yaml",
        "b.yml",
        "c.json",
        "d.template",
        "e.tf",
        "F.YAML",
        "g.Json",
        "h.txt",
        "i.yaml.bak",
        "j",
        "k.toml",
    )
    assert SUFFIXES == (".yaml", ".yml", ".json", ".template", ".tf")
    assert walked(tmp_path) == [
        "F.YAML",
        "a.yaml",
        "b.yml",
        "c.json",
        "d.template",
        "e.tf",
        "g.Json",
    ]


def test_build_output_dependencies_and_dot_directories_are_skipped(tmp_path: Path) -> None:
    put(
        tmp_path,
        *(f"{d}/template.yaml" for d in SKIPPED_DIRS),
        ".github/workflows/ci.yaml",
        "src/node_modules/x/openapi.json",
        "src/api.yaml",
        "nodes_modules/api.yaml",
    )
    assert walked(tmp_path) == ["nodes_modules/api.yaml", "src/api.yaml"]


def test_results_are_sorted_depth_first(tmp_path: Path) -> None:
    put(tmp_path, "b/z.yaml", "b/a.yaml", "a/m.yaml", "c.yaml", "a/b/c.yaml")
    assert walked(tmp_path) == ["c.yaml", "a/m.yaml", "a/b/c.yaml", "b/a.yaml", "b/z.yaml"]


GITIGNORED = {
    ".gitignore": "*.json\ngenerated/\n/top-only.yaml\n",
    "api/.gitignore": "!keep.json\nlocal.yaml\n",
    "other/.gitignore": "shared.yaml\n",
}
FILES = (
    "a.json",
    "api/keep.json",
    "api/drop.json",
    "api/local.yaml",
    "local.yaml",
    "top-only.yaml",
    "api/top-only.yaml",
    "generated/x.yaml",
    "api/generated/y.yaml",
    "api/shared.yaml",
    "other/shared.yaml",
    "api/pets.yaml",
)


def ignored_tree(root: Path) -> None:
    put(root, *FILES)
    for name, text in GITIGNORED.items():
        (root / name).write_text(text)


def test_gitignore_files_nest_and_negate_as_git_reads_them(tmp_path: Path) -> None:
    ignored_tree(tmp_path)
    assert walked(tmp_path) == [
        "local.yaml",
        "api/keep.json",
        "api/pets.yaml",
        "api/shared.yaml",
        "api/top-only.yaml",
    ]


def test_the_walk_agrees_with_git(tmp_path: Path) -> None:
    ignored_tree(tmp_path)
    git(tmp_path, "init", "-q")
    status = git(tmp_path, "status", "--porcelain", "--untracked-files=all")
    tracked = sorted(line[3:] for line in status.splitlines() if not line.endswith(".gitignore"))
    assert sorted(walked(tmp_path)) == tracked


def test_passed_over_counts_ignored_and_api_less_files(tmp_path: Path) -> None:
    put(tmp_path, "api.yaml", "sub/pets.json")
    put(tmp_path, "package.json", "sub/config.yml", text='{"name": "x"}\n')
    put(tmp_path, "ignored.yaml", "node_modules/dep.yaml", "README.md")
    (tmp_path / ".gitignore").write_text("ignored.yaml\n")
    passed: list[str] = []
    targets = expand([str(tmp_path)], passed)
    assert [Path(t.path).relative_to(tmp_path).as_posix() for t in targets] == [
        "api.yaml",
        "sub/pets.json",
    ]
    assert not any(t.explicit for t in targets)
    # Skipped directories and other suffixes are not counted: they were never candidates.
    assert sorted(Path(p).relative_to(tmp_path).as_posix() for p in passed) == [
        "ignored.yaml",
        "package.json",
        "sub/config.yml",
    ]


def test_a_named_file_is_taken_as_given(tmp_path: Path) -> None:
    put(tmp_path, "notes.txt", text="nothing\n")
    passed: list[str] = []
    named = str(tmp_path / "notes.txt")
    assert expand([named, str(tmp_path / "missing.yaml")], passed) == [
        Target(named, True),
        Target(str(tmp_path / "missing.yaml"), True),
    ]
    assert passed == []


@pytest.mark.parametrize(
    "text,expected",
    [
        pytest.param('{"openapi": "3.0.1"}', True, id="openapi"),
        pytest.param("swagger: '2.0'\n", True, id="swagger"),
        pytest.param("Type: AWS::Serverless::Api\n", True, id="cloudformation"),
        pytest.param('resource "aws_api_gateway_rest_api" "x" {}\n', True, id="terraform-rest"),
        pytest.param('resource "aws_apigatewayv2_api" "x" {}\n', True, id="terraform-http"),
        pytest.param('{"name": "pkg", "version": "1.0.0"}', False, id="package-json"),
        pytest.param("OpenAPI: 3\n", False, id="markers-are-case-sensitive"),
    ],
)
def test_may_hold_api(tmp_path: Path, text: str, expected: bool) -> None:
    put(tmp_path, "f.json", text=text)
    assert may_hold_api(str(tmp_path / "f.json")) is expected


def test_a_marker_across_the_megabyte_boundary_is_found(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b" " * ((1 << 20) - 3) + b"openapi")
    assert may_hold_api(str(path))
    path.write_bytes(b" " * ((1 << 20) - 3) + b"opena")
    assert not may_hold_api(str(path))


def test_an_unreadable_file_passes_to_be_reported_later(tmp_path: Path) -> None:
    assert may_hold_api(str(tmp_path / "missing.yaml"))
