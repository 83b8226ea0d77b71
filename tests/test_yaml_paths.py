"""The rapidyaml fast path reads YAML exactly as the libyaml path does, positions included,
and declines whatever YAML 1.1 reads differently."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CORPUS, FIXTURES, require_shared

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
