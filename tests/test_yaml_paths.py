"""The rapidyaml fast path reads YAML exactly as the libyaml path does, positions included,
and declines whatever YAML 1.1 reads differently."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CORPUS, FIXTURES, require_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from apilint.document.libyaml_loader import load_libyaml
from apilint.document.ryml_loader import load_fast
from apilint.document.yaml_loader import load_yaml
from apilint.engine.run import Settings, lint_path

YAML_FILES = sorted(p for p in list(FIXTURES.rglob("*.yaml")) + list(CORPUS.rglob("*.yaml")))


def _findings(path: Path, monkeypatch, backend: str):
    if backend == "libyaml":
        monkeypatch.setenv("APILINT_YAML", "libyaml")
    else:
        monkeypatch.delenv("APILINT_YAML", raising=False)
    results = lint_path(str(path), Settings())
    return [r.error for r in results], sorted(
        (
            f.file,
            f.code,
            f.pointer,
            f.span.line,
            f.span.column,
            f.span.end_line,
            f.span.end_column,
            f.message,
        )
        for r in results
        for f in r.findings
    )


@pytest.mark.parametrize("path", YAML_FILES, ids=[p.name for p in YAML_FILES])
def test_fast_and_libyaml_paths_agree(path: Path, monkeypatch) -> None:
    assert _findings(path, monkeypatch, "fast") == _findings(path, monkeypatch, "libyaml")


#: The YAML files the fast path hands to libyaml, each for a feature it must decline.
DECLINED = {
    "rules/cfn-intrinsic-in-definition/swagger2-rest.yaml",  # CloudFormation short tags
    "rules/cfn-include-fragment-alone/swagger2-rest.yaml",  # CloudFormation short tags
    "templates/fn-if-branches/template.yaml",  # CloudFormation short tags
    "templates/include-fragment/template.yaml",  # CloudFormation short tags
    "rules/cors-allow-headers-incomplete/oas3-rest-clean.yaml",  # anchors and aliases
    "rules/cors-allow-headers-incomplete/oas3-rest.yaml",  # anchors and aliases
    "rules/duplicate-key/http.yaml",  # duplicate keys
    "rules/lambda-reference-dangling/sam-short-tags.yaml",  # CloudFormation short tags
    "rules/lambda-reference-dangling/sam-clean.yaml",  # CloudFormation short tags
    "rules/lambda-arn-hardcoded/template-clean.yaml",  # CloudFormation short tags
    "rules/template-body-mixed-with-resources/template.yaml",  # CloudFormation short tags
    "templates/sam-yaml/template.yaml",  # CloudFormation short tags
    "serve/sam-app/template.yaml",  # CloudFormation short tags
    "rules/duplicate-key/oas3-merge-keys-clean.yaml",  # merge keys
    "rules/duplicate-key/oas3-rest.yaml",  # duplicate keys
    "rules/duplicate-key/swagger2-rest.yaml",  # duplicate keys
    "corpus/embedded/aws__serverless-application-model__inline_swagger-template.yaml",  # tags
    # CloudFormation resources without a body (short tags)
    "fixtures/equivalence/cloudformation.yaml",
    "equivalence/authorizer/cloudformation.yaml",
    "rules/cors-preflight-incomplete/cfn-resources.yaml",
    "rules/cors-preflight-missing/cfn-resources.yaml",
    "rules/cors-preflight-requires-auth/cfn-resources.yaml",
    "rules/lambda-http-method-not-post/cfn-resources.yaml",
    "rules/lambda-reference-dangling/cfn-resources.yaml",
    "rules/lambda-uri-invalid/cfn-resources.yaml",
    "rules/method-unauthenticated/cfn-http-resources.yaml",
    "rules/method-unauthenticated/cfn-resources.yaml",
    "rules/resource-quota-exceeded/cfn-resources.yaml",
    "rules/private-without-policy/cfn-resources.yaml",
    "rules/policy-invalid/cfn-resources.yaml",
    "rules/integration-param-undeclared/cfn-resources.yaml",
    "rules/lambda-reference-dangling/cfn-http-resources.yaml",
    "rules/lambda-uri-invalid/cfn-http-resources.yaml",
    "wording/cloudformation/rest.yaml",
    "wording/cloudformation/http.yaml",
    "wording/cloudformation/http-cors.yaml",
    "wording/cloudformation/http-preflight.yaml",
    "wording/cloudformation/rest-preflight.yaml",
}


def test_only_files_with_yaml_1_1_features_leave_the_fast_path() -> None:
    declined = {
        p.relative_to(p.parents[2]).as_posix()
        for p in YAML_FILES
        if load_fast(p.read_text()) is None
    }
    # The corpus files are among YAML_FILES only where ../shared is laid beside the repository.
    expected = {d for d in DECLINED if CORPUS.is_dir() or not d.startswith("corpus/")}
    assert declined == expected


def test_large_stripe_yaml_takes_the_fast_path() -> None:
    assert load_fast(require_shared("perfcorpus", "large-stripe.yaml").read_text()) is not None


@pytest.mark.parametrize(
    "text",
    [
        "k: yes\n",
        "k: No\n",
        "k: ~\n",
        "k: NULL\n",
        "k: True\n",
        "k: 0x1F\n",
        "k: 012\n",
        "k: 1_000\n",
        "k: 12:30\n",
        "k: 1e3\n",
        "k: .inf\n",
        "k: -.Inf\n",
        "k: .NaN\n",
        "k: +1\n",
        "k: [a, off]\n",
        "- on\n",
        "k: !Ref x\n",
        "a: &x 1\nb: *x\n",
        "a: &b {k: 1}\nc:\n  <<: *b\n",
        "? [a]\n: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\na: 2\n",
        "%YAML 1.1\n---\na: 1\n",
    ],
)
def test_declines_what_yaml_1_1_reads_differently(text: str) -> None:
    assert load_fast(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "k: 'yes'\n",
        'k: "NO"\n',
        "k: inf\nl: [nan, -inf]\n",
        "k: 1.5e+3\n",
        "k: 2001-12-14\n",
        "---\nk: v\n",
        "k: '*bold*'\n",
        "description: |\n  * bullet\n  *emphasis* here\n",
        "k: 'a: b'\n",
        "swagger: 2.0\n",
        "k: null\nl: true\nm: -3\nn: 0.5\n",
        "k: é\n",
    ],
)
def test_fast_path_matches_libyaml_data(text: str, monkeypatch) -> None:
    fast = load_fast(text)
    assert fast is not None
    monkeypatch.setenv("APILINT_YAML", "libyaml")
    data, _, _ = load_yaml(text, "t.yaml")
    assert fast[0] == data


# -- what the fast path accepts, it reads as YAML 1.1 does -----------------------------------

#: Plain scalars YAML 1.1 and 1.2 read alike and differently, and other text.
_SCALARS = (
    *("yes", "No", "ON", "off", "~", "Null", "True", "0x1F", "017", "1_000", "12:30", "1e3"),
    *("1E3", "-1e-3", ".5e3", "1.5e3", "1.0e+3", "-.Inf", ".NaN", "+5", "-5", "1.5", "3.", "y"),
    *("N", "true", "null", "inf", "string", "2001-12-14", "NOT", "offset", "a b"),
)
_SCALAR = st.sampled_from(_SCALARS)
_VALUE = st.one_of(
    _SCALAR,
    _SCALAR.map("'{}'".format),
    _SCALAR.map('"{}"'.format),
    st.lists(_SCALAR, min_size=1, max_size=3).map(lambda s: "[" + ", ".join(s) + "]"),
    _SCALAR.map("{{k: {}}}".format),
    _SCALAR.map('{{"k":{}}}'.format),
)
#: One key's entry, the value written in the ways YAML allows (`{}` is the value).
_ENTRY = st.sampled_from(
    (
        ": {}",
        ": {}  # a comment",
        ":\n  {}",
        ":\n  - {}",
        ": [a,\n    {}]",
        ": |\n  {}",
    )
)


@st.composite
def _documents(draw: st.DrawFn) -> str:
    entries = draw(st.lists(st.tuples(_ENTRY, _VALUE), min_size=1, max_size=4))
    text = "".join(f"k{i}{shape.format(value)}\n" for i, (shape, value) in enumerate(entries))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


@settings(max_examples=500, deadline=None)
@given(_documents())
def test_what_the_fast_path_accepts_it_reads_as_the_libyaml_path_does(text: str) -> None:
    fast = load_fast(text)
    if fast is None:
        return
    data, _, issues = load_libyaml(text, "t.yaml")
    assert (repr(fast[0]), []) == (repr(data), issues)


@pytest.mark.parametrize(
    "text",
    [
        "k: yes\r\n",  # CRLF line ends
        "k: 0x1F\r\nl: 2\r\n",
        "k: {a: yes}\n",  # a flow mapping's value
        '{"k":on}\n',  # JSON-like flow: no blank after the colon
        "k: [a,\n  off]\n",  # a flow sequence over two lines
        "k:\n  1_000\n",  # a value on the line after its key
        "k: 1e3\n",  # an exponent (a JSON number, not a string)
        "k: 1e-7\n",  # a negative exponent
        "k: [2, 1E+20]\n",  # a capital E and a sign, in a flow sequence
        "k: [1, 12:30]\n",
    ],
)
def test_declines_risky_plain_scalars_wherever_they_stand(text: str) -> None:
    assert load_fast(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "k: 'NO'\nl: [\"off\"]\nm: {a: 'yes'}\n",  # quoted: strings on both paths
        "k: y\nl: [n, Y]\nm: {a: N}\n",  # PyYAML's resolver has no y/n booleans
        "k: 1.0e+3\n",  # a YAML 1.1 float too
        "k: 1.5e-7\nl: 0.00001\nm: [2.5e+20]\n",  # YAML 1.1 floats, tiny and huge
        "k: a1e3\nl: 'i.e. 2E5'\n",  # exponent-like text in strings
        "k: NOT\nl: offset\nm: NO way\n",  # the suspects' text within other scalars
        "k: |\n  see 'NO' below\nl: 'NO'\n",
    ],
)
def test_keeps_the_fast_path_when_no_plain_scalar_is_risky(text: str) -> None:
    fast = load_fast(text)
    assert fast is not None
    assert fast[0] == load_libyaml(text, "t.yaml")[0]


def test_json_longer_than_the_first_buffer_is_emitted_whole() -> None:
    # Emitted JSON indents each level by two: 40 block levels indented by one take 4 times
    # their text (the first buffer holds twice).
    text = "".join(" " * i + "k:\n" for i in range(40)) + " " * 40 + "v\n"
    expected: object = "v"
    for _ in range(40):
        expected = {"k": expected}
    fast = load_fast(text)
    assert fast is not None
    assert fast[0] == load_libyaml(text, "t.yaml")[0] == expected
