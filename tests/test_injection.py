"""Output is untrusted text (issue 24, items 2 and 8): a definition, a file name or a baseline
controls part of every line apilint prints. Nothing from them may forge a GitHub Actions workflow
command, repaint a terminal, open HTML or markup, or break the XML/JSON a CI reads; and odd but
well-formed input (a lone surrogate, a 5,000-digit number, a NUL byte, a baseline nested 100,000
deep) ends in a report or one clean line, never "internal error"."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import run
from markdown_it import MarkdownIt

FORMATS = ("text", "concise", "json", "sarif", "junit", "github", "gitlab", "markdown", "html")
STRUCTURED = ("json", "sarif", "gitlab")

#: Path keys that try every sink: a workflow command after a newline or a carriage return (the
#: runner splits lines at both), terminal escapes, a markdown code-span breakout, an HTML
#: attribute breakout, a bidi override, and the line breaks of other tools (NEL, U+2028).
HOSTILE = {
    "newline": "/a\n::error file=x::pwned",
    "return": "/c\r::warning::carriage",
    "escape": "/b\x1b[31mRED\x1b[0m",
    "markdown": "/p```<h1>x</h1>",
    "attribute": '/q"><h1 id=y>y</h1>',
    "bidi": "/r\u202eevil",
    "nel": "/n\x85::error::nel",
    "separator": "/l\u2028::error::ls",
    "legacy": "/z##[error]pwned",
    "set-output": "/y##[set-output name=verdict;]pass",
}
#: How the text sinks show each one.
SHOWN = {
    "newline": r"/a\n::error file=x::pwned",
    "return": r"/c\r::warning::carriage",
    "escape": r"/b\x1b[31mRED\x1b[0m",
    "bidi": r"/r\u202eevil",
    "nel": r"/n\x85::error::nel",
    "separator": r"/l\u2028::error::ls",
    "legacy": r"/z#\x23[error]pwned",
    "set-output": r"/y#\x23[set-output name=verdict;]pass",
}
#: Raw characters no report may carry: C0 (but the newline that ends our own lines), DEL, C1,
#: bidi embeddings/overrides/isolates, Unicode line separators, lone surrogates.
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: What the Actions runner takes for a command: `::` after leading whitespace, or the legacy
#: `##[` anywhere in a line.
COMMAND = re.compile(r"\s*::|.*##\[")
GITHUB_PROPERTIES = {"file", "line", "col", "endLine", "endColumn", "title"}


def definition(paths: dict[str, str]) -> str:
    operation = {"get": {"responses": {"200": {"description": "ok"}}}}
    return json.dumps(
        {
            "openapi": "3.0.1",
            "info": {"title": "t", "version": "1"},
            "paths": dict.fromkeys(paths.values(), operation),
        },
        indent=2,
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(definition(HOSTILE), encoding="utf-8")
    return path


def github_commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    """Every line parsed as the runner parses a command (ActionCommand.TryParseV2)."""
    commands = []
    for line in out.splitlines():
        m = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
        assert m is not None, line
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        commands.append((m.group(1), props, m.group(3)))
    return commands


def assert_inert(fmt: str, out: str) -> None:
    """No raw control characters; no line the runner would take for a command but ours."""
    assert RAW.search(out) is None, RAW.search(out)
    assert "##[" not in out
    if fmt == "github":
        for name, props, _ in github_commands(out):
            assert name in ("error", "warning", "notice")
            assert set(props) <= GITHUB_PROPERTIES
    else:
        assert [line for line in out.splitlines() if COMMAND.match(line)] == []


def html_tags(page: str) -> list[str]:
    tags: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: object) -> None:
            tags.append(tag)

    Collect().feed(page)
    return tags


def markdown_html(text: str) -> str:
    # GitHub's dialect without linkify (an optional extra of markdown-it-py).
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)


# --- item 2: definition text in every format -------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_paths_cannot_inject_into_any_format(fmt: str, hostile: Path, capsys) -> None:
    code, out, err = run(capsys, "lint", str(hostile), "--select", "AGW101,AGW403", "-f", fmt)
    assert (code, err) == (1, "")
    assert_inert(fmt, out)
    if fmt in STRUCTURED:  # the library escapes; the data keeps the real characters
        assert "\x1b" not in out and "\\u001b[31mRED" in out
        data = json.loads(out)
        messages = " ".join(
            [r["message"] for r in data["results"]]
            if fmt == "json"
            else [r["description"] for r in data]
            if fmt == "gitlab"
            else [r["message"]["text"] for r in data["runs"][0]["results"]]
        )
        for path in HOSTILE.values():
            assert f"GET {path} has no x-amazon-apigateway-integration" in messages
        return
    readable = markdown_html(out) if fmt == "markdown" else out
    for key, shown in SHOWN.items():
        assert shown in readable, key
    if fmt == "markdown":
        page = markdown_html(out)
        assert "<h1" not in page and "&lt;h1&gt;x&lt;/h1&gt;" in page
        # No pipe split a row: the rules table (AGW101, AGW403) and one row per finding.
        assert page.count("<td") == 4 * 2 + 4 * len(HOSTILE) * 2
    if fmt == "html":
        assert html_tags(out).count("h1") == 1  # the page's own heading
        assert "&lt;h1 id=y&gt;" in out
    if fmt == "junit":
        root = ET.fromstring(out)
        failures = root.findall("testsuite/testcase/failure")
        assert len(failures) == len(HOSTILE) * 2
        assert any(SHOWN["newline"] in (f.get("message") or "") for f in failures)


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "html", "junit"])
def test_text_sinks_show_exactly_the_escaped_message(fmt: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "one.json"
    path.write_text(definition({"x": "/a\n::error file=x::pwned\x1b[2J"}), encoding="utf-8")
    code, out, err = run(capsys, "lint", str(path), "--select", "AGW403", "-f", fmt)
    assert (code, err) == (1, "")
    message = (
        r"GET /a\n::error file=x::pwned\x1b[2J has no x-amazon-apigateway-integration; "
        "the method is created without one"
    )
    assert message in (markdown_html(out) if fmt == "markdown" else out)
    assert_inert(fmt, out)


# --- item 2: stderr and file names ----------------------------------------------------------


def test_ref_cycle_error_on_stderr_is_one_escaped_line(tmp_path: Path, capsys) -> None:
    key = "x\x1b[31m\n::error file=r::cycle"
    path = tmp_path / "cycle.json"
    path.write_text(
        json.dumps(
            {
                "openapi": "3.0.1",
                "info": {"title": "t", "version": "1"},
                "paths": {"/a": {"$ref": f"#/{key}"}},
                key: {"$ref": f"#/{key}"},
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "lint", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:1:168: error: $ref cycle: /paths/~1a -> /x\\x1b[31m\\n::error "
        "file=r::cycle -> /x\\x1b[31m\\n::error file=r::cycle\n"
    )


#: File names a repository can hold: terminal escapes, a newline before a command, a command at
#: the very start (a relative path leads the line), and bytes that are not UTF-8.
NAMES = {
    "escape": ("a\x1b[31m.json", r"a\x1b[31m.json"),
    "newline": ("b\n::error file=f::name.json", r"b\n::error file=f::name.json"),
    "leading": ("::error file=g::lead.json", "::error file=g::lead.json"),
    "spaces": ("\u3000::error::wide.json", r"\u3000::error::wide.json"),
    "space": (" ::error::space.json", " ::error::space.json"),  # ./ leads it in text
    "legacy": ("x##[add-mask]y.json", r"x#\x23[add-mask]y.json"),
    "undecodable": (os.fsdecode(b"c\xff.json"), r"c\udcff.json"),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("broken", [False, True], ids=["findings", "load-error"])
@pytest.mark.parametrize("case", list(NAMES))
def test_hostile_file_names(
    case: str, broken: bool, fmt: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    name, shown = NAMES[case]
    monkeypatch.chdir(tmp_path)
    content = '{"openapi": "3.0.1", "paths": [' if broken else definition({"x": "/a"})
    Path(name).write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "lint", name, "--select", "AGW403", "-f", fmt)
    assert code == (2 if broken else 1)
    assert_inert(fmt, out)
    assert_inert("text", err)
    if broken:
        assert len(err.splitlines()) == 1 and "error: invalid JSON" in err
        assert shown in err
    else:
        assert err == ""
    if fmt in STRUCTURED:
        data = json.loads(out)
        if fmt == "json":
            files = [r["file"] for r in data["errors" if broken else "results"]]
            assert files == [name]
        return
    if fmt == "github":  # a property: `:` and `,` percent-encoded
        out = out.replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    assert shown in out + err


def test_a_line_led_by_a_file_name_is_never_a_command() -> None:
    from apilint.common import escape

    assert escape.terminal_line("::error::x.yaml:1:1: msg") == "./::error::x.yaml:1:1: msg"
    assert escape.terminal_line("  ::error::x: msg") == "./  ::error::x: msg"
    assert escape.terminal_line("\u00a0::error::x: msg") == r"\xa0::error::x: msg"
    assert escape.terminal_line("a::error::x") == "a::error::x"
    assert escape.terminal_line("a ##[error]x ###[y") == r"a #\x23[error]x ##\x23[y"
    assert json.loads(escape.json_text(json.dumps("\\##[x"))) == "\\##[x"


# --- markdown and HTML building blocks -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("/p```<h1>x</h1>", id="triple"),
        pytest.param("`<h1>x</h1>`", id="edges"),
        pytest.param("a|b\\|<h1>c</h1>", id="pipe-after-backslash"),
        pytest.param("<h1>x</h1> **b** [l](javascript:x) &lt;", id="markup"),
    ],
)
def test_markdown_code_and_prose_stay_literal_in_a_table(text: str) -> None:
    from apilint.common import escape

    for cell in (
        escape.markdown_code(text),
        escape.markdown_prose(text),
        escape.markdown_prose(f"see `{text}` and `x`"),
    ):
        page = markdown_html(f"| a | b |\n| --- | --- |\n| {cell} | z |\n")
        assert "<h1" not in page and "<strong>" not in page and "<a " not in page, page
        assert page.count("<td>") == 2, page  # no pipe split the row


def test_markdown_prose_keeps_the_messages_code_spans() -> None:
    from apilint.common import escape

    page = markdown_html(escape.markdown_prose("add `security` to GET /a*b*"))
    assert page == "<p>add <code>security</code> to GET /a*b*</p>\n"


def test_html_escapes_text_and_attributes() -> None:
    from apilint.common import escape

    assert escape.html("\"><h1 x='y'>&\x1b") == "&quot;&gt;&lt;h1 x=&#x27;y&#x27;&gt;&amp;\\x1b"


def test_visible_names_controls_and_keeps_everything_else() -> None:
    from apilint.common import escape

    assert escape.visible(
        "a\nb\rc\td\x00e\x1bf\x7fg\x85h\u2028i\u202ej\ud800k é 😀 \U000e0041\ufffe"
    ) == (r"a\nb\rc\td\x00e\x1bf\x7fg\x85h\u2028i\u202ej\ud800k é 😀 \U000e0041\ufffe")
    assert escape.visible(escape.visible("\x1b")) == r"\x1b"


# --- item 8: well-formed oddities end in a report -------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_lone_surrogate_in_a_key_renders(fmt: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text(
        '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},\n'
        '"paths": {"/x\\ud800": {"get": {"responses": {"200": {"description": "ok"'
        "}}}}}}",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "lint", str(path), "--select", "AGW001,AGW006,AGW101,AGW403", "-f", fmt
    )
    assert (code, err) == (1, "")
    assert_inert(fmt, out)
    assert "\\ud800" in out
    if fmt == "concise":
        assert [line.split(" ")[:2] for line in out.splitlines()[:-1]] == [
            [f"{path}:2:11:", "AGW101"],
            [f"{path}:2:24:", "AGW403"],
        ]


def test_a_5000_digit_integer_in_json_is_linted(tmp_path: Path, capsys) -> None:
    path = tmp_path / "big.json"
    path.write_text(
        '{"openapi": "3.0.1", "info": {"title": "t", "version": "1"},\n'
        f'"x-big": {"9" * 5000},\n"paths": {{"/a": {{"get": {{"parameters": '
        '[{"name": "q", "in": "query", "schema": {"type": "integer",\n'
        f'"maximum": {"9" * 5000}}}}}], "responses": {{"200": {{"description": "ok"'
        "}}}}}}",
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "lint", str(path), "--select", "AGW001,AGW006,AGW011,AGW403", "-f", "concise"
    )
    assert (code, err) == (1, "")
    # The digits are kept as text, as the YAML loaders keep them, hence "a string" at maximum.
    assert [line.split(" ")[:2] for line in out.splitlines()[:-1]] == [
        [f"{path}:3:18:", "AGW403"],
        [f"{path}:4:1:", "AGW011"],
    ]
    assert "internal error" not in out


@pytest.mark.parametrize(
    "text,where",
    [
        pytest.param("openapi: 3.0.1\npaths:\n  /a\x00: {}\n", "3:5", id="ascii"),
        pytest.param(
            "openapi: 3.0.1\ninfo: {title: ééé😀}\npaths:\n  /a: {x: \x00}\n",
            "4:11",
            id="after-multibyte",
        ),
    ],
)
@pytest.mark.parametrize("yaml", ["", "libyaml"])
def test_a_nul_byte_in_yaml_is_one_line_with_its_position(
    text: str, where: str, yaml: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("APILINT_YAML", yaml)
    path = tmp_path / "nul.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "lint", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:{where}: error: invalid YAML: unacceptable character #x0000: "
        "control characters are not allowed\n"
    )


def test_a_baseline_nested_100000_deep_is_one_line(tmp_path: Path, capsys) -> None:
    api = tmp_path / "api.yaml"
    api.write_text("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n")
    baseline = tmp_path / "baseline.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000)
    code, out, err = run(capsys, "lint", str(api), "--baseline", str(baseline))
    assert (code, out) == (2, "")
    assert err == f"apilint: {baseline}: not a JSON baseline (nested too deep)\n"


def test_stale_baseline_notes_are_escaped(tmp_path: Path, capsys) -> None:
    api = tmp_path / "api.yaml"
    api.write_text("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n")
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps(
            {
                "version": 1,
                "findings": [
                    {
                        "code": "AGW109\n::error::b",
                        "file": "api.yaml",
                        "pointer": "/x\x1b[2J",
                        "operation": "GET /\r::warning::o",
                        "message": "m",
                    }
                ],
            }
        )
    )
    code, out, err = run(
        capsys, "lint", str(api), "--baseline", str(baseline), "--select", "AGW001"
    )
    assert (code, out) == (0, "")
    assert err == (
        "api.yaml: note: baseline entry no longer found: AGW109\\n::error::b at "
        "/x\\x1b[2J (GET /\\r::warning::o); refresh the baseline with "
        "`apilint baseline`\n"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_contract_findings_and_notes_go_through_the_same_escaping(fmt: str, capsys) -> None:
    # `apilint test` reports through commands.lint.report: a server's answer quoted in a
    # finding, and its notes on stderr, meet the same sinks as lint findings.
    from apilint.commands.lint import report
    from apilint.common.findings import FileResult, Finding, Severity, Span

    answer = "status 500: \r\x1b[2K::error file=s::server\n<h1>x</h1>"
    finding = Finding(
        "AGW901",
        "contract-check",
        Severity.WARNING,
        f"GET /a answered {answer}",
        "api.yaml",
        "/paths/~1a/get",
        Span(3, 5, 3, 9),
        "GET /a",
    )
    code = report(
        [FileResult("api.yaml", findings=[finding])],
        ["warning"],
        [(fmt, None)],
        False,
        False,
        [f"apilint: note: {answer}"],
    )
    out, err = capsys.readouterr()
    assert code == 1
    assert_inert(fmt, out)
    assert_inert("text", err)
    assert err == ("apilint: note: status 500: \\r\\x1b[2K::error file=s::server\\n<h1>x</h1>\n")
    if fmt == "markdown":
        assert "<h1" not in markdown_html(out)
    if fmt == "html":
        assert html_tags(out).count("h1") == 1


def test_audit_summary_shows_hostile_api_names_escaped() -> None:
    # An account's API names and the messages about their definitions are input too.
    from apilint.aws.audit import Exported
    from apilint.aws.export import DeployedApi
    from apilint.commands.aws import summary

    api = DeployedApi("a1", "::error::x\x1b[2J\n##[add-mask]y", "rest", "us-east-1", "prod")
    table = summary([Exported(api, None, "denied \r::warning::z")], [])
    assert table.splitlines()[1] == (
        r"./::error::x\x1b[2J\n#\x23[add-mask]y (a1, REST)  "
        r"us-east-1  prod   -       -         export failed: "
        r"denied \r::warning::z"
    )
    assert_inert("text", table)


@pytest.mark.parametrize("yaml", ["", "libyaml"])
def test_a_surrogate_escape_in_yaml_is_one_line_with_its_position(
    yaml: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    # rapidyaml used to turn it into bytes that are not UTF-8 and lose every position (1:1).
    monkeypatch.setenv("APILINT_YAML", yaml)
    path = tmp_path / "surrogate.yaml"
    path.write_text(
        'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths:\n  "/x\\ud800":\n'
        '    get: {responses: {"200": {description: ok}}}\n',
        encoding="utf-8",
    )
    code, out, err = run(capsys, "lint", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"{path}:4:8: error: invalid YAML: while parsing a quoted scalar found "
        "invalid Unicode character escape code\n"
    )


@pytest.mark.parametrize(
    "file",
    ["", ":", "::", " :", "##", "#", "a\x1b.json", "::error::x.json", "x##[y.json", "ok.yaml"],
)
def test_text_header_shows_the_file_as_the_whole_line_would(file: str) -> None:
    from apilint.common import escape
    from apilint.common.findings import Finding, Severity, Span
    from apilint.report.text import header

    f = Finding("AGW403", "name", Severity.ERROR, "m\x1b", file, "/p", Span(12, 3, 12, 9))
    shown = f"{escape.terminal_line(f'{file}:12:3:')} AGW403 [error] m\\x1b"
    assert header(f, colour=False) == shown


@pytest.mark.parametrize(
    "code",
    ["AGW301", "acme/lambda-x", "a.b:c,d=e+f%g@h_1", "", "a b", "$(id)", "it's", "é", "x;y"],
)
def test_the_explain_hint_quotes_a_code_as_shlex_does(code: str) -> None:
    # Codes a shell reads as one word are written without shlex (its import is start-up time).
    import shlex

    from apilint.common.escape import visible
    from apilint.report.text import _explain_plain

    assert _explain_plain(code) == visible(shlex.join(["apilint", "explain", code]))
