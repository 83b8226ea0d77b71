"""CDK cloud assemblies (`cdk.out/`, what `cdk synth` writes): the stack templates to lint when
the folder is named, and the nested stacks' templates a stack template names as assets."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from apilint.common.files import SMALL_FILE_LIMIT, read_bounded

if TYPE_CHECKING:  # discovery reads assemblies on every run; templates are read for templates only
    from apilint.document.cfn import TemplateFile

#: A nested stack's template is an asset of its parent: CDK writes where it is in the assembly
#: as resource metadata (aws-cdk-lib cx-api: ASSET_RESOURCE_METADATA_PATH_KEY).
ASSET_PATH = "aws:asset:path"
ASSET_PROPERTY = "aws:asset:property"
_STACK = "AWS::CloudFormation::Stack"
_NESTED_SUFFIX = ".nested.template.json"


def is_assembly(directory: str) -> bool:
    """A cloud assembly: `manifest.json` beside the `cdk.out` version marker."""
    return os.path.isfile(os.path.join(directory, "manifest.json")) and os.path.isfile(
        os.path.join(directory, "cdk.out")
    )


def assembly_templates(directory: str, depth: int = 0) -> list[str]:
    """The stack templates of an assembly (and of the stage assemblies it holds), in manifest
    order; nested stacks' templates are not among them (their parents name them)."""
    artifacts = _artifacts(directory)
    if artifacts is None:  # no readable manifest: every top-level template
        return sorted(
            str(p)
            for p in Path(directory).glob("*.template.json")
            if not p.name.endswith(_NESTED_SUFFIX)
        )
    out: list[str] = []
    for artifact in artifacts:
        props = artifact.get("properties")
        props = props if isinstance(props, dict) else {}
        if artifact.get("type") == "aws:cloudformation:stack":
            name = props.get("templateFile")
            if isinstance(name, str) and os.path.isfile(os.path.join(directory, name)):
                out.append(os.path.join(directory, name))
        elif artifact.get("type") == "cdk:cloud-assembly" and depth < 8:
            name = props.get("directoryName")
            if isinstance(name, str):
                out.extend(assembly_templates(os.path.join(directory, name), depth + 1))
    return out


def _artifacts(directory: str) -> list[dict[str, object]] | None:
    try:
        manifest = json.loads(
            read_bounded(os.path.join(directory, "manifest.json"), 16 * SMALL_FILE_LIMIT)
        )
    except (OSError, ValueError):
        return None
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if not isinstance(artifacts, dict):
        return None
    return [a for a in artifacts.values() if isinstance(a, dict)]


def nested_stacks(template: TemplateFile) -> list[tuple[str, str]]:
    """(logical id, template file) of each nested stack whose template is a local asset."""
    out = []
    for logical_id, resource in template.resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != _STACK:
            continue
        meta = resource.get("Metadata")
        meta = meta if isinstance(meta, dict) else {}
        path = meta.get(ASSET_PATH)
        if isinstance(path, str) and path and meta.get(ASSET_PROPERTY) == "TemplateURL":
            out.append((logical_id, path))
    return out
