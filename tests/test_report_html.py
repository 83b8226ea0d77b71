"""The html report: self-contained, escaped, counts that add up, a tree with every resource.

The slow test opens the report in headless Debian Chromium (driven by Playwright, with the
system browser: nothing is downloaded) and checks what a person would see.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers import PITFALL_RULES, PITFALLS, rendered, require_tool

from apilint import __version__
from apilint.catalog.registry import load_rules
from apilint.common.errors import LoadError
from apilint.common.findings import FileResult, Finding, Severity, Span
from apilint.engine.run import Settings, lint_file
from apilint.report import html as report

if TYPE_CHECKING:  # Playwright is needed only by the browser test
    from playwright.sync_api import FloatRect

CHROMIUM = os.environ.get("APILINT_CHROMIUM", "/usr/bin/chromium")
HOSTILE = "<script>alert(1)</script>"
NESTED_RULES = ("AGW301", "AGW201", "AGW402")

# Nested resources, ANY methods, {proxy+}, and a parameter name that lands in a message.
NESTED = """\
openapi: 3.0.1
info: {title: shop, version: "1"}
paths:
  /items:
    get:
      security: [{key: []}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock}
    post:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock}
  /items/{id}:
    get:
      security: [{key: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - name: "<script>alert(1)</script>"
          in: query
          style: deepObject
          schema: {type: object, properties: {a: {type: string}}}
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock}
  /items/{id}/reviews/{reviewId}:
    x-amazon-apigateway-any-method:
      security: [{key: []}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: GET
        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:reviews/invocations
  /admin/{proxy+}:
    x-amazon-apigateway-any-method:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration: {type: mock}
components:
  securitySchemes:
    key: {type: apiKey, name: x-api-key, in: header}
"""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parts: list[Node | str] = field(default_factory=list)  # elements and text, in page order

    @property
    def children(self) -> list[Node]:
        return [p for p in self.parts if isinstance(p, Node)]

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def has(self, attr: str) -> list[Node]:
        return [n for n in self.iter() if attr in n.attrs]

    def content(self) -> str:
        return "".join(p if isinstance(p, str) else p.content() for p in self.parts)


class _Builder(HTMLParser):
    VOID = frozenset({"meta", "link", "br", "img", "hr", "input", "source", "base", "wbr", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].parts.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].parts.append(data)


def render(results: list[FileResult]) -> str:
    return rendered(report, results)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def unquoted(text: str) -> str:
    """Rule text as the page shows it: `code` spans lose their backticks."""
    return re.sub(r"`([^`\n]+)`", r"\1", text)


def lint_nested(tmp_path: Path) -> FileResult:
    path = tmp_path / "shop.yaml"
    path.write_text(NESTED)
    return lint_file(str(path), Settings(select=NESTED_RULES), shown="shop.yaml")


@pytest.fixture
def pitfalls() -> FileResult:
    return lint_file(str(PITFALLS), Settings(select=PITFALL_RULES), shown="pitfalls.yaml")


def badge(section: Node, path: str, verb: str | None = None) -> int:
    """The count badge on a resource row (or on one of its methods); 0 when there is none."""
    [li] = section.find("li", data_path=path)
    holder = li.children[0] if verb is None else li.find("span", data_method=verb)[0]
    badges = [c for c in holder.children if c.tag == "a" and "badge" in c.attrs.get("class", "")]
    return int(badges[0].attrs["data-count"]) if badges else 0


def test_loads_nothing_from_outside(pitfalls: FileResult, tmp_path: Path) -> None:
    doc = parse(render([pitfalls, lint_nested(tmp_path)]))
    assert not doc.find("link") and not doc.find("img") and not doc.find("iframe")
    assert all("src" not in n.attrs for n in doc.iter()), "an element loads a src"
    assert all("url(" not in n.attrs.get("style", "") for n in doc.iter())
    for style in doc.find("style"):
        assert "url(" not in style.content() and "@import" not in style.content()
    for node in doc.has("href"):
        href = node.attrs["href"]
        assert node.tag == "a" and href.startswith(("#", "https://")), href
    refs = [n.attrs["href"] for n in doc.has("href") if n.attrs["href"].startswith("https://")]
    assert refs, "the rules' reference links are missing"


def test_csp_allows_exactly_the_inline_style_and_script(pitfalls: FileResult) -> None:
    doc = parse(render([pitfalls]))
    [meta] = doc.find("meta", http_equiv="Content-Security-Policy")
    csp = meta.attrs["content"]
    assert "default-src 'none'" in csp
    for tag in ("style", "script"):
        [node] = doc.find(tag)
        digest = base64.b64encode(hashlib.sha256(node.content().encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp, f"the inline {tag} is not allowed by the CSP"


def test_user_controlled_text_is_escaped(tmp_path: Path) -> None:
    path = '/x"><img src=x onerror=alert(1)>'
    finding = Finding(
        "AGW301",
        "method-unauthenticated",
        Severity.WARNING,
        f"{HOSTILE} `{HOSTILE}`",
        f"{HOSTILE}.yaml",
        '/paths/~1x"><img src=x onerror=alert(1)>/get',
        Span(3, 5, 3, 9),
        f"GET {path}",
    )
    result = FileResult(
        f"{HOSTILE}.yaml", [finding], api_kind="rest", outline=[("/", ()), (path, ("GET",))]
    )
    broken = FileResult(f"{HOSTILE}.json", error=LoadError(HOSTILE, f"{HOSTILE}.json", 1, 2))
    skipped = FileResult("notes.yaml", skipped=HOSTILE)
    page = render([result, broken, skipped, lint_nested(tmp_path)])
    doc = parse(page)
    assert len(doc.find("script")) == 1 and not doc.find("img")
    assert "alert(1)</script>" not in page.split("</head>", 1)[1]
    [msg] = doc.find("section", id="file-1")[0].find("p", **{"class": "msg"})
    assert msg.content() == f"{HOSTILE} {HOSTILE}"  # the code span's text, escaped, not run
    assert HOSTILE in doc.find("section", id="errors")[0].content()
    assert HOSTILE in doc.find("section", id="skipped")[0].content()
    assert doc.find("li", data_path=path), "the hostile path is not in the tree as text"
    assert badge(doc.find("section", id="file-1")[0], path, "GET") == 1


def test_summary_counts_equal_the_findings(pitfalls: FileResult, tmp_path: Path) -> None:
    results = [pitfalls, lint_nested(tmp_path)]
    findings = [f for r in results for f in r.findings]
    doc = parse(render(results))
    [summary] = doc.find("section", id="summary")
    [total] = summary.has("data-total")
    assert int(total.attrs["data-total"]) == len(findings) == 10
    shown = {
        n.attrs["data-severity"]: int(n.attrs["data-count"]) for n in summary.has("data-severity")
    }
    assert shown == {str(s): sum(f.severity == s for f in findings) for s in Severity}
    category = {r.code: r.category for r in load_rules()}
    rows = {
        n.attrs["data-category"]: int(n.attrs["data-count"]) for n in summary.has("data-category")
    }
    assert rows == dict(Counter(category[f.code] for f in findings))
    errors = [f.code for f in findings if f.severity == Severity.ERROR]
    assert sorted(
        n.attrs["data-code"] for n in doc.find("li", **{"class": "finding error"})
    ) == sorted(errors)
    assert sorted(n.attrs["data-code"] for n in doc.find("li") if "data-code" in n.attrs) == sorted(
        f.code for f in findings
    )


def test_every_resource_and_method_of_the_outline_is_in_the_tree(
    pitfalls: FileResult, tmp_path: Path
) -> None:
    results = [pitfalls, lint_nested(tmp_path)]
    doc = parse(render(results))
    for i, result in enumerate(results, 1):
        [section] = doc.find("section", id=f"file-{i}")
        [tree] = section.find("ul", **{"class": "tree"})
        for path, methods in result.outline:
            [li] = tree.find("li", data_path=path)
            shown = [n.attrs["data-method"] for n in li.children[0].has("data-method")]
            assert shown == list(methods), path
        assert {n.attrs["data-path"] for n in tree.has("data-path")} == {
            p for p, _ in result.outline
        }
    # nested by segment: /items/{id}/reviews/{reviewId} sits four levels under /items' list
    [section] = doc.find("section", id="file-2")
    [items] = section.find("li", data_path="/items")
    assert items.find("li", data_path="/items/{id}/reviews/{reviewId}")
    assert not items.find("li", data_path="/admin")


def test_findings_sit_on_their_method_resource_or_the_definition(pitfalls: FileResult) -> None:
    [section] = parse(render([pitfalls])).find("section", id="file-1")
    assert badge(section, "/orders", "GET") == 4  # via `operation`
    assert badge(section, "/orders") == 1  # AGW501, pointer /paths/~1orders
    assert badge(section, "/orders", "DELETE") == 0
    wide = [n for n in section.find("p") if n.content().startswith("Definition-wide")]
    assert [int(a.attrs["data-count"]) for a in wide[0].has("data-count")] == [1]  # AGW302
    # every badge points at a group heading that exists
    ids = {n.attrs["id"] for n in section.has("id")}
    for a in section.has("data-count"):
        assert a.attrs["href"][1:] in ids


@pytest.mark.parametrize(
    ("pointer", "operation", "file", "expected"),
    [
        pytest.param("/paths/~1orders/delete", None, "api.yaml", ("/orders", "DELETE"), id="verb"),
        pytest.param(
            "/paths/~1orders~1/x-amazon-apigateway-any-method/responses",
            None,
            "api.yaml",
            ("/orders", "ANY"),
            id="any-method-trailing-slash",
        ),
        pytest.param(
            "/paths/~1orders/parameters/0", None, "api.yaml", ("/orders", None), id="path-level"
        ),
        pytest.param(
            "/paths/~1orders/trace", None, "api.yaml", ("/orders", None), id="not-a-method"
        ),
        pytest.param("/paths/~1nowhere/get", None, "api.yaml", report.WIDE, id="unknown-path"),
        pytest.param("/paths/~1orders/get", None, "other.yaml", report.WIDE, id="other-file"),
        pytest.param(
            "/components/x",
            "DELETE /orders",
            "other.yaml",
            ("/orders", "DELETE"),
            id="operation-wins",
        ),
        pytest.param("", None, "api.yaml", report.WIDE, id="root"),
    ],
)
def test_place(
    pointer: str, operation: str | None, file: str, expected: tuple[str, str | None]
) -> None:
    result = FileResult("api.yaml", outline=[("/", ()), ("/orders", ("DELETE", "ANY"))])
    finding = Finding("AGW301", "x", Severity.INFO, "m", file, pointer, Span(1, 1, 1, 1), operation)
    assert report.place(finding, result) == expected


def test_rule_details_errors_skipped_and_determinism(pitfalls: FileResult) -> None:
    results = [
        pitfalls,
        FileResult("bad.yaml", error=LoadError("invalid YAML", "bad.yaml", 3, 1)),
        FileResult("notes.yaml", skipped="not an OpenAPI/Swagger document"),
    ]
    page = render(results)
    assert page == render(results)
    doc = parse(page)
    rules = {r.code: r for r in load_rules()}
    items = [n for n in doc.find("li") if "data-code" in n.attrs]
    assert sorted(n.attrs["data-code"] for n in items) == sorted(f.code for f in pitfalls.findings)
    for item in items:
        rule = rules[item.attrs["data-code"]]
        [details] = item.find("details")
        assert [h.content() for h in details.find("h5")] == ["Why", "Fix", "References"]
        summary, why, fix, _ = [p.content() for p in details.find("p")]
        assert (summary, why, fix) == tuple(map(unquoted, (rule.summary, rule.rationale, rule.fix)))
    assert "bad.yaml:3:1" in doc.find("section", id="errors")[0].content()
    assert "notes.yaml" in doc.find("section", id="skipped")[0].content()
    assert not doc.find("section", id="file-2") and not doc.find("section", id="file-3")
    assert f"apilint {__version__}" in doc.find("header")[0].content()


def test_the_cli_writes_it(tmp_path: Path) -> None:
    from apilint.cli import main

    target = tmp_path / "report.html"
    assert (
        main(
            [
                "lint",
                str(PITFALLS),
                "--select",
                ",".join(PITFALL_RULES),
                "--format",
                f"html={target}",
            ]
        )
        == 1
    )
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def seen(box: FloatRect | None) -> bool:
    """A bounding box that takes up room on the page."""
    return box is not None and box["width"] > 0 and box["height"] > 0


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
def test_a_browser_shows_the_summary_and_the_tree(pitfalls: FileResult, tmp_path: Path) -> None:
    require_tool(
        os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM) is not None,
        f"headless Chromium ({CHROMIUM})",
        "apt-get install -y chromium",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright is missing: `pip install -e '.[test]'` (no `playwright install`: "
            "the test drives the system Chromium)"
        )
    broken = FileResult("broken.yaml", error=LoadError("invalid YAML", "broken.yaml", 3, 1))
    skipped = FileResult("notes.yaml", skipped="not an OpenAPI/Swagger document")
    page_file = tmp_path / "report.html"
    page_file.write_text(
        render([pitfalls, lint_nested(tmp_path), broken, skipped]), encoding="utf-8"
    )
    url = page_file.as_uri()
    shot = tmp_path / "report.png"
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(15_000)
            page.on(
                "console",
                lambda m: (
                    problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning")
                    else None
                ),
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url)
            page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}")

            summary = page.locator("#summary")
            assert summary.is_visible()
            box = summary.bounding_box()
            assert box and seen(box)
            assert box["y"] >= 0 and box["y"] + box["height"] <= 800, f"summary not on screen {box}"
            for sev in ("error", "warning", "info"):
                card = page.locator(f'#summary [data-severity="{sev}"]')
                assert card.is_visible() and seen(card.bounding_box())

            for section in ("#file-1", "#file-2"):
                tree = page.locator(f"{section} ul.tree")
                tbox = tree.bounding_box()
                assert tree.is_visible() and seen(tbox)
            for path in ("/items/{id}/reviews/{reviewId}", "/admin/{proxy+}"):
                row = page.locator(f'#file-2 li[data-path="{path}"] > .row')
                assert row.is_visible() and seen(row.bounding_box())

            # a badge jumps to its findings
            page.locator('#file-1 li[data-path="/orders"] [data-method="GET"] a.badge').click()
            target = page.evaluate("location.hash")
            assert page.locator(target).is_visible() and "GET /orders" in page.inner_text(target)

            # printed, every rationale is open (CSS alone; the script is a fallback)
            assert not page.locator("details h5").first.is_visible()
            page.emulate_media(media="print")
            assert page.locator("details h5").first.is_visible()

            dark = browser.new_page(color_scheme="dark")
            dark.goto(url)
            background = dark.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), background
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    assert not problems, "\n".join(problems)
    assert set(requests) == {url}, f"the page fetched something else: {requests}"
