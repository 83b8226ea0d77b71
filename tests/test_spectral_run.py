"""`apilint lint --ruleset` and the configuration key `ruleset`, in-process: findings at
Spectral's places, notes for what is not run, usage errors for malformed rulesets, Spectral's
field and message semantics in the declarative engine."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
from helpers import ROOT, run

DATA = ROOT / "tests" / "data" / "spectral"
RULESET = DATA / "ruleset.yaml"

#: What the real Spectral CLI reports on petstore-oas3.yaml with RULESET (tests/test_spectral.py
#: checks it against the CLI), less the two rules apilint does not run.
OAS3_PAIRS = {
    ("info-contact", 2),
    ("info-version-semver", 4),
    ("tags-alphabetical", 5),
    ("operation-id-camel", 11),
    ("summary-short", 12),
    ("parameter-schema-or-content", 15),
    ("parameter-schema-or-content", 23),
    ("response-description-defined", 28),
    ("no-plain-http-backend", 33),
    ("deprecated-operation-explained", 34),
    ("operation-documented", 34),
    ("operation-operationId", 34),
    ("operation-not-deprecated", 35),
    ("operation-tag-defined", 36),
    ("no-apigateway-auth-extension", 40),
    ("path-kebab-case", 46),
    ("path-kebab-case", 57),
    ("operation-id-camel", 59),
    ("operation-not-deprecated", 60),
    ("no-plain-http-backend", 69),
}


def _spectral_findings(out: str) -> list[dict]:
    return [f for f in json.loads(out)["results"] if f["code"].startswith("spectral/")]


def _pairs(out: str) -> set[tuple[str, int]]:
    return {(f["code"].removeprefix("spectral/"), f["line"]) for f in _spectral_findings(out)}


def _lint_json(
    capsys: pytest.CaptureFixture[str], ruleset: Path, *paths: Path
) -> tuple[int, str, str]:
    return run(capsys, "lint", "-f", "json", "--ruleset", str(ruleset), *map(str, paths))


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


#: A ruleset of one rule: the API names a contact (line 2 of API).
CONTACT = (
    "rules:\n  info-contact:\n    given: $.info\n    then: {field: contact, function: truthy}\n"
)

API = """\
openapi: 3.0.1
info:
  title: Pets
  version: 1.0.0
paths:
  /a/{id}:
    get:
      responses:
        "200":
          description: ok
"""


def test_ruleset_findings_at_spectrals_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _lint_json(capsys, RULESET, DATA / "petstore-oas3.yaml")
    assert code == 1
    assert _pairs(out) == OAS3_PAIRS


def test_refs_are_followed_as_spectral_follows_them(capsys: pytest.CaptureFixture[str]) -> None:
    """Reached through a $ref, a node is reported once, where it is written; a rule with
    `resolved: false` reads the $refs themselves (the real CLI agrees: test_spectral.py)."""
    _, out, _ = _lint_json(capsys, RULESET, DATA / "refs-oas3.yaml")
    assert _pairs(out) == {
        ("parameter-named-as-written", 14),
        ("parameter-named-as-written", 15),
        ("parameter-named-as-written", 33),
        ("parameter-schema-or-content", 44),  # the parameter both operations refer to
        ("response-description-defined", 50),  # the response both operations refer to
        ("schema-property-typed", 56),  # circular: parent is Order itself
        ("schema-property-typed", 58),  # circular: Lines refers back to Order
        ("schema-property-typed", 63),
        ("schema-property-typed", 67),  # note, resolved: Note has no type
    }


def test_severities_map_and_messages_fill_placeholders(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _lint_json(capsys, RULESET, DATA / "petstore-swagger.json")
    found = {(f["code"], f["line"]): f for f in _spectral_findings(out)}
    # error, warn, info as they are; the override for *.json makes summary-short an error.
    assert found[("spectral/https-only", 8)]["severity"] == "error"
    assert found[("spectral/path-kebab-case", 58)]["severity"] == "warning"
    assert found[("spectral/tags-alphabetical", 9)]["severity"] == "info"
    assert found[("spectral/summary-short", 29)]["severity"] == "error"
    # Spectral's own words, placeholders filled in as Spectral fills them.
    assert found[("spectral/https-only", 8)]["message"] == "http is not an allowed scheme"
    assert (
        found[("spectral/operation-tag-defined", 44)]["message"]
        == "#/paths/~1pets~1%7BpetId%7D~1vaccinations/get/tags has no tags"
    )
    assert (
        found[("spectral/operation-operationId", 59)]["message"]
        == "Every operation has an operationId. (#/paths/~1Admin/options)"
    )
    assert found[("spectral/summary-short", 29)]["message"] == (
        '"summary" property must be shorter than 30'
    )
    assert found[("spectral/path-kebab-case", 58)]["pointer"] == "/paths/~1Admin"


def test_hint_is_info(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = _lint_json(capsys, RULESET, DATA / "petstore-oas3.yaml")
    (hint,) = [
        f for f in _spectral_findings(out) if f["code"] == "spectral/no-apigateway-auth-extension"
    ]
    assert hint["severity"] == "info"


def test_rules_not_run_are_listed_once_on_stderr_and_in_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    files = [DATA / "petstore-oas3.yaml", DATA / "petstore-swagger.json"]
    _, out, err = _lint_json(capsys, RULESET, *files)
    notes = [line for line in err.splitlines() if ": note: " in line]
    assert notes == [
        "tests/data/spectral/ruleset.yaml: note: Spectral rule 'few-paths' is not run: it calls "
        "the custom JavaScript function 'operation-count'",
        "tests/data/spectral/ruleset.yaml: note: Spectral rule 'internal-operations-use-iam' is "
        'not run: apilint cannot read its JSONPath "$.paths[*][?(@.tags && '
        "@.tags.indexOf('internal') !== -1)]\" (unexpected token '=')",
    ]
    assert [(n["file"], n["rule"]) for n in json.loads(out)["notes"]] == [
        ("tests/data/spectral/ruleset.yaml", "few-paths"),
        ("tests/data/spectral/ruleset.yaml", "internal-operations-use-iam"),
    ]


def test_spectral_oas_is_a_note_pointing_at_the_built_in_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _write(tmp_path, "api.yaml", API)
    ruleset = _write(
        tmp_path,
        ".spectral.yaml",
        "extends: [spectral:oas, 'https://example.com/team.yaml']\n" + CONTACT,
    )
    _, out, err = _lint_json(capsys, ruleset, api)
    assert _pairs(out) == {("info-contact", 2)}
    notes = [line for line in err.splitlines() if ": note: " in line]
    assert len(notes) == 2
    assert "spectral:oas" in notes[0] and "is not reimplemented" in notes[0]
    assert "apilint rules" in notes[0]
    assert "https://example.com/team.yaml" in notes[1] and "not fetched" in notes[1]


def test_the_configuration_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = _write(tmp_path, "apis/api.yaml", API)
    _write(
        tmp_path,
        "lint/.spectral.yaml",
        "rules:\n  info-contact:\n    severity: error\n    given: $.info\n"
        "    then: {field: contact, function: truthy}\n",
    )
    _write(tmp_path, ".apilint.toml", 'ruleset = "lint/.spectral.yaml"\n')
    code, out, _ = run(capsys, "lint", "-f", "json", str(api))
    assert code == 1
    assert _pairs(out) == {("info-contact", 2)}


def test_a_configured_ruleset_stays_in_the_configurations_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _write(tmp_path, "repo/api.yaml", API)
    _write(tmp_path, "elsewhere.yaml", "rules: {}\n")
    _write(tmp_path, "repo/.apilint.toml", 'ruleset = "../elsewhere.yaml"\n')
    code, out, err = run(capsys, "lint", str(api))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "ruleset: '../elsewhere.yaml' lies outside" in err


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        pytest.param(
            "given: $.info\n    then: {function: nonesuch}", "then.function", id="unknown-function"
        ),
        pytest.param(
            "given: $.info\n    then: {function: length, functionOptions: {max: many}}",
            "then.functionOptions",
            id="option-type",
        ),
        pytest.param(
            "given: $.info\n    then: {function: truthy, functionOptions: {a: 1}}",
            "then.functionOptions",
            id="options-for-none",
        ),
        pytest.param(
            "severity: loud\n    given: $.info\n    then: {function: truthy}",
            "severity",
            id="severity",
        ),
    ],
)
def test_a_malformed_rule_is_one_line_naming_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rule: str, field: str
) -> None:
    api = _write(tmp_path, "api.yaml", API)
    ruleset = _write(tmp_path, "r.yaml", f"rules:\n  broken:\n    {rule}\n")
    code, out, err = run(capsys, "lint", "--ruleset", str(ruleset), str(api))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{ruleset}: rules.broken.{field}" in err


def test_invalid_yaml_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    api = _write(tmp_path, "api.yaml", API)
    ruleset = _write(tmp_path, "r.yaml", "rules: [\n")
    code, _, err = run(capsys, "lint", "--ruleset", str(ruleset), str(api))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"apilint: {ruleset}:2: invalid ruleset: invalid YAML: ")


def test_a_repeated_key_in_a_ruleset_is_refused_where_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A YAML parser keeps one of two `given`s without a word: the rule would run on what its
    author did not read last."""
    api = _write(tmp_path, "api.yaml", API)
    text = "rules:\n  a:\n    given: $.info\n    given: $.paths\n    then: {field: x, function: truthy}\n"
    ruleset = _write(tmp_path, "r.yaml", text)
    code, _, err = run(capsys, "lint", "--ruleset", str(ruleset), str(api))
    assert (code, err) == (2, f"apilint: {ruleset}:4: invalid ruleset: duplicate key 'given'\n")


def test_x_apilint_ignore_silences_a_spectral_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _write(
        tmp_path,
        "api.yaml",
        API.replace("info:\n", "info:\n  x-apilint-ignore: spectral/info-contact\n"),
    )
    ruleset = _write(
        tmp_path,
        "r.yaml",
        CONTACT
        + "  title-short:\n    given: $.info.title\n    then: {function: length, functionOptions: {max: 2}}\n",
    )
    _, out, _ = _lint_json(capsys, ruleset, api)
    assert _pairs(out) == {("title-short", 4)}


@pytest.mark.parametrize(
    ("then", "given", "pairs"),
    [
        # @key: each member name of the node, at the member (Spectral's getLintTargets).
        pytest.param(
            "{field: '@key', function: pattern, functionOptions: {match: '^/[a-z]+$'}}",
            "$.paths",
            {("r", 6)},
            id="key",
        ),
        # A field of a value that is no object: the function gets the value itself.
        pytest.param(
            "{field: nonesuch, function: length, functionOptions: {max: 2}}",
            "$.info.title",
            {("r", 3)},
            id="field-of-a-string",
        ),
        # A field JSONPath that finds nothing: the function runs once on undefined.
        pytest.param(
            "{field: '$.nonesuch', function: defined}",
            "$.info",
            {("r", 2)},
            id="field-path-finds-nothing",
        ),
    ],
)
def test_spectral_field_semantics(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], then: str, given: str, pairs: set
) -> None:
    api = _write(tmp_path, "api.yaml", API)
    ruleset = _write(tmp_path, "r.yaml", f"rules:\n  r:\n    given: {given}\n    then: {then}\n")
    _, out, _ = _lint_json(capsys, ruleset, api)
    assert _pairs(out) == pairs


def test_a_rule_pack_ships_a_ruleset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".git").mkdir()
    api = _write(tmp_path, "api.yaml", API)
    _write(
        tmp_path,
        "packs/acme/.spectral.yaml",
        CONTACT,
    )
    _write(tmp_path, "packs/acme/apilint.toml", 'ruleset = ".spectral.yaml"\n')
    _write(tmp_path, ".apilint.toml", 'extend = ["./packs/acme"]\n')
    _, out, _ = run(capsys, "lint", "-f", "json", str(api))
    assert _pairs(out) == {("info-contact", 2)}
    # --ignore names a Spectral rule like any other.
    _, out, _ = run(capsys, "lint", "-f", "json", "--ignore", "spectral/info-contact", str(api))
    assert _pairs(out) == set()


def test_the_configuration_regrades_and_ignores_spectral_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _write(tmp_path, "api.yaml", API)
    _write(
        tmp_path,
        ".spectral.yaml",
        CONTACT + "  title-short:\n    given: $.info.title\n"
        "    then: {function: length, functionOptions: {max: 2}}\n",
    )
    _write(
        tmp_path,
        ".apilint.toml",
        'ruleset = ".spectral.yaml"\nignore = ["spectral/title-short"]\n'
        '[severity]\n"spectral/info-contact" = "error"\n',
    )
    code, out, _ = run(capsys, "lint", "-f", "json", "--select", "AGW0", str(api))
    assert code == 1  # info-contact, a warning in the ruleset, is an error here
    assert [(f["code"], f["line"], f["severity"]) for f in _spectral_findings(out)] == [
        ("spectral/info-contact", 2, "error")
    ]


def test_a_spectral_rule_named_without_its_prefix_is_suggested_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _write(tmp_path, "api.yaml", API)
    text = (
        "rules:\n  info-contact:\n    given: $.info\n    then: {field: contact, function: truthy}\n"
    )
    ruleset = _write(tmp_path, "r.yaml", text)
    code, _, err = run(
        capsys, "lint", "--ruleset", str(ruleset), str(api), "--select", "info-contact"
    )
    assert (code, err) == (
        2,
        "apilint: unknown rule 'info-contact'; did you mean spectral/info-contact?\n",
    )


def test_the_explain_hint_of_a_ruleset_rule_is_a_command_that_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "api.yaml", API)
    text = (
        "rules:\n  info-contact:\n    description: Info must have a contact\n"
        "    given: $.info\n    then: {field: contact, function: truthy}\n"
    )
    _write(tmp_path, "my rules.yaml", text)
    args = ("lint", "--ruleset", "my rules.yaml", "api.yaml", "--select", "spectral/info-contact")
    _, out, _ = run(capsys, *args)
    hints = [line for line in out.splitlines() if "= explain:" in line]
    assert hints == ["  = explain: apilint explain spectral/info-contact --ruleset 'my rules.yaml'"]
    code, page, _ = run(capsys, "explain", "spectral/info-contact", "--ruleset", "my rules.yaml")
    assert code == 0 and page.startswith("spectral/info-contact spectral/info-contact [warning]")
    assert "Info must have a contact" in page
    # without its ruleset, explain cannot know the rule
    assert run(capsys, "explain", "spectral/info-contact")[0] == 2


def test_the_explain_hint_quotes_a_rule_name_a_shell_would_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Spectral rule's name is the ruleset's text (it arrives with a pull request): pasted
    into a shell, the hint runs apilint and nothing else."""
    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "api.yaml", API)
    name = "x;touch${IFS}pwned;#"
    ruleset = {
        "rules": {name: {"given": "$.info", "then": {"field": "contact", "function": "truthy"}}}
    }
    _write(tmp_path, "r.json", json.dumps(ruleset))
    _, out, _ = run(capsys, "lint", "--ruleset", "r.json", "api.yaml")
    hints = [line for line in out.splitlines() if "= explain: apilint explain 'spectral/" in line]
    assert hints == [
        f"  = explain: apilint explain {shlex.quote('spectral/' + name)} --ruleset r.json"
    ]
    assert shlex.split(hints[0].split("explain: ", 1)[1]) == [
        "apilint",
        "explain",
        f"spectral/{name}",
        "--ruleset",
        "r.json",
    ]


def test_explain_shows_a_ruleset_rules_text_without_running_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ruleset's text (a pull request's) reaches the terminal and CI logs through explain:
    no escape sequence, no workflow command."""
    monkeypatch.chdir(tmp_path)
    name = "abcdefgh\n::error::x\x1b[31m"
    rule = {"description": "d\n::warning::y", "given": "$.info", "then": {"function": "truthy"}}
    _write(tmp_path, "r.json", json.dumps({"rules": {name: rule}}))
    code, page, _ = run(capsys, "explain", f"spectral/{name}", "--ruleset", "r.json")
    assert code == 0 and "\x1b" not in page
    assert not [line for line in page.splitlines() if line.startswith("::")]
    code, _, err = run(capsys, "explain", "spectral/abcdefgh", "--ruleset", "r.json")
    assert code == 2 and "\x1b" not in err and "\n::error" not in err


def test_a_documentation_url_with_a_lone_surrogate_is_a_sarif_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    api = _write(tmp_path, "api.yaml", API)
    text = (
        '{"rules": {"info-contact": {"documentationUrl": "https://example.com/a\\ud800",'
        ' "given": "$.info", "then": {"field": "contact", "function": "truthy"}}}}'
    )
    ruleset = _write(tmp_path, "r.json", text)
    code, out, err = run(
        capsys, "lint", "--ruleset", str(ruleset), str(api), "-f", "sarif", "--fail-on", "never"
    )
    assert (code, err) == (0, "")
    [descriptor] = [
        d
        for d in json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
        if d["id"] == "spectral/info-contact"
    ]
    assert descriptor["helpUri"] == "https://example.com/a%ED%A0%80"
