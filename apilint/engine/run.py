"""Run the selected rules over one document's gateway model; a crashing rule is an internal error
of apilint (reported on stderr, exit 2), never a finding in the user's file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import field, replace
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from apilint.catalog.registry import Rule, RuleDefinitionError, find_rules_or_error
from apilint.checks import Check, Violation, checks_for
from apilint.common.collector import paused
from apilint.common.errors import ApilintError, LoadError, UsageError, debugging
from apilint.common.findings import Crash, FileResult, Finding, Severity, Span
from apilint.common.records import FACTORY, NamedTuple, record
from apilint.custom import CUSTOM_PREFIX
from apilint.document import Document, NotAnApi
from apilint.document.aside import offloading, unconfirmed
from apilint.document.definitions import load_definitions
from apilint.document.edit import computing
from apilint.document.includers import one_run
from apilint.document.loader import DEFAULT_MAX_BYTES, check_sections
from apilint.document.model import Sources
from apilint.document.pointer import Tokens
from apilint.document.refs import Workspace
from apilint.engine.ruleset import rule_set
from apilint.model import Api, build_api

if TYPE_CHECKING:  # account facts: only with --aws or --lambda-inventory
    from apilint.model.inventory import Deployment, Inventory


@record()  # the methods @dataclass would compile at import (apilint.common.records)
class Settings:
    """How one file is linted: the configuration and command line, merged."""

    api_type: str | None = None  # "rest" | "http" | None (detect)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule name -> options
    #: Selectors (codes, names, code prefixes, categories, ALL); empty select = every rule
    #: enabled by default.
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()  # added to the selection (e.g. rules off by default)
    severity: dict[str, Severity] = field(default_factory=dict)  # rule name -> override
    allow_outside_refs: bool = False  # read $ref'd and included files outside the root's folder
    allow_remote_refs: bool = False  # fetch http(s) $refs (command line only, never config)
    max_bytes: int = DEFAULT_MAX_BYTES  # refuse larger files (each file, not the sum)
    #: The pipeline imports with failonwarnings=true (--fail-on-warnings or configuration),
    #: whatever the template around the definition says.
    import_fails_on_warnings: bool = False
    #: What the AWS account says about Lambda functions (--aws, --lambda-inventory); rules of
    #: scope "account" run only with it.
    inventory: Inventory | None = None
    deployment: Deployment | None = None  # None: no stage or API id given
    #: The model of a stage's export (`apilint drift`); rules of scope "drift" run only with it.
    deployed: Api | None = None
    #: Compute the fixes findings carry (`lint --fix`, `--diff`, SARIF output): it costs a
    #: second parse of each file that has a fixable finding.
    fixes: bool = False
    #: Custom rule files and folders (absolute paths, from the configuration's `rules` and
    #: `extend`): their rules run with the built-in ones (apilint.engine.ruleset).
    custom: tuple[str, ...] = ()
    #: A Spectral ruleset (absolute path; `--ruleset` or the configuration's `ruleset`): its
    #: rules run on each definition with the selected ones (apilint.custom.spectral).
    ruleset: str | None = None

    def __init__(
        self,
        api_type: str | None = None,
        options: dict[str, dict[str, Any]] = FACTORY,
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        extend_select: tuple[str, ...] = (),
        severity: dict[str, Severity] = FACTORY,
        allow_outside_refs: bool = False,
        allow_remote_refs: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        import_fails_on_warnings: bool = False,
        inventory: Inventory | None = None,
        deployment: Deployment | None = None,
        deployed: Api | None = None,
        fixes: bool = False,
        custom: tuple[str, ...] = (),
        ruleset: str | None = None,
    ) -> None:
        self.api_type = api_type
        self.options = {} if options is FACTORY else options
        self.select = select
        self.ignore = ignore
        self.extend_select = extend_select
        self.severity = {} if severity is FACTORY else severity
        self.allow_outside_refs = allow_outside_refs
        self.allow_remote_refs = allow_remote_refs
        self.max_bytes = max_bytes
        self.import_fails_on_warnings = import_fails_on_warnings
        self.inventory = inventory
        self.deployment = deployment
        self.deployed = deployed
        self.fixes = fixes
        self.custom = custom
        self.ruleset = ruleset

    def level(self, rule: Rule) -> Severity:
        """The rule's severity as configured."""
        return self.severity.get(rule.name, rule.severity)


def _selected(rules: Iterable[Rule], settings: Settings) -> list[Rule]:
    """The rules to run: the selection (default: the rules enabled by default) plus
    extend-select, minus ignore, which always wins. Each entry is a selector (code, name,
    code prefix, category or ALL: registry.select_rules)."""
    rules = tuple(rules)

    def names(selectors: tuple[str, ...]) -> set[str]:
        return {r.name for r in find_rules_or_error(selectors, rules)}

    extended, ignored = names(settings.extend_select), names(settings.ignore)
    selected = names(settings.select) if settings.select else None
    chosen = []
    for rule in rules:
        wanted = rule.name in extended or (
            rule.name in selected if selected is not None else rule.default_enabled
        )
        if wanted and rule.name not in ignored:
            chosen.append(rule)
    return chosen


class _Draft(NamedTuple):
    """A rule's violation as it will be reported, before its position: the findings of a file
    are located together (spans_of)."""

    rule: Rule
    severity: Severity
    message: str  # with what _draft adds to the check's
    pointer: str
    violation: Violation


def _draft(
    rule: Rule, v: Violation, severity: Severity, strict: str | None, made: str | None
) -> _Draft:
    """`made`: the SAM property that generated the violation's node (Document.made_by)."""
    message = v.message
    if strict is not None and v.import_warning and severity < Severity.ERROR:
        severity = Severity.ERROR
        message += f"; {strict} turns this import warning into a failed import"
    if made is not None and "SAM generates" not in message:
        message += f" (SAM generates this from {made})"
    construct = v.doc.construct(v.tokens) if v.doc.built_from is not None else None
    if construct is not None:
        message += f" (CDK construct {construct})"
    return _Draft(rule, severity, message, v.doc.pointer(v.tokens), v)


def _ahead(drafts: Sequence[_Draft]) -> None:
    """Hand the findings' pointers to their files' positions processes, where there are any
    (apilint.document.aside): they are located while the next rules run."""
    for doc in {d.violation.doc for d in drafts if d.violation.doc.aside is not None}:
        doc.ahead([d.violation.tokens for d in drafts if d.violation.doc is doc])


def _located(drafts: Sequence[_Draft]) -> list[Finding]:
    spans = spans_of([(d.violation.doc, d.violation.tokens) for d in drafts])
    return [
        Finding(
            d.rule.code,
            d.rule.name,
            d.severity,
            d.message,
            d.violation.doc.path,
            d.pointer,
            span,
            d.violation.operation,
            d.violation.fix,
        )
        for d, span in zip(drafts, spans)
    ]


def strict_import(doc: Document, settings: Settings) -> str | None:
    """Why import warnings fail this definition's import, or None when they are dropped."""
    from apilint.model.importer import fails_on_warnings

    found = fails_on_warnings(doc)
    if found is None and settings.import_fails_on_warnings:
        return "--import-fails-on-warnings"
    return found


#: Where a finding whose node cannot be located is reported.
_NOWHERE = Span(1, 1, 1, 1)


def span_of(doc: Document, tokens: Tokens) -> Span:
    try:
        return doc.span(tokens)
    except Exception:  # noqa: BLE001 - a locator must never cost the finding itself
        return _NOWHERE


def spans_of(wanted: Sequence[tuple[Document, Tokens]]) -> list[Span]:
    """span_of each (document, tokens): each document's located together (sorted pointers
    share their walks, and one pass over the text finds their lines)."""
    by_doc: dict[Document, list[int]] = {}
    for i, (doc, _) in enumerate(wanted):
        by_doc.setdefault(doc, []).append(i)
    spans = [_NOWHERE] * len(wanted)
    for doc, indices in by_doc.items():
        pointers = [wanted[i][1] for i in indices]
        try:
            found = doc.spans(pointers)
        except Exception:  # one at a time: only a failing pointer loses its place
            if debugging():
                raise  # a bug of the batch would otherwise only make runs slower
            found = [span_of(doc, t) for t in pointers]
        for i, span in zip(indices, found):
            spans[i] = span
    return spans


def build_model(doc: Document, settings: Settings) -> Api:
    """The gateway view of a definition, with every `$ref` checked."""
    if doc.base:  # an embedded definition: its sections were not checked as a file's are
        check_sections(doc)
    ws = Workspace(doc, settings.allow_outside_refs, settings.max_bytes, settings.allow_remote_refs)
    ws.scan()
    return build_api(doc, ws, settings.api_type)


def outline(api: Api) -> list[tuple[str, tuple[str, ...]]]:
    """The API's resource tree for reports: (resource path, method verbs), in path order."""
    return [(path, tuple(res.methods)) for path, res in sorted(api.resources.items())]


def run_rules(
    doc: Document,
    settings: Settings,
    rules: Iterable[Rule] | None = None,
    checks: dict[str, Check] | None = None,
    api: Api | None = None,
) -> FileResult:
    """The findings of one definition (`api`: its model, when it was built already)."""
    rules, checks = _rules_and_checks(settings, rules, checks)
    if settings.ruleset is not None:
        rules, checks, settings = _with_ruleset(settings, doc.path, rules, checks)
    result = FileResult(doc.path, rule_sources=settings.custom, ruleset=settings.ruleset)
    api = api if api is not None else build_model(doc, settings)
    ws = api.ws
    result.api_kind = api.kind
    result.outline = outline(api)
    selected = _selected(rules, settings)
    ran: set[str] = set()
    strict = strict_import(doc, settings)
    subjects: dict[str, Any] = {"definition": api}
    if settings.inventory is not None:
        from apilint.checks.account import AccountView
        from apilint.model.inventory import Deployment

        deployment = settings.deployment or Deployment()
        subjects["account"] = AccountView(api, settings.inventory, deployment)
    if settings.deployed is not None:
        from apilint.checks.drift import DriftView

        subjects["drift"] = DriftView(api, settings.deployed)
    drafts: list[_Draft] = []
    with computing(settings.fixes):  # once for the file: 100+ checks run in it
        for rule in selected:
            if not rule.runs_on(doc.provides):
                continue  # an API built from resources lacks what the rule reads
            if rule.scope == "engine" and rule.applies_to(api.kind, doc.version):
                ran.add(rule.code)  # its findings come with the suppressions, below
                continue
            subject = subjects.get(rule.scope)
            if subject is None or not rule.applies_to(api.kind, doc.version):
                continue
            ran.add(rule.code)
            found = _run_check(rule, checks, subject, settings, result, strict)
            drafts.extend(found)
            _ahead(found)
        kept = _apply_suppressions(drafts, ws, rules, selected, ran, settings)
    result.findings = sorted(_located(kept), key=Finding.sort_key)
    return result


def _with_ruleset(
    settings: Settings, path: str, rules: tuple[Rule, ...], checks: dict[str, Check]
) -> tuple[tuple[Rule, ...], dict[str, Check], Settings]:
    """The rules and checks with those of the Spectral ruleset for `path`; they run whatever the
    selection (asking for the ruleset selects them), unless ignored."""
    from apilint.custom.spectral import checks_of, rules_of_file

    spectral = rules_of_file(settings.ruleset or "", path)
    names = tuple(c.rule.name for c in spectral)
    return (
        (*rules, *(c.rule for c in spectral)),
        {**checks, **checks_of(spectral)},
        replace(settings, extend_select=settings.extend_select + names),
    )


def _rules_and_checks(
    settings: Settings, rules: Iterable[Rule] | None, checks: dict[str, Check] | None
) -> tuple[tuple[Rule, ...], dict[str, Check]]:
    """The rules given (tests) or those of the run's rule set: built-in plus custom; the
    checks of the scopes the settings have no subject for are left out (not even imported)."""
    scopes = [
        scope
        for scope, subject in (("account", settings.inventory), ("drift", settings.deployed))
        if subject is not None
    ]
    if rules is None:
        ruleset = rule_set(settings.custom)
        return ruleset.rules, checks if checks is not None else ruleset.checks(scopes)
    rules = tuple(rules)
    return rules, checks if checks is not None else checks_for(rules, scopes)


def run_template_rules(
    template: Any,
    path: str,
    settings: Settings,
    rules: Iterable[Rule] | None = None,
    checks: dict[str, Check] | None = None,
) -> FileResult:
    """The rules about a CloudFormation/SAM template itself (scope: template)."""
    rules, checks = _rules_and_checks(settings, rules, checks)
    result = FileResult(path, rule_sources=settings.custom)
    drafts: list[_Draft] = []
    with computing(settings.fixes):
        for rule in _selected(rules, settings):
            if rule.scope == "template":
                drafts.extend(_run_check(rule, checks, template, settings, result))
    result.findings = sorted(_located(drafts), key=Finding.sort_key)
    return result


def _run_check(
    rule: Rule,
    checks: dict[str, Check],
    subject: Any,
    settings: Settings,
    result: FileResult,
    strict: str | None = None,
) -> list[_Draft]:
    """One rule's findings, not yet located (run inside `computing`); a rule that raises is
    recorded in `result.crashes` instead."""
    options = {**rule.default_options(), **settings.options.get(rule.name, {})}
    severity = settings.level(rule)
    try:
        drafts = []
        for v in checks[rule.check](subject, options):
            if strict is None and v.only_if_strict:
                continue
            made = v.doc.made_by(v.tokens)  # once: a lookup of its origin in SAM's output
            if made is None or not _output_form(rule.code):
                drafts.append(_draft(rule, v, severity, strict, made))
        return drafts
    except Exception as exc:  # noqa: BLE001 - containment is the point
        import traceback

        detail = f"{type(exc).__name__}: {exc}"[:300]
        custom = rule.check.startswith(CUSTOM_PREFIX)
        result.crashes.append(Crash(rule.code, rule.name, detail, traceback.format_exc(), custom))
        return []


def _output_form(code: str) -> bool:
    """Whether the rule's finding on a node SAM generated is about the form of SAM's output
    (dropped); asked only for such nodes, so a definition file never imports the SAM code."""
    from apilint.document.sam_origins import OUTPUT_FORM

    return code in OUTPUT_FORM


def _apply_suppressions(
    findings: list[_Draft],
    ws: Workspace,
    rules: tuple[Rule, ...],
    selected: list[Rule],
    ran: set[str],
    settings: Settings,
) -> list[_Draft]:
    """The findings `x-apilint-ignore` leaves, plus its own (unused or invalid entries)."""
    docs = list(ws.docs.values())
    if not any(d.suppressions for d in docs):
        return findings  # no file mentions the key: the suppression code is not even imported
    from apilint.engine.suppress import INVALID_RULE, UNUSED_RULE, collect, removal

    suppressions, problems = collect(docs, rules)
    if not suppressions and not problems:
        return findings
    kept = []
    for f in findings:
        file, code = f.violation.doc.path, f.rule.code
        match = next((s for s in suppressions if s.covers(file, f.pointer, code)), None)
        if match is None:
            kept.append(f)
        else:
            match.used = True
    chosen = {r.name: r for r in selected}
    unused, invalid = chosen.get(UNUSED_RULE), chosen.get(INVALID_RULE)
    if unused is not None:
        level = settings.level(unused)
        # Only a rule that ran can prove a suppression idle (not selected, or not for this kind
        # of API, says nothing).
        kept.extend(
            _draft(
                unused,
                Violation(
                    s.doc,
                    s.entry,
                    f"x-apilint-ignore names {s.rule.code} "
                    f"({s.rule.name}) but it silences nothing here; "
                    "remove the entry",
                    fix=removal(s),
                ),
                level,
                None,
                s.doc.made_by(s.entry),
            )
            for s in suppressions
            if not s.used and s.rule.code in ran
        )
    if invalid is not None:
        level = settings.level(invalid)
        kept.extend(
            _draft(
                invalid, Violation(p.doc, p.entry, p.message), level, None, p.doc.made_by(p.entry)
            )
            for p in problems
        )
    return kept


def lint_path(
    path: str, settings: Settings, shown: str | None = None, prebuilt: Prebuilt | None = None
) -> list[FileResult]:
    """A result for each API definition the file holds (one for a definition file, one per API
    for a template, plus one for findings about the template itself), or one that says why the
    file was skipped or could not be read. The models `prebuilt` holds for the file are used
    instead of reading it again."""
    shown = shown if shown is not None else path
    built = prebuilt.take(path, settings) if prebuilt is not None and shown == path else None
    loaded = (
        built[0]
        if built is not None
        else _guarded(
            shown,
            lambda: load_definitions(
                path, shown, settings.max_bytes, settings.allow_outside_refs, in_context=True
            ),
        )
    )
    if isinstance(loaded, FileResult):
        return [loaded]
    if isinstance(loaded, NotAnApi):
        return [FileResult(shown, skipped=loaded.reason)]
    results = []
    if loaded.template is not None:
        own = _guarded(shown, lambda: run_template_rules(loaded.template, shown, settings))
        if own.findings or own.error or not loaded.docs:
            results.append(own)
    apis = built[1] if built is not None else [None] * len(loaded.docs)
    for doc, api in zip(loaded.docs, apis):
        result = _guarded(doc.path, partial(run_rules, doc, settings, api=api))
        if doc.alternative and results:
            _join(results[-1], result)
            continue
        result.label = doc.label
        result.via = _holder(doc, shown)
        results.append(result)
    if not loaded.docs and not any(r.findings or r.error for r in results):
        return [FileResult(shown, skipped=loaded.skip_reason())]
    if results:
        results[0].notes = list(loaded.notes)
    return results


def _holder(doc: Document, shown: str) -> str | None:
    """The template a definition was read through, when that is another file: the linted one,
    or the template that includes the linted definition file."""
    if doc.path != shown:
        return shown
    if doc.iac is None:
        return None
    from apilint.document.cfn import Template

    if isinstance(doc.iac, Template) and doc.iac.file.doc.path != doc.path:
        return str(doc.iac.file.doc.path)
    return None


def _join(first: FileResult, other: FileResult) -> None:
    """Add the findings of another reading of the same definition (the other branch of its
    Fn::Ifs): a node both readings share yields the same finding once."""
    seen = {_identity(f) for f in first.findings}
    first.findings.extend(f for f in other.findings if _identity(f) not in seen)
    first.findings.sort(key=Finding.sort_key)
    first.error = first.error or other.error
    known = {c.code for c in first.crashes}
    first.crashes.extend(c for c in other.crashes if c.code not in known)


def drop_repeats(results: list[FileResult]) -> list[FileResult]:
    """The results without a finding that an earlier result reported already: the same file
    read through two templates that include it says the same thing twice where their contexts
    agree."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for result in results:
        if result.via is not None:
            kept = [
                f for f in result.findings if (os.path.abspath(f.file),) + _identity(f) not in seen
            ]
            seen.update((os.path.abspath(f.file),) + _identity(f) for f in kept)
            result = replace(result, findings=kept)
        out.append(result)
    return out


def _identity(f: Finding) -> tuple[Any, ...]:
    return (f.code, f.file, f.span.line, f.span.column, f.message)


def _build_key(path: str, settings: Settings) -> tuple[Any, ...]:
    return (
        path,
        settings.api_type,
        settings.max_bytes,
        settings.allow_outside_refs,
        settings.allow_remote_refs,
    )


class Prebuilt:
    """Models built before linting (account look-ups need each definition's functions first),
    handed to the lint run (lint_tasks, lint_path) so that it does not read and resolve the
    files again. Each is taken once."""

    def __init__(self) -> None:
        self._built: dict[tuple[Any, ...], tuple[Sources, list[Api]]] = {}

    def models(self, path: str, settings: Settings) -> list[Api]:
        """The gateway model of each definition in a file, kept for its lint_path; none when it
        cannot be read (linting the file reports why)."""
        try:
            loaded = load_definitions(
                path, path, settings.max_bytes, settings.allow_outside_refs, in_context=True
            )
            if isinstance(loaded, NotAnApi):
                return []
            apis = [build_model(doc, settings) for doc in loaded.docs]
        except Exception:  # noqa: BLE001 - the lint pass turns the same failure into its message
            return []
        self._built[_build_key(path, settings)] = (loaded, apis)
        return apis

    def take(self, path: str, settings: Settings) -> tuple[Sources, list[Api]] | None:
        return self._built.pop(_build_key(path, settings), None)


def load_api(path: str, settings: Settings | None = None) -> Api:
    """The gateway model of the one definition in `path` (a definition file, or a template
    holding exactly one API), for the commands that run an API rather than lint files
    (`test`, `serve`); every problem is an ApilintError with a one-line message."""
    settings = settings or Settings()
    with loading(path):
        loaded = load_definitions(path, path, settings.max_bytes, settings.allow_outside_refs)
        return api_of(loaded, path, settings)


def api_of(loaded: Sources | NotAnApi, path: str, settings: Settings) -> Api:
    """The model of the one definition `loaded` (read from `path`) holds."""
    if isinstance(loaded, NotAnApi):
        raise LoadError(loaded.reason, path)
    docs = [d for d in loaded.docs if not d.alternative]  # runs one reading of an Fn::If
    if not docs:
        raise LoadError(loaded.skip_reason(), path)
    if len(docs) > 1:
        labels = ", ".join(d.label or d.path for d in docs)
        raise UsageError(
            f"holds {len(docs)} APIs ({labels}); give a file with one definition", path
        )
    return build_model(docs[0], settings)


@contextmanager
def loading(path: str) -> Iterator[None]:
    """Turns any failure of reading `path` into an ApilintError with a one-line message."""
    try:
        yield
    except ApilintError:
        raise
    except RecursionError:
        raise LoadError("the document is nested too deeply to process", path) from None
    except Exception as exc:  # noqa: BLE001 - never a traceback for a definition we cannot read
        raise LoadError(f"cannot read the definition ({type(exc).__name__}: {exc})", path) from None


def lint_file(path: str, settings: Settings, shown: str | None = None) -> FileResult:
    """The result for a file that holds one definition (tests and single-file callers)."""
    results = lint_path(path, settings, shown)
    if len(results) != 1 or results[0].skipped:
        raise ValueError(
            f"{path} holds {len(results)} API definitions"
            f"{' (skipped: ' + results[0].skipped + ')' if results[0].skipped else ''}"
            "; use lint_path"
        )
    return results[0]


T = TypeVar("T")


def _guarded(shown: str, work: Callable[[], T]) -> T | FileResult:
    """Run `work`; any failure becomes a FileResult with a one-line error, never a traceback."""
    try:
        return work()
    except RuleDefinitionError:
        raise  # apilint's own rule files are broken: no file is to blame, every run fails
    except ApilintError as exc:
        return FileResult(shown, error=exc)
    except RecursionError:
        return FileResult(
            shown, error=LoadError("the document is nested too deeply to process", shown)
        )
    except MemoryError:
        return FileResult(shown, error=LoadError("out of memory while reading the document", shown))
    except Exception as exc:  # noqa: BLE001 - a bug of ours must not end in a traceback
        if debugging():
            import traceback

            traceback.print_exc()
        return FileResult(
            shown,
            error=ApilintError(
                f"internal error ({type(exc).__name__}: {exc}); please report it with this file "
                "(--debug shows the traceback)",
                shown,
            ),
        )


#: Parallel linting pays off from this much input (forking and pickling results cost ~10 ms).
PARALLEL_MIN_BYTES = 2 * 1024 * 1024
PARALLEL_MIN_FILES = 16


#: The Prebuilt of the run a forked lint worker serves; set only in the worker (by _adopt), which
#: inherits it through fork instead of receiving the models pickled with every task.
_worker_prebuilt: Prebuilt | None = None


def _adopt(prebuilt: Prebuilt | None) -> None:
    global _worker_prebuilt
    _worker_prebuilt = prebuilt


def _lint_one(args: tuple[str, Settings]) -> list[FileResult]:
    path, settings = args
    return paused(lint_path, path, settings, prebuilt=_worker_prebuilt)


def lint_tasks(
    tasks: list[tuple[str, Settings]], jobs: int | None = None, prebuilt: Prebuilt | None = None
) -> list[list[FileResult]]:
    """Lint (path, settings) pairs, on all cores when the input is large enough: the results of
    each task, in input order."""
    # A file linted here may have its positions located on another core (apilint.document.
    # aside) unless the user asked for one job.
    aside = jobs is None or jobs > 1
    if jobs is None:
        total = 0
        for p, _ in tasks:
            try:
                total += os.path.getsize(p)
            except OSError:
                pass
        big = len(tasks) >= PARALLEL_MIN_FILES or (len(tasks) > 1 and total >= PARALLEL_MIN_BYTES)
        jobs = min(os.cpu_count() or 1, len(tasks)) if big else 1
    with one_run():
        if jobs <= 1 or len(tasks) <= 1:
            with offloading(aside):
                return [_linted(p, s, prebuilt) for p, s in tasks]
        return _in_pool(tasks, jobs, prebuilt)


def _linted(path: str, settings: Settings, prebuilt: Prebuilt | None) -> list[FileResult]:
    """lint_path, in a run that may read a file before its checks ran (apilint.document.aside):
    when they failed, the file is linted again with them, as in a run of one process."""
    results = paused(lint_path, path, settings, prebuilt=prebuilt)
    if unconfirmed():
        with offloading(False):
            results = paused(lint_path, path, settings, prebuilt=prebuilt)
    return results


def _in_pool(
    tasks: list[tuple[str, Settings]], jobs: int, prebuilt: Prebuilt | None
) -> list[list[FileResult]]:
    import multiprocessing

    # fork: workers inherit the loaded modules and rules, so they start in milliseconds.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Files go to the workers a few at a time: one round trip per file was a tenth of the CPU
    # of 500 small files; sixteen chunks per worker still even out files of unequal size.
    chunk = max(1, len(tasks) // (jobs * 16))
    with ctx.Pool(jobs, initializer=_adopt, initargs=(prebuilt,)) as pool:
        return pool.map(_lint_one, tasks, chunksize=chunk)
