"""One self-contained HTML page for an audit: a summary, then each API's resource tree with the
findings placed on it, then every finding with its rule's rationale and fix.

The page loads nothing (reports are mailed around and opened offline, sometimes on air-gapped
machines): styles and the one small script are inline, and a Content-Security-Policy allows only
those two blocks by hash, so even an escaping slip could not run an injected script. Everything a
definition controls (paths, messages, file names) passes through `apilint.common.escape.html`. There is no
timestamp: the same input renders the same bytes, so reports can be diffed and checked in.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from apilint import __version__
from apilint.catalog.registry import Rule
from apilint.common.escape import html as _e
from apilint.common.findings import FileResult, Finding, Severity
from apilint.document.pointer import decode
from apilint.model.gateway import ANY_METHOD, VERBS
from apilint.report import SEVERITIES, Catalog, plural, rules_by_code

#: Where a finding sits: (resource path, method verb or None); ("", None) is definition-wide.
Place = tuple[str, str | None]
WIDE: Place = ("", None)

# Light and dark palettes meet WCAG AA contrast for text on their backgrounds.
_STYLE = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1d2433;--muted:#5a6478;--line:#d5dae3;
--panel:#f5f7fa;--chip:#eef1f6;--link:#1f5fbf;--error:#b42318;--error-bg:#fde8e6;
--warning:#8a4b00;--warning-bg:#fdf0d5;--info:#1d5fa6;--info-bg:#e3effb}
@media (prefers-color-scheme:dark){:root{--bg:#14171c;--fg:#e4e8ef;--muted:#a3acbb;
--line:#353c48;--panel:#1c2028;--chip:#262c36;--link:#8cb8ff;--error:#ff9b90;
--error-bg:#3d1d1a;--warning:#f5c26b;--warning-bg:#3a2c12;--info:#8cc4ff;--info-bg:#172c44}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);line-height:1.5;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main,header.page{max-width:72rem;margin:0 auto;padding:0 1.25rem}
header.page{padding-top:1.25rem;padding-bottom:.5rem;border-bottom:1px solid var(--line)}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.3rem;margin:2rem 0 .75rem}
h3{font-size:1.05rem;margin:1.5rem 0 .5rem}h4{font-size:.95rem;margin:1.1rem 0 .4rem;break-after:avoid}
a{color:var(--link)}h2.mono{font-size:1.15rem;word-break:break-all}
code,.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,
"DejaVu Sans Mono",monospace;font-size:.9em}
.muted{color:var(--muted)}.vh{position:absolute;width:1px;height:1px;overflow:hidden;
clip:rect(0 0 0 0);white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:0;padding:0;list-style:none}
.card{min-width:8rem;padding:.6rem .9rem;border:1px solid var(--line);border-radius:.5rem;
background:var(--panel)}.card .n{display:block;font-size:1.6rem;font-weight:700}
.card.error .n{color:var(--error)}.card.warning .n{color:var(--warning)}
.card.info .n{color:var(--info)}
.tables{display:flex;flex-wrap:wrap;gap:1.5rem;align-items:flex-start;margin-top:1rem}
table{border-collapse:collapse;font-size:.92rem}caption{text-align:left;font-weight:600;
padding-bottom:.3rem}th,td{padding:.3rem .7rem;border-bottom:1px solid var(--line);
text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.file{border-top:2px solid var(--line);margin-top:2rem}
.treebox{border:1px solid var(--line);border-radius:.5rem;padding:.6rem .9rem;
background:var(--panel)}.legend{font-size:.85rem;margin:.1rem 0 .5rem}
.tree,.tree ul{list-style:none;margin:0;padding:0}
.tree ul{margin-left:.55rem;padding-left:1rem;border-left:1px solid var(--line)}
.tree li{margin:.2rem 0}.row{display:flex;flex-wrap:wrap;align-items:center;gap:.35rem}
.seg{font-weight:600}.implicit{color:var(--muted);font-weight:400}
.verb{display:inline-flex;align-items:center;gap:.3rem;padding:0 .45rem;border-radius:.3rem;
border:1px solid var(--line);background:var(--chip);font-size:.8rem;font-weight:600}
.badge{display:inline-block;min-width:1.4rem;padding:0 .4rem;border-radius:.7rem;
text-align:center;font-size:.78rem;font-weight:700;text-decoration:none;border:1px solid}
.error{--sev:var(--error);--sev-bg:var(--error-bg)}
.warning{--sev:var(--warning);--sev-bg:var(--warning-bg)}.info{--sev:var(--info);
--sev-bg:var(--info-bg)}.badge,.sev{color:var(--sev);background:var(--sev-bg);
border-color:var(--sev)}
.sev{display:inline-block;padding:0 .45rem;border:1px solid;border-radius:.3rem;
font-size:.78rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
ol.findings{list-style:none;margin:0;padding:0}
.finding{border:1px solid var(--line);border-left:4px solid var(--sev);border-radius:.4rem;
padding:.55rem .8rem;margin:.5rem 0;background:var(--panel);break-inside:avoid}
.fhead{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;margin:0}
.fhead .loc{margin-left:auto;color:var(--muted)}.msg{margin:.35rem 0}
details summary{cursor:pointer;color:var(--link)}details>div{padding:.2rem 0 0 1rem}
details p{margin:.3rem 0}details h5{margin:.6rem 0 .1rem;font-size:.85rem}
.ok{color:var(--muted)}ul.plain{padding-left:1.2rem}
@media print{body{font-size:11pt;background:#fff;color:#000}.badge{border-color:#000}
a{color:inherit}details summary{display:none}details::details-content{content-visibility:visible}
details>div{padding-left:0}a[href^="http"]::after{content:" (" attr(href) ")";
font-size:.85em;word-break:break-all}.file{break-before:page}}
"""

# Print with every rationale open; without the script the page is just as readable on screen.
_SCRIPT = """
addEventListener("beforeprint",function(){document.querySelectorAll("details:not([open])")
.forEach(function(d){d.open=true;d.setAttribute("data-print","")})});
addEventListener("afterprint",function(){document.querySelectorAll("details[data-print]")
.forEach(function(d){d.open=false;d.removeAttribute("data-print")})});
"""


_LABELS = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


_CSP = (
    f"default-src 'none'; style-src {_hash(_STYLE)}; script-src {_hash(_SCRIPT)}; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)


def _prose(text: str) -> str:
    """Escaped text with `code` spans (rule texts and messages quote keys that way)."""
    return re.sub(r"`([^`\n]+)`", r"<code>\1</code>", _e(text))


def _norm(path: str) -> str:
    # The model keys resources as AWS does: `/a//b/` is the resource `/a/b`.
    return "/" + "/".join(s for s in path.split("/") if s)


def place(
    finding: Finding, result: FileResult, methods: dict[str, tuple[str, ...]] | None = None
) -> Place:
    """The resource and method a finding sits on: its operation first, else its pointer."""
    methods = methods if methods is not None else dict(result.outline)
    if finding.operation and " " in finding.operation:
        said, _, written = finding.operation.partition(" ")
        if _norm(written) in methods:
            return _norm(written), said if said in methods[_norm(written)] else None
    if finding.file != result.path:  # a pointer into a $ref'd file says nothing of this tree
        return WIDE
    try:
        tokens = decode(finding.pointer)
    except ValueError:
        return WIDE
    if len(tokens) < 2 or tokens[0] != "paths" or _norm(tokens[1]) not in methods:
        return WIDE
    path = _norm(tokens[1])
    key = tokens[2] if len(tokens) > 2 else ""
    verb = "ANY" if key == ANY_METHOD else key.upper() if key in VERBS else None
    return path, verb if verb in methods[path] else None


@dataclass
class _Node:
    path: str
    label: str
    methods: tuple[str, ...] = ()
    listed: bool = False  # in the outline; a missing parent is still drawn, greyed
    children: dict[str, _Node] = field(default_factory=dict)


def _tree(outline: Sequence[tuple[str, tuple[str, ...]]]) -> _Node:
    root = _Node("/", "/")
    for path, methods in outline:
        node, prefix = root, ""
        for segment in (s for s in path.split("/") if s):
            prefix += "/" + segment
            node = node.children.setdefault(segment, _Node(prefix, "/" + segment))
        node.methods, node.listed = tuple(methods), True
    return root


def _preorder(node: _Node) -> list[Place]:
    keys: list[Place] = [(node.path, None)] + [(node.path, v) for v in node.methods]
    for child in node.children.values():
        keys += _preorder(child)
    return keys


def _badge(found: list[Finding], href: str) -> str:
    if not found:
        return ""
    worst = max(f.severity for f in found)
    return (
        f'<a class="badge {worst}" href="#{href}" data-count="{len(found)}">{len(found)}'
        f'<span class="vh"> {plural(len(found), "finding")}, worst {worst}</span></a>'
    )


class _File:
    """One linted file's section; ids are prefixed with its position, so they never collide."""

    def __init__(self, index: int, result: FileResult, rules: dict[str, Rule]) -> None:
        self.result, self.rules, self.fid = result, rules, f"file-{index}"
        self._about: dict[str, str] = {}  # rule code -> its explanation, made once
        self.root = _tree(result.outline)
        self.keys = [WIDE] + _preorder(self.root)
        self.index = {key: i for i, key in enumerate(self.keys)}
        self.groups: dict[Place, list[Finding]] = defaultdict(list)
        methods = dict(result.outline)
        for f in result.findings:
            self.groups[place(f, result, methods)].append(f)

    def anchor(self, key: Place, kind: str) -> str:
        return f"{self.fid}-{kind}{self.index[key]}"

    def render(self, out: list[str]) -> None:
        r = self.result
        kind = {"rest": "REST API", "http": "HTTP API"}.get(r.api_kind or "", "API")
        methods = sum(len(m) for _, m in r.outline)
        out.append(
            f'<section class="file" id="{self.fid}" aria-labelledby="{self.fid}-h">'
            f'<h2 id="{self.fid}-h" class="mono">{_e(r.title)}</h2>'
            f'<p class="muted"><span data-api-kind="{_e(r.api_kind or "")}">{kind}</span>'
            f" · {plural(len(r.outline), 'resource')} · {plural(methods, 'method')} · "
            f"{plural(len(r.findings), 'finding')}</p>"
        )
        out.append(
            f"<h3>{'Routes' if r.api_kind == 'http' else 'Resources'}</h3>"
            '<div class="treebox"><p class="legend muted">A badge counts the findings on '
            "a resource or method, coloured by the most severe; select it to jump to "
            "them.</p>"
        )
        if self.groups.get(WIDE):
            out.append(
                f'<p class="row" id="{self.anchor(WIDE, "t")}">Definition-wide '
                f"{_badge(self.groups[WIDE], self.anchor(WIDE, 'g'))}</p>"
            )
        if r.outline:
            out.append(f'<ul class="tree" aria-label="Resource tree of {_e(r.path)}">')
            self._node(self.root, out)
            out.append("</ul>")
        else:
            out.append('<p class="muted">The definition has no paths.</p>')
        out.append("</div>")
        out.append("<h3>Findings</h3>")
        if not r.findings:
            out.append('<p class="ok">No findings.</p>')
        for key in self.keys:
            if self.groups.get(key):
                self._group(key, self.groups[key], out)
        out.append("</section>")

    def _node(self, node: _Node, out: list[str]) -> None:
        key: Place = (node.path, None)
        cls = "seg" if node.listed else "seg implicit"
        out.append(
            f'<li data-path="{_e(node.path)}"><div class="row" id="{self.anchor(key, "t")}">'
            f'<span class="{cls} mono" title="{_e(node.path)}">{_e(node.label)}</span>'
            + ('<span class="muted">(root)</span>' if node.path == "/" else "")
            + f"{_badge(self.groups.get(key, []), self.anchor(key, 'g'))}"
        )
        for verb in node.methods:
            mkey: Place = (node.path, verb)
            out.append(
                f'<span class="verb mono" data-method="{_e(verb)}" '
                f'id="{self.anchor(mkey, "t")}">{_e(verb)}'
                f"{_badge(self.groups.get(mkey, []), self.anchor(mkey, 'g'))}</span>"
            )
        out.append("</div>")
        if node.children:
            out.append("<ul>")
            for child in node.children.values():
                self._node(child, out)
            out.append("</ul>")
        out.append("</li>")

    def _group(self, key: Place, found: list[Finding], out: list[str]) -> None:
        path, verb = key
        title = (
            "Definition-wide" if key == WIDE else f"{verb} {path}" if verb else f"{path} (resource)"
        )
        out.append(
            f'<h4 id="{self.anchor(key, "g")}"><a href="#{self.anchor(key, "t")}" '
            f'class="mono">{_e(title)}</a> <span class="muted">({len(found)})</span></h4>'
            '<ol class="findings">'
        )
        for f in found:
            out.append(self._finding(f))
        out.append("</ol>")

    def _finding(self, f: Finding) -> str:
        rule = self.rules.get(f.code)
        parts = [
            (
                f'<li class="finding {f.severity}" data-code="{_e(f.code)}"><p class="fhead">'
                f'<span class="sev {f.severity}">{f.severity}</span> '
                f"<code><strong>{_e(f.code)}</strong></code> <span>{_e(f.name)}</span> "
                f'<span class="loc mono">{_e(f.file)}:{f.line}:{f.column}</span></p>'
                f'<p class="msg">{_prose(f.message)}</p>'
            )
        ]
        if rule is not None:
            about = self._about.get(rule.code)
            if about is None:  # the same for every finding of the rule: 3/4 of the render
                about = self._about[rule.code] = _explanation(rule)
            parts.append(
                about
                + (f" · pointer <code>{_e(f.pointer)}</code>" if f.pointer else "")
                + "</p></div></details>"
            )
        return "".join(parts) + "</li>"


def _explanation(rule: Rule) -> str:
    """The opening of a finding's `details`: why the rule matters, how to fix it, up to its
    category (the finding's pointer follows)."""
    refs = "".join(
        f'<li><a href="{_e(ref.url)}" rel="noreferrer">{_e(ref.title)}</a></li>'
        if ref.url.startswith(("https://", "http://"))
        else f"<li>{_e(ref.title)} ({_e(ref.url)})</li>"
        for ref in rule.references
    )
    return (
        f"<details><summary>Why it matters and how to fix it</summary><div>"
        f"<p><em>{_prose(rule.summary)}</em></p>"
        f"<h5>Why</h5><p>{_prose(rule.rationale)}</p>"
        f"<h5>Fix</h5><p>{_prose(rule.fix)}</p>"
        + (f'<h5>References</h5><ul class="plain">{refs}</ul>' if refs else "")
        + f'<p class="muted">Category {_e(rule.category)}'
    )


def _summary(results: Sequence[FileResult], rules: dict[str, Rule], out: list[str]) -> None:
    findings = [f for r in results for f in r.findings]
    by_sev = Counter(f.severity for f in findings)
    by_cat: dict[str, Counter[Severity]] = defaultdict(Counter)
    for f in findings:
        by_cat[rules[f.code].category if f.code in rules else "unknown"][f.severity] += 1
    out.append(
        '<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">Summary</h2>'
        '<ul class="cards" aria-label="Findings by severity">'
        f'<li class="card" data-total="{len(findings)}"><span class="n">{len(findings)}'
        "</span>findings</li>"
    )
    for sev in SEVERITIES:
        out.append(
            f'<li class="card {sev}" data-severity="{sev}" data-count="{by_sev[sev]}">'
            f'<span class="n">{by_sev[sev]}</span>{_LABELS[sev]}</li>'
        )
    out.append(
        '</ul><div class="tables"><table id="by-category"><caption>By category</caption>'
        '<thead><tr><th scope="col">Category</th>'
        + "".join(f'<th scope="col" class="num">{s}</th>' for s in SEVERITIES)
        + '<th scope="col" class="num">Total</th></tr></thead><tbody>'
    )
    for cat in sorted(by_cat):
        counts = by_cat[cat]
        out.append(
            f'<tr data-category="{_e(cat)}" data-count="{sum(counts.values())}">'
            f'<th scope="row">{_e(cat)}</th>'
            + "".join(f'<td class="num">{counts[s]}</td>' for s in SEVERITIES)
            + f'<td class="num">{sum(counts.values())}</td></tr>'
        )
    if not by_cat:
        out.append('<tr><td colspan="5" class="ok">No findings.</td></tr>')
    out.append(
        '</tbody></table><table id="files"><caption>Files</caption><thead><tr>'
        '<th scope="col">File</th><th scope="col">API</th><th scope="col">Status</th>'
        '<th scope="col" class="num">Findings</th></tr></thead><tbody>'
    )
    for i, r in enumerate(results, 1):
        href = f"file-{i}" if not (r.error or r.skipped) else "errors" if r.error else "skipped"
        status = "failed to load" if r.error else "skipped" if r.skipped else "linted"
        out.append(
            f'<tr><td><a class="mono" href="#{href}">{_e(r.path)}</a></td>'
            f"<td>{_e(r.api_kind or '–')}</td><td>{status}</td>"
            f'<td class="num">{len(r.findings)}</td></tr>'
        )
    out.append("</tbody></table></div></section>")


def _failures(results: Sequence[FileResult], out: list[str]) -> None:
    errors = [r for r in results if r.error]
    if errors:
        out.append('<section id="errors"><h2>Files that failed to load</h2><ul class="plain">')
        for r in errors:
            assert r.error is not None
            where = ":".join(
                str(p)
                for p in (r.error.file or r.path, r.error.line, r.error.column)
                if p is not None
            )
            out.append(
                f'<li><span class="sev error">error</span> <code>{_e(where)}</code> '
                f"{_prose(r.error.message)}</li>"
            )
        out.append("</ul></section>")
    skipped = [r for r in results if r.skipped and not r.error]
    if skipped:
        out.append('<section id="skipped"><h2>Skipped files</h2><ul class="plain">')
        out.extend(
            f"<li><code>{_e(r.path)}</code>: {_prose(r.skipped or '')}</li>" for r in skipped
        )
        out.append("</ul></section>")


def render(
    results: Sequence[FileResult], out: TextIO, colour: bool, rules: Catalog | None = None
) -> None:
    rules = rules_by_code(rules)
    total = sum(len(r.findings) for r in results)
    page = [
        (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light dark">'
            f"<title>apilint report: {plural(total, 'finding')}</title>"
            f"<style>{_STYLE}</style><script>{_SCRIPT}</script></head><body>"
            '<header class="page"><h1>apilint report</h1>'
            f'<p class="muted">apilint {_e(__version__)} · {plural(len(results), "file")} · '
            f"{plural(total, 'finding')}</p></header><main>"
        )
    ]
    _summary(results, rules, page)
    for i, result in enumerate(results, 1):
        if not (result.error or result.skipped):
            _File(i, result, rules).render(page)
    _failures(results, page)
    page.append("</main></body></html>\n")
    out.write("\n".join(page))
