"""Bad input: one clear line naming file and position, exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run


def lint(capsys, *args: str) -> tuple[int, str, str]:
    return run(capsys, "lint", *args)


CASES = [
    pytest.param(
        "bad.yaml",
        "openapi: 3.0.1\ninfo: {title: x\npaths: {}\n",
        "bad.yaml:3:6: error: invalid YAML",
        id="malformed-yaml",
    ),
    pytest.param(
        "tabs.yaml",
        "openapi: 3.0.1\npaths:\n\t/a: {}\n",
        "tabs.yaml:3:1: error: invalid YAML",
        id="yaml-tab",
    ),
    pytest.param(
        "bad.json",
        '{"openapi": "3.0.1",\n "paths": {,}\n}\n',
        "bad.json:2:12: error: invalid JSON",
        id="malformed-json",
    ),
    pytest.param("empty.yaml", "", "empty.yaml:1:1: error: file is empty", id="empty"),
    pytest.param("blank.json", "  \n\n", "blank.json:1:1: error: file is empty", id="blank"),
    pytest.param(
        "paths.yaml",
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n  - /a\n",
        "paths.yaml:3:1: error: 'paths' must be a mapping, found a list",
        id="paths-list",
    ),
    pytest.param(
        "comp.json",
        '{"openapi": "3.0.1", "paths": {}, "components": "oops"}',
        "comp.json:1:35: error: 'components' must be a mapping, found a string",
        id="components-string",
    ),
    pytest.param(
        "cycle.yaml",
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    A: {$ref: '#/components/schemas/B'}\n"
        "    B: {$ref: '#/components/schemas/A'}\n",
        "cycle.yaml:6:9: error: $ref cycle: /components/schemas/A -> /components/schemas/B -> "
        "/components/schemas/A",
        id="ref-cycle",
    ),
    pytest.param(
        "latin1.yaml",
        b"openapi: 3.0.1\ninfo: {title: caf\xe9}\n",
        "latin1.yaml:2:18: error: not UTF-8 text (byte 0xe9)",
        id="not-utf8",
    ),
    pytest.param(
        "bomb.yaml",
        "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nopenapi: 3.0.1\n",
        "error: YAML aliases expand to more than",
        id="alias-bomb",
    ),
]


@pytest.mark.parametrize("name,content,expected", CASES)
def test_bad_input_is_one_line_and_exit_2(
    capsys, tmp_path: Path, monkeypatch, name, content, expected
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    code, out, err = lint(capsys, name)
    assert code == 2
    assert "Traceback" not in err + out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expected in lines[0]
    assert lines[0].startswith(name)


def test_missing_file_and_directory_as_file(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = lint(capsys, "nope.yaml")
    assert code == 2 and err.strip() == "nope.yaml: error: no such file"


def test_one_bad_file_does_not_stop_the_others(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("openapi: [\n")
    (tmp_path / "ok.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n"
        "  /a:\n    get:\n      responses: {'200': {description: ok}}\n"
    )
    code, out, err = lint(capsys, "bad.yaml", "ok.yaml", "--format", "json")
    assert code == 2
    assert "bad.yaml:2:1: error: invalid YAML" in err
    import json

    results = json.loads(out)["results"]
    assert [(r["code"], r["file"], r["line"]) for r in results] == [
        ("AGW301", "ok.yaml", 5),
        ("AGW403", "ok.yaml", 5),
    ]


def test_wrong_types_deep_inside_are_findings_not_crashes(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "types.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths:\n"
        "  /a:\n    get: 5\n    post:\n      parameters: oops\n      security: 7\n"
        "      responses: {'200': {description: 5}}\n"
        "      x-amazon-apigateway-integration: [1, 2]\n"
        "  /b: hello\n"
    )
    code, out, err = lint(capsys, "types.yaml", "--format", "json")
    assert code == 1, err
    import json

    found = {(r["code"], r["line"]) for r in json.loads(out)["results"]}
    assert ("AGW001", 5) in found  # get: 5
    assert ("AGW011", 7) in found  # parameters: oops (the importer skips it)
    assert ("AGW011", 8) in found  # security: 7
    assert ("AGW001", 11) in found  # /b: hello
    assert "Traceback" not in err


def test_broken_yaml_prints_one_line_even_from_the_c_parser(tmp_path: Path) -> None:
    # rapidyaml's C++ error handler writes to file descriptor 2 itself; capsys cannot see that,
    # a real process can.
    import subprocess
    import sys

    bad = tmp_path / "broken.yaml"
    bad.write_text("openapi: 3.0.1\ninfo: [a, b\n")
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", str(bad)], capture_output=True, text=True
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == (
        f"{bad}:3:1: error: invalid YAML: while parsing a flow sequence did "
        "not find expected ',' or ']'\n"
    )


def test_size_limit_is_configurable_on_the_command_line_and_in_config(
    capsys, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("api.yaml").write_text(
        "openapi: 3.0.1\ninfo: {title: x, version: '1'}\npaths: {}\n" + "# padding\n" * 200
    )
    code, out, err = lint(capsys, "--max-file-size", "1KB", "api.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "api.yaml: error: file is 2,056 bytes, over the 1,024-byte limit "
        "(--max-file-size raises it)\n"
    )
    Path(".apilint.toml").write_text('max-file-size = "2KB"\n')
    code, out, err = lint(capsys, "api.yaml")
    assert code == 2 and "over the 2,048-byte limit" in err
    code, out, err = lint(capsys, "--max-file-size", "4KB", "api.yaml")
    assert (code, err) == (1, "") and out.startswith("api.yaml:3:1: AGW109")
    code, out, err = lint(capsys, "--max-file-size", "lots", "api.yaml")
    assert code == 2 and "'lots' is not a size such as 6MB, 512KB or 1048576" in err
    Path(".apilint.toml").write_text("max-file-size = 0\n")
    code, out, err = lint(capsys, "api.yaml")
    assert code == 2 and "max-file-size: 0 must be more than 0 bytes" in err
