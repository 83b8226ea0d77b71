"""Escaping for every place apilint's output goes (issue 24). A definition, a file name in the
repository and a baseline are all untrusted, and apilint runs in CI on pull requests: text from
them must not forge a GitHub Actions workflow command, repaint a terminal, open HTML or markup,
or put characters into XML that XML forbids. Each sink has one function here, and the renderers
(apilint.report.*) and the stderr printer (apilint.common.errors.warn) call it at the point of output,
so messages keep the real characters until then (JSON and SARIF carry them as data: the json
library escapes them).

Control characters are shown, not dropped: `\\n`, `\\r`, `\\t`, `\\x1b`, `\\u202e`, `\\ud800`.
Backslashes are left alone, so a literal backslash-n in the input reads the same as a newline;
that is ambiguity, not injection, and messages that quote values with repr() stay unchanged.
"""

from __future__ import annotations

from apilint.common.regex import lazy
from apilint.common.text import printable

# The Actions runner reads workflow commands from every line a step prints (ActionCommand.cs in
# actions/runner): `::name ...::` after leading white space (TryParseV2, .NET TrimStart), and
# the legacy `##[name ...]` anywhere in the line (TryParse: IndexOf) for every registered
# command, `error`, `add-mask`, `set-output` and `stop-commands` among them. So `##[` is broken
# wherever input shows, and a line that input can lead (only a file name does) must not start
# with `::`.
_LEGACY_COMMAND = "##["
_LEGACY_SHOWN = "#\\x23["
_COMMAND_START = lazy(r"\s*::")

_BACKTICKS = lazy(r"`+")
# Our messages quote keys and values in single backticks (`security`).
_CODE_SPAN = lazy(r"`([^`]+)`")
# The marks that start markup inside a line of GitHub-flavoured markdown: escapes, code,
# emphasis, links and images, HTML tags and autolinks, entities, table pipes, strikethrough,
# math and @mentions (a PR comment would notify whoever a definition names). CommonMark lets a
# backslash escape any ASCII punctuation, and an escaped mark is plain text. Our cells never
# start a line, so the block markers (`#`, `>`, `-`) cannot act.
_MARKDOWN_MARKUP = lazy(r"([\\`*_\[\]<>&|~$@])")


def visible(text: str) -> str:
    """`text` with every character Python does not call printable shown as an escape, and the
    runner's `##[` as `#\\x23[`: one line, safe for a terminal and anywhere in a CI log line.

    Not printable: C0 and C1 controls with DEL (newline, ESC, NEL...), the line and paragraph
    separators (some log viewers break lines there), format characters such as the bidi
    overrides that reorder what a reader sees ("Trojan Source", CVE-2021-42574), lone surrogates
    (UTF-8 cannot encode them: writing one crashes), non-characters XML forbids, and white space
    other than the space."""
    return printable(text).replace(_LEGACY_COMMAND, _LEGACY_SHOWN)


def terminal_line(text: str) -> str:
    """One line for a terminal or a CI log (text format, stderr): controls shown, and a line
    that a workflow command could start is led by `./` (it is always a relative file name, and
    `./name` is the same file)."""
    text = visible(text)
    return "./" + text if _COMMAND_START().match(text) else text


def github_data(text: str) -> str:
    """A workflow command's message: @actions/core's escapeData after showing controls (a
    newline shows as `\\n`, like everywhere else, rather than breaking the annotation)."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value: escapeProperty, so `:` and `,` cannot end it."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown_code(text: str, cell: bool = True) -> str:
    """A code span that shows `text` literally: the fence is one backtick longer than any run
    inside, so nothing in it can close the span. `cell`: it goes into a table cell."""
    text = visible(text)
    if not text:
        return ""
    longest = max((len(run) for run in _BACKTICKS().findall(text)), default=0)
    fence = "`" * (longest + 1)
    # A space on both sides is stripped by the renderer; it keeps an edge backtick off the fence.
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    span = f"{fence}{pad}{text}{pad}{fence}"
    # GFM splits table rows at every pipe, even in code spans, unless it is escaped; its table
    # scanner (cmark-gfm's re2c `table_cell`, longest match) reads `\|` as one escaped pipe
    # whatever precedes it, and drops only that backslash.
    return span.replace("|", "\\|") if cell else span


def markdown_text(text: str) -> str:
    """Plain text in markdown: controls shown, every mark that could start markup escaped."""
    return _MARKDOWN_MARKUP().sub(r"\\\1", visible(text))


def markdown_prose(text: str, cell: bool = True) -> str:
    """A message: its `code` spans re-fenced with markdown_code, the rest markdown_text. The
    spans are ours to choose, since both kinds of piece are literal whichever way a backtick
    from the input pairs."""
    out, last = [], 0
    for m in _CODE_SPAN().finditer(text):
        out += [markdown_text(text[last : m.start()]), markdown_code(m.group(1), cell)]
        last = m.end()
    out.append(markdown_text(text[last:]))
    return "".join(out)


def html(text: object) -> str:
    """Text or a double- or single-quoted attribute value in HTML."""
    import html as _html  # its entity tables load only for the sinks that write HTML

    return _html.escape(visible(str(text)), quote=True)


def json_text(dumped: str) -> str:
    """JSON text from json.dumps (ensure_ascii: no raw control character) with `##[` spelt
    `#\\u0023[`: the same data, and no command when the report is printed in a CI log. `#`
    only occurs inside strings, so the escape is always inside one."""
    return dumped.replace(_LEGACY_COMMAND, "#\\u0023[")


def xml(text: str) -> str:
    """Text or an attribute value for XML 1.0 (ElementTree escapes the markup): no control
    character, so nothing XML forbids."""
    return visible(text)
