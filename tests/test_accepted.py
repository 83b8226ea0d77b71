"""What AWS accepts, apilint must not call an error (issue 16: errors you can trust).

fixtures/accepted/ holds definitions AWS imports and deploys: examples rebuilt from the AWS
documentation, the Terraform provider's `body` example, and the API bodies AWS's own SAM
translator generates (provenance in fixtures/accepted/README.md). An `error` finding on any of
them contradicts the severity contract: error means API Gateway rejects the definition.

The SAM-generated bodies are regenerated with aws-sam-translator when it is installed and must
equal the committed ones, so the corpus stays what SAM really emits.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from apilint.discover import expand
from apilint.engine import FileResult, Settings, lint_path
from apilint.findings import Severity

from conftest import FIXTURES, ROOT

ACCEPTED = FIXTURES / "accepted"
#: Every file apilint would look at in the corpus (the same walk as `apilint lint DIR`).
FILES = sorted(Path(t.path) for t in expand([str(ACCEPTED)]))
#: SAM sources whose APIs SAM builds from function events: no definition in the file to lint
#: (their generated bodies are in sam-generated/).
IMPLICIT_SAM = {"http-api.yaml", "rest-api-keys.yaml", "rest-auth-cognito.yaml",
                "rest-auth-iam.yaml", "rest-auth-lambda.yaml", "rest-cors-object.yaml",
                "rest-cors-string.yaml", "rest-events.yaml", "rest-gateway-responses.yaml",
                "rest-cors-auth.yaml", "http-api-implicit.yaml"}


def _rel(path: Path) -> str:
    return path.relative_to(ACCEPTED).as_posix()


@functools.cache
def _lint(path: Path) -> list[FileResult]:
    """Each file is linted once for the tests that look at its results."""
    return lint_path(str(path), Settings())


@pytest.mark.parametrize("path", FILES, ids=[_rel(p) for p in FILES])
def test_accepted_definition_has_no_error(path: Path) -> None:
    results = _lint(path)
    assert [(r.title, str(r.error)) for r in results if r.error] == []
    errors = [(_rel(path), f.code, f.line, f.message) for r in results for f in r.findings
              if f.severity >= Severity.ERROR]
    assert errors == [], "AWS accepts this definition, yet apilint reports errors:\n" + \
        "\n".join(f"{file}:{line}: {code} {message}" for file, code, line, message in errors)


@pytest.mark.parametrize("path", FILES, ids=[_rel(p) for p in FILES])
def test_accepted_definition_is_linted(path: Path) -> None:
    """No file passes by being skipped: each holds an API apilint reads (the implicit-API SAM
    sources excepted, for the reason they give)."""
    results = _lint(path)
    skipped = [r.skipped for r in results if r.skipped]
    if path.parent.name == "sam" and path.name in IMPLICIT_SAM:
        assert skipped and "defines no API with a definition" in skipped[0]
    else:
        assert skipped == [] and any(r.api_kind for r in results), (skipped, results)


def test_corpus_covers_the_shapes_of_the_brief() -> None:
    names = {_rel(p) for p in FILES}
    for part in ("docs/petstore-swagger2.json", "docs/petstore-oas30-export.json",
                 "docs/http-integrations-oas30.json", "docs/cors-options-mock-oas30.yaml",
                 "docs/http-cors-oas30.json", "docs/authorizers-lambda-swagger2.json",
                 "docs/authorizer-cognito-swagger2.json", "docs/http-authorizers-oas30.json",
                 "docs/request-validation-swagger2.json", "docs/any-method-proxy-swagger2.json",
                 "docs/http-default-route-oas30.json", "docs/gateway-responses-swagger2.json",
                 "terraform/rest-api-openapi-body.tf"):
        assert part in names, part
    generated = [p for p in FILES if p.parent.name == "sam-generated"]
    assert {p.name.split(".")[0] for p in generated} == \
        {p.stem for p in (ACCEPTED / "sam").glob("*.yaml")}


def test_every_corpus_file_has_its_provenance_in_the_readme() -> None:
    readme = (ACCEPTED / "README.md").read_text()
    missing = [_rel(p) for p in FILES if p.parent.name != "sam-generated" and p.name not in readme]
    assert missing == []


def _regen_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regen_accepted",
                                                  ROOT / "scripts" / "regen_accepted.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sam_generated_bodies_are_what_the_sam_translator_emits(tmp_path: Path) -> None:
    pytest.importorskip("samtranslator")
    written = _regen_module().regenerate(tmp_path)
    committed = sorted((ACCEPTED / "sam-generated").glob("*.json"))
    assert [p.name for p in sorted(written)] == [p.name for p in committed]
    for fresh in sorted(written):
        old = ACCEPTED / "sam-generated" / fresh.name
        assert json.loads(fresh.read_text()) == json.loads(old.read_text()), \
            f"{fresh.name} differs from SAM's output: run scripts/regen_accepted.py"
