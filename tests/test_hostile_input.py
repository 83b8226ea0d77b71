"""Hostile input the earlier error tests did not cover: each ends in one line naming the file
(and position), exit code 2, never a traceback or a crash of the interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import BinaryIO

import pytest
from helpers import run

HEAD = "openapi: 3.0.1\ninfo: {title: x, version: '1'}\n"


def test_deep_flow_nesting_is_refused_before_libyaml_overflows_its_stack(tmp_path: Path) -> None:
    # 50,000 nested `[` inside a block mapping: libyaml's C composer used to segfault (exit -11).
    deep = tmp_path / "deep.yaml"
    deep.write_text(HEAD + "paths:\n  /a:\n    x-deep: " + "[" * 50000 + "]" * 50000 + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", str(deep)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{deep}:5:525: error: nesting deeper than 512 levels\n"


@pytest.mark.parametrize(
    "name,content",
    [
        pytest.param("bom.yaml", b"\xef\xbb\xbf" + HEAD.encode() + b"paths: {}\n", id="yaml"),
        pytest.param(
            "bom.json",
            b'\xef\xbb\xbf{"openapi": "3.0.1", "info": {"title": "x", '
            b'"version": "1"}, "paths": {}}',
            id="json",
        ),
    ],
)
def test_a_byte_order_mark_is_read_as_utf8(
    name: str, content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "lint", str(path), "--select", "AGW001,AGW002")
    assert (code, err) == (0, "")


def test_symlink_loop_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    code, out, err = run(capsys, "lint", str(tmp_path / "a.yaml"))
    assert (code, err) == (
        2,
        f"{tmp_path / 'a.yaml'}: error: symbolic link loop (the link points back to itself)\n",
    )


def test_ref_to_a_symlink_loop_is_an_unresolved_ref(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    api = tmp_path / "api.yaml"
    api.write_text(HEAD + "paths:\n  /a:\n    $ref: 'a.yaml#/x'\n")
    code, out, err = run(capsys, "lint", str(api), "--select", "AGW003")
    assert code == 0 and err == "" and "AGW003" in out and "symbolic link loop" in out  # a warning


def test_ref_cycle_across_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "api.yaml").write_text(HEAD + "paths:\n  /a:\n    $ref: 'b.yaml#/B'\n")
    (tmp_path / "b.yaml").write_text("B:\n  $ref: 'api.yaml#/paths/~1a'\n")
    code, out, err = run(capsys, "lint", str(tmp_path / "api.yaml"))
    assert (code, err) == (
        2,
        f"{tmp_path / 'api.yaml'}:5:5: error: $ref cycle: /paths/~1a -> /B -> /paths/~1a\n",
    )


def test_unreadable_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # CI runs as root, for whom chmod 000 changes nothing: the refusal is simulated where the
    # bytes are read.
    path = tmp_path / "locked.yaml"
    path.write_text(HEAD + "paths: {}\n")
    from apilint.common import files

    real = files.open_regular

    def refuse(name: str | os.PathLike[str]) -> BinaryIO:
        if Path(name).name == "locked.yaml":
            raise PermissionError(13, "Permission denied")
        return real(name)

    monkeypatch.setattr(files, "open_regular", refuse)
    code, out, err = run(capsys, "lint", str(path))
    assert (code, err) == (2, f"{path}: error: permission denied\n")


# -- small inputs that used to take minutes or gigabytes ------------------------------------------
# Each runs `apilint lint` in a child with an address-space limit and a "did not hang" timeout:
# the test itself stays cheap even when the fix regresses, and a regression fails (timeout or
# MemoryError) instead of swapping the machine.

_LIMIT = 1 << 30  # 1 GiB of address space for the child interpreter


def _bounded() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (_LIMIT, _LIMIT))


def lint_bounded(path: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apilint", "lint", str(path), *argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=_bounded,
    )


def _chain(n: int) -> dict:
    schemas: dict = {f"s{i}": {"$ref": f"#/components/schemas/s{i + 1}"} for i in range(n - 1)}
    schemas[f"s{n - 1}"] = {"type": "string"}
    schema = {"$ref": "#/components/schemas/s0"}
    return {
        "openapi": "3.0.1",
        "info": {"title": "x", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "x",
                            "content": {"application/json": {"schema": schema}},
                        }
                    },
                    "x-amazon-apigateway-integration": {"type": "mock"},
                }
            }
        },
        "components": {"schemas": schemas},
    }


@pytest.mark.parametrize("suffix", ["json", "yaml"])
def test_a_long_ref_chain_resolves_in_linear_time(suffix: str, tmp_path: Path) -> None:
    # s0 -> s1 -> ... -> s2999: every $ref re-walked the rest of the chain with a list for the
    # cycle check (cubic: over 300 s for 3,000 links).
    import json

    path = tmp_path / f"chain.{suffix}"
    data = _chain(3000)
    path.write_text(
        json.dumps(data)
        if suffix == "json"
        else "\n".join(f"{k}: {json.dumps(v)}" for k, v in data.items()) + "\n"
    )
    done = lint_bounded(path, "--select", "AGW003,AGW001", timeout=90)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


def _laughs(levels: int, fan: int, leaf: str, anchor: str = "a") -> str:
    """A billion-laughs document: each level is a list of `fan` aliases of the level below."""
    lines = [HEAD.rstrip("\n"), "paths: {}", "x-laughs:", f"  l0: &{anchor}0 [{leaf}]"]
    for i in range(1, levels + 1):
        lines.append(f"  l{i}: &{anchor}{i} [" + ", ".join([f"*{anchor}{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


_BOMB = "error: YAML aliases expand to more than {} (an alias bomb?)"


@pytest.mark.parametrize("parser", ["", "libyaml"])
@pytest.mark.parametrize(
    "text,where,what",
    [
        # 9 levels of 9 aliases: 387 million nodes once expanded.
        pytest.param(
            _laughs(9, 9, "lol"), "11:7", _BOMB.format("1,000,000 nodes"), id="nine-by-nine"
        ),
        # 6 levels (1.1 million nodes) was under the old cap of 5 million nodes, which let 4.8
        # million through: seconds and hundreds of MB to lint, a gigabyte with longer leaves.
        pytest.param(
            _laughs(6, 9, "lol"), "11:7", _BOMB.format("1,000,000 nodes"), id="under-the-old-cap"
        ),
        # 125,000 nodes, but each leaf is 5,000 characters: 300 MB of text once expanded.
        pytest.param(
            _laughs(5, 9, "l" * 5000), "9:7", _BOMB.format("16,777,216 characters"), id="long-leaf"
        ),
        # libyaml refuses these anchor names; rapidyaml read the aliases as strings ("*a$0").
        pytest.param(
            _laughs(9, 9, "lol", anchor="a$"),
            "5:9",
            "error: invalid YAML: while "
            "scanning an anchor did not find expected alphabetic or numeric character",
            id="odd-names",
        ),
    ],
)
def test_an_alias_bomb_is_refused_in_one_line(
    parser: str, text: str, where: str, what: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APILINT_YAML", parser)
    path = tmp_path / "laughs.yaml"
    path.write_text(text)
    done = lint_bounded(path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"{path}:{where}: {what}\n"


def test_aliases_within_the_bound_are_expanded(tmp_path: Path) -> None:
    # 3 levels of 9 (820 nodes) of a real shape: the same response under many operations.
    path = tmp_path / "shared.yaml"
    ops = "\n".join(f"  /r{i}:\n    get: *op" for i in range(50))
    path.write_text(
        HEAD + "x-op: &op\n  responses: {'200': {description: ok}}\n"
        "  x-amazon-apigateway-integration: {type: mock}\npaths:\n"
        + ops
        + "\n"
        + _laughs(3, 9, "lol").split("paths: {}\n", 1)[1]
    )
    done = lint_bounded(path, "--select", "AGW403,AGW109,AGW001")
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


@pytest.mark.parametrize(
    "level",
    [
        "  l{i}: !Tag &a{i} [{items}]",  # after a tag
        '  l{i}: {{"k":&a{i} [{items}]}}',  # after a flow mapping's colon, no blank
        "  l{i}:\t&a{i} [{items}]",  # after a tab
        "  l{i}: [&a{i} [{items}]]",  # in a flow sequence
    ],
)
def test_an_alias_bomb_is_refused_wherever_its_anchors_stand(level: str) -> None:
    # The libyaml path bounds aliases only in documents that may hold anchors: every place an
    # anchor can stand must count.
    from apilint.common.errors import LoadError
    from apilint.document.libyaml_loader import load_libyaml

    lines = ["x:", level.format(i=0, items="lol")]
    for i in range(1, 7):
        lines.append(level.format(i=i, items=", ".join([f"*a{i - 1}"] * 9)))
    with pytest.raises(LoadError, match="an alias bomb"):
        load_libyaml("\n".join(lines) + "\n", "bomb.yaml")


def test_a_recursive_alias_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The alias bookkeeping runs only for documents with anchors; this one needs it.
    path = tmp_path / "self.yaml"
    path.write_text(HEAD + "paths: {}\nx-a: &a [1, *a]\n")
    assert run(capsys, "lint", str(path)) == (
        2,
        "",
        f"{path}:4:6: error: recursive YAML alias: a node contains itself\n",
    )


_LOCATE_ALL = """
import json, sys
from apilint.document.ryml_loader import json_locator
n = int(sys.argv[1])
paths = {f"/r{i}/{{id}}/\\u00e9{i}": {"get": {"responses": {}}} for i in range(n)}
text = json.dumps({"openapi": "3.0.1", "paths": paths}, ensure_ascii=False)  # one line
locator = json_locator(text)
last = [locator.span(("paths", p, "get")) for p in paths][-1]
print(last.line, last.column)
"""


def test_findings_under_60000_paths_of_minified_json_are_located_in_linear_time() -> None:
    # Every finding's position used to decode its line up to the finding (minified JSON is one
    # line) and search the members of `paths` one by one: quadratic, 10 s for 20,000 paths,
    # minutes for 60,000 (3 s now).
    done = subprocess.run(
        [sys.executable, "-c", _LOCATE_ALL, "60000"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_bounded,
    )
    assert (done.returncode, done.stderr) == (0, "")
    # The column of the last `get` counts characters (é is two bytes), not bytes.
    prefix = (
        len('{"openapi": "3.0.1", "paths": {')
        + 59999 * 2
        + sum(
            len(f'"/r{i}/{{id}}/\u00e9{i}": {{"get": {{"responses": {{}}}}}}') for i in range(59999)
        )
    )
    assert done.stdout.split() == ["1", str(prefix + len('"/r59999/{id}/\u00e959999": {') + 1)]


_BUNDLE = """
import sys
from apilint.contract.normalize import normalise
from apilint.engine.run import load_api
from apilint.common.errors import ApilintError
try:
    spec = normalise(load_api(sys.argv[1])).spec
except ApilintError as exc:
    print(exc)
else:
    print(len(str(spec)))
"""


@pytest.mark.parametrize(
    "start,expected",
    [
        # 9 levels of 9 $refs in another file: apilint test inlines other files' $refs for
        # schemathesis, and copied this one 387 million times.
        pytest.param(
            "s0",
            "{api}: error: $refs to other files expand to more than 1,000,000 nodes "
            "when inlined for apilint test (a $ref bomb?)\n",
            id="nine-by-nine",
        ),
        pytest.param("s7", "{size}\n", id="within-bound"),
    ],
)
def test_refs_to_another_file_fanning_out_are_bounded_when_inlined(
    start: str, expected: str, tmp_path: Path
) -> None:
    import json

    schemas: dict = {
        f"s{i}": {
            "type": "object",
            "properties": {f"p{j}": {"$ref": f"#/s{i + 1}"} for j in range(9)},
        }
        for i in range(9)
    }
    schemas["s9"] = {"type": "string"}
    (tmp_path / "other.json").write_text(json.dumps(schemas))
    api = tmp_path / "api.yaml"
    api.write_text(
        HEAD + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n"
        "          description: x\n          content:\n            application/json:\n"
        f"              schema: {{$ref: 'other.json#/{start}'}}\n"
        "      x-amazon-apigateway-integration: {type: mock}\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", _BUNDLE, str(api)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_bounded,
    )
    s8 = {"type": "object", "properties": {f"p{j}": {"type": "string"} for j in range(9)}}
    s7 = {"type": "object", "properties": {f"p{j}": s8 for j in range(9)}}
    size = len(
        str(
            {
                "openapi": "3.0.1",
                "info": {"title": "x", "version": "1"},
                "paths": {
                    "/a": {
                        "get": {
                            "responses": {
                                "200": {
                                    "description": "x",
                                    "content": {"application/json": {"schema": s7}},
                                }
                            }
                        }
                    }
                },
            }
        )
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == expected.format(api=api, size=size)


@pytest.mark.parametrize("parser", ["", "libyaml"])
@pytest.mark.parametrize("text", ["# only a comment", "# only a comment\n", "---\n# c\n"])
def test_a_yaml_file_of_comments_is_skipped_as_no_definition(
    parser: str,
    text: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Found by scripts/fuzz.py (a template cut after its first comment): rapidyaml emits
    # nothing for an empty document and the fast path crashed on it (internal error).
    monkeypatch.setenv("APILINT_YAML", parser)
    path = tmp_path / "comments.yaml"
    path.write_text(text)
    code, out, err = run(capsys, "lint", str(path))
    assert (code, out, err) == (
        0,
        "",
        f"{path}: note: skipped: not an OpenAPI/Swagger document "
        "(the top level is not a mapping)\n"
        f"apilint: no API definitions found in {path}; 1 file "
        "skipped\n",
    )
