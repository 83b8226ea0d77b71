"""The command line: formats, exit codes, explain, rules, skipping what is not an API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, PITFALL_ALL, ROOT, run
from helpers import PITFALLS as EXAMPLE  # a Path; the CLI tests need the text

PITFALLS = str(EXAMPLE)


def test_concise_output_is_path_line_col_code(capsys) -> None:
    code, out, _ = run(capsys, "lint", PITFALLS, "-f", "concise")
    assert code == 1
    lines = out.splitlines()
    assert lines[1] == (
        f"{PITFALLS}:4:1: AGW302 [warning] root-level `security` is ignored by API "
        "Gateway REST APIs: 1 operation(s) rely on it and deploy with no "
        "authorization (GET /orders); repeat the requirement in each operation's "
        "`security`"
    )
    assert lines[0].startswith(f"{PITFALLS}:2:1: AGW507 [warning] CORS is in use")
    assert lines[-1] == "Found 7 problems (1 error, 6 warnings) in 1 file."
    assert len(lines) == 8
    assert "\033[" not in out  # no colour when not a terminal


def test_text_output_groups_by_file_in_position_order_with_code_frames(capsys, tmp_path) -> None:
    # Two files, the second named first: each file's findings together, by line; under each
    # finding the line it points at, underlined, and where to read more.
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(EXAMPLE.read_text())
    second.write_text(EXAMPLE.read_text())
    code, out, _ = run(capsys, "lint", str(second), str(first), "--select", "AGW302,AGW401")
    assert code == 1
    blocks = out.split("\n\n")
    headers = [block.splitlines()[0].split(" ")[0] for block in blocks[:-1]]
    assert headers == [f"{second}:4:1:", f"{second}:22:9:", f"{first}:4:1:", f"{first}:22:9:"]
    assert blocks[0].splitlines()[1:] == [
        "  |",
        "4 | security:                      # ignored by API Gateway REST APIs: GET /orders "
        "deploys open",
        "  | ^^^^^^^^",
        "  = explain: apilint explain AGW302",
    ]
    frame = blocks[1].splitlines()[1:]
    assert frame[1].startswith("22 |         uri: arn:aws:apigateway:eu-west-1:lambda:")
    assert frame[2] == "   |         " + "^" * (len(frame[1]) - len("22 |         "))
    assert blocks[-1] == "Found 4 problems (2 errors, 2 warnings) in 2 files.\n"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])  # JSON allows them raw
def test_code_frame_shows_the_findings_line_past_other_line_separators(
    separator: str, capsys, tmp_path
) -> None:
    # Lines end at "\n" only, as every locator counts them; a separator str.splitlines() also
    # breaks at (inside a JSON string here) made the frame show another line.
    path = tmp_path / "api.json"
    path.write_text(
        '{"openapi": "3.0.1", "info": {"title": "a' + separator + 'b", "version": "1"},\n'
        ' "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "lint", str(path), "--select", "AGW403")
    assert code == 1
    assert out.splitlines()[:4] == [
        f"{path}:2:19: AGW403 [error] GET /x has no x-amazon-apigateway-integration; the method "
        "is created without one and CreateDeployment fails with 'No integration defined for "
        "method'; add an integration (type: mock for a stub)",
        "  |",
        '2 |  "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}}}}}}',
        "  |                   " + "^" * 52,  # `"get": {...}` to its closing brace
    ]


def test_code_frame_of_a_yaml_file_with_carriage_return_line_ends(capsys, tmp_path) -> None:
    path = tmp_path / "api.yaml"
    path.write_bytes(
        b'openapi: 3.0.1\rinfo:\r  title: a\r  version: "1"\rpaths:\r  /x:\r    get:\r'
        b'      responses:\r        "200":\r          description: ok\r'
    )
    code, out, _ = run(capsys, "lint", str(path), "--select", "AGW403")
    assert code == 1
    assert out.splitlines()[1:4] == ["  |", "7 |     get:", "  |     ^^^"]


def test_json_output_envelope(capsys) -> None:
    code, out, _ = run(capsys, "lint", PITFALLS, "--format", "json")
    payload = json.loads(out)
    assert code == 1 and payload["version"] == 1
    first = payload["results"][0]
    assert set(first) == {
        "code",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "pointer",
        "operation",
    }
    got = {(r["code"], r["line"], r["pointer"], r["operation"]) for r in payload["results"]}
    assert got == {
        ("AGW507", 2, "", None),
        ("AGW302", 4, "/security", None),
        ("AGW501", 7, "/paths/~1orders", None),
        ("AGW301", 8, "/paths/~1orders/get", "GET /orders"),
        ("AGW201", 10, "/paths/~1orders/get/parameters/0", "GET /orders"),
        (
            "AGW402",
            21,
            "/paths/~1orders/get/x-amazon-apigateway-integration/httpMethod",
            "GET /orders",
        ),
        ("AGW401", 22, "/paths/~1orders/get/x-amazon-apigateway-integration/uri", "GET /orders"),
    }
    spans = {
        r["code"]: (r["line"], r["column"], r["end_line"], r["end_column"])
        for r in payload["results"]
    }
    assert spans["AGW401"][:3] == (22, 9, 22)
    assert spans["AGW302"] == (4, 1, 5, 16)  # end column is exclusive, as in SARIF


@pytest.mark.parametrize(
    "fail_on,expected", [("error", 1), ("warning", 1), ("info", 1), ("never", 0)]
)
def test_fail_on(capsys, fail_on: str, expected: int) -> None:
    assert run(capsys, "lint", PITFALLS, "--fail-on", fail_on)[0] == expected


def test_warnings_only_pass_with_default_fail_on(capsys) -> None:
    code, out, _ = run(capsys, "lint", PITFALLS, "--select", "AGW301,cors-preflight-missing")
    assert code == 0 and "AGW301" in out and "AGW501" in out
    assert run(capsys, "lint", PITFALLS, "--select", "AGW301", "--fail-on", "warning")[0] == 1


def test_non_api_yaml_is_skipped_with_a_note(capsys, tmp_path: Path) -> None:
    other = tmp_path / "docker-compose.yml"
    other.write_text("services:\n  web: {image: nginx}\n")
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n")
    code, out, err = run(capsys, "lint", str(other), str(listing))
    assert code == 0 and out == ""
    assert f"{other}: note: skipped: not an OpenAPI/Swagger document" in err
    assert run(capsys, "lint", "-q", str(other))[2] == ""


def test_format_to_file(capsys, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, "lint", PITFALLS, "--format", "text", "--format", f"json={target}")
    assert code == 1 and "AGW401" in out
    assert {r["code"] for r in json.loads(target.read_text())["results"]} == {
        "AGW507",
        "AGW302",
        "AGW501",
        "AGW301",
        "AGW201",
        "AGW402",
        "AGW401",
    }
    assert {
        (r["code"], r["line"]) for r in json.loads(target.read_text())["results"]
    } == PITFALL_ALL


def test_unknown_rule_selector_suggests(capsys) -> None:
    code, _, err = run(capsys, "lint", PITFALLS, "--select", "method-unauthenticate")
    assert code == 2
    assert "unknown rule 'method-unauthenticate'; did you mean method-unauthenticated" in err


def test_unknown_format_is_usage_error(capsys) -> None:
    code, _, err = run(capsys, "lint", PITFALLS, "--format", "xml")
    assert code == 2 and "unknown format 'xml'" in err


@pytest.mark.parametrize("ident", ["AGW503", "agw503", "cors-preflight-requires-auth"])
def test_explain_by_code_or_name(capsys, ident: str) -> None:
    code, out, _ = run(capsys, "explain", ident)
    assert code == 0
    assert out.startswith("AGW503 cors-preflight-requires-auth [warning]\n")
    for heading in (
        "Why it matters on API Gateway:",
        "How to fix:",
        "Bad:",
        "Good:",
        "References:",
    ):
        assert heading in out
    assert "https://github.com/aws/aws-cdk/pull/22402" in out
    assert "security: [{api_key: []}]" in out  # the bad example itself


def test_explain_unknown(capsys) -> None:
    code, _, err = run(capsys, "explain", "cors-preflight")
    assert code == 2 and "unknown rule 'cors-preflight'" in err


def test_rules_table_and_json(capsys) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["CODE", "NAME", "SEVERITY"]
    assert any(line.startswith("AGW601  resource-quota-exceeded") for line in out.splitlines())
    code, out, _ = run(capsys, "rules", "--format", "json")
    rules = {r["name"]: r for r in json.loads(out)}
    assert rules["root-security-ignored"]["api"] == ["rest"]
    assert rules["resource-quota-exceeded"]["options"][0]["default"] == 300
    assert all(r["references"] and r["enabled"] for r in rules.values())


def test_python_dash_m_and_usage_error_exit_codes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", PITFALLS, "-q"], capture_output=True, text=True
    )
    assert done.returncode == 1 and "AGW402" in done.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "--fail-on", "sometimes", PITFALLS],
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_parallel_lint_keeps_order_and_results(capsys, tmp_path: Path) -> None:
    sources = [FIXTURES / "examples" / "pitfalls.yaml", FIXTURES / "clean" / "rest-oas3.yaml"]
    paths = []
    for i in range(6):
        target = tmp_path / f"api{i}.yaml"
        target.write_text(sources[i % 2].read_text())
        paths.append(str(target))
    (tmp_path / "broken.yaml").write_text("openapi: [\n")
    paths.append(str(tmp_path / "broken.yaml"))
    serial = run(capsys, "lint", *paths, "-j", "1", "-f", "json")
    parallel = run(capsys, "lint", *paths, "-j", "2", "-f", "json")
    assert serial[0] == parallel[0] == 2
    assert serial[1] == parallel[1]
    assert json.loads(parallel[1])["errors"][0]["line"] == 2
    assert [r["file"] for r in json.loads(parallel[1])["results"]] == sorted(
        (r["file"] for r in json.loads(parallel[1])["results"]), key=paths.index
    )


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(capsys, flag: str) -> None:
    from apilint import __version__

    assert run(capsys, flag) == (0, f"apilint {__version__}\n", "")


def test_json_envelope_names_the_apilint_version(capsys) -> None:
    import json

    from apilint import __version__

    code, out, _ = run(capsys, "lint", str(PITFALLS), "--format", "json")
    payload = json.loads(out)
    assert code == 1 and payload["version"] == 1 and payload["apilint_version"] == __version__


def test_two_formats_on_standard_output_are_a_usage_error(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "lint", PITFALLS, "-f", "text", "-f", "json")
    assert (code, out) == (2, "")
    assert err == (
        "apilint: --format text and --format json would all write to standard "
        "output, mixed into one invalid stream; send all but one to a file "
        "(--format json=FILE)\n"
    )
    target = tmp_path / "out.json"
    assert run(capsys, "lint", PITFALLS, "-f", "text", "-f", f"json={target}")[0] == 1
    assert json.loads(target.read_text())["results"]


# -- no input ------------------------------------------------------------------------------------


@pytest.fixture
def no_api(tmp_path: Path, monkeypatch) -> Path:
    """A folder of YAML/JSON that holds no API (a moved or misspelt `paths:` in CI)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "compose.yaml").write_text("services:\n  web: {image: nginx}\n")
    (tmp_path / "specs" / "package.json").write_text('{"name": "x"}\n')
    (tmp_path / "specs" / "notes.txt").write_text("openapi: 3.0.1\n")  # not a candidate suffix
    return tmp_path


def test_no_definition_found_says_so(no_api: Path, capsys) -> None:
    assert run(capsys, "lint", "specs") == (
        0,
        "",
        "apilint: no API definitions found in specs; 2 files skipped\n",
    )
    assert run(capsys, "lint", "specs", "-q") == (0, "", "")


def test_error_on_no_input_exits_2_even_when_quiet(no_api: Path, capsys) -> None:
    assert run(capsys, "lint", "specs", "-q", "--error-on-no-input") == (
        2,
        "",
        "apilint: no API definitions found in specs; 2 files skipped\n",
    )
    code, _, err = run(capsys, "lint", "specs/compose.yaml", "--error-on-no-input")
    assert code == 2 and err.endswith(
        "no API definitions found in specs/compose.yaml; 1 file skipped\n"
    )


def test_error_on_no_input_from_configuration(no_api: Path, capsys) -> None:
    (no_api / ".apilint.toml").write_text("error-on-no-input = true\n")
    assert run(capsys, "lint", "specs", "-q")[0] == 2
    (no_api / "specs" / "api.yaml").write_text(EXAMPLE.read_text())
    code, out, err = run(capsys, "lint", "specs", "-q", "--select", "AGW301")
    assert (code, err) == (0, "") and "specs/api.yaml:8:5: AGW301" in out
    (no_api / ".apilint.toml").write_text('error-on-no-input = "yes"\n')
    code, _, err = run(capsys, "lint", "specs")
    assert code == 2 and err == (
        f"apilint: {no_api / '.apilint.toml'}: error-on-no-input: 'yes' is not true or false\n"
    )


# -- standard input ------------------------------------------------------------------------------

REFERRING = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/Pet'}
"""


@pytest.fixture
def beside(tmp_path: Path, monkeypatch) -> Path:
    """api/schemas.yaml, which REFERRING's $ref names relative to its own folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "schemas.yaml").write_text("Pet: {type: object}\n")
    return tmp_path


def stdin(monkeypatch, text: str | bytes) -> None:
    import io

    data = text.encode() if isinstance(text, str) else text
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def json_findings(out: str) -> set[tuple[str, str, int]]:
    return {(f["file"], f["code"], f["line"]) for f in json.loads(out)["results"]}


def test_stdin_is_linted_as_the_stdin_filename(beside: Path, capsys, monkeypatch) -> None:
    stdin(monkeypatch, REFERRING)
    code, out, err = run(
        capsys,
        "lint",
        "-",
        "--stdin-filename",
        "api/pets.yaml",
        "-f",
        "json",
        "--select",
        "AGW003,AGW007,AGW301",
    )
    # The $ref resolves beside api/pets.yaml (no AGW003 ref-unresolved); findings name it.
    assert (code, err) == (1, "")
    assert json_findings(out) == {("api/pets.yaml", "AGW007", 11), ("api/pets.yaml", "AGW301", 5)}


def test_stdin_takes_the_configuration_above_its_filename(
    beside: Path, capsys, monkeypatch
) -> None:
    (beside / "api" / ".apilint.toml").write_text('ignore = ["AGW007"]\n')
    stdin(monkeypatch, REFERRING)
    code, out, _ = run(
        capsys,
        "lint",
        "-",
        "--stdin-filename",
        "api/pets.yaml",
        "-f",
        "json",
        "--select",
        "AGW003,AGW007,AGW301",
    )
    assert (code, json_findings(out)) == (0, {("api/pets.yaml", "AGW301", 5)})


def test_stdin_without_a_filename_is_stdin_yaml_here(beside: Path, capsys, monkeypatch) -> None:
    stdin(monkeypatch, REFERRING)
    code, out, _ = run(capsys, "lint", "-", "-f", "json", "--select", "AGW003,AGW301")
    assert code == 0  # both warnings
    assert json_findings(out) == {("stdin.yaml", "AGW003", 11), ("stdin.yaml", "AGW301", 5)}


def test_stdin_filename_suffix_decides_json(beside: Path, capsys, monkeypatch) -> None:
    stdin(monkeypatch, REFERRING)
    code, out, err = run(capsys, "lint", "-", "--stdin-filename", "api/pets.json")
    assert (code, out) == (2, "")
    assert err == "api/pets.json:1:1: error: invalid JSON: Expecting value\n"


@pytest.mark.parametrize(
    "args,message",
    [
        pytest.param(
            ("--max-file-size", "100"),
            "apilint: standard input (stdin.yaml) is over the 100-byte limit "
            "(--max-file-size raises it)\n",
            id="command-line-limit",
        ),
    ],
)
def test_stdin_is_read_up_to_the_size_limit(
    beside: Path, capsys, monkeypatch, args, message: str
) -> None:
    stdin(monkeypatch, REFERRING)
    assert run(capsys, "lint", "-", *args) == (2, "", message)


def test_stdin_obeys_a_lower_configured_limit(beside: Path, capsys, monkeypatch) -> None:
    (beside / "api" / ".apilint.toml").write_text("max-file-size = 100\n")
    stdin(monkeypatch, REFERRING)
    code, out, err = run(capsys, "lint", "-", "--stdin-filename", "api/pets.yaml")
    assert (code, out) == (2, "")
    assert err == (
        f"api/pets.yaml: error: file is {len(REFERRING)} bytes, over the 100-byte "
        "limit (--max-file-size raises it)\n"
    )


@pytest.mark.parametrize(
    "args,message",
    [
        pytest.param(
            ("api/schemas.yaml", "--stdin-filename", "a.yaml"),
            "apilint: --stdin-filename names what is read from standard input: pass - as "
            "the path\n",
            id="filename-without-dash",
        ),
        pytest.param(("-", "-"), "apilint: - (standard input) can be given once\n", id="twice"),
    ],
)
def test_stdin_usage_errors(beside: Path, capsys, monkeypatch, args, message: str) -> None:
    stdin(monkeypatch, REFERRING)
    assert run(capsys, "lint", *args) == (2, "", message)


def test_stdin_in_a_subprocess(beside: Path) -> None:
    """The real standard input of the installed command (not a replaced sys.stdin)."""
    (beside / "api" / "pets.yaml").write_text("# an older version on disk\n" * 10)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "apilint",
            "lint",
            "-",
            "--stdin-filename",
            "api/pets.yaml",
            "--select",
            "AGW003,AGW301",
        ],
        input=REFERRING,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("api/pets.yaml:5:5: AGW301 [warning]")
    # the code frame quotes what was read from standard input, not a file of that name
    assert lines[1:5] == [
        "  |",
        "5 |     get:",
        "  |     ^^^",
        "  = explain: apilint explain AGW301",
    ]
    assert lines[-1] == "Found 1 problem (1 warning) in 1 file."


@pytest.mark.parametrize(
    "args", [pytest.param((), id="without-handlers"), pytest.param(("--explain",), id="explain")]
)
def test_serve_a_missing_file_says_so_first(capsys, tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "serve", "nope.yaml", *args) == (
        2,
        "",
        "apilint serve: nope.yaml: error: no such file\n",
    )


def test_parallel_workers_do_not_interleave_output_lines(tmp_path) -> None:
    # Enough files to lint on all cores: the parent prints every line, whole.
    import re
    import subprocess
    import sys

    from apilint.engine.run import PARALLEL_MIN_FILES

    for i in range(PARALLEL_MIN_FILES + 4):
        (tmp_path / f"api{i:02d}.yaml").write_text(EXAMPLE.read_text())
    done = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", str(tmp_path), "-f", "concise"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    finding = re.compile(r"^\S+/api\d\d\.yaml:\d+:\d+: AGW\d{3} \[(error|warning|info)\] .+$")
    body = [line for line in lines if not line.startswith("Found ")]
    assert len(body) == (PARALLEL_MIN_FILES + 4) * 7
    assert all(finding.match(line) for line in body), [
        line for line in body if not finding.match(line)
    ][:3]


def test_debug_does_not_outlive_the_call(capsys, monkeypatch) -> None:
    # --debug sets APILINT_DEBUG for the run only: a caller in the same process (a test, a
    # wrapper) keeps its own setting afterwards.
    monkeypatch.delenv("APILINT_DEBUG", raising=False)
    run(capsys, "lint", PITFALLS, "--debug", "-f", "concise")
    assert "APILINT_DEBUG" not in os.environ
    monkeypatch.setenv("APILINT_DEBUG", "0")
    run(capsys, "lint", PITFALLS, "--debug", "-f", "concise")
    assert os.environ["APILINT_DEBUG"] == "0"


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    """`apilint lint ... | head`: once the reader closes the pipe the run stops writing, with
    no error on stderr (it was an "internal error") and the shell's code for it, 141."""
    paths = {
        f"/items{i}": {"get": {"responses": {"200": {"description": "ok"}}}} for i in range(300)
    }
    api = tmp_path / "api.json"
    api.write_text(
        json.dumps({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": paths})
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "apilint", "lint", str(api)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(str(api).encode())
    process.stdout.close()  # as `head` does, long before the 600 findings are written
    err = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert err == b""
