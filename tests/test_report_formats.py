"""The CI output formats: sarif, junit, github, markdown (apilint/report/*.py)."""

from __future__ import annotations

import dataclasses
import json
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from helpers import FIXTURES, PITFALL_ALL, PITFALL_RULES, PITFALLS, ROOT, rendered, require_tool

from apilint.catalog.registry import find_rule
from apilint.cli import main
from apilint.common.escape import github_data, github_property
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.engine.run import Settings, lint_path
from apilint.report import github, junit, markdown, sarif

SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.json"
MULTITOOL_VERSION = "5.7.0"
MULTITOOL = ROOT / ".ci" / "tools" / "node_modules" / ".bin" / "sarif-multitool"
RULE_DIRS = sorted(p for p in (FIXTURES / "rules").iterdir() if p.is_dir())
#: What pitfalls.yaml shows off. Exact-output tests select these, so rules added to the catalog
#: later do not change them; the validity tests run every rule.
SELECT = ("--select", ",".join(PITFALL_RULES))
#: (code, line) of each finding in pitfalls.yaml, in report order.
PITFALL_FINDINGS = [
    ("AGW302", 4),
    ("AGW501", 7),
    ("AGW301", 8),
    ("AGW201", 10),
    ("AGW402", 21),
    ("AGW401", 22),
]


def lint(*paths: Path | str, every_rule: bool = False) -> list[FileResult]:
    # with fixes, as the CLI computes them for SARIF output
    settings = Settings(fixes=True) if every_rule else Settings(select=PITFALL_RULES, fixes=True)
    return [r for p in paths for r in lint_path(str(p), settings)]


def definitions(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json", ".tf"))


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text("openapi: 3.0.1\npaths: [\n")
    return path


@pytest.fixture
def not_an_api(tmp_path: Path) -> Path:
    path = tmp_path / "docker-compose.yml"
    path.write_text("services:\n  web: {image: nginx}\n")
    return path


# --- sarif -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def sarif_findings(log: dict) -> list[tuple[str, int]]:
    return [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in log["runs"][0]["results"]
    ]


def assert_valid_sarif(log: dict, validator: jsonschema.protocols.Validator) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(log)
    ]
    assert errors == []
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        where = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert "\\" not in where["uri"]
        assert where.get("uriBaseId") == "%SRCROOT%" and not where["uri"].startswith("/")


@pytest.mark.parametrize("folder", [pytest.param(d, id=d.name) for d in RULE_DIRS])
def test_sarif_of_rule_fixtures_is_valid(folder: Path, sarif_validator, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    results = lint(*(p.relative_to(ROOT) for p in definitions(folder)), every_rule=True)
    log = sarif.build_log(results)
    assert_valid_sarif(log, sarif_validator)
    assert sarif_findings(log) == [(f.code, f.line) for r in results for f in r.findings]


def test_sarif_of_pitfalls_load_error_and_skipped_file(
    sarif_validator, broken: Path, not_an_api: Path, monkeypatch
) -> None:
    monkeypatch.chdir(ROOT)
    log = sarif.build_log(lint(PITFALLS.relative_to(ROOT), broken, not_an_api))
    assert_valid_sarif(log, sarif_validator)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "apilint" and driver["version"] and driver["informationUri"]
    assert [r["id"] for r in driver["rules"]] == sorted(r["id"] for r in driver["rules"])
    assert {r["ruleId"] for r in run["results"]} == {r["id"] for r in driver["rules"]}

    first = run["results"][0]
    assert first["ruleId"] == "AGW302" and first["level"] == "warning"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "fixtures/examples/pitfalls.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 4, "startColumn": 1, "endLine": 5, "endColumn": 16},
    }
    assert "logicalLocations" not in first["locations"][0]  # no operation: a root-level finding
    op = next(r for r in run["results"] if r["ruleId"] == "AGW402")
    assert op["locations"][0]["logicalLocations"] == [{"name": "GET /orders", "kind": "function"}]
    assert op["level"] == "warning" and "httpMethod 'GET'" in op["message"]["text"]
    assert next(r for r in run["results"] if r["ruleId"] == "AGW401")["level"] == "error"

    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["error", "note"]
    error = notes[0]["locations"][0]["physicalLocation"]
    assert error["artifactLocation"]["uri"] == broken.as_uri()  # outside the working directory
    assert error["region"] == {"startLine": 3, "startColumn": 1}
    assert notes[0]["message"]["text"].startswith("invalid YAML")


def test_sarif_fixes_are_replacements_that_apply_to_the_file(sarif_validator, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    pitfalls = PITFALLS.relative_to(ROOT)
    log = sarif.build_log(lint(pitfalls))
    assert not list(sarif_validator.iter_errors(log))
    with_fixes = [r for r in log["runs"][0]["results"] if "fixes" in r]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in with_fixes
    ] == [("AGW501", 7), ("AGW402", 21)]
    # the example returns no origin: the preflight fix would invent '*'
    assert [r["fixes"][0]["properties"]["applicability"] for r in with_fixes] == [
        "unsafe",
        "safe",
    ]
    (fix,) = with_fixes[1]["fixes"]
    assert fix["properties"] == {"applicability": "safe"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": str(pitfalls), "uriBaseId": "%SRCROOT%"}
    text = pitfalls.read_text()
    for replacement in reversed(change["replacements"]):
        region = replacement["deletedRegion"]
        start, end = region["charOffset"], region["charOffset"] + region["charLength"]
        text = text[:start] + replacement.get("insertedContent", {}).get("text", "") + text[end:]
    assert text == pitfalls.read_text().replace("httpMethod: GET", "httpMethod: POST", 1)


def test_sarif_rule_descriptors_come_from_metadata(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    log = sarif.build_log(lint(PITFALLS.relative_to(ROOT)))
    descriptors = {d["id"]: d for d in log["runs"][0]["tool"]["driver"]["rules"]}
    for code, d in descriptors.items():
        rule = find_rule(code)
        assert d["name"] == rule.name
        assert d["shortDescription"]["text"] == rule.summary
        assert d["fullDescription"]["text"] == rule.rationale
        assert d["help"]["text"].startswith(rule.fix)
        assert f"[{rule.references[0].title}]({rule.references[0].url})" in d["help"]["markdown"]
        # the rule's own page, which links its references in turn
        assert d["helpUri"] == (
            f"https://github.com/apilint/apilint/blob/main/docs/rules/{rule.name}.md"
        )
        assert (ROOT / "docs" / "rules" / f"{rule.name}.md").is_file()
        assert (
            d["defaultConfiguration"]["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[str(rule.severity)]
        )
        tags = d["properties"]["tags"]
        assert rule.category in tags and set(rule.tags) <= set(tags)
        if rule.category == "security":
            assert "security" in tags
            assert 0 < float(d["properties"]["security-severity"]) <= 10
        else:
            assert "security-severity" not in d["properties"]
    assert descriptors["AGW301"]["properties"]["security-severity"] == "5.5"  # a warning


def test_sarif_for_a_rule_outside_the_catalog_is_still_valid(sarif_validator) -> None:
    odd = Finding(
        "XYZ999",
        "plugin-rule",
        Severity.INFO,
        "from a plugin",
        "api.yaml",
        "/info",
        Span(2, 1, 2, 5),
    )
    log = sarif.build_log([FileResult("api.yaml", findings=[odd])])
    assert_valid_sarif(log, sarif_validator)
    assert log["runs"][0]["tool"]["driver"]["rules"] == [
        {"id": "XYZ999", "name": "plugin-rule", "defaultConfiguration": {"level": "note"}}
    ]


def test_sarif_uris_are_relative_with_forward_slashes(tmp_path: Path) -> None:
    cwd = str(tmp_path)
    inside = str(tmp_path / "specs" / "my api.yaml")
    assert sarif.artifact_location(inside, cwd) == {
        "uri": "specs/my%20api.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert sarif.artifact_location("./specs/a.yaml", cwd) == {
        "uri": "specs/a.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    outside = tmp_path.parent / "elsewhere.yaml"
    assert sarif.artifact_location(str(outside), cwd) == {"uri": outside.as_uri()}
    assert sarif.artifact_location("../elsewhere.yaml", cwd) == {"uri": outside.as_uri()}
    log = sarif.build_log([], cwd)
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"


def fingerprints(log: dict) -> dict[tuple[str, str], tuple[str, int]]:
    out = {}
    for r in log["runs"][0]["results"]:
        key = (r["ruleId"], r["properties"]["pointer"])
        out[key] = (
            r["partialFingerprints"]["apilint/v1"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
    return out


def test_fingerprints_survive_shifted_lines_and_differ_by_pointer(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    copy = tmp_path / "api.yaml"
    text = PITFALLS.read_text()
    copy.write_text(text)
    before = fingerprints(sarif.build_log(lint("api.yaml")))
    copy.write_text("# a comment pushed in at the top\n\n\n" + text)
    after = fingerprints(sarif.build_log(lint("api.yaml")))
    assert sorted(code for code, _ in before) == sorted(PITFALL_RULES)
    assert before.keys() == after.keys()
    for key in before:
        assert after[key][1] == before[key][1] + 3  # the lines moved ...
        assert after[key][0] == before[key][0]  # ... and the fingerprints did not
    assert len({fp for fp, _ in before.values()}) == len(before)
    assert sarif.fingerprint("AGW301", "api.yaml", "/paths/~1a/get") != sarif.fingerprint(
        "AGW301", "api.yaml", "/paths/~1b/get"
    )
    assert sarif.fingerprint("AGW301", "a.yaml", "/p") != sarif.fingerprint(
        "AGW301", "b.yaml", "/p"
    )


def test_an_end_before_the_start_is_dropped(sarif_validator) -> None:
    # A mapping that ends in a YAML alias gets the end of the anchored node, earlier in the file.
    odd = Finding(
        "AGW301",
        "method-unauthenticated",
        Severity.WARNING,
        "m",
        "api.yaml",
        "/p",
        Span(44, 5, 11, 138),
    )
    log = sarif.build_log([FileResult("api.yaml", findings=[odd])])
    assert_valid_sarif(log, sarif_validator)
    where = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert where["region"] == {"startLine": 44, "startColumn": 5}
    assert rendered(github, [FileResult("api.yaml", findings=[odd])]) == (
        "::warning file=api.yaml,line=44,col=5,title=AGW301 method-unauthenticated::m\n"
    )


def test_repeated_findings_on_one_node_get_distinct_fingerprints() -> None:
    twice = [
        Finding(
            "AGW401", "lambda-uri-invalid", Severity.ERROR, m, "api.yaml", "/x", Span(1, 1, 1, 2)
        )
        for m in ("first", "second")
    ]
    results = sarif.build_log([FileResult("api.yaml", findings=twice)])["runs"][0]["results"]
    fps = [r["partialFingerprints"]["apilint/v1"] for r in results]
    assert fps[0] == sarif.fingerprint("AGW401", "api.yaml", "/x") and fps[0] != fps[1]


@pytest.mark.slow  # the SARIF Multitool, a .NET binary: ~30 s
def test_sarif_multitool_validates_the_output(tmp_path: Path, broken: Path, monkeypatch) -> None:
    require_tool(
        MULTITOOL.exists(),
        f"the SARIF Multitool ({MULTITOOL})",
        "npm install --prefix .ci/tools --no-save --no-audit --no-fund "
        f"@microsoft/sarif-multitool@{MULTITOOL_VERSION}",
    )
    monkeypatch.chdir(ROOT)
    paths = [PITFALLS.relative_to(ROOT)] + [
        p.relative_to(ROOT) for d in RULE_DIRS for p in definitions(d)
    ]
    log = tmp_path / "apilint.sarif"
    built = sarif.build_log(lint(*paths, broken, every_rule=True))
    fixed = {r["ruleId"] for r in built["runs"][0]["results"] if r.get("fixes")}
    # the fixtures hold fixable findings of most fixable rules: the Multitool checks their fixes
    assert {"AGW402", "AGW452", "AGW414", "AGW503"} <= fixed, fixed
    log.write_text(json.dumps(built))
    report = tmp_path / "validation.sarif"
    # The npm wrapper (bin.js) hands its arguments to /bin/sh unquoted, hence shlex.quote.
    # "Gh" adds the checks for what GitHub code scanning requires on top of the SARIF spec.
    argv = [str(MULTITOOL), "validate", "--rule-kind", "Sarif;Gh", "-o", str(report), str(log)]
    done = subprocess.run(
        [argv[0], *map(shlex.quote, argv[1:])], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert report.exists(), f"the Multitool wrote no report:\n{done.stdout}{done.stderr}"
    problems = [
        f"{r.get('level', 'warning')} {r['ruleId']}: {r['message']}"
        for run in json.loads(report.read_text(encoding="utf-8-sig"))["runs"]
        for r in run.get("results", [])
    ]
    assert problems == [], done.stdout  # the console output has the messages spelled out


# --- junit -----------------------------------------------------------------------------------


def test_junit_one_suite_per_file(broken: Path, not_an_api: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    clean = Path("fixtures/clean/rest-oas3.yaml")
    pitfalls = PITFALLS.relative_to(ROOT)
    xml = rendered(junit, lint(pitfalls, clean, broken, not_an_api))
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "9",
        "failures": "6",
        "errors": "1",
        "skipped": "1",
    }
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        str(pitfalls),
        str(clean),
        str(broken),
        str(not_an_api),
    ]

    bad = suites[0]
    assert {k: bad.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "6",
        "failures": "6",
        "errors": "0",
        "skipped": "0",
    }
    cases = bad.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "AGW302 root-security-ignored at 4:1",
        "AGW501 cors-preflight-missing at 7:3",
        "AGW301 method-unauthenticated at 8:5",
        "AGW201 nested-query-parameter at 10:11",
        "AGW402 lambda-http-method-not-post at 21:9",
        "AGW401 lambda-uri-invalid at 22:9",
    ]
    assert {c.get("classname") for c in cases} == {str(pitfalls)}
    failure = cases[4].find("failure")
    assert failure is not None and failure.get("type") == "warning"
    assert failure.get("message", "").startswith("the Lambda integration of GET /orders uses")
    assert f"fix: {find_rule('AGW402').fix}" in (failure.text or "")
    assert cases[1].find("failure").get("type") == "warning"  # type: ignore[union-attr]
    assert cases[5].find("failure").get("type") == "error"  # type: ignore[union-attr]

    passing = suites[1].findall("testcase")
    assert len(passing) == 1 and list(passing[0]) == [] and suites[1].get("tests") == "1"

    load = suites[2].findall("testcase")
    assert [c.get("name") for c in load] == ["load"]
    error = load[0].find("error")
    assert error is not None and error.get("message", "").startswith("invalid YAML")
    assert suites[2].get("errors") == "1"

    skipped = suites[3].findall("testcase")
    assert len(skipped) == 1 and skipped[0].find("skipped") is not None
    assert suites[3].get("skipped") == "1"


def test_junit_shows_control_characters_xml_forbids() -> None:
    odd = Finding(
        "AGW201",
        "nested-query-parameter",
        Severity.WARNING,
        "bad \x01 <name> & co\n\ud800",
        "api\x1b.yaml",
        "/p\x00",
        Span(1, 1, 1, 2),
    )
    text = rendered(junit, [FileResult("api\x1b.yaml", findings=[odd])])
    failure = ET.fromstring(text).find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bad \\x01 <name> & co\\n\\ud800"
    assert failure.text == (
        "api\\x1b.yaml:1:1: AGW201 [warning] bad \\x01 <name> & co\\n\\ud800\n"
        "pointer: /p\\x00\n"
        "fix: " + find_rule("AGW201").fix
    )


# --- github ----------------------------------------------------------------------------------


def test_github_workflow_commands(broken: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    lines = rendered(github, lint(PITFALLS, broken)).splitlines()  # absolute: made relative
    assert lines[0] == (
        "::warning file=fixtures/examples/pitfalls.yaml,line=4,col=1,endLine=5,endColumn=16,"
        "title=AGW302 root-security-ignored::root-level `security` is ignored by API Gateway "
        "REST APIs: 1 operation(s) rely on it and deploy with no authorization (GET /orders); "
        "repeat the requirement in each operation's `security`"
    )
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::warning",
        "::warning",
        "::warning",
        "::warning",
        "::warning",
        "::error",
        "::error",
    ]
    assert lines[-1] == (
        f"::error file={github_property(str(broken))},line=3,col=1,"
        "title=apilint%3A cannot load file::invalid YAML: while parsing a flow "
        "node did not find expected node content"
    )


def test_github_escaping_matches_actions_core() -> None:
    # Controls are shown first (a newline reads `\n`, as in the text format), then
    # @actions/core's escapeData / escapeProperty apply.
    odd = Finding(
        "AGW999",
        "info-rule",
        Severity.INFO,
        "100% sure:\r\nsecond line, done",
        "specs,v2/a:b\n.yaml",
        "/p",
        Span(1, 2, 3, 4),
    )
    assert rendered(github, [FileResult(odd.file, findings=[odd])]) == (
        "::notice file=specs%2Cv2/a%3Ab\\n.yaml,line=1,col=2,endLine=3,endColumn=4,"
        "title=AGW999 info-rule::100%25 sure:\\r\\nsecond line, done\n"
    )
    assert github_data("a%b:d,e") == "a%25b:d,e"
    assert github_property("a%b:d,e") == "a%25b%3Ad%2Ce"


# --- markdown --------------------------------------------------------------------------------


def test_markdown_summary(broken: Path, not_an_api: Path, monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    clean = Path("fixtures/clean/rest-oas3.yaml")
    text = rendered(markdown, lint(PITFALLS.relative_to(ROOT), clean, broken, not_an_api))
    lines = text.splitlines()
    assert lines[0] == "## apilint"
    assert "Found **6 problems** (1 error, 5 warnings) in 1 of 2 files." in lines
    assert "1 file could not be loaded; 1 file skipped (not an API definition)." in lines
    rules = lines.index("| Code | Rule | Severity | Count |")
    assert lines[rules + 2 : rules + 4] == [
        "| AGW401 | lambda-uri-invalid | error | 1 |",
        "| AGW201 | nested-query-parameter | warning | 1 |",
    ]
    assert (
        "| `fixtures/examples/pitfalls.yaml:21` | AGW402 | warning | the Lambda integration of "
        "GET /orders uses httpMethod 'GET'; Lambda's Invoke API only accepts POST (the "
        "client's method is passed in the event), set httpMethod: POST |" in lines
    )
    assert (
        f"- `{broken}:3:1`: invalid YAML: while parsing a flow node did not find expected "
        "node content" in lines
    )


def test_markdown_clean_run() -> None:
    text = rendered(markdown, lint(*definitions(FIXTURES / "clean")))
    assert text == "## apilint\n\nNo problems found in 3 files.\n"


def test_markdown_escapes_cells_and_caps_rows() -> None:
    def finding(i: int, message: str) -> Finding:
        return Finding(
            "AGW201",
            "nested-query-parameter",
            Severity.WARNING,
            message,
            "a|b.yaml",
            f"/p/{i}",
            Span(i, 1, i, 2),
        )

    results = [
        FileResult(
            "a|b.yaml",
            findings=[
                finding(1, "x | y\nz at <region> in `arn:<region>`"),
                *(finding(i, "m") for i in range(2, 6)),
            ],
        )
    ]
    lines = markdown.lines(results, max_rows=2)
    # Outside code spans every mark that starts markup is backslash-escaped; the message's
    # code span stays one (GitHub drops what looks like an unknown HTML tag, `<region>`).
    first = r"| `a\|b.yaml:1` | AGW201 | warning | x \| y\\nz at \<region\> in `arn:<region>` |"
    assert "| AGW201 | nested-query-parameter | warning | 5 |" in lines
    assert [line for line in lines if line.startswith("| `a")] == [
        first,
        r"| `a\|b.yaml:2` | AGW201 | warning | m |",
    ]
    assert lines[-1] == "… and 3 more (see the full report, e.g. `--format text`)."


# --- the command line ------------------------------------------------------------------------


def test_cli_sarif_to_file_and_text_to_stdout(capsys, tmp_path: Path, sarif_validator) -> None:
    target = tmp_path / "out.sarif"
    code = main(["lint", str(PITFALLS), *SELECT, "--format", f"sarif={target}", "--format", "text"])
    out, _ = capsys.readouterr()
    assert code == 1
    assert out.splitlines()[-1] == "Found 6 problems (1 error, 5 warnings) in 1 file."
    log = json.loads(target.read_text(encoding="utf-8"))
    assert_valid_sarif(log, sarif_validator)
    assert sarif_findings(log) == PITFALL_FINDINGS


def github_codes(out: str) -> list[str]:
    assert out.startswith("::warning file=")
    return re.findall(r"^::\w+ file=.*,title=(\S+) ", out, re.MULTILINE)


def markdown_codes(out: str) -> list[str]:
    assert out.startswith("## apilint\n")
    return re.findall(r"^\| `[^`]*` \| (\S+) \|", out, re.MULTILINE)  # the findings table


@pytest.mark.parametrize(
    "name,codes",
    [
        pytest.param(
            "sarif",
            lambda out: [r["ruleId"] for r in json.loads(out)["runs"][0]["results"]],
            id="sarif",
        ),
        pytest.param(
            "junit",
            lambda out: [c.get("name", "").split()[0] for c in ET.fromstring(out).iter("testcase")],
            id="junit",
        ),
        pytest.param("github", github_codes, id="github"),
        pytest.param("markdown", markdown_codes, id="markdown"),
    ],
)
def test_cli_format_to_stdout(capsys, name: str, codes) -> None:
    code = main(["lint", str(PITFALLS), *SELECT, "--format", name])
    out, _ = capsys.readouterr()
    assert code == 1
    assert codes(out) == [c for c, _ in PITFALL_FINDINGS]


def test_formats_are_imported_only_when_asked_for() -> None:
    probe = (
        "import sys\nfrom apilint.cli import main\n"
        f"main(['lint', {str(PITFALLS)!r}, '-q', *sys.argv[1:]])\n"
        "print('MODULES', ' '.join(m for m in sys.modules if m.startswith('apilint.report')))"
    )

    def loaded(*argv: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *argv], capture_output=True, text=True, cwd=ROOT
        )
        line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES"))
        return {m.rsplit(".", 1)[-1] for m in line.split()[1:] if m.count(".") == 2}

    assert loaded() == {"text"}
    assert loaded("--format", "github") == {"github"}


#: GitLab's documented Code Quality fields (docs.gitlab.com, "Code Quality report format").
GITLAB_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_gitlab_code_quality_from_a_subdirectory(tmp_path: Path, monkeypatch, capsys) -> None:
    import jsonschema
    from helpers import run

    (tmp_path / ".git").mkdir()  # the repository root
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "api.yaml").write_text(PITFALLS.read_text())
    monkeypatch.chdir(infra)  # a CI job with working-directory: infra
    code, out, _ = run(capsys, "lint", "api.yaml", "--format", "gitlab")
    issues = json.loads(out)
    jsonschema.validate(issues, GITLAB_SCHEMA)
    assert code == 1
    found = {
        (
            i["check_name"].split()[0],
            i["location"]["path"],
            i["location"]["lines"]["begin"],
            i["severity"],
        )
        for i in issues
    }
    assert ("AGW401", "infra/api.yaml", 22, "major") in found
    assert ("AGW501", "infra/api.yaml", 7, "minor") in found
    assert {(c, line) for c, _, line, _ in found} == PITFALL_ALL
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    security = {i["check_name"].split()[0] for i in issues if i["categories"] == ["Security"]}
    assert "AGW301" in security and "AGW401" not in security


def test_sarif_and_github_paths_are_relative_to_the_repository_root(
    tmp_path: Path, monkeypatch
) -> None:
    # A CI job with `working-directory: infra` still annotates infra/main.yaml.
    (tmp_path / ".git").mkdir()
    infra = tmp_path / "infra"
    infra.mkdir()
    (infra / "api.yaml").write_text(PITFALLS.read_text())
    monkeypatch.chdir(infra)
    results = lint(Path("api.yaml"))
    log = sarif.build_log(results)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    } == {"infra/api.yaml"}
    annotations = rendered(github, results).splitlines()
    assert annotations and all(
        ",file=infra/api.yaml," in line or " file=infra/api.yaml," in line for line in annotations
    ), annotations[:2]
    # Outside a repository: relative to the working directory, as before.
    (tmp_path / ".git").rmdir()
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in sarif.build_log(results)["runs"][0]["results"]
    }
    assert uris == {"api.yaml"}


def test_help_links_lead_to_pages_that_exist() -> None:
    """Built-in rules link their generated page, contract checks the README's table; a custom
    rule (codes of that form are refused for custom rules) has no apilint page: its help link
    is its first https reference, and with none there is no link at all."""
    builtin = find_rule("AGW402")
    assert sarif.rule_page_url(builtin.code, builtin.name) == (
        "https://github.com/apilint/apilint/blob/main/docs/rules/lambda-http-method-not-post.md"
    )
    assert sarif.rule_page_url("contract/not-a-server-error", "not-a-server-error") == (
        "https://github.com/apilint/apilint#contract-testing-a-deployed-api"
    )
    assert "## Contract testing a deployed API" in (ROOT / "README.md").read_text()
    # a custom rule named like a built-in one gets no link to the built-in page
    custom = dataclasses.replace(builtin, code="acme/lambda-http-method-not-post")
    assert sarif.rule_page_url(custom.code, custom.name) is None
    finding = Finding(
        custom.code, custom.name, Severity.WARNING, "m", "api.yaml", "", Span(1, 1, 1, 2)
    )
    descriptor = sarif._descriptor(finding, custom)
    assert descriptor["helpUri"] == builtin.references[0].url
    plain = dataclasses.replace(
        custom, references=(builtin.references[0]._replace(url="http://x/y"),)
    )
    assert "helpUri" not in sarif._descriptor(finding, plain)


@pytest.mark.parametrize(
    "text",
    [
        'quote " backslash \\ controls \x00\x01\x08\x0c\n\r\t\x1f',
        "DEL \x7f latin é BMP ☃ \u202e astral 😀 \U0010ffff",
        "runner ##[error]x",
        "lone \ud800 surrogate",  # orjson refuses it: the json module writes it
    ],
)
def test_json_document_is_json_dumps_indented(text: str) -> None:
    from apilint.common.escape import json_text
    from apilint.report import json_document

    payload = {
        "results": [{"message": text, text: [1, -2, None, True, False], "empty": [{}, []]}],
        "big": 2**70 if "lone" in text else 7,
        "errors": [],
    }
    assert json_document(payload) == json_text(json.dumps(payload, indent=2))
