"""`apilint test` in CI: its HTML report, choosing checks, explaining them (issue 18). Runs
against the seeded stand-in server of test_contract.py."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_contract import API_KEY, BEARER, BUGS, EXPECTED, SPEC, Server, found, run_json

from apilint.catalog.contract_checks import CONTRACT_CHECKS, PROBES
from apilint.cli import main


class _Report(HTMLParser):
    """What the HTML report draws: the resource tree, the findings under each group heading,
    and the by-category table."""

    def __init__(self) -> None:
        super().__init__()
        self.tree: dict[str, list[str]] = {}  # resource path -> method verbs drawn on it
        self.groups: dict[str, list[str]] = {}  # group heading -> finding codes under it
        self.categories: dict[str, str] = {}  # category -> its findings
        self._path = ""
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "li" and "data-path" in a:  # pre-order: a resource's verbs come before
            self._path = a["data-path"]  # its children
            self.tree[self._path] = []
        elif tag == "span" and "data-method" in a:
            self.tree[self._path].append(a["data-method"])
        elif tag == "h4":
            self._heading = ""
        elif tag == "li" and "data-code" in a:
            self.groups[self._group].append(a["data-code"])
        elif tag == "tr" and "data-category" in a:
            self.categories[a["data-category"]] = a["data-count"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "h4" and self._heading is not None:
            self._group = self._heading.rsplit(" (", 1)[0]  # "GET /pets (1)": less the count
            self.groups[self._group], self._heading = [], None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data


def _html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[str, _Report]:
    page = tmp_path / "report.html"
    with Server(bugs=BUGS) as server:
        code, results, _ = run_json(capsys, server.base_url, "-f", f"html={page}")
    assert code == 1 and found(results) == set(EXPECTED.values())
    report = _Report()
    report.feed(page.read_text())
    return page.read_text(), report


@pytest.mark.contract
def test_html_report_shows_the_api_and_each_finding_under_its_operation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page, report = _html(capsys, tmp_path)
    assert report.tree == {
        "/": [],
        "/files": [],
        "/files/{proxy+}": ["ANY"],
        "/orders": ["GET", "OPTIONS"],
        "/pets": ["GET", "POST", "OPTIONS"],
        "/pets/{petId}": ["GET", "DELETE", "OPTIONS"],
        "/stats": ["GET"],
    }
    assert re.findall(r'<span data-api-kind="(\w*)">([^<]*)</span>([^<]*)</p>', page) == [
        ("rest", "REST API", " · 7 resources · 10 methods · 5 findings")
    ]
    # Every finding in the group of its own operation, and nowhere else.
    assert {(title, code) for title, codes in report.groups.items() for code in codes} == {
        (operation, code) for code, operation in EXPECTED.values()
    }
    assert report.categories == {"contract": "3", "probe": "2"}


@pytest.mark.contract
def test_contract_checks_describe_themselves_in_sarif(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sarif = tmp_path / "report.sarif"
    with Server(bugs={"key-ignored"}) as server:
        run_json(capsys, server.base_url, "--no-fuzz", "-f", f"sarif={sarif}")
    [rule] = json.loads(sarif.read_text())["runs"][0]["tool"]["driver"]["rules"]
    assert (rule["id"], rule["fullDescription"]["text"]) == (
        "probe/api-key-required",
        CONTRACT_CHECKS["probe/api-key-required"].rationale,
    )


@pytest.mark.contract
@pytest.mark.parametrize(
    "args,bugs",
    [
        pytest.param(["--select", "probe/"], {"cors-header", "key-ignored"}, id="prefix"),
        pytest.param(
            ["--select", "probe/cors-preflight,contract/not-a-server-error"],
            {"cors-header", "server-error"},
            id="ids",
        ),
        pytest.param(
            ["--ignore", "probe/cors-preflight", "--ignore", "contract/status"],
            BUGS - {"cors-header", "undocumented-status"},
            id="ignore",
        ),
        pytest.param(
            ["--select", "contract", "--ignore", "contract/not-a-server-error"],
            {"schema-violation", "undocumented-status"},
            id="select-and-ignore",
        ),
    ],
)
def test_select_and_ignore_choose_the_checks(
    capsys: pytest.CaptureFixture[str], args: list[str], bugs: set[str]
) -> None:
    with Server(bugs=BUGS) as server:
        code, results, _ = run_json(capsys, server.base_url, *args)
    assert code == 1 and found(results) == {EXPECTED[bug] for bug in bugs}
    preflights = [r for r in server.requests if r[0] == "OPTIONS" and "origin" in r[2]]
    assert bool(preflights) == ("cors-header" in bugs)  # a probe not chosen sends nothing


@pytest.mark.contract
def test_selecting_only_probes_fuzzes_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with Server(bugs=BUGS) as server:
        _, _, err = run_json(capsys, server.base_url, "--select", "probe/unknown-path")
    # the reachability request and the one probe
    assert [(m, p) for m, p, _, _ in server.requests] == [
        ("GET", "/prod/"),
        ("GET", "/prod/apilint-probe-1"),
    ]
    assert "0 of 0 operations fuzzed" in err


@pytest.mark.contract
@pytest.mark.parametrize(
    "args,says",
    [
        pytest.param(
            ["--select", "probe/cors-prefligt"],
            "--select 'probe/cors-prefligt': unknown check; did you mean probe/cors-preflight?",
            id="select-typo",
        ),
        pytest.param(
            ["--ignore", "AGW401"],
            "--ignore 'AGW401': unknown check; `apilint test --list-checks` lists them",
            id="ignore-rule-code",
        ),
        pytest.param(["--select", ","], None, id="empty-is-every-check"),
    ],
)
def test_an_unknown_check_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str | None
) -> None:
    with Server() as server:
        code = main(
            [
                "test",
                str(SPEC),
                "--base-url",
                server.base_url,
                "--api-key",
                API_KEY,
                "--bearer",
                BEARER,
                "-n",
                "1",
                "-q",
                *args,
            ]
        )
    err = capsys.readouterr().err
    if says is None:
        assert code == 0 and server.requests
        return
    assert (code, err) == (2, f"apilint: {says}\n")
    assert server.requests == []


def test_every_listed_id_and_its_category_select(capsys: pytest.CaptureFixture[str]) -> None:
    from apilint.catalog.contract_checks import selected
    from apilint.contract.probes import _PROBES

    assert main(["test", "--list-checks"]) == 0
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert all(selected([ident]) == {ident} for ident in listed)
    assert selected(["PROBE/"]) == selected(["probe"]) == {c.id for c in PROBES} == set(_PROBES)
    assert selected(ignore=["contract/", "probe/"]) == frozenset()


@pytest.mark.parametrize("ident", sorted(CONTRACT_CHECKS))
def test_explain_a_check(capsys: pytest.CaptureFixture[str], ident: str) -> None:
    check = CONTRACT_CHECKS[ident]
    assert main(["explain", ident.upper()]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{ident} {check.name} [{check.severity}]\n\n{check.summary}\n")
    sections = [line for line in out.splitlines() if line and not line.startswith(" ")][3:]
    assert sections == [
        "What it sends:",
        "What API Gateway answers by default:",
        "Why a mismatch matters:",
        "How to fix:",
        "References:",
    ]
    body = " ".join(out.split())
    for text in (check.sends, check.gateway, check.rationale, check.fix):
        assert text and " ".join(text.split()) in body
    assert check.references and all(r.url in out for r in check.references)


@pytest.mark.parametrize(
    "ident,says",
    [
        pytest.param(
            "probe/cors-prefligt",
            "unknown check 'probe/cors-prefligt'; did you mean probe/cors-preflight",
            id="check-typo",
        ),
        pytest.param("AGW40x", "unknown rule 'AGW40x'; did you mean", id="rule-typo"),
        pytest.param(
            "cors-preflight",
            "unknown rule 'cors-preflight'; did you mean cors-preflight-missing",
            id="check-name",
        ),
    ],
)
def test_explain_unknown_keeps_its_did_you_mean(
    capsys: pytest.CaptureFixture[str], ident: str, says: str
) -> None:
    assert main(["explain", ident]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"apilint: {says}") and err.count("\n") == 1
    assert ("probe/cors-preflight)" in err) == (ident == "cors-preflight")


@pytest.mark.contract
def test_the_explain_command_the_text_report_names_explains(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with Server(bugs={"key-ignored", "cors-header"}) as server:
        main(
            [
                "test",
                str(SPEC),
                "--base-url",
                server.base_url,
                "--api-key",
                API_KEY,
                "--bearer",
                BEARER,
                "--no-fuzz",
                "-q",
            ]
        )
    named = re.findall(r"apilint explain (\S+)", capsys.readouterr().out)
    assert sorted(named) == ["probe/api-key-required", "probe/cors-preflight"]
    for ident in named:
        assert main(["explain", ident]) == 0
        assert capsys.readouterr().out.startswith(f"{ident} ")
