"""Regenerate fixtures/accepted/sam-generated/ from the SAM templates in fixtures/accepted/sam/.

Each template goes through AWS's own SAM translator (aws-sam-translator, offline: no AWS call),
and each API it produces (`AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api`) is written as a
small CloudFormation template: the API resource as SAM emits it, plus every resource its Body
refers to (functions, their roles, user pools), so that `${MyFunction.Arn}` in the body resolves
against a real resource when apilint reads it, the way CloudFormation deploys it.

    PYTHONPATH=$PWD /work/main/.venv/bin/python scripts/regen_accepted.py [--out DIR]

tests/test_accepted.py runs the same translation into a temporary directory and compares.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
SAM_DIR = ROOT / "fixtures" / "accepted" / "sam"
OUT_DIR = ROOT / "fixtures" / "accepted" / "sam-generated"

#: Pseudo parameters SAM would otherwise ask boto3 for.
PARAMETERS = {"AWS::Region": "us-east-1", "AWS::AccountId": "123456789012",
              "AWS::Partition": "aws"}
#: The managed policies the templates' functions get by default; SAM asks IAM for the full map
#: unless it is given one.
MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole":
        "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
}
API_TYPES = ("AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api")
#: Local code is packaged to S3 by `sam package`; the translator only accepts S3 locations.
STAND_IN_CODE = "s3://bucket/key"


class _PolicyLoader:
    """Stands in for samtranslator's ManagedPolicyLoader, which would call IAM."""

    def load(self) -> dict[str, str]:
        return dict(MANAGED_POLICIES)


def _stand_in_code(template: dict[str, Any]) -> None:
    """Replace local CodeUri paths (in Globals and on functions) by an S3 location."""
    holders = [template.get("Globals", {}).get("Function", {})]
    holders += [r.get("Properties", {}) for r in template.get("Resources", {}).values()
                if isinstance(r, dict) and r.get("Type") == "AWS::Serverless::Function"]
    for props in holders:
        uri = props.get("CodeUri")
        if isinstance(uri, str) and not uri.startswith("s3://"):
            props["CodeUri"] = STAND_IN_CODE


def translate(path: Path) -> dict[str, Any]:
    """The CloudFormation template SAM makes of the template at `path`.

    What samtranslator.translator.transform.transform does, except that the translator gets a
    boto3 session with a region: transform() passes none, and SAM then insists on finding a
    region in the environment even when AWS::Region is given (a session makes no AWS call).
    """
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import (to_py27_compatible_template,
                                                  undo_mark_unicode_str_in_template)
    from samtranslator.yaml_helper import yaml_parse

    template = yaml_parse(path.read_text())
    _stand_in_code(template)
    parameters = dict(PARAMETERS)
    to_py27_compatible_template(template, parameters)
    session = boto3.session.Session(region_name=PARAMETERS["AWS::Region"])
    translator = Translator(None, Parser(), boto_session=session)
    out = translator.translate(template, parameter_values=parameters,
                               get_managed_policy_map=_PolicyLoader().load)
    return dict(undo_mark_unicode_str_in_template(out))


def _references(node: Any) -> Iterator[str]:
    """Logical ids that `node` refers to through Ref, Fn::GetAtt or Fn::Sub."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "Ref" and isinstance(value, str):
                yield value
            elif key == "Fn::GetAtt" and isinstance(value, list) and value:
                yield str(value[0])
            elif key == "Fn::Sub":
                text = value[0] if isinstance(value, list) and value else value
                if isinstance(text, str):
                    yield from _sub_names(text)
            yield from _references(value)
    elif isinstance(node, list):
        for item in node:
            yield from _references(item)


def _sub_names(text: str) -> Iterator[str]:
    start = text.find("${")
    while start != -1:
        end = text.find("}", start)
        if end == -1:
            return
        name = text[start + 2:end]
        if not name.startswith("!"):
            yield name.split(".", 1)[0]
        start = text.find("${", end)


def _closure(resources: dict[str, Any], start: str) -> list[str]:
    """`start` and every resource it refers to, transitively, in template order."""
    seen = {start}
    todo = [start]
    while todo:
        for name in _references(resources[todo.pop()]):
            if name in resources and name not in seen:
                seen.add(name)
                todo.append(name)
    return [name for name in resources if name in seen]


def api_templates(source: Path) -> dict[str, dict[str, Any]]:
    """One minimal template per API in SAM's output for `source`, by output file name."""
    resources = translate(source)["Resources"]
    out = {}
    for logical_id, resource in resources.items():
        if resource.get("Type") not in API_TYPES:
            continue
        description = (f"Generated by scripts/regen_accepted.py from "
                       f"fixtures/accepted/sam/{source.name} ({logical_id}) with "
                       f"aws-sam-translator {_sam_version()}; do not edit, regenerate.")
        out[f"{source.stem}.{logical_id}.json"] = {
            "AWSTemplateFormatVersion": "2010-09-09",
            "Description": description,
            "Resources": {name: resources[name] for name in _closure(resources, logical_id)},
        }
    return out


def _sam_version() -> str:
    import samtranslator

    return str(samtranslator.__version__)


def render(template: dict[str, Any]) -> str:
    return json.dumps(template, indent=2) + "\n"


def regenerate(out_dir: Path, sam_dir: Path = SAM_DIR) -> list[Path]:
    """Write every generated template into `out_dir` (emptied of old *.json first)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.json"):
        old.unlink()
    written = []
    for source in sorted(sam_dir.glob("*.yaml")):
        for name, template in api_templates(source).items():
            target = out_dir / name
            target.write_text(render(template))
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)
    # The translator warns about metrics it was not asked to publish and feature toggles it
    # was not given; neither changes the output.
    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    for path in regenerate(args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
